"""The exchange API's view: ``GET /api/exchange/v1/<entry code>/``.

A registered system's call that holds is answered by the fast path (``_fast_answer``: ``exchange.page`` for a
token's first call on an entry, ``exchange_warm`` for its later calls); anything else takes DRF's full path,
which refuses with the reason and records it in the trail. The view lives apart from ``exchange`` (the page
itself) so that ``exchange_warm``, which builds on the page's SQL, is imported by the view and not by the page."""

import time

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from ..auth.authentication import ExpiringTokenAuthentication
from . import exchange_warm, selectors, services
from .exchange import (
    ALLOW,
    DEFAULT_PAGE_SIZE,
    EXCHANGE_PAGE,
    MAX_PAGE_SIZE,
    PARAMS,
    CSVRenderer,
    PersonOrSystem,
    _with,
    page,
)


class ExchangeView(APIView):
    authentication_classes = [OAuth2Authentication, ExpiringTokenAuthentication, SessionAuthentication]
    permission_classes = [PersonOrSystem]
    renderer_classes = [JSONRenderer, CSVRenderer]

    def dispatch(self, request, *args, **kwargs):
        # A registered system's call that holds (live token, active system, published entry, live grant, valid
        # parameters) is answered here, without DRF's request wrapping and the OAuth2 toolkit's validation;
        # anything else (a refusal, CSV, a person) takes the full path below, which says why and records it.
        if not getattr(request, "lane_declined", False):
            fast = _fast_answer(request, kwargs.get("code", ""))
            if fast is not None:
                return fast
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def lane_answer(request, code):
        """The answer for datahub.middleware.BearerApiLaneMiddleware (a bearer-token GET without a session): the
        fast path's, or None to send the call down the full middleware chain and this view's full path."""
        return _fast_answer(request, code)

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors always carry the JSON error body, whatever format the page was asked in.
        if response.status_code >= 400:
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        summary="数据共享交换：按授权获取资源数据",
        operation_id="exchange_dataset_retrieve",
        tags=["exchange"],
        parameters=[
            OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, description="资源代码，如 3-01-001.0001"),
            OpenApiParameter("cursor", OpenApiTypes.STR, description="上一页返回的 next_cursor"),
            OpenApiParameter(
                "page_size", OpenApiTypes.INT, description=f"每页行数，1–{MAX_PAGE_SIZE}，默认 {DEFAULT_PAGE_SIZE}"
            ),
            OpenApiParameter("changed_since", OpenApiTypes.STR, description="只返回此时间之后变更的行（ISO 8601）"),
            OpenApiParameter("items", OpenApiTypes.STR, description="信息项，逗号分隔；默认为授权的全部信息项"),
            OpenApiParameter("If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, description="上次响应的 ETag"),
        ],
        responses={200: EXCHANGE_PAGE, 304: OpenApiResponse(description="数据未变化（ETag 相同）")},
    )
    def get(self, request, code):
        started = time.monotonic()
        application = getattr(request.auth, "application", None)
        user = request.user if application is None else None
        caller_unit = getattr(user, "org_unit", None) if user is not None else None
        trail = {
            "caller_user": user,
            "caller_app": application,
            "caller_unit": caller_unit,
            "dataset_code": code,
            "filter": request.META.get("QUERY_STRING", ""),
        }
        try:
            response, facts = self._answer(request, code, user=user, application=application)
        except (ValidationError, PermissionDenied, NotFound) as exc:
            facts = getattr(exc, "facts", {})
            services.trail_append(
                status=exc.status_code, duration_ms=int((time.monotonic() - started) * 1000), **{**trail, **facts}
            )
            raise
        services.trail_append(
            status=response.status_code, duration_ms=int((time.monotonic() - started) * 1000), **{**trail, **facts}
        )
        return response

    def _answer(self, request, code, *, user, application):
        dataset = selectors.published_dataset(code)
        if dataset is None:
            raise NotFound(_("目录中没有该资源，或它未发布。"))
        facts = {"dataset": dataset}
        decl = selectors.declaration_of(dataset)
        if decl is None:
            raise _with(NotFound(_("该资源为外部资源，不经交换接口提供，请按目录中的在线资源地址获取。")), facts)
        unknown = set(request.query_params) - PARAMS
        if unknown:
            raise _with(ValidationError({k: [_("不支持的查询参数。")] for k in sorted(unknown)}), facts)
        grant = selectors.live_grant(dataset, user=user, application=application)
        if grant is None:
            last = selectors.last_grant(dataset, user=user, application=application)
            if last is None:
                reason = _("您没有该资源的共享授权，请先提交共享申请。")
            elif last.revoked_at is not None:
                reason = _("您对该资源的授权已被撤销。")
            elif last.valid_to < timezone.localdate():
                reason = _("您对该资源的授权已于 %(valid_to)s 到期。") % {"valid_to": f"{last.valid_to:%Y-%m-%d}"}
            else:
                reason = _("您对该资源的授权自 %(valid_from)s 起生效。") % {"valid_from": f"{last.valid_from:%Y-%m-%d}"}
            raise _with(PermissionDenied(reason), facts)
        as_json = getattr(request.accepted_renderer, "format", "json") == "json"
        return page(request.query_params, request.headers.get("If-None-Match"), dataset, decl, grant, as_json=as_json)


def _bearer(request) -> str | None:
    parts = request.META.get("HTTP_AUTHORIZATION", "").split()
    if len(parts) != 2 or parts[0].lower() != "bearer" or not parts[1].isascii():
        return None
    return parts[1]


def _fast_answer(request, code: str):
    """The exchange's common case in two statements on PostgreSQL. A token's first call on an entry: the token,
    system, entry and grant in one query; the page, read and written as JSON by the database, and the trail row,
    in one statement (three with If-None-Match: the page, then the trail row once the ETag says 200 or 304). Its
    later calls (exchange_warm): the grant read again and the page in one statement, then the trail row. Only a
    system's client-credentials token asking for JSON, and only when everything holds: None sends the call down
    the full path, which refuses with the reason. Revoking a grant, suspending the system, revoking or expiring
    the token, or withdrawing the entry is seen by the first statement of the next call: what a first call learned
    is kept, but never trusted without the database's word in the same call."""
    if request.method != "GET" or request.GET.get("format", "json") != "json":
        return None
    accept = request.META.get("HTTP_ACCEPT", "")
    if accept and not accept.startswith(("application/json", "*/*")):
        return None
    token = _bearer(request)
    if token is None:
        return None
    started = time.monotonic()
    token_digest = exchange_warm.digest(token)
    warm = exchange_warm.answer(request, code, token_digest, started)
    if warm is not None:
        return warm
    grant = selectors.system_grant_for_token(token=token, code=code)
    decl = selectors.declaration_of(grant.dataset) if grant is not None else None
    if decl is None:
        return None
    caller = {"caller_app": grant.application, "dataset_code": code, "filter": request.META.get("QUERY_STRING", "")}
    try:
        response, facts = page(
            request.GET,
            request.headers.get("If-None-Match"),
            grant.dataset,
            decl,
            grant,
            trail={**caller, "started": started},
        )
    except (ValidationError, PermissionDenied, NotFound):
        return None
    if not facts.pop("appended", False):
        services.trail_append(
            status=response.status_code, duration_ms=int((time.monotonic() - started) * 1000), **caller, **facts
        )
    response["Allow"] = ALLOW
    response["Vary"] = "Accept"
    exchange_warm.remember(token_digest, code, grant, decl)
    return response
