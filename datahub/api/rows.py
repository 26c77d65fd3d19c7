"""A list endpoint's page read as ``values()`` and shaped as its serializer shapes a row (#17).

DRF's ModelSerializer builds the model instances of each row and its related rows, then walks every field's
``get_attribute`` / ``to_representation`` for each row: for a 50-row page that was more than half of the
request's CPU. ``ValuesList`` keeps the serializer as the declaration of the answer (the schema, the detail
and write actions use it unchanged) and reads the list's page as ``values()`` of the columns its readable fields
name: ``source="org_unit.name"`` is the column ``org_unit__name``, a related field's id its column. A field whose
value is not a column (a property, a method field) is given by ``computed`` (a function of the row) or by
``sources`` (the column to read instead, e.g. ``purchase_price`` → ``asset__original_value``).

The JSON is the serializer's: each value goes through the field's own ``to_representation`` (dates in the
reader's time zone, decimals as strings), except for the field kinds whose representation of a column's value is
the value itself (text, integers, booleans, choices) and related ids. A value reached through a nullable relation
is None only when the relation is empty (the columns read that way are NOT NULL): then the field gives its
default, null, or is left out, as DRF does for a missing related row.
"""

from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

from django.conf import settings
from django.core.paginator import Paginator
from django.utils import timezone
from rest_framework import fields as drf_fields
from rest_framework import serializers
from rest_framework.relations import RelatedField
from rest_framework.response import Response
from rest_framework.settings import ISO_8601, api_settings

from .fields import ChoiceLabel

# Field kinds whose to_representation of a database column's value returns the value unchanged.
_AS_IS = {
    drf_fields.CharField.to_representation,
    drf_fields.IntegerField.to_representation,
    drf_fields.BooleanField.to_representation,
    drf_fields.ChoiceField.to_representation,
}
_SKIP = object()


class _Instant:
    """The representation of a ``DateTimeField`` as DRF writes it by default (ISO 8601 in the active time zone,
    ``Z`` for UTC), with the time zone looked up once per list instead of once per value: for a 50-row page of
    three instants that lookup was more than half of shaping the rows (#17). Anything else (a naive value, a year
    the time zone cannot hold) goes through the field itself, which answers or fails as before."""

    def __init__(self, field):
        self.field = field

    def bind(self):
        zone = timezone.get_current_timezone()
        field = self.field

        def represent(value):
            if value.tzinfo is None or value.utcoffset() is None:
                return field.to_representation(value)
            try:
                text = value.astimezone(zone).isoformat()
            except OverflowError:
                return field.to_representation(value)
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return represent


def _fast(field):
    """The field's representation of a column's value without DRF's per-value lookups, where it is the default
    one: ``_Instant`` for a DateTimeField in ISO 8601 without a time zone of its own, ``date.isoformat`` for a
    DateField in ISO 8601. None where the field's own to_representation must be used."""
    kind = type(field)
    if (
        isinstance(field, drf_fields.DateTimeField)
        and settings.USE_TZ
        and kind.to_representation is drf_fields.DateTimeField.to_representation
        and kind.enforce_timezone is drf_fields.DateTimeField.enforce_timezone
        and kind.default_timezone is drf_fields.DateTimeField.default_timezone
        and not hasattr(field, "timezone")
        and str(getattr(field, "format", api_settings.DATETIME_FORMAT)).lower() == ISO_8601
    ):
        return _Instant(field)
    if (
        isinstance(field, drf_fields.DateField)
        and kind.to_representation is drf_fields.DateField.to_representation
        and str(getattr(field, "format", api_settings.DATE_FORMAT)).lower() == ISO_8601
    ):
        return _date_iso
    return None


def _date_iso(value):
    # DateField.to_representation of a date read from a DateField column (never a datetime, never a str).
    return value.isoformat()


class RowShape:
    """How one serializer's readable fields are read from a ``values()`` row: built once per class."""

    def __init__(
        self,
        serializer_class: type[serializers.Serializer],
        *,
        sources: dict[str, str] | None = None,
        computed: dict[str, tuple[tuple[str, ...], Callable[[dict], Any]]] | None = None,
        labels: dict[str, tuple[str, Callable[[Any], Any]]] | None = None,
    ):
        # ``computed``: field name → (the columns the function reads, the function of the row).
        # ``labels``: field name → (a column, the label of its value): translated once per value and list.
        self.serializer_class = serializer_class
        self.sources = sources or {}
        self.computed = computed or {}
        self.labels = labels or {}
        self._plan: tuple[tuple[str, ...], list] | None = None

    def plan(self) -> tuple[tuple[str, ...], list]:
        """The columns to read and, per output field, how to get its value. The fields are those of an unbound
        serializer: the representation of a column's value does not depend on the request (dates are put in the
        time zone active when they are represented, labels in the active language)."""
        if self._plan is None:
            columns: dict[str, None] = {}
            steps = []
            for name, field in self.serializer_class().fields.items():
                if field.write_only:
                    continue
                if name in self.computed:
                    needs, function = self.computed[name]
                    columns.update(dict.fromkeys(needs))
                    steps.append((name, None, function, None, False))
                    continue
                if name in self.labels:
                    key, label = self.labels[name]
                    columns[key] = None
                    steps.append((name, key, label, None, True))
                    continue
                if isinstance(field, serializers.SerializerMethodField):
                    raise TypeError(f"{self.serializer_class.__name__}.{name}: a method field needs ``computed``")
                key = self.sources.get(name) or "__".join(field.source_attrs)
                columns[key] = None
                related = isinstance(field, RelatedField)
                if related or type(field).to_representation in _AS_IS:
                    represent = None
                else:
                    represent = _fast(field) or field.to_representation
                through = "__" in key
                steps.append(
                    (name, key, represent, _missing(field) if through else None, isinstance(field, ChoiceLabel))
                )
            self._plan = (tuple(columns), steps)
        return self._plan

    def rows(self, rows) -> list[dict]:
        _, steps = self.plan()
        # An instant's representation bound to the time zone active now (the reader's), once per list.
        steps = [
            (name, key, represent.bind() if isinstance(represent, _Instant) else represent, missing, by_value)
            for name, key, represent, missing, by_value in steps
        ]
        # A label's text per value, for this list (the active language's).
        memos = {name: {} for name, _, _, _, by_value in steps if by_value}
        shaped = []
        for row in rows:
            out = {}
            for name, key, represent, missing, by_value in steps:
                if key is None:
                    out[name] = represent(row)
                    continue
                value = row[key]
                if by_value:
                    memo = memos[name]
                    if value not in memo:
                        label = represent(value)
                        memo[value] = None if label is None else str(label)
                    out[name] = memo[value]
                elif value is None:
                    if missing is _SKIP:
                        continue
                    out[name] = missing
                else:
                    out[name] = represent(value) if represent is not None else value
            shaped.append(out)
        return shaped


def _missing(field) -> Any:
    """What DRF gives for a field whose related row is missing: its default, null, or nothing (left out)."""
    if field.default is not drf_fields.empty:
        return field.get_default()
    if field.allow_null:
        return None
    return _SKIP if not field.required else None


class _ValuesPaginator(Paginator):
    """Counts the filtered queryset as it is (no joins for the shown columns in the count) and reads only the
    page's rows, as ``values()`` of ``columns``."""

    def __init__(self, object_list, per_page, *args, columns: tuple[str, ...] = (), **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.columns = columns

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(object_list.values(*self.columns), number, paginator)


class ValuesList:
    """A viewset's ``list`` over ``values()`` rows shaped by ``row_shape`` (the same filters, ordering, search
    and pagination as before; the queryset's scope is the viewset's own)."""

    row_shape: ClassVar[RowShape]

    def list(self, request, *args, **kwargs):
        columns, _ = self.row_shape.plan()
        queryset = self.filter_queryset(self.get_queryset())
        if self.paginator is None:
            return Response(self.row_shape.rows(queryset.values(*columns)))
        self.paginator.django_paginator_class = partial(_ValuesPaginator, columns=columns)
        page = self.paginate_queryset(queryset)
        if page is None:  # no page size: the whole list
            return Response(self.row_shape.rows(queryset.values(*columns)))
        return self.get_paginated_response(self.row_shape.rows(page))

    def list_read(self, source):
        """The paged list from ``source``, which a ``Paginator`` pages through and whose slices are already the
        ``values()`` rows of the shape's columns (a ``datahub.compiled.PagedStatement``), for a list whose
        filters, search and ordering the request does not use."""
        self.paginator.django_paginator_class = Paginator
        return self.get_paginated_response(self.row_shape.rows(self.paginate_queryset(source)))
