from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import imports, views

router = DefaultRouter()
router.register("org-units", views.OrgUnitViewSet, basename="orgunit")
router.register("users", views.UserViewSet, basename="user")
router.register("imports", imports.ImportJobViewSet, basename="importjob")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("auth/token/revoke/", views.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
]
