from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("listings", views.PoolListingViewSet, basename="assetpool-listing")
router.register("reuses", views.ReuseViewSet, basename="assetpool-reuse")
router.register("idle-assets", views.IdleAssetViewSet, basename="assetpool-idle")

urlpatterns = [path("", include(router.urls))]
