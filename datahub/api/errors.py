"""One error body for the whole API: ``{"detail": "...", "fields": {field: [messages]}}``.

Services raise Django's ValidationError / PermissionDenied; a delete blocked by
PROTECT becomes 409 with the reason.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

INVALID = gettext_lazy("提交的数据有误，请按字段提示修改。")


def _fields_from_django(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
    return {"non_field_errors": exc.messages}


def _flatten(detail) -> dict[str, list[str]] | list[str]:
    if isinstance(detail, dict):
        return {k: _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_flatten(v) if isinstance(v, (dict, list)) else str(v) for v in detail]
    return [str(detail)]


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        return Response({"detail": INVALID, "fields": _fields_from_django(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (ProtectedError, RestrictedError)):
        names = "、".join(
            sorted(
                {
                    str(o)
                    for o in list(
                        exc.protected_objects if hasattr(exc, "protected_objects") else exc.restricted_objects
                    )[:5]
                }
            )
        )
        return Response(
            {"detail": _("该记录仍被其他记录引用，不能删除：%(names)s") % {"names": names}, "fields": {}},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        # Django's message is English and names the model ("No OrgUnit matches the given query.").
        exc = exceptions.NotFound(_("未找到该记录：它不存在，或不在您的管理范围内。"))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if isinstance(fields, list):
            fields = {"non_field_errors": fields}
        response.data = {"detail": INVALID, "fields": fields}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {"detail": str(detail), "fields": {}}
    return response
