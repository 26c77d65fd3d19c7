"""The API's JSON renderer: DRF's answer, byte for byte, written by orjson where that gives the same bytes (#17).

For a 50-row list, ``json.dumps`` with DRF's encoder was the largest single step of rendering the response.
orjson writes a str, an int (up to 64 bits), True/False/None, and the lists and objects of those exactly as
``json.dumps(..., ensure_ascii=False, separators=(",", ":"))`` does (the same escapes; everything else as
UTF-8). A float (orjson writes 1e-05 as 0.00001), a decimal, a date, a lazy translation or any other value
goes through DRF's renderer, as does an indented answer (``Accept: application/json; indent=4``, the
browsable API's) or a setting other than the compact, strict, UTF-8 default.
"""

from collections import OrderedDict

import orjson
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

_SCALARS = frozenset({str, int, bool, type(None)})
_DICTS = frozenset({dict, ReturnDict, OrderedDict})
_LISTS = frozenset({list, tuple, ReturnList})


def _plain(value) -> bool:
    """Whether ``value`` holds only what orjson writes as json.dumps does (exact types: a subclass, a float or
    anything else is left to DRF's encoder)."""
    kind = type(value)
    if kind in _DICTS:
        items = value.values()
    elif kind in _LISTS:
        items = value
    else:
        return kind in _SCALARS
    if _SCALARS.issuperset(map(type, items)):  # a row of scalars, checked without a Python step per value
        return True
    for item in items:  # noqa: SIM110 — a loop, not all() over a generator: this runs for every row
        if type(item) not in _SCALARS and not _plain(item):
            return False
    return True


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if (
            data is None
            or not (self.compact and self.strict and not self.ensure_ascii)
            or self.get_indent(accepted_media_type, renderer_context or {}) is not None
        ):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            if not _plain(data):
                return super().render(data, accepted_media_type, renderer_context)
            # A dict key other than a str, an int beyond 64 bits, a lone surrogate, nesting past orjson's
            # limit: orjson refuses (a TypeError), DRF's renderer answers or fails as before.
            text = orjson.dumps(data)
        except (TypeError, RecursionError):
            return super().render(data, accepted_media_type, renderer_context)
        # As DRF: U+2028 and U+2029 escaped, so the answer is also valid JavaScript.
        if b"\xe2\x80\xa8" in text or b"\xe2\x80\xa9" in text:
            text = text.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return text
