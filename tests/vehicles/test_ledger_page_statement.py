"""The vehicle ledger without filters read by one statement compiled once per scope shape
(vehicles.ledger_page, #17): the same rows, total and pages as the queryset, for one grant, grants in two
subtrees and a superuser, still only the vehicles of the reader's units; a filter or a unit reads the queryset."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from datahub.roles import Role
from tests.factories import UserFactory, grant, superuser
from vehicles import selectors
from vehicles.ledger_page import ledger_page

from .factories import VehicleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vehicles(fleet, tree):
    return [
        VehicleFactory(org_unit=unit, brand=f'{name}<i>"&', plate=f"浙A{n:02d}{i:03d}")
        for n, (unit, name) in enumerate(((tree.a, "甲"), (tree.a1, "甲处"), (tree.b, "乙"), (tree.b1, "乙处")))
        for i in range(4)
    ]


def _both(user, page, size=3):
    statement = ledger_page(user, size=size, page=page)
    assert statement is not None
    read = Paginator(statement, size).get_page(page)
    expected = Paginator(selectors.vehicle_ledger(user), size).get_page(page)
    return (
        (selectors.ledger_rows(read.object_list), read.number, read.paginator.count),
        (selectors.ledger_rows(expected.object_list), expected.number, expected.paginator.count),
    )


@pytest.mark.parametrize("page", ["1", "2", "3", "4", "0", "-1", "abc", "", "99999999999999999999999"])
def test_a_dispatchers_ledger_page_is_the_querysets_and_holds_only_their_units(fleet, vehicles, page):
    read, expected = _both(fleet.disp_a, page)
    assert read == expected
    assert all(row["brand"].startswith("甲") for row in read[0]) and read[2] == 8


def test_grants_in_two_subtrees_read_both(fleet, tree, vehicles):
    reader = grant(UserFactory(username="two_fleets", org_unit=tree.a), Role.VEHICLE_DISPATCHER, tree.a1)
    grant(reader, Role.LEADER, tree.b)
    for page in ("1", "2", "3", "4"):
        read, expected = _both(reader, page)
        assert read == expected
    assert _both(reader, "1")[0][2] == 12


def test_a_superuser_reads_every_vehicle_through_the_statement(vehicles):
    read, expected = _both(superuser(), "3")
    assert read == expected and read[2] == 16


def test_without_a_grant_the_ledger_reads_through_the_queryset(fleet):
    assert ledger_page(fleet.clerk_a1, size=50) is None


def test_the_ledger_counts_and_reads_its_rows_in_one_statement_and_a_filter_reads_the_queryset(
    login, fleet, tree, vehicles
):
    client = login(fleet.disp_a)
    client.get(reverse("vehicles:vehicle-list"))
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("vehicles:vehicle-list"), {"page": "1"}).content.decode()
    on_vehicles = [q["sql"] for q in ctx.captured_queries if '"vehicles_vehicle"' in q["sql"]]
    assert len(on_vehicles) == 1 and "COUNT" in on_vehicles[0]
    assert "乙" not in html and "甲处&lt;i&gt;&quot;&amp;" in html

    html = client.get(reverse("vehicles:vehicle-list"), {"unit": tree.a1.pk}).content.decode()
    assert "甲处&lt;i&gt;" in html and "甲&lt;i&gt;" not in html
    html = client.get(reverse("vehicles:vehicle-list"), {"q": "甲处"}).content.decode()
    assert "甲处&lt;i&gt;" in html and "甲&lt;i&gt;" not in html
