"""A registered system's later calls with the same token (catalog/exchange_warm.py): the grant is read again in
the page's own statement and compared with what the first call read, the rows' JSON is written in Python. The
answer is the first call's, byte for byte; any change to the grant, token, system or entry is seen on the next
call, with the first call's answer or refusal."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from datahub.catalog import declarations, exchange_warm, selectors, services
from datahub.catalog.declarations import DatasetDeclaration, Item
from datahub.models import Dataset, Grant, TrailRecord, User
from tests.catalog_factories import access_token, build_hub, share
from tests.sharing import shared_fixture

shared_hub, hub = shared_fixture("hub", build_hub)

URL = "/api/exchange/v1/{}/"
pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the later-call statement is PostgreSQL's")


def as_system(application):
    token = access_token(application)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client, token


def kept(token, code) -> bool:
    return (exchange_warm.digest(token), code) in exchange_warm._known


@pg_only
def test_a_later_call_is_the_grant_and_page_in_one_statement_then_the_trail_row(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, row_scope="all")
    client, token = as_system(hub.app_a)
    assert not kept(token, hub.units.code)
    first = client.get(URL.format(hub.units.code), {"page_size": 1000})
    assert kept(token, hub.units.code)
    with CaptureQueriesContext(connection) as queries:
        later = client.get(URL.format(hub.units.code), {"page_size": 1000})
    assert len(queries) == 2, [q["sql"][:80] for q in queries]
    assert "fingerprint" in queries[0]["sql"] and "INSERT INTO" in queries[1]["sql"]
    assert later.content == first.content and later["ETag"] == first["ETag"]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL.format(hub.units.code), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert len(queries) == 2  # the first call's path needs three for a conditional call
    trail = list(TrailRecord.objects.order_by("seq"))
    assert [(r.status, r.rows, r.bytes) for r in trail] == [(200, 5, len(first.content))] * 2 + [(304, 5, 0)]
    assert selectors.verify_trail().ok and selectors.verify_trail(in_database=False).ok


@pytest.fixture
def people_dataset(db):
    declarations.declare(
        DatasetDeclaration(
            key="tests.people_warm",
            code="1-02-001.0002",
            name="测试人员",
            summary="测试",
            model=User,
            items=(
                Item("username", "用户名"),
                Item("name", "姓名", personal=True),
                Item("staffing_seats", "占编"),
                Item("is_active", "在用"),
                Item("date_joined", "入职"),
                Item("org_unit__code", "单位", name="org_unit_code"),
            ),
        )
    )
    services.catalog_sync()
    yield Dataset.objects.get(declaration_key="tests.people_warm")
    declarations.undeclare("tests.people_warm")


@pg_only
@pytest.mark.parametrize(
    ("entry", "grant", "params"),
    [
        ("people", {"row_scope": "all"}, {"page_size": 2}),
        ("people", {"row_scope": "all", "personal_in_full": True}, {"page_size": 3, "items": "name,org_unit_code"}),
        ("people", {}, {"page_size": 1000}),  # the consumer's own subtree, names masked
        ("units", {"row_scope": "all"}, {"page_size": 2, "changed_since": "2000-01-01"}),
        ("units", {"row_scope": "all"}, {"changed_since": "2099-01-01"}),  # an empty page
    ],
)
def test_a_later_call_answers_byte_for_byte_as_the_first(hub, tree, people_dataset, entry, grant, params):
    """Text (Chinese), a masked personal value, integers, booleans, datetimes, a value across a relation, nulls:
    the rows written in Python are the bytes the first call's statement wrote in PostgreSQL, page after page."""
    dataset = people_dataset if entry == "people" else hub.units
    share(dataset, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, **grant)
    pages, sizes = 0, []
    while True:
        client, token = as_system(hub.app_a)  # a new token: its first call takes the first call's path
        first = client.get(URL.format(dataset.code), params)
        later = client.get(URL.format(dataset.code), params)
        assert kept(token, dataset.code)
        assert first.status_code == later.status_code == 200
        assert later.content == first.content and later["ETag"] == first["ETag"]
        assert sorted(later.items()) == sorted(first.items())
        pages += 1
        sizes.append(len(later.content))
        cursor = first.json()["next_cursor"]
        if not cursor:
            break
        params = {**params, "cursor": cursor}
    trail = list(TrailRecord.objects.order_by("seq"))
    assert len(trail) == 2 * pages
    assert [(r.rows, r.bytes) for r in trail[0::2]] == [(r.rows, r.bytes) for r in trail[1::2]]
    # A later call's row is sent before its body is assembled: its size is counted ahead, and must be the body's.
    assert [r.bytes for r in trail[1::2]] == sizes
    assert selectors.verify_trail().ok


@pg_only
def test_a_change_to_the_grant_is_answered_by_the_next_call(hub, tree):
    grant = share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, row_scope="all")
    client, _token = as_system(hub.app_a)
    assert len(client.get(URL.format(hub.units.code)).json()["items"]) == 8
    client.get(URL.format(hub.units.code))
    Grant.objects.filter(pk=grant.pk).update(items=["code"], row_scope="own")
    body = client.get(URL.format(hub.units.code)).json()
    assert body["items"] == ["code"] and sorted(r["code"] for r in body["results"]) == ["A", "A1"]


@pg_only
def test_a_newer_grant_is_the_one_the_next_call_uses(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, row_scope="all")
    client, _token = as_system(hub.app_a)
    client.get(URL.format(hub.units.code))
    client.get(URL.format(hub.units.code))
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, items=["name"])
    assert client.get(URL.format(hub.units.code)).json()["items"] == ["name"]


@pg_only
@pytest.mark.parametrize("change", ["revoke", "expire", "withdraw"])
def test_a_later_call_after_a_change_is_refused_as_the_first_call_would_be(hub, tree, change):
    grant = share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a)
    client, token = as_system(hub.app_a)
    client.get(URL.format(hub.units.code))
    assert client.get(URL.format(hub.units.code)).status_code == 200 and kept(token, hub.units.code)
    today = timezone.localdate()
    if change == "revoke":
        services.grant_revoke(actor=hub.hub, grant=grant, reason="用途已结束")
        expected = (403, {"detail": "您对该资源的授权已被撤销。", "fields": {}})
    elif change == "expire":
        Grant.objects.filter(pk=grant.pk).update(valid_from=today - timedelta(days=9), valid_to=today - timedelta(1))
        expected = (403, {"detail": f"您对该资源的授权已于 {today - timedelta(1):%Y-%m-%d} 到期。", "fields": {}})
    else:
        Dataset.objects.filter(pk=hub.units.pk).update(status="retired")
        expected = (404, {"detail": "目录中没有该资源，或它未发布。", "fields": {}})
    response = client.get(URL.format(hub.units.code))
    assert (response.status_code, response.json()) == expected
    assert not kept(token, hub.units.code)
    assert [r.status for r in TrailRecord.objects.order_by("seq")] == [200, 200, expected[0]]
    assert selectors.verify_trail().ok
