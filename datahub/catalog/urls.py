from django.urls import path

from . import views

urlpatterns = [
    path("", views.catalog_list, name="catalog-list"),
    path("new/", views.CatalogRegister.as_view(), name="catalog-register"),
    path("<id:pk>/", views.catalog_detail, name="catalog-detail"),
    path("grants/", views.grant_list, name="catalog-grants"),
    path("grants/<id:pk>/revoke/", views.grant_revoke, name="catalog-grant-revoke"),
    path("trail/", views.trail_list, name="catalog-trail"),
    path("trail/verify/", views.trail_verify, name="catalog-trail-verify"),
    path("usage/", views.usage_list, name="catalog-usage"),
    path("zombies/", views.zombie_list, name="catalog-zombies"),
]
