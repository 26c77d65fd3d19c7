from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import collab, views

router = DefaultRouter()
router.register("tickets", views.TicketViewSet, basename="ticket")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("assists", collab.AssistViewSet, basename="assist")
router.register("supervisions", collab.SupervisionViewSet, basename="supervision")
router.register("bundles", collab.BundleViewSet, basename="bundle")

urlpatterns = [
    path("kinds/", views.KindsView.as_view(), name="portal-kinds"),
    path("bundle-kinds/", collab.BundleKindsView.as_view(), name="portal-bundle-kinds"),
    path("", include(router.urls)),
]
