from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("tickets", views.TicketViewSet, basename="ticket")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("kinds/", views.KindsView.as_view(), name="portal-kinds"),
    path("", include(router.urls)),
]
