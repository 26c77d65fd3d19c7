"""On PostgreSQL the database writes an exchange page's JSON and, in the same statement, the call's trail row.
What a consumer receives must be byte for byte what the Python encoder writes for the same rows (every data type
a dataset declares: decimals, dates, datetimes, nulls, Chinese and control characters, masked personal values),
and the trail row must record exactly the rows and bytes that were sent, chained as any other row."""

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.models import Value
from django.db.models.functions import Cast
from django.utils import timezone
from rest_framework.test import APIClient

from datahub.catalog import exchange, exchange_json, rules, selectors
from datahub.models import OrgUnit, TrailRecord
from tests.catalog_factories import access_token, build_hub, share
from tests.sharing import shared_fixture

shared_hub, hub = shared_fixture("hub", build_hub)

URL = "/api/exchange/v1/{}/"
pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL-built page is PostgreSQL's")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def encoded(value) -> str:
    return json.dumps({"v": value}, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


CASES = [
    (models.DecimalField(max_digits=14, decimal_places=2), Decimal("12.50")),
    (models.DecimalField(max_digits=14, decimal_places=2), Decimal("-3.10")),
    (models.DecimalField(max_digits=14, decimal_places=4), Decimal("0.0000")),
    (models.DecimalField(max_digits=20, decimal_places=6), Decimal("0.000001")),
    (models.DecimalField(max_digits=20, decimal_places=3), Decimal("123456789012345.678")),
    (models.DecimalField(max_digits=14, decimal_places=2), None),
    (models.DateField(), date(2026, 12, 7)),
    (models.DateField(), date(999, 1, 2)),
    (models.DateField(), None),
    (models.DateTimeField(), datetime(2026, 12, 7, 8, 30, 15, 123456, tzinfo=SHANGHAI)),
    (models.DateTimeField(), datetime(2026, 12, 7, 0, 0, 0, tzinfo=SHANGHAI)),  # the previous day in UTC
    (models.DateTimeField(), datetime(2026, 1, 1, 7, 59, 59, 500, tzinfo=SHANGHAI)),  # µs below a millisecond
    (models.DateTimeField(), datetime(2026, 6, 30, 23, 59, 59, 999999, tzinfo=SHANGHAI)),
    (models.DateTimeField(), None),
    (models.CharField(max_length=200), "浙江省机关事务管理局"),
    (models.CharField(max_length=200), 'q"uote\\back\nline\ttab\x01ctl\x1f 😀 \u2028 \x7f'),
    (models.CharField(max_length=200), ""),
    (models.CharField(max_length=200), None),
    (models.TextField(), "多行\r\n文本"),
    (models.IntegerField(), 0),
    (models.IntegerField(), -5),
    (models.BigIntegerField(), 2**53 + 1),
    (models.PositiveSmallIntegerField(), None),
    (models.BooleanField(), True),
    (models.BooleanField(), False),
    (models.BooleanField(null=True), None),
]


def one_row(field, value):
    root = OrgUnit.objects.get_root_nodes().first()
    return (
        OrgUnit.objects.filter(pk=root.pk)
        .annotate(v=Cast(Value(value, output_field=field), output_field=field))
        .values_list("pk", "v")
    )


def sql_json(query, field, *, masked=False) -> str:
    sql, params = exchange_json.page_sql(query, exchange_json.row_object_sql([("v", field, masked)]), 2, 10)
    count, _, body = exchange_json.fetch(sql, params)
    assert count == 1
    return body


@pytest.mark.parametrize(
    ("field", "value"), CASES, ids=lambda c: type(c).__name__ if isinstance(c, models.Field) else repr(c)
)
def test_the_database_writes_each_type_as_the_python_encoder_does(hub, field, value):
    query = one_row(field, value)
    from_python = encoded(next(iter(query))[1])  # what the Python path would send: the ORM's value, encoded
    assert sql_json(query, field) == from_python


@pytest.mark.parametrize("value", ["张三", "A", "欧阳娜娜", "", None])
def test_a_masked_personal_value_is_masked_as_the_python_path_masks_it(hub, value):
    field = models.CharField(max_length=50)
    query = one_row(field, value)
    assert sql_json(query, field, masked=True) == encoded(rules.mask(next(iter(query))[1]))


@pytest.mark.parametrize(
    "field", [models.FloatField(), models.JSONField(), models.DecimalField(max_digits=20, decimal_places=8)]
)
def test_types_the_database_cannot_write_identically_stay_with_python(field):
    assert exchange_json.row_object_sql([("v", field, False)]) is None


def test_a_masked_item_that_is_not_text_stays_with_python():
    assert exchange_json.row_object_sql([("v", models.IntegerField(), True)]) is None


def as_system(application, **headers):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token(application)}", **headers)
    return client


def test_a_whole_page_is_the_python_serialisation_of_its_rows(hub, tree):
    """The units dataset (text, integers, booleans, nulls): the response is the encoder's output for the rows the
    ORM reads under the grant, cursor and all."""
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, row_scope="all")
    response = as_system(hub.app_a).get(URL.format(hub.units.code), {"page_size": 3})
    body = response.json()
    decl = selectors.declaration_of(hub.units)
    lookups = decl.lookups()
    rows = decl.rows().order_by("pk").values_list(*(lookups[i] for i in body["items"]))[:3]
    expected = {
        "dataset": hub.units.code,
        "version": hub.units.version,
        "items": body["items"],
        "next_cursor": body["next_cursor"],
        "results": [dict(zip(body["items"], row, strict=True)) for row in rows],
    }
    assert body["next_cursor"] is not None
    assert response.content == exchange._dumps(expected).encode()


def test_the_trail_row_written_with_the_page_records_what_was_sent(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, row_scope="all")
    client, params, sent = as_system(hub.app_a), {"page_size": 2}, []
    while True:
        response = client.get(URL.format(hub.units.code), params)
        body = response.json()
        sent.append((200, len(body["results"]), len(response.content)))
        if not body["next_cursor"]:
            break
        params = {"page_size": 2, "cursor": body["next_cursor"]}
    trail = list(TrailRecord.objects.order_by("seq"))
    assert (
        [(r.status, r.rows, r.bytes) for r in trail]
        == sent
        == [(200, 2, sent[0][2]), (200, 2, sent[1][2]), (200, 1, sent[2][2])]
    )
    assert all(r.caller_app_id == hub.app_a.pk and r.dataset_id == hub.units.pk and r.duration_ms >= 0 for r in trail)
    assert trail[1].filter.startswith("page_size=2&cursor=")
    assert selectors.verify_trail().ok and selectors.verify_trail(in_database=False).ok


def test_an_empty_page_is_recorded_with_no_rows(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, row_scope="all")
    later = (timezone.now() + timedelta(days=3650)).isoformat()
    response = as_system(hub.app_a).get(URL.format(hub.units.code), {"changed_since": later})
    assert response.status_code == 200 and response.json()["results"] == []
    record = TrailRecord.objects.get()
    assert (record.rows, record.bytes) == (0, len(response.content))


def test_the_cursor_length_table_matches_signed_cursors_of_every_size():
    lengths = exchange._cursor_lengths("1-01-001.0001")
    signer = exchange.signing.Signer(salt=exchange._cursor_salt("1-01-001.0001"))
    for key in (1, 9, 10, 99_999, 123_456_789, 2**31, 2**63 - 1):
        cursor_json = json.dumps(signer.sign_object({"after": key}))
        assert len(cursor_json.encode()) == lengths[len(str(key)) - 1], key
