"""Statistics on a hand-computed week (Mon 2 – Fri 6 March 2026: 5 working days × 8 h = 40 h)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from portal.models import Ticket
from vehicles import selectors
from vehicles.models import CostRecord, Dispatch

from .factories import DispatchFactory, VehicleFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
WEEK = (date(2026, 3, 2), date(2026, 3, 6))


def at(day, hour):
    return datetime(2026, 3, day, hour, tzinfo=SH)


@pytest.fixture
def week(fleet, tree):
    car = VehicleFactory(org_unit=tree.a1)
    idle = VehicleFactory(org_unit=tree.a1)
    other = VehicleFactory(org_unit=tree.b1)
    t = Ticket.objects.create(kind="vehicle_trip", title="t", requester=fleet.clerk_a1, org_unit=tree.a1)
    DispatchFactory(vehicle=car, ticket=t, starts_at=at(2, 9), ends_at=at(2, 13), distance_km=120, status="returned")
    DispatchFactory(vehicle=car, ticket=t, starts_at=at(4, 10), ends_at=at(4, 16), distance_km=80, status="returned")
    DispatchFactory(vehicle=car, ticket=t, starts_at=at(5, 9), ends_at=at(5, 17), status=Dispatch.Status.CANCELLED)
    DispatchFactory(vehicle=car, ticket=t, starts_at=at(10, 9), ends_at=at(10, 17), distance_km=300)  # next week
    DispatchFactory(vehicle=other, ticket=t, starts_at=at(3, 8), ends_at=at(3, 18), distance_km=50)

    def rec(kind, amount, day, **kw):
        CostRecord.objects.create(vehicle=car, kind=kind, amount=Decimal(amount), date=date(2026, 3, day), **kw)

    rec("fuel", "128", 3, fuel="gasoline", quantity=Decimal("16"))
    rec("fuel", "64", 5, fuel="gasoline", quantity=Decimal("8"))
    rec("maintenance", "500", 4, items="保养")
    rec("insurance", "3000", 2, valid_until=date(2027, 3, 1))
    rec("toll", "58", 2)
    rec("parking", "20", 4)
    rec("fuel", "999", 9, fuel="gasoline", quantity=Decimal("99"))  # next week
    return car, idle


def test_vehicle_statistics_match_the_hand_computed_week(week, fleet):
    car, idle = week
    rows = {r["vehicle"].pk: r for r in selectors.vehicle_stats(fleet.disp_a, *WEEK)}
    assert set(rows) == {car.pk, idle.pk}  # B's vehicle is out of A's dispatcher's scope
    r = rows[car.pk]
    assert (r["trips"], r["distance"]) == (2, 200)
    assert r["booked_hours"] == Decimal("10.00")  # 4 h + 6 h; the cancelled booking does not count
    assert r["utilisation"] == Decimal("25.00")  # 10 / 40 h
    assert r["fuel_per_100km"] == Decimal("12.00")  # 24 L / 200 km
    assert r["cost_per_km"] == Decimal("18.75")  # (192 + 500 + 3000 + 58) / 200
    assert r["costs"] == {
        "fuel": Decimal("192"),
        "maintenance": Decimal("500"),
        "insurance": Decimal("3000"),
        "inspection": Decimal("0"),
        "toll": Decimal("58"),
        "parking": Decimal("20"),
    }
    assert r["cost_total"] == Decimal("3770")
    empty = rows[idle.pk]
    assert (empty["trips"], empty["utilisation"], empty["fuel_per_100km"], empty["cost_per_km"]) == (
        0,
        Decimal("0.00"),
        None,
        None,
    )


def test_unit_statistics_sum_the_vehicles(week, fleet, tree):
    (row,) = selectors.unit_stats(fleet.disp_a, *WEEK)
    assert row["org_unit"] == tree.a1 and row["vehicles"] == 2
    assert row["utilisation"] == Decimal("12.50")  # 10 h over 2 vehicles × 40 h
    assert row["cost_per_km"] == Decimal("18.75")


def test_bookings_crossing_the_period_edge_are_clipped(week, fleet):
    car, _ = week
    # Wednesday only: 8 working hours, no bookings on the 4th before 10:00.
    rows = {r["vehicle"].pk: r for r in selectors.vehicle_stats(fleet.disp_a, date(2026, 3, 4), date(2026, 3, 4))}
    assert rows[car.pk]["booked_hours"] == Decimal("6.00") and rows[car.pk]["utilisation"] == Decimal("75.00")


def test_working_hours_skip_weekends():
    assert selectors.working_hours(date(2026, 3, 2), date(2026, 3, 8)) == 40
    assert selectors.working_hours(date(2026, 3, 7), date(2026, 3, 8)) == 0
