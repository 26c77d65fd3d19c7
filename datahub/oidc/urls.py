"""The identity provider's endpoints under /o/ (the issuer is https://<host>/o): authorize, token,
revocation, and the OpenID Connect ones (discovery, JWKS, userinfo, logout). django-oauth-toolkit's
application-management pages are not mounted: systems are registered at /directory/systems/."""

from django.urls import path, re_path
from oauth2_provider import views as toolkit

from . import views

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", views.AuthorizeView.as_view(), name="authorize"),
    path("token/", toolkit.TokenView.as_view(), name="token"),
    path("revoke_token/", toolkit.RevokeTokenView.as_view(), name="revoke-token"),
    re_path(
        r"^\.well-known/openid-configuration/?$",
        toolkit.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", toolkit.JwksInfoView.as_view(), name="jwks-info"),
    path("userinfo/", toolkit.UserInfoView.as_view(), name="user-info"),
    path("logout/", views.LogoutView.as_view(), name="rp-initiated-logout"),
]
