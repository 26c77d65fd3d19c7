from django.urls import path

from . import views

app_name = "commandcenter"

urlpatterns = [
    path("", views.index, name="index"),
    path("units/<id:pk>/", views.unit_page, name="unit"),
    path("units/<id:pk>/figures.json", views.unit_json, name="unit-json"),
    path("units/<id:pk>/export.xlsx", views.unit_export, name="unit-export"),
]
