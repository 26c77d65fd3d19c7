from django.urls import path

from . import views

app_name = "assetpool"

urlpatterns = [
    path("", views.home, name="home"),
    path("pool/", views.pool_list, name="pool-list"),
    path("pool/publish/", views.publish, name="publish"),
    path("pool/<id:pk>/", views.listing_detail, name="listing-detail"),
    path("pool/<id:pk>/edit/", views.listing_edit, name="listing-edit"),
    path("pool/<id:pk>/withdraw/", views.listing_withdraw, name="listing-withdraw"),
    path("pool/<id:pk>/request/", views.listing_request, name="listing-request"),
    path("idle/", views.idle_list, name="idle-list"),
    path("reuses/", views.reuse_list, name="reuse-list"),
    path("reuses/<id:pk>/return/", views.reuse_return, name="reuse-return"),
    path("prepurchase/", views.prepurchase, name="prepurchase"),
]
