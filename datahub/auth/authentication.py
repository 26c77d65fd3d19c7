"""API authentication by expiring token: ``Authorization: Token <令牌>`` (``Bearer`` is accepted too).

``request.auth`` is the ApiToken, so the revoke endpoint knows which token the caller used.
An expired, revoked or unknown token is a 401 that says which.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import selectors, services

KEYWORDS = ("token", "bearer")


class ExpiringTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("API令牌格式不正确，应为“Authorization: Token <令牌>”。"))
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("API令牌含有非法字符。")) from None
        api_token = selectors.api_token_for(token)
        if api_token is None:
            raise exceptions.AuthenticationFailed(_("API令牌无效，请重新登录获取令牌。"))
        if api_token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("API令牌已被吊销，请重新登录获取令牌。"))
        if api_token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("API令牌已过期，请重新登录获取令牌。"))
        if not api_token.user.is_active:
            raise exceptions.AuthenticationFailed(_("账号已停用。"))
        services.api_token_note_use(api_token=api_token)
        return api_token.user, api_token

    def authenticate_header(self, request):
        return self.keyword


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    """Describes the scheme in the OpenAPI document (how to get a token, how long it lives)."""

    target_class = "datahub.auth.authentication.ExpiringTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Authorization: Token <令牌>。令牌由 POST /api/v1/auth/token/ 签发，有效期见响应中的 expires_at；"
                "每次登录签发新令牌，可由 POST /api/v1/auth/token/revoke/ 吊销。"
            ),
        }
