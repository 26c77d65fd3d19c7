"""Input a user or a script can send by mistake or on purpose is a 400 (or a 404) with the standard
error body, never a 500, on SQLite and on PostgreSQL alike, and it changes nothing."""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.urls import resolve
from django.urls.exceptions import Resolver404

from datahub.models import OrgUnit, User

HUGE = "99999999999999999999"  # more than 2**64
NUL_REASON = "不能包含空字符（\\x00）。"


def _error(response, status=400):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "fields"}
    return body


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "42"])
def test_a_json_body_that_is_not_an_object_is_a_400(api, people, body):
    response = api(people.admin_a).patch(f"/api/v1/users/{people.clerk_a1.pk}/", body, content_type="application/json")
    assert "JSON 对象" in _error(response)["detail"]


def test_an_integer_filter_beyond_64_bits_is_a_400_naming_the_parameter(api, people):
    client = api(people.admin_a)
    assert "超出范围" in _error(client.get("/api/v1/users/", {"within": HUGE}))["fields"]["within"][0]
    assert "超出范围" in _error(client.get("/api/v1/org-units/", {"depth": HUGE}))["fields"]["depth"][0]
    assert _error(client.get("/api/v1/org-units/", {"depth": "1.5"}))["fields"]["depth"] == ["应填写整数。"]


def test_a_huge_id_in_an_api_path_is_a_404_in_chinese(api, people):
    body = _error(api(people.admin_a).get(f"/api/v1/org-units/{HUGE}/"), status=404)
    assert body["detail"] == "未找到该记录：它不存在，或不在您的管理范围内。"


def test_a_nul_in_a_json_field_is_a_400_naming_the_field_and_changes_nothing(api, people):
    response = api(people.admin_a).patch(
        f"/api/v1/users/{people.clerk_a1.pk}/", {"job_title": "科\x00员"}, format="json"
    )
    assert _error(response)["fields"] == {"job_title": [NUL_REASON]}
    people.clerk_a1.refresh_from_db()
    assert "\x00" not in people.clerk_a1.job_title


def test_a_nul_in_a_query_or_form_field_is_a_400(api, people):
    client = api(people.admin_a)
    assert _error(client.get("/api/v1/users/", {"search": "a\x00b"}))["fields"] == {"search": [NUL_REASON]}
    response = client.post("/api/v1/org-units/", {"name": "x\x00", "code": "N1"})  # multipart form
    assert _error(response)["fields"] == {"name": [NUL_REASON]}
    assert not OrgUnit.objects.filter(code="N1").exists()


def test_a_nul_in_a_page_query_is_a_400_not_a_database_error(client, people):
    client.force_login(people.admin_a)
    response = client.get("/directory/people/", {"q": "张\x00"})
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


def test_a_page_id_beyond_a_bigint_does_not_match_a_url(client, people):
    """Pages take ids through the bounded <id:…> converter: a huge one is a 404, not an overflow."""
    client.force_login(people.admin_a)
    assert client.get(f"/directory/units/{HUGE}/").status_code == 404
    assert client.get(f"/vehicles/board/{HUGE}/assign/").status_code == 404
    assert resolve(f"/directory/units/{'9' * 18}/").kwargs == {"pk": int("9" * 18)}
    with pytest.raises(Resolver404):
        resolve(f"/directory/units/{'9' * 19}/")


def test_no_page_url_uses_the_unbounded_int_converter():
    from django.urls import get_resolver
    from django.urls.converters import IntConverter

    def walk(patterns):
        for p in patterns:
            yield p
            yield from walk(getattr(p, "url_patterns", []))

    unbounded = [
        str(p.pattern)
        for p in walk(get_resolver().url_patterns)
        if any(isinstance(c, IntConverter) for c in getattr(p.pattern, "converters", {}).values())
    ]
    assert unbounded == []


def test_the_user_list_still_answers_after_refusals(api, people):
    """The refusals above leave the connection usable (no aborted PostgreSQL transaction)."""
    client = api(people.admin_a)
    client.get("/api/v1/users/", {"within": HUGE})
    client.get("/api/v1/users/", {"search": "\x00"})
    assert client.get("/api/v1/users/").status_code == 200
    assert User.objects.filter(pk=people.clerk_a1.pk).exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded database's locking")
def test_two_sqlite_writers_wait_for_each_other_instead_of_failing(tmp_path, django_db_blocker):
    """Each transaction takes the write lock when it begins (IMMEDIATE) and another writer waits for the
    busy timeout: a read-then-write transaction no longer fails with "database is locked" half-way."""
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5
    alias = "locks"
    connections.settings[alias] = {**connection.settings_dict, "NAME": str(tmp_path / "locks.sqlite3"), "TEST": {}}
    failures = []

    def increment():
        try:
            with django_db_blocker.unblock(), transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                n = cursor.fetchone()[0]
                time.sleep(0.2)  # another writer comes in while this one thinks
                cursor.execute("UPDATE counter SET n = %s", [n + 1])
        except Exception as exc:
            failures.append(exc)
        finally:
            connections[alias].close()

    try:
        with django_db_blocker.unblock(), connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n INTEGER)")
            cursor.execute("INSERT INTO counter VALUES (0)")
        threads = [threading.Thread(target=increment) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with django_db_blocker.unblock(), connections[alias].cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            assert (failures, cursor.fetchone()[0]) == ([], 3)
    finally:
        connections[alias].close()
        del connections.settings[alias]
