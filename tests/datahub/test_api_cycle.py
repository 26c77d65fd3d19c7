"""The API's shared request cycle made cheaper without changing an answer (#17): the JSON written by orjson where
its bytes are DRF's, the filter set skipped when the call names none of its parameters, an instant's time zone
looked up once per list."""

import datetime
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import django_filters
import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from rest_framework import renderers, serializers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from datahub.api import filters as api_filters
from datahub.api.renderers import JSONRenderer
from datahub.api.rows import _fast, _Instant
from datahub.models import OrgUnit

UNITS = "/api/v1/org-units/"
SHANGHAI = ZoneInfo("Asia/Shanghai")

TEXT = "".join(chr(c) for c in range(0x3000)) + '\u2028\u2029中文 \U0001f600 "quoted" \\ back'
SAMPLES = [
    None,
    {},
    [],
    {"count": 2, "next": None, "previous": "https://x/?page=1", "results": [{"a": 1, "b": True}, {"a": -5}]},
    {"text": TEXT, "nested": [[[{"k": [TEXT, 0, False]}]]], "tuple": (1, "二")},
    ReturnDict({"a": ReturnList([1, 2], serializer=None)}, serializer=None),
    {"big": 2**63 - 1, "small": -(2**63), "unsigned": 2**64 - 1},
    {"beyond": 2**64, "far": -(2**70)},  # orjson refuses: DRF's renderer writes them
    {"float": 1e-05, "more": [0.1, 1e16, 1.5e-7]},  # orjson writes 1e-05 its own way: DRF's renderer
    {"decimal": Decimal("1.50"), "date": datetime.date(2026, 12, 7)},
    {"lazy": gettext_lazy("请先登录后再查看接口文档。")},
    {"when": datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)},
    {1: "int key", None: "none key"},
    {"sub": type("Str", (str,), {})("a str subclass")},
]


@pytest.mark.parametrize("data", SAMPLES)
@pytest.mark.parametrize("media", [None, "application/json", "application/json; indent=4"])
def test_the_renderer_writes_drfs_bytes(data, media):
    drf = renderers.JSONRenderer().render(data, media, {})
    assert JSONRenderer().render(data, media, {}) == drf
    if media is None:
        assert JSONRenderer().render(data, media, {"indent": 4}) == renderers.JSONRenderer().render(
            data, media, {"indent": 4}
        )


def test_a_value_drfs_renderer_refuses_is_refused_alike():
    for data in ({"nan": float("nan")}, {"surrogate": "\ud800"}):
        with pytest.raises((ValueError, UnicodeEncodeError)) as drf:
            renderers.JSONRenderer().render(data)
        with pytest.raises(drf.type):
            JSONRenderer().render(data)


def test_a_list_answers_the_same_with_and_without_its_filter_set(api, people, tree):
    """``?level=`` names a filter (empty): the filter set runs; without it, it is skipped. Same answer."""
    client = api(people.leader)
    skipped = client.get(UNITS, {"page_size": 3, "ordering": "code"})
    run = client.get(UNITS, {"page_size": 3, "ordering": "code", "level": ""})
    assert skipped.status_code == run.status_code == 200
    # byte for byte, but the links (which repeat the query string)
    assert skipped.content.split(b'"results":')[1] == run.content.split(b'"results":')[1]
    assert skipped.json()["count"] == OrgUnit.objects.count()


def test_a_bad_filter_is_still_a_400_naming_it(api, people):
    response = api(people.leader).get(UNITS, {"within": "abc", "page": 1})
    assert response.status_code == 400
    assert response.json()["fields"]["within"] == ["应填写整数。"]


def test_a_filter_set_is_skipped_only_where_running_it_empty_changes_nothing():
    class Required(api_filters.ScopedFilterSet):
        level = django_filters.CharFilter(required=True)

        class Meta:
            model = OrgUnit
            fields = ["kind"]

    class Defaulted(api_filters.ScopedFilterSet):
        # filters even when not asked: the skip would answer more rows
        active = django_filters.BooleanFilter(method="only_active")

        class Meta:
            model = OrgUnit
            fields = ["kind"]

        def filter_queryset(self, queryset):
            return super().filter_queryset(queryset).filter(is_active=True)

        def only_active(self, qs, name, value):
            return qs

    assert api_filters._idle_names(Required) is None
    assert api_filters._idle_names(Defaulted) is None
    assert set(api_filters._idle_names(api_filters.OrgUnitFilter)) == {
        "within", "level", "kind", "region_code", "is_active", "depth"
    }  # fmt: skip


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/St_Johns"])
def test_an_instant_is_what_the_field_gives(zone):
    field = serializers.DateTimeField()
    values = [
        datetime.datetime(2026, 12, 7, 8, 0, 1, 250, tzinfo=datetime.UTC),
        datetime.datetime(2026, 1, 1, 0, 0, tzinfo=SHANGHAI),
        datetime.datetime(2026, 6, 30, 23, 59, 59),  # naive: through the field
    ]
    with timezone.override(zone):
        fast = _fast(field)
        assert isinstance(fast, _Instant)
        represent = fast.bind()
        assert [represent(v) for v in values] == [field.to_representation(v) for v in values]


def test_a_field_with_its_own_format_or_zone_keeps_its_representation():
    assert _fast(serializers.DateTimeField(format="%Y-%m-%d")) is None
    assert _fast(serializers.DateTimeField(default_timezone=SHANGHAI)) is None
    assert _fast(serializers.DateField(format="%Y年%m月%d日")) is None
    day = datetime.date(2026, 12, 7)
    assert _fast(serializers.DateField())(day) == serializers.DateField().to_representation(day)


def test_an_api_list_body_is_valid_json_with_drfs_escapes(api, people, tree):
    tree.a.name = "换行\u2028分段"
    tree.a.save(update_fields=["name"])
    body = api(people.leader).get(UNITS, {"page_size": 500}).content
    assert b"\\u2028" in body and "\u2028".encode() not in body
    assert any(u["name"] == "换行\u2028分段" for u in json.loads(body)["results"])
