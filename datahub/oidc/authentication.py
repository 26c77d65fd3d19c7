"""API authentication with the access tokens of the identity provider (``Authorization: Bearer <token>``).

A token issued to a person through a system acts as that person; a system's own token (client
credentials) acts as a ``SystemPrincipal`` of the system's unit. Either is accepted only where the endpoint
says so: it names the scopes it needs in ``oauth_scopes`` (e.g. ``("directory",)``), and only for reading.
``request.auth`` is then the AccessToken; ``principal.is_system(request.user)`` tells a system from a person.

A bearer value that is not one of our OAuth2 tokens is left to the platform's own API tokens
(datahub.auth.authentication), which say in Chinese why it is refused.
"""

import hashlib

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AccessToken
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header
from rest_framework.permissions import SAFE_METHODS

from ..auth.authentication import ExpiringTokenAuthentication
from . import selectors
from .principal import SystemPrincipal


def _bearer(request) -> str | None:
    header = get_authorization_header(request).split()
    if len(header) != 2 or header[0].lower() != b"bearer":
        return None
    try:
        return header[1].decode("ascii")
    except UnicodeDecodeError:
        return None


def _refusal(error: dict) -> str:
    description = str(error.get("error_description", ""))
    if "expired" in description:
        return _("访问令牌已过期，请重新获取。")
    if description and not description.isascii():
        return description
    return _("访问令牌无效或已被吊销。")


class OAuth2TokenAuthentication(OAuth2Authentication):
    def authenticate(self, request):
        token = _bearer(request)
        if (
            not token
            or not AccessToken.objects.filter(token_checksum=hashlib.sha256(token.encode()).hexdigest()).exists()
        ):
            return None
        result = super().authenticate(request)
        if result is None:
            raise exceptions.AuthenticationFailed(_refusal(getattr(request, "oauth2_error", {}) or {}))
        user, access_token = result
        view = (getattr(request, "parser_context", None) or {}).get("view")
        needed = getattr(view, "oauth_scopes", None)
        if needed is None:
            raise exceptions.PermissionDenied(
                _("该接口不接受统一身份认证的访问令牌，请使用本平台的API令牌或网页登录。")
            )
        missing = [s for s in needed if not access_token.allow_scopes([s])]
        if missing:
            raise exceptions.PermissionDenied(_("访问令牌缺少授权范围：%(names)s。") % {"names": _("、").join(missing)})
        if request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(_("统一身份认证的访问令牌只能读取数据，不能修改。"))
        if user is None:
            system = selectors.registration_of(access_token.application)
            return SystemPrincipal(system=system, scopes=frozenset(access_token.scope.split())), access_token
        return user, access_token

    def authenticate_header(self, request):
        # DRF asks the first authenticator for the 401 challenge: ours only when one of our tokens was tried,
        # else the platform's API-token challenge, as before.
        if getattr(request, "oauth2_error", None) is not None:
            return super().authenticate_header(request)
        return ExpiringTokenAuthentication.keyword


class OAuth2TokenScheme(OpenApiAuthenticationExtension):
    target_class = "datahub.oidc.authentication.OAuth2TokenAuthentication"
    # Not "oauth2": the exchange API keeps the toolkit's own class, whose scheme has that name.
    name = "platformBearer"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "Authorization: Bearer <访问令牌>。接入系统以客户端凭证（client_credentials）向 /o/token/ 申请，"
                "或人员经单点登录授权获得；仅可读取注明接受该令牌的接口，且须具备接口所需的授权范围。"
            ),
        }
