from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password-change-done"),
    path("accounts/security/", views.account_security, name="account-security"),
    path("accounts/security/tokens/revoke/", views.revoke_own_tokens, name="account-tokens-revoke"),
    path("accounts/security/tokens/<id:pk>/revoke/", views.revoke_own_token, name="account-token-revoke"),
    path("directory/people/<id:pk>/tokens/revoke/", views.revoke_person_tokens, name="person-tokens-revoke"),
]
