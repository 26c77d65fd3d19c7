"""The exchange API: only granted items and rows, keyset pages, incremental sync, ETags; refusals say why and
leak nothing; every call leaves one trail row."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from datahub.auth.services import issue_api_token
from datahub.catalog import declarations, selectors, services
from datahub.catalog.declarations import DatasetDeclaration, Item
from datahub.models import Dataset, TrailRecord, User
from tests.catalog_factories import access_token, build_hub, share, system
from tests.sharing import shared_fixture

shared_hub, hub = shared_fixture("hub", build_hub)

URL = "/api/exchange/v1/{}/"


def as_system(application):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token(application)}")
    return client


def as_person(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(user=user)[1]}")
    return client


def test_system_gets_only_the_granted_items_of_its_own_unit_subtree(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, items=["code", "name"])
    response = as_system(hub.app_a).get(URL.format(hub.units.code))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["items"] == ["code", "name"]
    assert sorted(r["code"] for r in body["results"]) == ["A", "A1"]
    assert all(set(r) == {"code", "name"} for r in body["results"])
    assert body["next_cursor"] is None


def test_person_with_a_grant_on_a_named_subtree_gets_those_rows(hub, tree):
    share(
        hub.units,
        actor=hub.hub,
        consumer_unit=tree.a,
        user=hub.clerk_a1,
        row_scope="unit",
        row_unit=tree.b,
        items=["code"],
    )
    response = as_person(hub.clerk_a1).get(URL.format(hub.units.code))
    assert response.status_code == 200
    assert sorted(r["code"] for r in response.json()["results"]) == ["B", "B1"]


def test_grant_on_all_rows_returns_every_row(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, row_scope="all", items=["code"])
    codes = [r["code"] for r in as_system(hub.app_a).get(URL.format(hub.units.code)).json()["results"]]
    assert sorted(codes) == ["A", "A1", "B", "B1", "R"]


def test_call_without_a_grant_is_refused_with_the_reason_and_no_count(hub):
    response = as_system(hub.app_a).get(URL.format(hub.units.code))
    assert response.status_code == 403
    assert response.json() == {"detail": "您没有该资源的共享授权，请先提交共享申请。", "fields": {}}


def test_revoked_grant_is_refused_on_the_next_call(hub, tree):
    grant = share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a)
    client = as_system(hub.app_a)
    assert client.get(URL.format(hub.units.code)).status_code == 200
    services.grant_revoke(actor=hub.hub, grant=grant, reason="用途已结束")
    response = client.get(URL.format(hub.units.code))
    assert response.status_code == 403
    assert "已被撤销" in response.json()["detail"]


def test_expired_grant_is_refused_with_its_end_date(hub, tree):
    today = timezone.localdate()
    share(
        hub.units,
        actor=hub.hub,
        consumer_unit=tree.a,
        application=hub.app_a,
        valid_from=today - timedelta(days=30),
        valid_to=today - timedelta(days=1),
    )
    response = as_system(hub.app_a).get(URL.format(hub.units.code))
    assert response.status_code == 403
    assert "到期" in response.json()["detail"]


def test_another_systems_grant_does_not_open_the_door(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a)
    other = system(hub.admin_b, name="乙厅系统")
    assert as_system(other).get(URL.format(hub.units.code)).status_code == 403


def test_items_outside_the_grant_are_refused(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, items=["code"])
    response = as_system(hub.app_a).get(URL.format(hub.units.code), {"items": "code,uscc"})
    assert response.status_code == 403
    assert "uscc" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "field", "says"),
    [
        ({"items": "code,nonsense"}, "items", "没有这些信息项"),
        ({"cursor": "not-a-cursor"}, "cursor", "游标无效"),
        ({"changed_since": "yesterday"}, "changed_since", "ISO 8601"),
        ({"changed_since": "2026-02-30"}, "changed_since", "ISO 8601"),
        ({"page_size": "0"}, "page_size", "1 到 1000"),
        ({"page_size": "abc"}, "page_size", "1 到 1000"),
        ({"offset": "10"}, "offset", "不支持"),
    ],
)
def test_bad_parameter_gets_a_400_naming_the_field_and_writes_only_its_trail_row(hub, tree, params, field, says):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a)
    grants_before = hub.units.grants.count()
    response = as_system(hub.app_a).get(URL.format(hub.units.code), params)
    assert response.status_code == 400
    assert says in response.json()["fields"][field][0]
    assert hub.units.grants.count() == grants_before
    assert TrailRecord.objects.get().status == 400


def test_a_cursor_from_another_entry_is_refused(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, row_scope="all")
    client = as_system(hub.app_a)
    cursor = client.get(URL.format(hub.units.code), {"page_size": 1}).json()["next_cursor"]
    other = Dataset.objects.get(declaration_key="vehicles.ledger")
    share(other, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a)
    assert client.get(URL.format(other.code), {"cursor": cursor}).status_code == 400


def test_unknown_entry_is_a_404(hub):
    assert as_system(hub.app_a).get(URL.format("3-99-999.9999")).status_code == 404


def test_keyset_pages_cover_every_row_once_without_offset(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, row_scope="all", items=["code"])
    client, seen, params = as_system(hub.app_a), [], {"page_size": 2}
    with CaptureQueriesContext(connection) as queries:
        while True:
            body = client.get(URL.format(hub.units.code), params).json()
            seen += [r["code"] for r in body["results"]]
            if not body["next_cursor"]:
                break
            params = {"page_size": 2, "cursor": body["next_cursor"]}
    assert sorted(seen) == ["A", "A1", "B", "B1", "R"]
    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)


def test_changed_since_returns_only_rows_changed_after_it(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, row_scope="all", items=["code"])
    mark = timezone.now()
    tree.b.name = "乙厅（改）"
    tree.b.save()
    response = as_system(hub.app_a).get(URL.format(hub.units.code), {"changed_since": mark.isoformat()})
    assert [r["code"] for r in response.json()["results"]] == ["B"]


def test_same_data_answers_304_to_its_etag(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a)
    client = as_system(hub.app_a)
    etag = client.get(URL.format(hub.units.code))["ETag"]
    again = client.get(URL.format(hub.units.code), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert TrailRecord.objects.order_by("seq").last().status == 304


def test_csv_has_the_granted_items_as_header(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, items=["code", "name"])
    response = as_system(hub.app_a).get(URL.format(hub.units.code), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "code,name" and sorted(lines[1:]) == ["A,甲厅", "A1,甲厅办公室"]


def test_refusal_in_csv_still_has_the_json_error_body(hub):
    response = as_system(hub.app_a).get(URL.format(hub.units.code), {"format": "csv"})
    assert response.status_code == 403
    assert response.json()["detail"].startswith("您没有")


@pytest.fixture
def people_dataset(db):
    declarations.declare(
        DatasetDeclaration(
            key="tests.people",
            code="1-02-001.0001",
            name="测试人员",
            summary="测试",
            model=User,
            items=(Item("username", "用户名"), Item("name", "姓名", personal=True)),
        )
    )
    yield
    declarations.undeclare("tests.people")


def test_personal_items_are_masked_unless_the_grant_says_in_full(hub, tree, people_dataset):
    services.catalog_sync()
    dataset = Dataset.objects.get(declaration_key="tests.people")
    grant = share(dataset, actor=hub.hub, consumer_unit=tree.a1, application=hub.app_a)
    rows = as_system(hub.app_a).get(URL.format(dataset.code)).json()["results"]
    clerk = next(r for r in rows if r["username"] == "clerk_a1")
    assert clerk["name"] == hub.clerk_a1.name[0] + "*" * (len(hub.clerk_a1.name) - 1)
    services.grant_revoke(actor=hub.hub, grant=grant, reason="换授权")
    share(dataset, actor=hub.hub, consumer_unit=tree.a1, application=hub.app_a, personal_in_full=True)
    rows = as_system(hub.app_a).get(URL.format(dataset.code)).json()["results"]
    assert next(r for r in rows if r["username"] == "clerk_a1")["name"] == hub.clerk_a1.name


def test_anonymous_call_is_a_401(hub):
    assert APIClient().get(URL.format(hub.units.code)).status_code == 401


def test_exchange_page_runs_a_fixed_number_of_queries_whatever_its_size(hub, tree, django_assert_max_num_queries):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, row_scope="all")
    client = as_system(hub.app_a)
    # The token, system, entry and grant in one query; the page; the trail row (one statement on PostgreSQL,
    # its own transaction on SQLite): test_catalog_exchange_fast.py pins the exact count per database.
    with django_assert_max_num_queries(7):
        assert len(client.get(URL.format(hub.units.code), {"page_size": 1}).json()["results"]) == 1
    with django_assert_max_num_queries(7):
        assert len(client.get(URL.format(hub.units.code), {"page_size": 1000}).json()["results"]) == 5


def test_every_call_refused_or_not_leaves_one_chained_trail_row(hub, tree):
    client = as_system(hub.app_a)
    client.get(URL.format(hub.units.code))  # refused: no grant
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, items=["code"])
    client.get(URL.format(hub.units.code), {"items": "code"})
    rows = list(TrailRecord.objects.order_by("seq"))
    assert [(r.seq, r.status, r.rows) for r in rows] == [(1, 403, 0), (2, 200, 2)]
    assert rows[1].items == "code" and rows[1].caller_app_id == hub.app_a.pk and rows[1].caller_unit_id == tree.a.pk
    assert rows[1].prev_hash == rows[0].hash and rows[1].bytes > 0
    assert selectors.verify_trail().ok
