import functools
import json
from dataclasses import asdict

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.urls import Resolver404, get_resolver
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Chinese unless the user picked another language in the menu (the language cookie).

    The browser's Accept-Language is ignored on purpose: intranet PCs often run an English
    browser, and the platform's users expect the Chinese interface.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


NUL = "\x00"


class RejectNulMiddleware:
    """Refuse any request whose path, query string or form/JSON fields carry a NUL character.

    PostgreSQL cannot store or even compare a string with NUL in it (the query fails, a 500),
    and no legitimate input has one. Checking here covers every page and endpoint at once,
    including the ones that read ``request.GET`` / ``request.data`` directly. Uploaded files
    are not looked at: binary content has NUL bytes by nature.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = self.field_with_nul(request)
        if field is None:
            return self.get_response(request)
        reason = _("不能包含空字符（\\x00）。")
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": _("“%(field)s”含有空字符（\\x00），请删除后重新提交。") % {"field": field},
                    "fields": {field: [reason]},
                },
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        return HttpResponseBadRequest(
            _("“%(field)s”含有空字符（\\x00），请删除后重新提交。") % {"field": field},
            content_type="text/plain; charset=utf-8",
        )

    @classmethod
    def field_with_nul(cls, request) -> str | None:
        """The name of the first input holding a NUL ("path" for the address itself), else None."""
        if NUL in request.path_info:
            return "path"
        found = cls._in_querydict(request.GET)
        if found or request.method in ("GET", "HEAD", "OPTIONS"):
            return found
        content_type = request.content_type or ""
        if content_type == "application/x-www-form-urlencoded":
            return cls._in_querydict(request.POST if request.method == "POST" else QueryDict(request.body))
        if content_type == "multipart/form-data" and request.method == "POST":
            try:
                return cls._in_querydict(request.POST)
            except MultiPartParserError:
                return None  # a broken upload: the view's parser answers that with a 400
        if content_type.endswith("json") and b"\\u0000" in request.body:
            try:
                return cls._in_json(json.loads(request.body), "")
            except ValueError:
                return None  # not JSON at all: the parser answers that
        return None

    @staticmethod
    def _in_querydict(data) -> str | None:
        for key, values in data.lists():
            if NUL in key or any(NUL in v for v in values):
                return key.replace(NUL, "")
        return None

    @classmethod
    def _in_json(cls, value, name: str) -> str | None:
        if isinstance(value, str):
            return (name or "body") if NUL in value else None
        if isinstance(value, dict):
            for key, item in value.items():
                found = (key.replace(NUL, "") or "body") if NUL in key else cls._in_json(item, name or key)
                if found:
                    return found
        if isinstance(value, list):
            for item in value:
                found = cls._in_json(item, name)
                if found:
                    return found
        return None


class PlatformErrorPagesMiddleware:
    """Pages, not API calls, that end in 404 or 405 get the platform's own page in Chinese.

    Django shows its technical 404 (listing every URL pattern) whenever DEBUG is on, which the demo's
    development ``.env`` is, and a bare empty body for a 405 from ``require_POST``. A civil servant who
    follows an old link or opens a button's address directly should read what happened and how to go on.
    An API address that no endpoint answers gets a JSON error like the endpoints' own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code not in (404, 405) or not response.get("Content-Type", "").startswith("text/html"):
            return response
        if request.path_info.startswith("/api/"):
            # An address no endpoint answers (also an id the route's pattern refuses, "1.5"): the client
            # reads the API's one error body (datahub/api/errors.py), which the schema documents for 404.
            reason = (
                _("接口地址不存在，请核对 /api/docs/ 中的接口列表。")
                if response.status_code == 404
                else _("接口不支持此请求方法。")
            )
            answer = JsonResponse(
                {"detail": reason, "fields": {}}, status=response.status_code, json_dumps_params={"ensure_ascii": False}
            )
            if response.has_header("Allow"):
                answer["Allow"] = response["Allow"]
            return answer
        if response.status_code == 404:
            return render(request, "404.html", status=404)
        allowed = response.get("Allow", "")
        page = render(request, "405.html", {"allowed": allowed, "post_only": allowed == "POST"}, status=405)
        page["Allow"] = allowed
        return page


# The middleware a bearer-token API call has no use for: sessions and what rests on them (the signed-in user,
# password expiry, messages, CSRF, django-axes' lockouts, the history's request). Everything else — the security
# headers, CSP, language, NUL refusal, error pages — runs in the lane as in the full chain, in the same order.
LANE_SKIPS = {
    "django.contrib.sessions.middleware.SessionMiddleware",
    "datahub.auth.middleware.IdleSessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "datahub.auth.middleware.CachedAuthenticationMiddleware",
    "datahub.auth.middleware.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
}


class _Declined(HttpResponse):
    """The lane's view had no answer: the call goes down the full chain instead."""


class BearerApiLaneMiddleware:
    """A GET to a view that offers a ``lane_answer`` (the exchange), carrying ``Authorization: Bearer`` and no
    cookie but the language's, is answered through a shorter chain: the middleware after this one minus
    LANE_SKIPS. The view's ``lane_answer(request, **kwargs)`` answers or returns None; on None the call goes down
    the full chain from here, as if the lane had not been tried (the lane writes nothing before it answers).

    Why: for such a call the session, user, messages, CSRF and lockout middleware do nothing but cost time
    (≈ 0.26 ms of a 1,000-row exchange page). The answer is the full chain's, header for header (a test compares
    the two chains' responses)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._lane = None

    def __call__(self, request):
        if request.method != "GET" or request.META.get("HTTP_AUTHORIZATION", "")[:7].lower() != "bearer ":
            return self.get_response(request)
        if request.COOKIES and set(request.COOKIES) - {settings.LANGUAGE_COOKIE_NAME}:
            return self.get_response(request)
        if _lane_view(get_resolver(), request.path_info) is None:
            return self.get_response(request)
        if self._lane is None:
            self._lane = self._build()
        # What the view wrote and must be durable before the call is answered (the exchange's trail row, whose
        # commit is flushed meanwhile) is waited for here, after the lane's middleware; a statement run before
        # then waits for it first (the connection is busy with it until it is read).
        pending = []
        request.lane_before_answer = pending.append
        try:
            with connection.execute_wrapper(functools.partial(_pending_first, pending)):
                response = self._lane(request)
        finally:
            del request.lane_before_answer
            _finish(pending)
        if isinstance(response, _Declined):
            request.lane_declined = True  # the view need not try its lane answer again
            return self.get_response(request)
        if getattr(request, "lane_reached_view", False):
            # The full chain's password-expiry check reads the (empty) session before any view runs, and the
            # session middleware then adds Cookie to Vary; an answer from a middleware before it does not.
            patch_vary_headers(response, ("Cookie",))
        return response

    def _build(self):
        names = list(settings.MIDDLEWARE)
        after = names[names.index(f"{__name__}.{type(self).__name__}") + 1 :]
        handler = convert_exception_to_response(_lane_core)
        for name in reversed([n for n in after if n not in LANE_SKIPS]):
            handler = convert_exception_to_response(import_string(name)(handler))
        return handler


class SettingsCSPMiddleware(CSPMiddleware):
    """csp's middleware (settings.MIDDLEWARE, and the lane's chain): a response whose policy nothing in the call
    changes (no nonce asked for, no per-view config, update or replace) gets the policies the settings give, built
    once instead of twice a call, under the parent's rules (a header already set, an exempt response or an excluded
    prefix gets none). Anything else goes to the parent.

    Why: building the two policies (the dataclass copied into a dict, every directive joined) was about a third of
    the lane's middleware time on an exchange page, and ~0.1 ms of every page (#17). A test compares the headers
    with csp's own middleware's."""

    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) is not None for name in _CSP_PER_CALL)
            or (response.status_code in (500, 404) and settings.DEBUG)
        ):
            return super().process_response(request, response)
        for header, policy, exempt, setting in zip(
            (HEADER, HEADER_REPORT_ONLY),
            _settings_policies(),
            ("_csp_exempt", "_csp_exempt_ro"),
            ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
            strict=True,
        ):
            excluded = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
            wanted = policy and header not in response and getattr(response, exempt, False) is False
            if wanted and not request.path_info.startswith(excluded):
                response[header] = policy
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


_CSP_PER_CALL = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


@functools.lru_cache(maxsize=1)
def _settings_policies() -> tuple[str, str]:
    return build_policy(**asdict(PolicyParts())), build_policy(**asdict(PolicyParts()), report_only=True)


@receiver(setting_changed)
def _settings_policies_again(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policies.cache_clear()


def _finish(pending: list) -> None:
    while pending:
        pending.pop(0)()


def _pending_first(pending: list, execute, sql, params, many, context):
    _finish(pending)
    return execute(sql, params, many, context)


@functools.lru_cache(maxsize=256)
def _lane_view(resolver, path: str):
    """(lane_answer, URL kwargs) for a path whose view offers one, else None."""
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    answer = getattr(getattr(match.func, "view_class", None), "lane_answer", None)
    return None if answer is None else (answer, match.kwargs)


def _lane_core(request):
    request.lane_reached_view = True
    answer, kwargs = _lane_view(get_resolver(), request.path_info)
    response = answer(request, **kwargs)
    return _Declined() if response is None else response
