from django.urls import path

from . import views

app_name = "stocktake"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.open_view, name="open"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/scan/", views.scan, name="scan"),
    path("<id:pk>/counts/", views.counts, name="counts"),
    path("<id:pk>/counts/<id:count_id>/remove/", views.count_remove, name="count-remove"),
    path("<id:pk>/counts/<id:count_id>/surplus/", views.surplus, name="surplus"),
    path("<id:pk>/import/", views.import_view, name="import"),
    path("<id:pk>/close/", views.close, name="close"),
]
