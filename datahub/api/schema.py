"""The OpenAPI description every endpoint gets (``DEFAULT_SCHEMA_CLASS``), so that it says what the
API does without each view repeating it:

- the error answers an operation can give, all with the body of datahub/api/errors.py: 400 (a
  field, a filter or the body refused; a NUL anywhere in the input), 401/403 unless the endpoint
  is public, 404 where the path names a record or a list pages, 409 and 415 for writes, 429 where
  a rate limit applies;
- a read-only value that can be null says so: one read through a relation that may be empty
  (``source="custodian.name"``) or declared with ``default=None``;
- a read-only choice whose column may be blank lists "" among its values.
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny

ERROR = inline_serializer(
    name="Error",
    fields={
        "detail": serializers.CharField(help_text=_("错误说明（中文）")),
        "fields": serializers.DictField(
            child=serializers.JSONField(), help_text=_("字段名 → 该字段的错误说明列表；与具体字段无关时为空对象")
        ),
    },
)

ERRORS = {
    "400": "提交的数据、查询参数或请求体有误（fields 指出字段和原因）",
    "401": "未登录或令牌无效",
    "403": "无权执行此操作或访问此记录",
    "404": "记录不存在或不在您的管理范围内（列表：页码超出范围）",
    "409": "与现有数据冲突（如记录仍被引用、状态已变化）",
    "415": "不支持的请求体类型",
    "429": "请求过于频繁，请稍后再试",
}

WRITES = ("POST", "PUT", "PATCH", "DELETE")


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ERROR, code, direction=direction)
                responses[code]["description"] = ERRORS[code]
        return responses

    def _error_codes(self) -> list[str]:
        codes = ["400"]
        if not all(issubclass(p, AllowAny) for p in self.view.permission_classes):
            codes += ["401", "403"]
        if "{" in self.path or (self.method == "GET" and self._is_list_view() and self._get_paginator()):
            codes.append("404")
        if self.method in WRITES:
            codes += ["409", "415"]
        if self.view.throttle_classes:
            codes.append("429")
        return codes

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if field.read_only and not field.allow_null and _may_be_null(field):
            field.allow_null = True  # a fresh instance, built for the schema only
        if field.read_only and isinstance(field, serializers.ChoiceField) and _column_may_be_blank(field):
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)


def _model_of(field):
    meta = getattr(getattr(field, "parent", None), "Meta", None)
    return getattr(meta, "model", None)


def _may_be_null(field) -> bool:
    if field.default is None:
        return True
    model, path = _model_of(field), list(getattr(field, "source_attrs", []))
    for name in path[:-1]:
        if model is None:
            return False
        try:
            relation = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False  # a property: nothing known
        if relation.null or (relation.one_to_one and relation.auto_created):
            return True
        model = relation.related_model
    return False


def _column_may_be_blank(field) -> bool:
    model, path = _model_of(field), list(getattr(field, "source_attrs", []))
    if model is None or len(path) != 1:
        return False
    try:
        return model._meta.get_field(path[0]).blank
    except FieldDoesNotExist:
        return False
