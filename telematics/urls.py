from django.urls import path

from . import views

app_name = "telematics"

urlpatterns = [
    path("", views.home, name="home"),
]
