"""The selectors other apps rely on (telematics: booked windows; energy: monthly fuel, units with vehicles)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from portal.models import Ticket
from vehicles import rules, selectors
from vehicles.models import CostRecord, Dispatch

from .factories import CostRecordFactory, DispatchFactory, VehicleFactory


def at(day, hour):
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def _ticket(user):
    return Ticket.objects.create(kind="vehicle_trip", title="t", requester=user, org_unit=user.org_unit)


def test_booked_windows_extend_to_a_late_return_and_skip_cancelled(fleet, tree):
    car, other = VehicleFactory(org_unit=tree.a1), VehicleFactory(org_unit=tree.a1)
    t = _ticket(fleet.clerk_a1)
    late = DispatchFactory(vehicle=car, ticket=t, starts_at=at(2, 8), ends_at=at(2, 10), returned_at=at(2, 12))
    DispatchFactory(vehicle=car, ticket=t, starts_at=at(2, 14), ends_at=at(2, 15))
    DispatchFactory(vehicle=car, ticket=t, starts_at=at(2, 16), ends_at=at(2, 18), status=Dispatch.Status.CANCELLED)
    DispatchFactory(vehicle=car, ticket=t, starts_at=at(3, 8), ends_at=at(3, 9))  # outside the query window
    DispatchFactory(vehicle=other, ticket=t, starts_at=at(1, 8), ends_at=at(1, 9))  # before it

    got = selectors.booked_windows([car.pk, other.pk], at(2, 11), at(2, 20))

    assert got == {car.pk: [(late.starts_at, at(2, 12)), (at(2, 14), at(2, 15))]}


def test_booked_windows_empty_when_nothing_overlaps(fleet, tree):
    car = VehicleFactory(org_unit=tree.a1)
    DispatchFactory(vehicle=car, ticket=_ticket(fleet.clerk_a1), starts_at=at(2, 8), ends_at=at(2, 10))
    # [start, end) is half-open: a window ending exactly at start does not overlap.
    assert selectors.booked_windows([car.pk], at(2, 10), at(2, 12)) == {}


def test_monthly_fuel_sums_the_subtree_by_month_and_fuel(fleet, tree):
    in_a1 = VehicleFactory(org_unit=tree.a1)
    in_a = VehicleFactory(org_unit=tree.a, energy_type=rules.EnergyType.DIESEL, displacement=Decimal("2.0"))
    in_b = VehicleFactory(org_unit=tree.b)
    CostRecordFactory(vehicle=in_a1, date=date(2026, 3, 1), quantity=Decimal("40"), amount=Decimal("300.50"))
    CostRecordFactory(vehicle=in_a, date=date(2026, 3, 20), quantity=Decimal("10"), amount=Decimal("80"))
    CostRecordFactory(vehicle=in_a1, date=date(2026, 3, 31), quantity=Decimal("20"), amount=Decimal("150"))
    CostRecordFactory(
        vehicle=in_a, date=date(2026, 3, 5), fuel=CostRecord.Fuel.DIESEL, quantity=Decimal("50"), amount=Decimal("380")
    )
    CostRecordFactory(vehicle=in_a1, date=date(2026, 4, 2), quantity=Decimal("30"), amount=Decimal("220"))
    CostRecordFactory(vehicle=in_a1, date=date(2025, 3, 2), quantity=Decimal("99"), amount=Decimal("999"))
    CostRecordFactory(vehicle=in_b, date=date(2026, 3, 2), quantity=Decimal("77"), amount=Decimal("555"))
    CostRecordFactory(
        vehicle=in_a1,
        date=date(2026, 3, 2),
        fuel=CostRecord.Fuel.ELECTRICITY,
        quantity=Decimal("60"),
        amount=Decimal("50"),
    )
    CostRecordFactory(vehicle=in_a1, kind=CostRecord.Kind.TOLL, fuel="", quantity=None, amount=Decimal("25"))

    got = selectors.monthly_fuel([tree.a.pk, tree.a1.pk, tree.b1.pk], 2026)

    assert got == {
        (tree.a.pk, 3, "gasoline"): {"litres": Decimal("70"), "cost": Decimal("530.50")},
        (tree.a.pk, 3, "diesel"): {"litres": Decimal("50"), "cost": Decimal("380")},
        (tree.a.pk, 4, "gasoline"): {"litres": Decimal("30"), "cost": Decimal("220")},
        (tree.a1.pk, 3, "gasoline"): {"litres": Decimal("60"), "cost": Decimal("450.50")},
        (tree.a1.pk, 4, "gasoline"): {"litres": Decimal("30"), "cost": Decimal("220")},
    }


def test_units_with_vehicles_counts_the_subtree_and_ignores_disposed(fleet, tree):
    VehicleFactory(org_unit=tree.a1)
    VehicleFactory(org_unit=tree.b1, status=rules.VehicleStatus.DISPOSED)
    ids = [tree.r.pk, tree.a.pk, tree.a1.pk, tree.b.pk, tree.b1.pk]
    assert selectors.units_with_vehicles(ids) == {tree.r.pk, tree.a.pk, tree.a1.pk}


def test_units_with_vehicles_answers_the_same_for_an_imports_thousands_of_units(fleet, tree, monkeypatch):
    """Past MANY_UNITS units (an energy import's) the subtrees are matched by the held paths' ancestors."""
    VehicleFactory(org_unit=tree.a1)
    VehicleFactory(org_unit=tree.b1, status=rules.VehicleStatus.DISPOSED)
    ids = [tree.r.pk, tree.a.pk, tree.a1.pk, tree.b.pk, tree.b1.pk]
    monkeypatch.setattr(selectors, "MANY_UNITS", 0)
    assert selectors.units_with_vehicles(ids) == {tree.r.pk, tree.a.pk, tree.a1.pk}


def test_published_selectors_take_any_iterable(fleet, tree):
    car = VehicleFactory(org_unit=tree.a1)
    start = datetime(2026, 3, 2, tzinfo=UTC)
    DispatchFactory(vehicle=car, ticket=_ticket(fleet.clerk_a1), starts_at=start, ends_at=start + timedelta(hours=1))
    assert set(selectors.booked_windows(iter([car.pk]), start, start + timedelta(days=1))) == {car.pk}
    assert selectors.units_with_vehicles(iter([tree.a.pk])) == {tree.a.pk}
    assert selectors.monthly_fuel(iter([]), 2026) == {}
