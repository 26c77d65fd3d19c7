"""A list's unit filter kept per process under the user cache's tokens (datahub.pages.PageScope.units): asked
once, and a unit created, renamed or granted shows on the very next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from datahub import services
from datahub.models import User
from datahub.roles import Role
from tests.factories import department, grant

pytestmark = pytest.mark.django_db

LEDGER = reverse("vehicles:vehicle-list")


@pytest.fixture
def cached(user_cache):
    """The user cache on, as deployed with REDIS_URL (tests/conftest.py)."""


def _ledger(client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LEDGER)
    assert response.status_code == 200
    # The filter's own query is the only one read from the units table itself (the rows' statement joins it).
    return response.content.decode(), [
        q["sql"]
        for q in ctx.captured_queries
        if 'FROM "datahub_orgunit"' in q["sql"] and '"vehicles_vehicle"' not in q["sql"]
    ]


def test_the_unit_filter_is_asked_once_and_follows_every_change(login, fleet, tree, cached):
    client = login(fleet.disp_a)
    html, asked = _ledger(client)
    assert "甲厅办公室" in html and asked  # the filter (and the user entry's unit)
    html, asked = _ledger(client)
    assert "甲厅办公室" in html and asked == []  # kept

    department(tree.a, code="A9", name="甲厅新设处")
    html, asked = _ledger(client)
    assert "甲厅新设处" in html and asked

    tree.a1.name = "甲厅综合办公室"
    tree.a1.save()
    html, _asked = _ledger(client)
    assert "甲厅综合办公室" in html

    assert "乙厅办公室" not in html
    grant(fleet.disp_a, Role.VEHICLE_DISPATCHER, tree.b)
    html, _asked = _ledger(client)
    assert "乙厅办公室" in html


def test_without_the_cache_the_filter_is_asked_on_every_request(login, fleet):
    client = login(fleet.disp_a)
    _ledger(client)
    _html, asked = _ledger(client)
    assert [sql for sql in asked if '"datahub_orgunit"."path" ASC' in sql]  # the filter's, in tree order


def test_another_worker_reads_the_unit_filter_from_the_shared_cache_and_follows_every_change(
    login, fleet, tree, cached
):
    from datahub.pages import _UNIT_OPTIONS

    client = login(fleet.disp_a)
    _html, asked = _ledger(client)
    assert asked
    _UNIT_OPTIONS.clear()  # as another worker's process: nothing of this person kept in it
    html, asked = _ledger(client)
    assert "甲厅办公室" in html and asked == []  # read from the shared cache, not the database

    tree.a1.name = "甲厅综合办公室"
    tree.a1.save()
    _UNIT_OPTIONS.clear()
    html, asked = _ledger(client)
    assert "甲厅综合办公室" in html and asked

    assert "乙厅办公室" not in html
    grant(fleet.disp_a, Role.VEHICLE_DISPATCHER, tree.b)
    _UNIT_OPTIONS.clear()
    html, _asked = _ledger(client)
    assert "乙厅办公室" in html

    actor = User.objects.filter(is_superuser=True).first()
    services.revoke_role(actor=actor, user=fleet.disp_a, role=Role.VEHICLE_DISPATCHER, unit=tree.b)
    _UNIT_OPTIONS.clear()
    html, _asked = _ledger(client)
    assert "乙厅办公室" not in html and "甲厅综合办公室" in html
