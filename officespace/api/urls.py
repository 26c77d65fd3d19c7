from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("buildings", views.BuildingViewSet, basename="officespace-building")
router.register("rooms", views.RoomViewSet, basename="officespace-room")
router.register("occupancies", views.OccupancyViewSet, basename="officespace-occupancy")
router.register("assessments", views.AssessmentViewSet, basename="officespace-assessment")

urlpatterns = [path("", include(router.urls))]
