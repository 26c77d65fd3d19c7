from django.urls import path

from .exchange_view import ExchangeView

urlpatterns = [
    # A catalog code, not an id: the view validates it (a path converter would answer a non-JSON 404).
    path("<str:code>/", ExchangeView.as_view(), name="exchange"),
]
