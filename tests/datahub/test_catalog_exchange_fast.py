"""The exchange's fast path (a registered system's call answered in two statements) answers exactly as the full
path does, and sees every revocation on the next call: what a token's first call learned is kept, but every later
call's own statement reads the grant, token, system and entry again (test_catalog_exchange_warm.py). The trail row
it writes in one SQL statement chains as the application's would."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import AccessToken
from rest_framework.test import APIClient

from datahub.catalog import selectors, services
from datahub.catalog.rules import EntryStatus
from datahub.models import Dataset, RegisteredSystem, TrailHead, TrailRecord
from tests.catalog_factories import access_token, build_hub, share, tamper
from tests.sharing import shared_fixture

shared_hub, hub = shared_fixture("hub", build_hub)

URL = "/api/exchange/v1/{}/"
pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement append is PostgreSQL's")


def as_system(application, **headers):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token(application)}", **headers)
    return client


def test_a_granted_systems_page_is_two_statements_on_postgresql(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, row_scope="all")
    client = as_system(hub.app_a)
    client.get(URL.format(hub.units.code), {"page_size": 1})  # the trail's first row makes its head
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL.format(hub.units.code), {"page_size": 1000})
    assert response.status_code == 200 and len(response.json()["results"]) == 5
    # The first call: the token, system, entry and grant, then the page with its trail row in one statement; a
    # later one (this): the grant again and the page in one statement, then the trail row (on SQLite: the grant,
    # the page, then the trail row in its own transaction of four).
    assert len(queries) == (2 if connection.vendor == "postgresql" else 7), [q["sql"][:80] for q in queries]


def test_a_conditional_call_is_two_statements_on_postgresql(hub, tree):
    """With If-None-Match the status (200 or 304) is known only once the page is read: the trail row follows. The
    token's later call reads its grant inside the page's statement (exchange_warm): two statements, not three."""
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, row_scope="all")
    client = as_system(hub.app_a)
    etag = client.get(URL.format(hub.units.code))["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL.format(hub.units.code), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert len(queries) == (2 if connection.vendor == "postgresql" else 7), [q["sql"][:80] for q in queries]
    assert [(r.status, r.bytes) for r in TrailRecord.objects.order_by("seq")][-1] == (304, 0)


def test_the_fast_and_the_full_path_give_the_same_page(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, row_scope="all", items=["code"])
    fast = as_system(hub.app_a).get(URL.format(hub.units.code), {"page_size": 2})
    # An Accept header the fast path does not read sends the call down DRF's content negotiation (JSON still).
    full = as_system(hub.app_a, HTTP_ACCEPT="text/html, application/json").get(
        URL.format(hub.units.code), {"page_size": 2}
    )
    assert fast.status_code == full.status_code == 200
    assert fast.content == full.content and fast["ETag"] == full["ETag"]
    assert fast["Content-Type"] == full["Content-Type"] == "application/json"
    assert fast["Vary"] == full["Vary"] and fast["Allow"] == full["Allow"]
    again = as_system(hub.app_a).get(URL.format(hub.units.code), {"page_size": 2}, HTTP_IF_NONE_MATCH=fast["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert [r.status for r in TrailRecord.objects.order_by("seq")] == [200, 200, 304]


def test_revoking_the_grant_takes_effect_on_the_next_call(hub, tree):
    grant = share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a)
    client = as_system(hub.app_a)
    assert client.get(URL.format(hub.units.code)).status_code == 200
    services.grant_revoke(actor=hub.hub, grant=grant, reason="用途已结束")
    response = client.get(URL.format(hub.units.code))
    assert response.status_code == 403
    assert response.json() == {"detail": "您对该资源的授权已被撤销。", "fields": {}}
    assert [(r.status, r.rows) for r in TrailRecord.objects.order_by("seq")] == [(200, 2), (403, 0)]


def test_a_revoked_token_is_refused_on_the_next_call(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a)
    client = as_system(hub.app_a)
    assert client.get(URL.format(hub.units.code)).status_code == 200
    AccessToken.objects.filter(application=hub.app_a).delete()
    assert client.get(URL.format(hub.units.code)).status_code == 401


def test_an_expired_token_is_refused_on_the_next_call(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a)
    client = as_system(hub.app_a)
    assert client.get(URL.format(hub.units.code)).status_code == 200
    AccessToken.objects.filter(application=hub.app_a).update(expires=timezone.now() - timedelta(seconds=1))
    assert client.get(URL.format(hub.units.code)).status_code == 401


def test_a_suspended_systems_token_is_refused_on_the_next_call(hub, tree):
    """Suspension revokes the tokens too; here they are left in place, to show the system's status alone is read."""
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a)
    client = as_system(hub.app_a)
    assert client.get(URL.format(hub.units.code)).status_code == 200
    RegisteredSystem.objects.filter(application=hub.app_a).update(status=RegisteredSystem.Status.SUSPENDED)
    assert client.get(URL.format(hub.units.code)).status_code == 401


def test_a_withdrawn_entry_is_not_served_on_the_next_call(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a)
    client = as_system(hub.app_a)
    assert client.get(URL.format(hub.units.code)).status_code == 200
    Dataset.objects.filter(pk=hub.units.pk).update(status=EntryStatus.RETIRED)
    response = client.get(URL.format(hub.units.code))
    assert response.status_code == 404 and "未发布" in response.json()["detail"]


def test_an_expired_grant_is_refused_on_the_next_day(hub, tree):
    today = timezone.localdate()
    grant = share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a)
    client = as_system(hub.app_a)
    assert client.get(URL.format(hub.units.code)).status_code == 200
    type(grant).objects.filter(pk=grant.pk).update(valid_from=today - timedelta(days=9), valid_to=today - timedelta(1))
    response = client.get(URL.format(hub.units.code))
    assert response.status_code == 403 and "到期" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"cursor": "forged"}, 400, "cursor"),
        ({"items": "code,uscc"}, 403, None),
        ({"page_size": "0"}, 400, "page_size"),
        ({"nonsense": "1"}, 400, "nonsense"),
    ],
)
def test_bad_parameters_of_a_granted_system_get_the_full_paths_answer(hub, tree, params, status, field):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, items=["code"])
    response = as_system(hub.app_a).get(URL.format(hub.units.code), params)
    assert response.status_code == status
    assert (field in response.json()["fields"]) if field else response.json()["fields"] == {}
    assert [(r.status, r.rows, r.bytes) for r in TrailRecord.objects.all()] == [(status, 0, 0)]


def test_the_full_path_still_serves_csv(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, items=["code"])
    response = as_system(hub.app_a).get(URL.format(hub.units.code), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[0] == "code"


@pg_only
def test_rows_appended_in_one_statement_hold_under_the_applications_own_walk(db):
    tricky = 'q"uote\\back\nline\ttab\x01ctl 中文 😀 \u2028'
    records = [
        services.trail_append(
            dataset_code="3-01-001.0001", filter=tricky, items=["a", "中"], rows=7, size=9, status=200
        ),
        services.trail_append(status=403),
        services.trail_append(kind=TrailRecord.Kind.EXPORT, dataset_code="x", row_scope="全部", status=200),
    ]
    assert [r.seq for r in records] == [1, 2, 3] and records[1].prev_hash == records[0].hash
    assert records[0].prev_hash == "0" * 64
    stored = {r.seq: r.hash for r in TrailRecord.objects.all()}
    assert stored == {r.seq: r.hash for r in records}
    assert selectors.verify_trail(in_database=False).checked == 3
    assert selectors.verify_trail().checked == 3
    head = TrailHead.objects.get(pk=1)
    assert (head.seq, head.hash, head.prev_hash) == (3, records[2].hash, records[1].hash)


@pg_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_calls_each_chain_to_exactly_one_predecessor():
    def append(n):
        try:
            for i in range(10):
                services.trail_append(dataset_code=f"t{n}-{i}", status=200)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert TrailRecord.objects.count() == 40
    assert selectors.verify_trail(in_database=False).checked == 40
    assert selectors.verify_trail().checked == 40


def test_verification_in_the_database_finds_a_broken_link(db):
    for i in range(4):
        services.trail_append(dataset_code=f"3-01-001.000{i}", status=200)
    tamper(f"UPDATE {TrailRecord._meta.db_table} SET prev_hash = %s WHERE seq = 3", ["f" * 64])
    result = selectors.verify_trail()
    assert (result.ok, result.broken_seq) == (False, 3) and "链接不符" in result.reason
