"""Vehicle facts derived, not typed (issue #15): a fuel record's fuel is the vehicle's energy type (asked
only of a vehicle that takes two), and a driver's unit is the person's unit in the directory."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from datahub import services as directory
from datahub.models import OrgUnit
from portal import services as portal
from portal.registry import detail_form, get
from tests.factories import UserFactory
from vehicles import rules, selectors, services
from vehicles.models import CostRecord, Driver, TripRequest

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


def test_drivers_unit_follows_the_person_moving_without_the_driver_being_saved(fleet, tree):
    """The directory's move itself moves the driver (datahub.signals.person_moved), no driver save needed."""

    person = UserFactory(org_unit=tree.a1)
    driver = services.save_driver(
        actor=fleet.disp_a, fields={"person": person, "licence_class": "C1", "licence_expires": date(2030, 1, 1)}
    )
    directory.update_user(actor=fleet.admin_a, user=person, org_unit=tree.a)  # within the agency
    assert Driver.objects.get(pk=driver.pk).org_unit == tree.a
    # Moved out of the agency (by the bureau over both): the driver leaves 甲's list and is on 乙's.
    directory.update_user(actor=fleet.bureau, user=person, org_unit=OrgUnit.objects.get(pk=tree.b1.pk))
    assert Driver.objects.get(pk=driver.pk).org_unit == tree.b1
    assert not selectors.drivers_for(fleet.disp_a).filter(pk=driver.pk).exists()
    assert selectors.drivers_for(fleet.disp_b).filter(pk=driver.pk).exists()


def test_a_refused_directory_move_leaves_the_driver_where_it_was(fleet, tree):

    person = UserFactory(org_unit=tree.a1)
    driver = services.save_driver(
        actor=fleet.disp_a, fields={"person": person, "licence_class": "C1", "licence_expires": date(2030, 1, 1)}
    )
    with pytest.raises(PermissionDenied):
        directory.update_user(actor=fleet.admin_b, user=person, org_unit=tree.b1)
    assert Driver.objects.get(pk=driver.pk).org_unit == tree.a1


def test_a_typed_unit_other_than_the_persons_is_refused(fleet, tree):
    person = UserFactory(org_unit=tree.a1)
    with pytest.raises(ValidationError) as exc:
        services.save_driver(
            actor=fleet.disp_a,
            fields={"person": person, "org_unit": tree.a, "licence_class": "C1", "licence_expires": date(2030, 1, 1)},
        )
    assert "人员名录" in exc.value.message_dict["org_unit"][0]


# --- Passengers picked from the directory ----------------------------------------------------------


def trip_form(requester, **data):
    start = timezone.localtime() + timedelta(days=1)
    fields = {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "origin": "省财政厅",
        "destinations": "省人民医院",
        "purpose": "调研",
        "category": "other",
        "needs_driver": "on",
        **data,
    }
    return detail_form(get("vehicle_trip"), requester, fields)


def test_passengers_are_picked_from_the_directory_and_counted(fleet, tree):
    colleague = UserFactory(org_unit=tree.a, name="甲同事", username="colleague_a")
    form = trip_form(fleet.clerk_a1, riders=f"{fleet.clerk_a1.username}，甲同事", guests="王某（某公司）")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["passengers"] == 3
    assert form.cleaned_data["riders"] == [fleet.clerk_a1, colleague]
    assert form.cleaned_data["guest_names"] == "王某（某公司）"
    assert "guests" not in form.cleaned_data


def test_the_filed_trip_links_the_directorys_people_who_follow_a_rename(fleet, tree):
    """Stored as links, not names: a person renamed in the directory is shown by their new name."""

    colleague = UserFactory(org_unit=tree.a, name="甲同事", username="colleague_a")
    form = trip_form(fleet.clerk_a1, riders="colleague_a", guests="王某（某公司）")
    assert form.is_valid(), form.errors
    ticket = portal.file_request(requester=fleet.clerk_a1, kind_code="vehicle_trip", detail_fields=form.cleaned_data)
    trip = TripRequest.objects.get(ticket=ticket)
    assert list(trip.riders.all()) == [colleague] and trip.guest_names == "王某（某公司）"
    directory.update_user(actor=fleet.admin_a, user=colleague, name="甲同事（改名）")
    trip.refresh_from_db()
    assert trip.passenger_text() == "甲同事（改名）；来宾：王某（某公司）"


def test_a_draft_changed_by_the_requester_replaces_its_riders(fleet, tree):

    colleague = UserFactory(org_unit=tree.a, name="甲同事", username="colleague_a")
    form = trip_form(fleet.clerk_a1, riders="colleague_a")
    assert form.is_valid(), form.errors
    ticket = portal.file_request(
        requester=fleet.clerk_a1, kind_code="vehicle_trip", detail_fields=form.cleaned_data, submit=False
    )
    again = trip_form(fleet.clerk_a1, riders=fleet.clerk_a1.username, guests="李某（某协会）")
    assert again.is_valid(), again.errors
    portal.update_draft(actor=fleet.clerk_a1, ticket=ticket, detail_fields=again.cleaned_data)
    trip = TripRequest.objects.get(ticket=ticket)
    assert list(trip.riders.all()) == [fleet.clerk_a1] and colleague not in trip.riders.all()
    assert (trip.passengers, trip.guest_names) == (2, "李某（某协会）")
    # Someone else cannot change the draft's riders.
    with pytest.raises(PermissionDenied):
        portal.update_draft(actor=colleague, ticket=ticket, detail_fields={"riders": [colleague]})
    assert list(trip.riders.all()) == [fleet.clerk_a1]


def test_no_riders_means_the_requester_alone(fleet):
    form = trip_form(fleet.clerk_a1)
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["passengers"], form.cleaned_data["riders"]) == (1, [fleet.clerk_a1])


def test_a_name_not_in_the_directory_or_of_another_unit_is_refused(fleet, tree):
    outsider = UserFactory(org_unit=tree.b1, name="乙同事", username="colleague_b")
    form = trip_form(fleet.clerk_a1, riders=f"查无此人，{outsider.username}")
    assert not form.is_valid()
    errors = " ".join(form.errors["riders"])
    assert "“查无此人”不在本单位人员名录中" in errors and f"“{outsider.username}”不在本单位人员名录中" in errors
