from django.urls import path

from . import views

app_name = "assets"

urlpatterns = [
    path("", views.home, name="home"),
    path("cards/", views.CardList.as_view(), name="card-list"),
    path("cards/new/", views.CardCreate.as_view(), name="card-create"),
    path("cards/new-building/", views.BuildingCardCreate.as_view(), name="building-card-create"),
    path("vehicles-without-card/", views.VehiclesWithoutCard.as_view(), name="vehicles-without-card"),
    path("vehicles-without-card/<id:pk>/link/", views.VehicleCardLink.as_view(), name="vehicle-card-link"),
    path("cards/import/", views.card_import, name="card-import"),
    path("cards/labels/", views.label_sheet, name="labels"),
    path("cards/<id:pk>/", views.card_detail, name="card-detail"),
    path("a/<str:number>/", views.card_by_number, name="card-by-number"),
    path("cards/<id:pk>/<slug:action>/", views.CardAction.as_view(), name="card-action"),
    path("depreciation/", views.depreciation, name="depreciation"),
    path("depreciation/post/", views.depreciation_post, name="depreciation-post"),
    path("pick/", views.pick, name="pick"),
    path("pool-alternatives/", views.pool_alternatives, name="pool-alternatives"),
    path("categories/", views.CategoryList.as_view(), name="categories"),
]
