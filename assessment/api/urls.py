from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("frameworks", views.FrameworkViewSet, basename="assessment-framework")
router.register("rounds", views.RoundViewSet, basename="assessment-round")
router.register("scores", views.ScoreViewSet, basename="assessment-score")
router.register("values", views.IndicatorValueViewSet, basename="assessment-value")
router.register("analyses", views.AnalysisViewSet, basename="assessment-analysis")

urlpatterns = [path("", include(router.urls))]
