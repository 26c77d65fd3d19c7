from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .views import AssetViewSet, CategoryViewSet, MovementViewSet

router = DefaultRouter()
router.register("cards", AssetViewSet, basename="asset")
router.register("categories", CategoryViewSet, basename="category")
router.register("movements", MovementViewSet, basename="movement")

urlpatterns = [path("", include(router.urls))]
