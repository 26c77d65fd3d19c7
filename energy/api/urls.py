from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("profiles", views.ProfileViewSet, basename="energy-profile")
router.register("records", views.RecordViewSet, basename="energy-record")
router.register("submissions", views.SubmissionViewSet, basename="energy-submission")
router.register("anomalies", views.AnomalyViewSet, basename="energy-anomaly")
router.register("coefficient-versions", views.CoefficientVersionViewSet, basename="energy-coefficient-version")

urlpatterns = [
    path("indicators/", views.IndicatorView.as_view(), name="energy-indicators"),
    path("", include(router.urls)),
]
