from django.urls import path

from . import views

app_name = "assetpool"

urlpatterns = [
    path("", views.home, name="home"),
]
