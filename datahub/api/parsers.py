"""The JSON parser every API view uses: a body is a JSON object, ``{"field": value, ...}``.

Views read ``request.data.get(...)``; a body that is a JSON array, string or number would reach
them as a list or a str and end in an AttributeError (a 500). Refusing it here, once, is a 400
with the standard error body for every endpoint. An endpoint that takes a bare array on purpose
(a terminal's batch of positions) says so with ``accepts_json_array = True`` on the view.
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class ObjectJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type=media_type, parser_context=parser_context)
        if isinstance(data, dict):
            return data
        view = (parser_context or {}).get("view")
        if isinstance(data, list) and getattr(view, "accepts_json_array", False):
            return data
        raise ParseError(_('请求体应为 JSON 对象（{"字段": 值, …}），不能是数组、字符串或数字。'))
