"""The signed-in person, their unit and their grants come from the shared cache — and every change to them is seen
on the very next request: a revoked role stops working, a granted one starts, a closed unit covers nothing, a moved
unit's reach follows, a deactivated account or a changed password signs the person out."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from datahub import services
from datahub.models import OrgUnit, OrgUnitUserPermission
from datahub.roles import Role
from tests.factories import OrgUnitFactory, UserFactory, grant, region, superuser

UNITS = reverse("unit-list")
AUDIT = reverse("audit-log")  # the auditors' page: 403 without the role


@pytest.fixture
def cached(user_cache):
    """The user cache on, as deployed with REDIS_URL (tests/conftest.py)."""


@pytest.fixture
def auditor(db):
    province = region(name="某省")
    agency = OrgUnitFactory(parent=province, name="某省审计厅")
    person = UserFactory(org_unit=agency)
    grant(person, Role.AUDITOR, province)
    return person, province, agency


def _signed_in(client, person):
    client.force_login(person)
    assert client.get(UNITS).status_code == 200  # fills the cache
    return client


def _user_queries(client, url=UNITS) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    shown = [q["sql"] for q in ctx.captured_queries]
    # The session's user read by id (Django's ModelBackend.get_user), and the grants (datahub.scoping.role_grants).
    touching = [
        sql
        for sql in shown
        if 'FROM "datahub_user" WHERE "datahub_user"."id" =' in sql or "orgunituserpermission" in sql
    ]
    return status, touching


def test_a_signed_in_page_reads_neither_the_user_nor_the_grants_from_the_database(client, cached, auditor):
    client = _signed_in(client, auditor[0])
    status, touching = _user_queries(client)
    assert status == 200
    assert touching == []


def test_without_the_cache_every_request_reads_them(client, auditor):
    client = _signed_in(client, auditor[0])
    status, touching = _user_queries(client)
    assert status == 200
    assert len(touching) == 2  # the user row and the grants


def test_a_revoked_role_stops_working_on_the_next_request(client, cached, auditor):
    person, province, _agency = auditor
    client = _signed_in(client, person)
    assert client.get(AUDIT).status_code == 200
    assert client.get(AUDIT).status_code == 200  # from the cache
    services.revoke_role(actor=superuser(), user=person, role=Role.AUDITOR, unit=province)
    assert client.get(AUDIT).status_code == 403
    assert f'href="{AUDIT}"' not in client.get(reverse("home")).content.decode()


def test_a_granted_role_works_on_the_next_request(client, cached, db):
    province = region()
    person = UserFactory(org_unit=OrgUnitFactory(parent=province))
    client.force_login(person)
    assert client.get(AUDIT).status_code == 403
    assert client.get(AUDIT).status_code == 403  # from the cache now
    grant(person, Role.AUDITOR, province)
    assert client.get(AUDIT).status_code == 200


def test_a_grant_on_a_unit_closed_since_covers_nothing_on_the_next_request(client, cached, db):
    province = region()
    agency = OrgUnitFactory(parent=province)
    person = UserFactory(org_unit=OrgUnitFactory(parent=province))
    grant(person, Role.AUDITOR, agency)
    client = _signed_in(client, person)
    assert client.get(AUDIT).status_code == 200
    agency.refresh_from_db()
    services.update_org_unit(actor=superuser(), unit=agency, is_active=False)
    assert client.get(AUDIT).status_code == 403


def test_a_moved_unit_s_reach_follows_it_on_the_next_request(client, cached, db):
    province = region()
    city_a, city_b = region(name="甲市", parent=province), region(name="乙市", parent=province)
    office = OrgUnitFactory(parent=city_a, name="某局")
    person = UserFactory(org_unit=OrgUnitFactory(parent=province))
    grant(person, Role.DATA_STEWARD, city_b)
    client = _signed_in(client, person)
    detail = reverse("unit-detail", args=[office.pk])
    assert client.get(detail).status_code == 404  # not below 乙市
    services.move_org_unit(actor=superuser(), unit=OrgUnit.objects.get(pk=office.pk), parent=city_b)
    assert client.get(detail).status_code == 200


def test_a_deactivated_account_is_signed_out_on_the_next_request(client, cached, auditor):
    person = auditor[0]
    client = _signed_in(client, person)
    person.is_active = False
    person.save()
    response = client.get(UNITS)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_password_changed_elsewhere_signs_this_session_out(client, cached, auditor):
    person = auditor[0]
    client = _signed_in(client, person)
    person.set_password("Another-Pass-2026")
    person.save()
    response = client.get(UNITS)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_top_bar_shows_the_unit_s_new_name_on_the_next_request(client, cached, auditor):
    person, _province, agency = auditor
    client = _signed_in(client, person)
    services.update_org_unit(actor=superuser(), unit=agency, name="某省审计厅（更名）")
    assert "某省审计厅（更名）" in client.get(UNITS).content.decode()


def test_a_lost_version_token_is_a_miss_never_an_old_entry(client, cached, auditor):
    from django.core.cache import cache

    person, province, _agency = auditor
    client = _signed_in(client, person)
    services.revoke_role(actor=superuser(), user=person, role=Role.AUDITOR, unit=province)
    cache.delete(f"usercache:v:{person.pk}")  # e.g. evicted (a restart): the entry itself is still there
    assert client.get(AUDIT).status_code == 403


def test_a_language_saved_with_update_is_the_cached_user_s_on_the_next_request(client, cached, auditor):
    # save_language writes with QuerySet.update (no signal) and retires the entry itself.
    person = auditor[0]
    client = _signed_in(client, person)
    assert client.get(UNITS).wsgi_request.user.language != "en"  # from the cache
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get(UNITS).wsgi_request.user.language == "en"


def test_grants_removed_by_a_queryset_delete_stop_working_on_the_next_request(client, cached, auditor):
    # No service calls user_changed here: QuerySet.delete sends post_delete per row because usercache listens
    # to it (Django's Collector skips its fast path for a model with delete listeners); guardian's remove_perm
    # relies on the same.
    person = auditor[0]
    client = _signed_in(client, person)
    assert client.get(AUDIT).status_code == 200
    OrgUnitUserPermission.objects.filter(user=person).delete()
    assert client.get(AUDIT).status_code == 403


def test_the_session_and_the_user_are_read_in_one_cache_round_trip(client, cached, auditor, settings, monkeypatch):
    """With the read-along session engine (production with Redis), a session's later requests read the session and
    its user's entry in one get_many; the user is the session's own."""
    from django.core.cache import caches

    settings.SESSION_ENGINE = "datahub.auth.sessions"
    person = auditor[0]
    client = _signed_in(client, person)
    session_key = client.session.session_key
    backend = caches["default"]
    calls, inside = [], []
    get, get_many = backend.get, backend.get_many

    def counted_get(key, *args, **kwargs):
        if not inside:  # the in-memory backend's get_many asks get per key: one call all the same
            calls.append([key])
        return get(key, *args, **kwargs)

    def counted_get_many(keys, *args, **kwargs):
        calls.append(list(keys))
        inside.append(True)
        try:
            return get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(backend, "get", counted_get)
    monkeypatch.setattr(backend, "get_many", counted_get_many)
    response = client.get(UNITS)
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == person.pk
    reads = [keys for keys in calls if any(session_key in str(key) for key in keys)]
    assert len(reads) == 1
    assert f"usercache:u:{person.pk}" in reads[0]
    assert not [keys for keys in calls if f"usercache:u:{person.pk}" in keys and keys is not reads[0]]


def test_a_session_read_along_a_kept_guess_is_still_its_own_user(client, cached, auditor, settings):
    """The process keeps which user a session key held; a wrong guess (made up here) costs a second read, never the
    guessed user: the page is the session's own person's."""
    from datahub.auth import usercache

    settings.SESSION_ENGINE = "datahub.auth.sessions"
    person = auditor[0]
    other = UserFactory()
    client = _signed_in(client, person)
    usercache._SESSION_USERS.keep(client.session.session_key, str(other.pk))
    response = client.get(UNITS)
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == person.pk
    assert usercache._SESSION_USERS.get(client.session.session_key) == str(person.pk)
