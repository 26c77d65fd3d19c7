from django.urls import path

from . import views

app_name = "stocktake"

urlpatterns = [
    path("", views.home, name="home"),
]
