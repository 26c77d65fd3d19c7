"""Vehicle fuel is not typed twice: 汽油/柴油 of an institution whose vehicles are in the platform
come from the vehicles app's fuel records (shown as derived); others enter them by hand."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from energy import selectors, services
from energy.models import ConsumptionRecord

from .factories import fuel, profile, record, vehicle


@pytest.fixture
def a_fleet(energy_people, tree):
    """甲厅 has a car in a department below it; two fuel records in March 2025, one in April."""
    car = vehicle(tree.a1, 1)
    fuel(car, date(2025, 3, 3), "40", "320")
    fuel(car, date(2025, 3, 20), "60", "480")
    fuel(car, date(2025, 4, 2), "50", "410", "diesel")
    return car


def test_fuel_summed_from_vehicles_into_institution_months(a_fleet, tree):
    assert services.sync_vehicle_fuel(unit_ids=[tree.a.pk, tree.b.pk], year=2025) == 2
    march = ConsumptionRecord.objects.get(org_unit=tree.a, year=2025, month=3, energy_type="gasoline")
    assert (march.quantity, march.unit, march.cost, march.source) == (Decimal("100"), "L", Decimal("800"), "vehicles")
    # 100 L × 0.73 kg/L × 1.4714 kgce/kg
    assert march.kgce == Decimal("107.4122")
    april = ConsumptionRecord.objects.get(org_unit=tree.a, year=2025, month=4, energy_type="diesel")
    assert april.base_quantity == Decimal("42")  # 50 L × 0.84
    assert not ConsumptionRecord.objects.filter(org_unit=tree.b).exists()
    assert services.sync_vehicle_fuel(unit_ids=[tree.a.pk], year=2025) == 0  # nothing changed


def test_hand_entry_of_derived_fuel_refused(a_fleet, tree):
    with pytest.raises(ValidationError) as exc:
        record(tree.a, 2025, 5, "gasoline", 10)
    assert "自动汇总" in exc.value.message_dict["energy_type"][0]


def test_institution_without_vehicles_enters_fuel_by_hand(a_fleet, tree):
    rec = record(tree.b, 2025, 3, "gasoline", 80, "L", cost=650)
    assert rec.source == "api" and rec.base_quantity == Decimal("58.4")


def test_derived_fuel_is_excluded_from_per_m2(a_fleet, tree):
    profile(tree.a, 2025, area="1000", users=10)
    record(tree.a, 2025, 3, "electricity", 10000)  # 1 229 kgce
    services.sync_vehicle_fuel(unit_ids=[tree.a.pk], year=2025)
    f = selectors.indicators(tree.a, 2025)["figures"]
    assert f.kgce_vehicle == Decimal("107.4122") + Decimal("61.1982")  # 42 kg diesel × 1.4571
    assert f.energy_per_m2 == Decimal("1.229")


def test_fuel_record_removed_in_vehicles_disappears_unless_locked(a_fleet, tree):
    services.sync_vehicle_fuel(unit_ids=[tree.a.pk], year=2025)
    a_fleet.records.filter(date__month=4).delete()
    services.sync_vehicle_fuel(unit_ids=[tree.a.pk], year=2025)
    assert not ConsumptionRecord.objects.filter(org_unit=tree.a, month=4).exists()


def test_submission_brings_fuel_up_to_date(a_fleet, energy_people, tree):
    profile(tree.a, 2025)
    record(tree.a, 2025, 1, "electricity", 1000, cost=800)
    services.submit(actor=energy_people.reporter_a, org_unit=tree.a, period=services.period_of(year=2025, quarter=1))
    assert ConsumptionRecord.objects.filter(org_unit=tree.a, month=3, source="vehicles").exists()


def test_nightly_task_syncs_fuel_and_flags(a_fleet, tree, eager_celery):
    """Runs eagerly on purpose: the task body is the service calls, checked in-process."""
    from energy.tasks import nightly

    out = nightly.delay().get()
    assert set(out) == {"profiles", "fuel_2025", "fuel_2026", "anomalies_2025", "anomalies_2026"}
    assert ConsumptionRecord.objects.filter(org_unit=tree.a, source="vehicles").count() == 2
