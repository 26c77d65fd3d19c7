"""Vehicle facts derived, not typed (issue #15): a fuel record's fuel is the vehicle's energy type (asked
only of a vehicle that takes two), and a driver's unit is the person's unit in the directory."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from datahub import services as directory
from tests.factories import UserFactory
from vehicles import rules, services
from vehicles.models import CostRecord

from .factories import VehicleFactory

pytestmark = pytest.mark.django_db

FUEL = {"kind": "fuel", "date": date(2026, 1, 2), "amount": Decimal("300"), "quantity": Decimal("40")}


@pytest.mark.parametrize(
    ("energy", "fuel"),
    [
        (rules.EnergyType.GASOLINE, "gasoline"),
        (rules.EnergyType.DIESEL, "diesel"),
        (rules.EnergyType.BEV, "electricity"),
    ],
)
def test_fuel_of_a_record_comes_from_the_vehicle(fleet, tree, energy, fuel):
    car = VehicleFactory(org_unit=tree.a1, energy_type=energy)
    record = services.add_record(actor=fleet.disp_a, vehicle=car, fields=FUEL)
    assert record.fuel == fuel


def test_a_fuel_the_vehicle_cannot_take_is_refused_and_nothing_written(fleet, tree):
    car = VehicleFactory(org_unit=tree.a1, energy_type=rules.EnergyType.BEV)
    with pytest.raises(ValidationError) as exc:
        services.add_record(actor=fleet.disp_a, vehicle=car, fields={**FUEL, "fuel": "gasoline"})
    message = exc.value.message_dict["fuel"][0]
    assert "纯电动" in message and "汽油" in message
    assert not CostRecord.objects.filter(vehicle=car).exists()


def test_a_plug_in_hybrid_asks_which_fuel_and_takes_either(fleet, tree):
    car = VehicleFactory(org_unit=tree.a1, energy_type=rules.EnergyType.PHEV)
    with pytest.raises(ValidationError) as exc:
        services.add_record(actor=fleet.disp_a, vehicle=car, fields=FUEL)
    assert "请选择燃料" in exc.value.message_dict["fuel"][0]
    assert services.add_record(actor=fleet.disp_a, vehicle=car, fields={**FUEL, "fuel": "electricity"}).fuel == (
        "electricity"
    )


def test_the_fuel_follows_the_vehicles_energy_type_after_it_is_corrected(fleet, tree):
    car = VehicleFactory(org_unit=tree.a1, energy_type=rules.EnergyType.GASOLINE)
    car.energy_type = rules.EnergyType.DIESEL
    car.save(update_fields=["energy_type"])
    assert services.add_record(actor=fleet.disp_a, vehicle=car, fields=FUEL).fuel == "diesel"


def test_drivers_unit_is_the_persons_and_follows_the_directory(fleet, tree):
    person = UserFactory(org_unit=tree.a1)
    driver = services.save_driver(
        actor=fleet.disp_a, fields={"person": person, "licence_class": "C1", "licence_expires": date(2030, 1, 1)}
    )
    assert driver.org_unit == tree.a1
    directory.update_user(actor=fleet.admin_a, user=person, org_unit=tree.a)
    driver = services.save_driver(actor=fleet.disp_a, driver=driver, fields={"licence_class": "B1"})
    assert driver.org_unit == tree.a


def test_a_typed_unit_other_than_the_persons_is_refused(fleet, tree):
    person = UserFactory(org_unit=tree.a1)
    with pytest.raises(ValidationError) as exc:
        services.save_driver(
            actor=fleet.disp_a,
            fields={"person": person, "org_unit": tree.a, "licence_class": "C1", "licence_expires": date(2030, 1, 1)},
        )
    assert "人员名录" in exc.value.message_dict["org_unit"][0]
