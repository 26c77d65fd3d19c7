"""The home page's counts are kept for a few seconds per person, and dropped at once by a write through the ORM
(after its commit), by a change to the person's grants or to a unit; a sign-in or a session write keeps them."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from datahub import services
from datahub.models import ImportJob
from datahub.roles import Role
from tests.factories import OrgUnitFactory, UserFactory, grant, region, superuser

HOME = reverse("home")


@pytest.fixture
def cached(user_cache, settings):
    settings.HOME_COUNTS_SECONDS = 30


@pytest.fixture
def admin(db):
    province = region(name="某省")
    person = UserFactory(org_unit=OrgUnitFactory(parent=province))
    grant(person, Role.BUREAU_ADMIN, province)
    return person, province


def _imports_line(client) -> int:
    """The count on the home page's "imports" line (the administrator's queue)."""
    response = client.get(HOME)
    assert response.status_code == 200
    work = {panel.key: context for panel, context in response.context["panels"]}["work"]
    return next(count for item, count in work["queue"] if item.url_name == "import-list")


def _job(person) -> None:
    ImportJob.objects.create(user=person, kind="units", filename="机构.xlsx")


def test_the_second_visit_reads_the_counts_from_the_cache(client, cached, admin):
    client.force_login(admin[0])
    with CaptureQueriesContext(connection) as first:
        client.get(HOME)
    with CaptureQueriesContext(connection) as second:
        client.get(HOME)
    counts = [q for q in first.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) >= 3
    assert not [q for q in second.captured_queries if "datahub_importjob" in q["sql"]]
    assert len(second.captured_queries) < len(first.captured_queries) - len(counts) + 2  # the unread count stays


@pytest.mark.django_db(transaction=True)  # real commits: the counts go after the writing transaction commits
def test_a_committed_write_shows_on_the_next_visit(client, cached, admin):
    client.force_login(admin[0])
    assert _imports_line(client) == 0
    assert _imports_line(client) == 0  # kept
    with transaction.atomic():
        _job(admin[0])
        _job(admin[0])
    assert _imports_line(client) == 2


def test_a_grant_change_recounts_at_once(client, cached, admin):
    person, province = admin
    client.force_login(person)
    assert _imports_line(client) == 0
    _job(person)  # not committed yet as far as the cache knows: still the kept count
    assert _imports_line(client) == 0
    services.grant_role(actor=superuser(), user=person, role=Role.AUDITOR, unit=province)
    assert _imports_line(client) == 1


def test_without_the_setting_every_visit_counts(client, admin):
    client.force_login(admin[0])
    assert _imports_line(client) == 0
    _job(admin[0])
    assert _imports_line(client) == 1
