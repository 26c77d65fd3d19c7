"""A person whose password is older than PASSWORD_MAX_AGE_DAYS must change it before anything else.

The expiry moment is read once, at sign-in, into the session (no query per request); changing
the password clears it. Pages redirect to the password-change page; the API (a session used
by the front end) answers 403 with the standard error body.
"""

import time
from datetime import datetime

from asgiref.sync import sync_to_async
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from . import selectors, usercache

SESSION_KEY = "password_expires_at"
# Reachable with an expired password: the way out (change it, or sign out) and what those pages load.
OPEN_URL_NAMES = ("password-change", "password-change-done", "logout", "login")
OPEN_PREFIXES = ("/static/", "/i18n/")


def remember_password_expiry(sender, request, user, **kwargs):
    """user_logged_in receiver: note in the session when this person's password expires (and stamp the renewal)."""
    expires_at = selectors.password_expires_at(user)
    if request is not None and hasattr(request, "session"):
        if expires_at is None:
            request.session.pop(SESSION_KEY, None)
        else:
            request.session[SESSION_KEY] = expires_at.isoformat()
        # Signing in writes the session anyway: stamp it, so the first page after sign-in is not a second write.
        request.session[RENEWED_KEY] = int(time.time())


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
                    {"detail": _("密码已过期，请先在网页修改密码。"), "fields": {}},
                    status=403,
                    json_dumps_params={"ensure_ascii": False},
                )
            return redirect(f"{reverse('password-change')}?expired=1")
        return self.get_response(request)


RENEWED_KEY = "renewed_at"
# How often a session in use is written back: the idle rule (SESSION_COOKIE_AGE) holds to within this.
RENEW_EVERY_SECONDS = 60


class IdleSessionMiddleware:
    """A session in use stays alive, with at most one session write a minute.

    Renewing the expiry on every request (SESSION_SAVE_EVERY_REQUEST) writes the session row on every
    page view, list and poll; for a person clicking through the ledgers that is one UPDATE per click.
    Writing a stamp once a minute renews the cookie and the row's expiry just as well: a session ends
    between SESSION_COOKIE_AGE − 60 s and SESSION_COOKIE_AGE after the last request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or session.is_empty():
            return response
        now = int(time.time())
        if now - session.get(RENEWED_KEY, 0) >= RENEW_EVERY_SECONDS:
            session[RENEWED_KEY] = now
        return response


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, with the user, its unit and its grants read through datahub.auth.usercache
    (one cache round trip instead of two or three queries; a change to any of them is seen on the next request)."""

    def process_request(self, request):
        if not hasattr(request, "session"):
            return super().process_request(request)  # raises Django's own configuration error
        request.user = SimpleLazyObject(lambda: _user_of(request))
        request.auser = lambda: _auser_of(request)


def _user_of(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = usercache.get_user(request)
    return request._cached_user


async def _auser_of(request):
    return await sync_to_async(_user_of)(request)
