from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("alerts", views.AlertViewSet, basename="telematics-alert")
router.register("terminals", views.TerminalViewSet, basename="telematics-terminal")
router.register("geofences", views.GeofenceViewSet, basename="telematics-geofence")

urlpatterns = [
    path("positions/", views.PositionIngestView.as_view(), name="telematics-positions"),
    path("dispatches/<id:pk>/track/", views.DispatchTrackView.as_view(), name="telematics-dispatch-track"),
    path("vehicles/<id:pk>/track/", views.VehicleTrackView.as_view(), name="telematics-vehicle-track"),
    path("", include(router.urls)),
]
