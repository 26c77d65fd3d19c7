from django.urls import path

from . import views

app_name = "stocktake"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.open_view, name="open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/scan/", views.scan, name="scan"),
    path("<int:pk>/counts/", views.counts, name="counts"),
    path("<int:pk>/counts/<int:count_id>/remove/", views.count_remove, name="count-remove"),
    path("<int:pk>/counts/<int:count_id>/surplus/", views.surplus, name="surplus"),
    path("<int:pk>/import/", views.import_view, name="import"),
    path("<int:pk>/close/", views.close, name="close"),
]
