"""Each figure of the command center on a hand-computed example: two units (甲厅/甲厅办公室 and 乙厅/乙厅办公室
under 浙江省), two months (2026-01, 2026-02) and the same months of 2025 for the comparison."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assets.models import Category
from commandcenter import dashboard, rules, services
from commandcenter.models import UnitMonth
from commandcenter.rules import Period
from portal.models import Ticket
from portal.workflow import Status
from tests.assets.factories import card
from tests.energy.factories import profile, record
from tests.factories import UserFactory, superuser
from tests.sharing import shared_fixture
from tests.vehicles.factories import CostRecordFactory, DispatchFactory, VehicleFactory
from vehicles import rules as vrules

TODAY = date(2026, 3, 15)  # the figures below are for months before it


def at(y, m, d, hh=9):
    return timezone.make_aware(datetime(y, m, d, hh))


def ticket(unit, requester, submitted, *, due, closed=None, status=Status.IN_REVIEW, rating=None):
    return Ticket.objects.create(
        kind="repair",
        title="报修",
        requester=requester,
        org_unit=unit,
        status=status,
        submitted_at=submitted,
        due_at=due,
        closed_at=closed,
        rating=rating,
    )


def build_world(tree):
    root = superuser()
    clerk_a, clerk_b = UserFactory(org_unit=tree.a1), UserFactory(org_unit=tree.b1)
    # 甲: two requests in January — one finished in 24 h on time (rated 4), one finished on the 31st, a day late (rated 2).
    ticket(tree.a1, clerk_a, at(2026, 1, 5), due=at(2026, 1, 7), closed=at(2026, 1, 6), status=Status.DONE, rating=4)
    ticket(tree.a1, clerk_a, at(2026, 1, 28), due=at(2026, 1, 30), closed=at(2026, 1, 31), status=Status.DONE, rating=2)
    # 乙: one in January finished in 10 h, unrated; one in February still open, due on 2026-02-10 (overdue since).
    ticket(tree.b1, clerk_b, at(2026, 1, 12), due=at(2026, 1, 14), closed=at(2026, 1, 12, 19), status=Status.DONE)
    ticket(tree.b1, clerk_b, at(2026, 2, 3), due=at(2026, 2, 10))
    # The same January a year before: 甲 filed one.
    ticket(tree.a1, clerk_a, at(2025, 1, 6), due=at(2025, 1, 8), closed=at(2025, 1, 7), status=Status.DONE, rating=5)

    # Fleet: 甲 a gasoline car since 2022, one 100 km trip and 300 元 of fuel in January; 乙 a BEV from 2026-02-05.
    car_a = VehicleFactory(org_unit=tree.a)
    VehicleFactory(
        org_unit=tree.b, energy_type=vrules.EnergyType.BEV, displacement=None, purchase_date=date(2026, 2, 5)
    )
    trip = ticket(
        tree.a1, clerk_a, at(2026, 1, 9, 8), due=at(2026, 1, 10), closed=at(2026, 1, 9, 8), status=Status.DONE
    )
    DispatchFactory(
        vehicle=car_a, ticket=trip, starts_at=at(2026, 1, 10, 8), ends_at=at(2026, 1, 10, 12), distance_km=100
    )
    CostRecordFactory(vehicle=car_a, date=date(2026, 1, 10), amount=Decimal("300"))

    # Energy: 甲 1,000 m², 100 users in 2026 and 2025; 10,000 kWh and 100 m³ water each January.
    for year in (2025, 2026):
        profile(tree.a, year, area="1000", users=100)
        record(tree.a, year, 1, "electricity", 10000)
        record(tree.a, year, 1, "water", 100)

    # Assets: 甲 a 6,000 元 card bought 2026-01-10.
    leaf = Category.objects.filter(children__isnull=True).order_by("code").first()
    card(root, tree.a, leaf, original_value=Decimal("6000"), acquired_on=date(2026, 1, 10), booked_on=date(2026, 1, 10))
    services.rollup_refresh(start=date(2025, 1, 1), end=date(2026, 4, 1))
    return root


shared_world, world = shared_fixture("world", build_world)


def page(unit, period, user):
    return dashboard.build(user, unit, period, TODAY)


def figure(built, key):
    return next(c for s in built["sections"] for c in s["cells"] if c.figure.key == key)


JAN, FEB, Q1 = Period("month", 2026, 1), Period("month", 2026, 2), Period("quarter", 2026, 1)


def test_requests_filed_finished_and_on_time_in_january_for_the_province(world, tree):
    built = page(tree.r, JAN, world)
    assert figure(built, "tickets_filed").value == 4  # 甲 2 + 乙 1 + the trip request
    assert figure(built, "tickets_done").value == 4
    assert figure(built, "on_time_pct").value == Decimal("75.0")  # 甲's second one closed after its due time
    assert figure(built, "handling_hours").value == Decimal("26.5")  # (24 + 72 + 10 + 0) / 4


def test_january_of_agency_a_against_the_same_month_last_year(world, tree):
    built = page(tree.a, JAN, world)
    filed = figure(built, "tickets_filed")
    assert (filed.value, filed.last_year, filed.change_pct) == (3, 1, Decimal("200.0"))
    assert figure(built, "satisfaction").value == Decimal("3.00")  # (4 + 2) / 2
    assert figure(built, "satisfaction").last_year == Decimal("5.00")
    assert figure(built, "satisfaction").target_met is False  # 3.00 < 4.5
    assert figure(built, "rated_pct").value == Decimal("66.7")  # 2 of 3 finished were rated


def test_overdue_request_counted_at_the_end_of_february_not_january(world, tree):
    assert figure(page(tree.b, JAN, world), "tickets_overdue").value == 0
    assert figure(page(tree.b, FEB, world), "tickets_overdue").value == 1
    assert figure(page(tree.a, FEB, world), "tickets_overdue").value == 0


def test_quarter_sums_its_months_and_reads_stocks_at_its_last_month(world, tree):
    built = page(tree.r, Q1, world)
    assert figure(built, "tickets_filed").value == 5
    assert figure(built, "vehicles_held").value == 2  # at the end of March (the BEV arrived in February)
    assert figure(built, "nev_pct").value == Decimal("50.0")
    assert figure(built, "nev_pct").target_met is True  # ≥ 30 %


def test_fleet_share_of_new_energy_was_nil_in_january(world, tree):
    built = page(tree.r, JAN, world)
    assert figure(built, "vehicles_held").value == 1
    assert figure(built, "nev_pct").value == Decimal("0.0")
    assert figure(built, "nev_pct").target_met is False


def test_trip_distance_and_cost_per_km_of_agency_a(world, tree):
    built = page(tree.a, JAN, world)
    assert figure(built, "trips").value == 1
    assert figure(built, "distance_km").value == 100
    assert figure(built, "vehicle_cost").value == Decimal("300.00")
    assert figure(built, "cost_per_km").value == Decimal("3.00")
    assert figure(page(tree.b, JAN, world), "trips").value == 0


def test_energy_per_m2_is_energy_over_area_and_compared_with_last_january(world, tree):
    built = page(tree.a, JAN, world)
    kgce = UnitMonth.objects.get(org_unit=tree.a, month=date(2026, 1, 1), key="energy_kgce").value
    assert figure(built, "energy_per_m2").value == rules.ratio(kgce, 1000)
    assert figure(built, "energy_per_person").value == rules.ratio(kgce, 100)
    assert figure(built, "water_per_person").value == Decimal("1.00")  # 100 m³ / 100 users
    assert figure(built, "energy_per_m2").change_pct == Decimal("0.0")  # the same consumption as January 2025
    assert figure(page(tree.b, JAN, world), "energy_per_m2").value is None  # no profile: no figure, not zero


def test_asset_value_on_the_books_from_the_month_it_was_acquired(world, tree):
    # 甲's car is an asset card too (110,000 元 since 2022), so it counts in every month shown.
    assert figure(page(tree.a, JAN, world), "asset_value").value == Decimal("116000.00")
    assert figure(page(tree.a, JAN, world), "asset_cards").value == 2
    assert figure(page(tree.a, Period("month", 2025, 12), world), "asset_value").value == Decimal("110000.00")


def test_child_ranking_and_peer_percentile(world, tree):
    built = page(tree.r, JAN, world)
    names = [row["unit"].name for row in built["ranking"]]
    assert names == ["甲厅", "乙厅"]
    filed = {
        row["unit"].name: next(c for c in row["cells"] if c["figure"].key == "tickets_filed")
        for row in built["ranking"]
    }
    assert (filed["甲厅"]["value"], filed["乙厅"]["value"]) == (3, 1)
    assert (filed["甲厅"]["pct"], filed["乙厅"]["pct"]) == (100, 0)
    assert figure(page(tree.a, JAN, world), "tickets_filed").percentile == 100  # 甲 against its peer 乙


def test_office_space_figures_exist_for_the_current_month_only(world, tree):
    assert figure(page(tree.a, JAN, world), "space_cases_open").value is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2026", "2026"),
        ("2026-Q1", "2026-Q1"),
        ("2026-02", "2026-02"),
        ("2026-13", "2026"),
        ("abc", "2026"),
        ("2027", "2026"),
    ],
)
def test_period_picker_values_and_bad_ones(text, code):
    assert rules.parse_period(text, TODAY).code == code


def test_same_period_last_year():
    assert Period("quarter", 2026, 1).last_year().label == "2025年第1季度"
