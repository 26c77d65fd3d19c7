"""Vehicle fuel reaches energy when it is written (一数一源): the vehicles app's cost-record service tells
energy's service in the same transaction; opening the month sheet (a GET) writes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from energy import selectors
from energy.models import ConsumptionRecord
from vehicles import services as vehicle_services

from .factories import fuel, profile, record, vehicle


def _fuel(actor, car, day, litres, amount):
    return vehicle_services.add_record(
        actor=actor,
        vehicle=car,
        fields={
            "kind": "fuel",
            "date": day,
            "fuel": "gasoline",
            "quantity": Decimal(litres),
            "amount": Decimal(amount),
        },
    )


def test_fuel_written_in_vehicles_moves_the_institution_figures_at_once(energy_people, tree):
    """A car of 甲厅办公室 (a department of 甲厅) is fuelled: 甲厅's gasoline and its vehicle energy follow."""
    profile(tree.a, 2025, area="1000", users=10)
    record(tree.a, 2025, 3, "electricity", 10000)
    car = vehicle(tree.a1, 1)
    _fuel(energy_people.admin_a, car, date(2025, 3, 3), "40", "320")
    march = ConsumptionRecord.objects.get(org_unit=tree.a, year=2025, month=3, energy_type="gasoline")
    assert (march.quantity, march.cost, march.source) == (Decimal("40"), Decimal("320"), "vehicles")
    _fuel(energy_people.admin_a, car, date(2025, 3, 20), "60", "480")
    march.refresh_from_db()
    assert march.quantity == Decimal("100")
    # 100 L × 0.73 kg/L × 1.4714 kgce/kg, without any page having been opened
    assert selectors.indicators(tree.a, 2025)["figures"].kgce_vehicle == Decimal("107.4122")


def test_fuel_of_another_units_car_refused_and_energy_unchanged(energy_people, tree):
    car = vehicle(tree.b1, 2)
    with pytest.raises(PermissionDenied):
        _fuel(energy_people.admin_a, car, date(2025, 3, 3), "40", "320")
    assert not ConsumptionRecord.objects.filter(energy_type="gasoline").exists()


def test_bad_fuel_record_refused_and_energy_unchanged(energy_people, tree):
    car = vehicle(tree.a1, 3)
    with pytest.raises(ValidationError):
        _fuel(energy_people.admin_a, car, date(2025, 3, 3), "-5", "320")
    assert not ConsumptionRecord.objects.filter(energy_type="gasoline").exists()


def test_opening_the_month_sheet_writes_nothing(client, energy_people, tree):
    """Fuel recorded behind the service's back (as an old import would) is not written by a page view."""
    car = vehicle(tree.a1, 4)
    fuel(car, date(2025, 3, 3), "40", "320")
    before = (ConsumptionRecord.objects.count(), ConsumptionRecord.history.count())
    client.force_login(energy_people.reporter_a)
    r = client.get(reverse("energy:sheet", args=[tree.a.pk, 2025, 3]))
    assert r.status_code == 200
    assert (ConsumptionRecord.objects.count(), ConsumptionRecord.history.count()) == before
