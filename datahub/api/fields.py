"""Reference fields for the API: the choices come from a scoped selector, never the whole table.

Both for safety (a reference outside the requester's scope is refused like a missing one)
and because the browsable API renders the choices as an HTML select.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import scoping
from ..params import INT64_MAX, INT64_MIN, column_range


@extend_schema_field(OpenApiTypes.INT)
class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """``ScopedPrimaryKeyField(lambda user: selectors.rooms_for(user))``: a row id the requester may see."""

    default_error_messages = {
        "does_not_exist": gettext_lazy("编号“{pk_value}”不存在或不在您的管理范围内。"),
        "incorrect_type": gettext_lazy("应填写编号（整数）。"),
    }

    def __init__(self, scoped, **kwargs):
        self.scoped = scoped
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.scoped(request.user if request else None)


def unit_field(roles, **kwargs) -> ScopedPrimaryKeyField:
    """A unit the requester holds one of ``roles`` on (or below)."""
    kwargs.setdefault("error_messages", {"does_not_exist": _("机构“{pk_value}”不存在或不在您的管理范围内。")})
    return ScopedPrimaryKeyField(lambda user: scoping.visible_units(user, roles=roles), **kwargs)


class IntegerField(serializers.IntegerField):
    """A whole number the database can hold. Declare writable integers with this, not DRF's: an
    unbounded one lets 10**20 through to an overflow (a 500). ``column=Model._meta.get_field(...)``
    bounds it by that column on every supported database; otherwise it is a signed 64-bit value."""

    def __init__(self, *, column=None, **kwargs):
        low, high = column_range(column) if column is not None else (INT64_MIN, INT64_MAX)
        kwargs.setdefault("min_value", low)
        kwargs.setdefault("max_value", high)
        super().__init__(**kwargs)


class ChoiceLabel(serializers.CharField):
    """``ChoiceLabel(Status.choices, source="status")``: the label of the row's choice in the reader's language,
    as ``source="get_status_display"`` gives it — without inspecting the method's signature and hashing the
    choices again for every row (a third of a 50-row list's serialising, #17)."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return None if value is None else str(self.labels.get(value, value))
