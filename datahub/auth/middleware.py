"""A person whose password is older than PASSWORD_MAX_AGE_DAYS must change it before anything else.

The expiry moment is read once, at sign-in, into the session (no query per request); changing
the password clears it. Pages redirect to the password-change page; the API (a session used
by the front end) answers 403 with the standard error body.
"""

from datetime import datetime

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from . import selectors

SESSION_KEY = "password_expires_at"
# Reachable with an expired password: the way out (change it, or sign out) and what those pages load.
OPEN_URL_NAMES = ("password-change", "password-change-done", "logout", "login")
OPEN_PREFIXES = ("/static/", "/i18n/")


def remember_password_expiry(sender, request, user, **kwargs):
    """user_logged_in receiver: note in the session when this person's password expires."""
    expires_at = selectors.password_expires_at(user)
    if request is not None and hasattr(request, "session"):
        if expires_at is None:
            request.session.pop(SESSION_KEY, None)
        else:
            request.session[SESSION_KEY] = expires_at.isoformat()


def forget_password_expiry(request) -> None:
    request.session.pop(SESSION_KEY, None)


def password_expired(request) -> bool:
    stamp = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return bool(stamp) and datetime.fromisoformat(stamp) <= timezone.now()


class PasswordExpiryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def _is_open(self, path: str) -> bool:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in OPEN_URL_NAMES}
        return path in self._open_paths or path.startswith(OPEN_PREFIXES)

    def __call__(self, request):
        if request.user.is_authenticated and password_expired(request) and not self._is_open(request.path_info):
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"detail": "密码已过期，请先在网页修改密码。", "fields": {}},
                    status=403,
                    json_dumps_params={"ensure_ascii": False},
                )
            return redirect(f"{reverse('password-change')}?expired=1")
        return self.get_response(request)
