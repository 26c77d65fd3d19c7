from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("vehicles", views.VehicleViewSet, basename="vehicles-vehicle")
router.register("drivers", views.DriverViewSet, basename="vehicles-driver")
router.register("records", views.CostRecordViewSet, basename="vehicles-record")
router.register("dispatches", views.DispatchViewSet, basename="vehicles-dispatch")

urlpatterns = [path("", include(router.urls))]
