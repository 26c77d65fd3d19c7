"""Terminal authentication for the ingestion endpoint: ``Authorization: Terminal <token>``.

The terminal itself is the request's principal (``request.user`` is the Terminal, ``request.auth``
too): terminals are not people and hold no roles, and this scheme is accepted by the ingestion
endpoint only.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import selectors
from .models import Terminal

KEYWORD = "Terminal"


class TerminalAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() != KEYWORD.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("终端令牌格式不正确，应为“Authorization: Terminal <令牌>”。"))
        try:
            token = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("终端令牌含有非法字符。")) from None
        terminal = selectors.terminal_for_token(token)
        if terminal is None:
            raise exceptions.AuthenticationFailed(_("终端令牌无效、已更换或终端已停用。"))
        terminal.authenticated_at = timezone.now()
        return terminal, terminal

    def authenticate_header(self, request):
        return KEYWORD


class IsTerminal:
    """Permission: the request was authenticated by a terminal token (not a person's session or token)."""

    def has_permission(self, request, view):
        return isinstance(request.auth, Terminal)

    def has_object_permission(self, request, view, obj):
        return True


class TerminalAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describes the terminal scheme in the OpenAPI document."""

    target_class = "telematics.authentication.TerminalAuthentication"
    name = "terminalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "车载终端令牌：Authorization: Terminal <令牌>",
        }
