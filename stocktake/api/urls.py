from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("stocktakes", views.StocktakeViewSet, basename="stocktake-stocktake")

urlpatterns = [path("", include(router.urls))]
