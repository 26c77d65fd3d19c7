from django.urls import path

from . import views

app_name = "assetpool"

urlpatterns = [
    path("", views.home, name="home"),
    path("pool/", views.PoolList.as_view(), name="pool-list"),
    path("pool/publish/", views.Publish.as_view(), name="publish"),
    path("pool/<id:pk>/", views.listing_detail, name="listing-detail"),
    path("pool/<id:pk>/edit/", views.ListingEdit.as_view(), name="listing-edit"),
    path("pool/<id:pk>/withdraw/", views.ListingWithdraw.as_view(), name="listing-withdraw"),
    path("pool/<id:pk>/request/", views.listing_request, name="listing-request"),
    path("idle/", views.IdleList.as_view(), name="idle-list"),
    path("reuses/", views.ReuseList.as_view(), name="reuse-list"),
    path("reuses/<id:pk>/return/", views.ReuseReturn.as_view(), name="reuse-return"),
    path("pick/", views.pick, name="pick"),
    path("prepurchase/", views.prepurchase, name="prepurchase"),
]
