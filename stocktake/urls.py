from django.urls import path

from . import views

app_name = "stocktake"

urlpatterns = [
    path("", views.StocktakeList.as_view(), name="home"),
    path("new/", views.OpenStocktake.as_view(), name="open"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/scan/", views.scan, name="scan"),
    path("<id:pk>/counts/", views.Counts.as_view(), name="counts"),
    path("<id:pk>/counts/<id:count_id>/remove/", views.CountRemove.as_view(), name="count-remove"),
    path("<id:pk>/counts/<id:count_id>/surplus/", views.Surplus.as_view(), name="surplus"),
    path("<id:pk>/import/", views.import_view, name="import"),
    path("<id:pk>/close/", views.Close.as_view(), name="close"),
]
