"""The vehicle ledger: plates and VINs, purchase caps (2017 办法), quota (编制), drivers, records, disposal."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from datahub.roles import Role
from tests.factories import UserFactory, grant
from vehicles import rules, selectors, services
from vehicles.models import CostRecord, PurchaseCapVersion, QuotaChange, Vehicle, VehicleQuota

from .factories import VehicleFactory, dispose_through_request, registration_fields

pytestmark = pytest.mark.django_db


def fields(unit, **over):
    return registration_fields(unit, **{"odometer_km": 12, **over})


def refused(field, **kwargs):
    with pytest.raises(ValidationError) as exc:
        services.register_vehicle(**kwargs)
    assert field in exc.value.message_dict, exc.value.message_dict
    return exc.value.message_dict[field][0]


# --- Plates and VINs -------------------------------------------------------------------------------


@pytest.mark.parametrize("plate", ["浙A12345", "浙AD12345", "浙AF12345", "浙A12345D", "沪B1234学", "浙a12345"])
def test_valid_plates_incl_eight_character_new_energy(plate):
    assert rules.plate_error(plate.upper()) is None


@pytest.mark.parametrize("plate", ["浙AI2345", "浙A1234", "浙AD123", "A12345", "浙AF1K234", "浙A123456", "哈A12345"])
def test_malformed_plates_refused(plate):
    assert "号牌格式不正确" in rules.plate_error(plate)


@pytest.mark.parametrize(
    ("vin", "message"),
    [
        ("1HGCM8263", "应为17位"),
        ("1HGCM82633A00435I", "I、O、Q"),
        ("1M8GDM9A1KP042788", "校验位应为“X”"),  # North American: check digit enforced
    ],
)
def test_bad_vins_refused(vin, message):
    assert message in rules.vin_error(vin)


@pytest.mark.parametrize("vin", ["1M8GDM9AXKP042788", "LSVAM4187C2184847", "LSVAM4180C2184847", "WVWZZZ1JZ3W386752"])
def test_vins_accepted_domestic_check_digit_lenient(vin):
    # LSVAM4180… carries a wrong check digit: accepted, many older domestic VINs have none.
    assert rules.vin_error(vin) is None


def test_registration_normalises_and_stores(fleet, tree):
    car = services.register_vehicle(
        actor=fleet.disp_a,
        fields=fields(
            tree.a1,
            plate=" 浙ad12345 ",
            vin="lsvam4187c2184847",
            energy_type="bev",
            displacement=None,
            purchase_price=Decimal("170000"),
        ),
    )
    assert (car.plate, car.vin) == ("浙AD12345", "LSVAM4187C2184847")
    assert car.history.count() == 1


def test_duplicate_plate_and_vin_refused(fleet, tree):
    services.register_vehicle(actor=fleet.disp_a, fields=fields(tree.a1))
    assert "已登记" in refused("plate", actor=fleet.disp_a, fields=fields(tree.a1, vin="LSVAM4187C2184848"))
    assert "已登记" in refused("vin", actor=fleet.disp_a, fields=fields(tree.a1, plate="浙A54321"))
    assert Vehicle.objects.count() == 1


def test_bad_plate_refused_by_the_service(fleet, tree):
    assert "号牌格式" in refused("plate", actor=fleet.disp_a, fields=fields(tree.a1, plate="浙AO2345"))
    assert not Vehicle.objects.exists()


def test_engine_vehicle_needs_displacement_and_electric_has_none(fleet, tree):
    assert "排量" in refused("displacement", actor=fleet.disp_a, fields=fields(tree.a1, displacement=None))
    assert "留空" in refused("displacement", actor=fleet.disp_a, fields=fields(tree.a1, energy_type="bev"))


# --- Purchase caps --------------------------------------------------------------------------------


def test_confidential_car_over_price_cap_refused(fleet, tree):
    msg = refused(
        "purchase_price",
        actor=fleet.disp_a,
        fields=fields(tree.a1, category=rules.Category.CONFIDENTIAL, purchase_price=Decimal("125000")),
    )
    assert "机要通信用车 12万元/1.6升" in msg
    assert not Vehicle.objects.exists()


def test_confidential_car_over_displacement_cap_refused(fleet, tree):
    refused(
        "purchase_price",
        actor=fleet.disp_a,
        fields=fields(
            tree.a1, category=rules.Category.CONFIDENTIAL, displacement=Decimal("1.8"), purchase_price=Decimal("100000")
        ),
    )


def test_new_energy_sedan_allowed_up_to_180k_but_not_above(fleet, tree):
    ok = services.register_vehicle(
        actor=fleet.disp_a,
        fields=fields(tree.a1, energy_type="bev", displacement=None, purchase_price=Decimal("180000")),
    )
    assert ok.pk
    refused(
        "purchase_price",
        actor=fleet.disp_a,
        fields=fields(
            tree.a1,
            plate="浙AD00001",
            vin="LSVAM4187C2100001",
            energy_type="bev",
            displacement=None,
            purchase_price=Decimal("180001"),
        ),
    )


def test_gasoline_other_car_over_120k_refused_even_below_nev_cap(fleet, tree):
    refused("purchase_price", actor=fleet.disp_a, fields=fields(tree.a1, purchase_price=Decimal("150000")))


def test_enforcement_vehicle_within_higher_tier_accepted(fleet, tree):
    car = services.register_vehicle(
        actor=fleet.disp_a,
        fields=fields(
            tree.a1,
            category=rules.Category.ENFORCEMENT,
            displacement=Decimal("2.5"),
            purchase_price=Decimal("240000"),
            seats=9,
        ),
    )
    assert car.pk


def test_special_vehicle_has_no_table_cap(fleet, tree):
    car = services.register_vehicle(
        actor=fleet.disp_a,
        fields=fields(
            tree.a1, category=rules.Category.SPECIAL, displacement=Decimal("4.0"), purchase_price=Decimal("900000")
        ),
    )
    assert car.pk


def test_the_new_energy_sedan_cap_applies_to_confidential_cars_too(fleet, tree):
    # 机要通信用车: a fuel car ≤12万元/1.6升, but a new-energy sedan ≤18万元 like any other category.
    nev = {"category": rules.Category.CONFIDENTIAL, "energy_type": "bev", "displacement": None}
    car = services.register_vehicle(actor=fleet.disp_a, fields=fields(tree.a1, **nev, purchase_price=Decimal("168000")))
    assert car.pk
    msg = refused(
        "purchase_price",
        actor=fleet.disp_a,
        fields=fields(tree.a1, plate="浙AD00002", vin="LSVAM4187C2100002", **nev, purchase_price=Decimal("185000")),
    )
    assert "新能源轿车 18万元" in msg


def test_the_new_energy_sedan_cap_holds_in_the_special_category_but_not_for_special_bodies(fleet, tree):
    nev = {"category": rules.Category.SPECIAL, "energy_type": "bev", "displacement": None}
    refused("purchase_price", actor=fleet.disp_a, fields=fields(tree.a1, **nev, purchase_price=Decimal("260000")))
    # An electric vehicle with fixed specialist equipment (专用汽车) is not a sedan: set case by case.
    truck = fields(tree.a1, **nev, body_type=rules.BodyType.SPECIAL, purchase_price=Decimal("900000"))
    assert services.register_vehicle(actor=fleet.disp_a, fields=truck).pk


def test_an_off_road_vehicle_cannot_be_a_fixed_use_car(fleet, tree):
    msg = refused(
        "fixed_use", actor=fleet.disp_a, fields=fields(tree.a1, body_type=rules.BodyType.OFF_ROAD, fixed_use=True)
    )
    assert "越野车不得作为固定用车" in msg
    assert not Vehicle.objects.exists()
    car = services.register_vehicle(actor=fleet.disp_a, fields=fields(tree.a1, body_type="off_road"))
    with pytest.raises(ValidationError) as exc:
        services.update_vehicle(actor=fleet.disp_a, vehicle=car, fields={"fixed_use": True})
    assert "fixed_use" in exc.value.message_dict
    assert not Vehicle.objects.get(pk=car.pk).fixed_use


def test_city_only_confidential_and_fixed_route_cars_bought_from_2025_are_new_energy(fleet, tree):
    city = {"category": rules.Category.CONFIDENTIAL, "use_scope": rules.UseScope.CITY_ONLY}
    msg = refused("energy_type", actor=fleet.disp_a, fields=fields(tree.a1, **city, purchase_date=date(2025, 3, 1)))
    assert "100%" in msg
    refused(
        "energy_type",
        actor=fleet.disp_a,
        fields=fields(tree.a1, use_scope=rules.UseScope.FIXED_ROUTE, purchase_date=date(2025, 3, 1)),
    )
    # Bought before the 2024-12-30 notice took effect: on the ledger as it is.
    assert services.register_vehicle(actor=fleet.disp_a, fields=fields(tree.a1, **city, purchase_date=date(2024, 5, 1)))
    # A 机要通信用车 that leaves the city may still burn fuel; a new-energy one is always fine.
    other = fields(tree.a1, plate="浙A54321", vin="LSVAM4187C2100003", category=rules.Category.CONFIDENTIAL)
    assert services.register_vehicle(actor=fleet.disp_a, fields={**other, "purchase_date": date(2025, 3, 1)})
    with pytest.raises(ValidationError) as exc:
        services.check_purchase(
            actor=fleet.disp_a,
            unit=tree.a1,
            category="confidential",
            energy_type="gasoline",
            price=Decimal("100000"),
            displacement=Decimal("1.5"),
            use_scope="city_only",
            on=date(2025, 6, 1),
        )
    assert "energy_type" in exc.value.message_dict


# --- Quota ----------------------------------------------------------------------------------------


def test_vehicle_beyond_quota_refused_unless_an_approved_quota_change_exists(fleet, tree):
    VehicleQuota.objects.filter(org_unit=tree.a1, category=rules.Category.OTHER).update(quota=1)
    services.register_vehicle(actor=fleet.disp_a, fields=fields(tree.a1))
    second = fields(tree.a1, plate="浙A22222", vin="LSVAM4187C2122222")
    msg = refused("category", actor=fleet.disp_a, fields=second)
    assert "超出编制（编制1辆，已有1辆）" in msg
    QuotaChange.objects.create(org_unit=tree.a1, category="other", delta=1, reason="临时", approved=False)
    refused("category", actor=fleet.disp_a, fields=second)  # not approved yet: still refused
    services.quota_change_approve(
        actor=fleet.bureau, unit=tree.a1, category="other", delta=1, reason="应急任务", document="浙机管〔2026〕1号"
    )
    assert services.register_vehicle(actor=fleet.disp_a, fields=second).pk
    assert Vehicle.objects.filter(org_unit=tree.a1).count() == 2


def test_unit_without_quota_cannot_register(fleet, tree):
    VehicleQuota.objects.filter(org_unit=tree.a1, category="other").delete()
    assert "未核定编制" in refused("category", actor=fleet.disp_a, fields=fields(tree.a1))


def test_disposed_vehicle_frees_its_quota_place(fleet, tree):
    VehicleQuota.objects.filter(org_unit=tree.a1, category="other").update(quota=1)
    old = services.register_vehicle(actor=fleet.disp_a, fields=fields(tree.a1, purchase_date=date(2015, 1, 1)))
    dispose_through_request(
        vehicle=old,
        requester=fleet.clerk_a1,
        handler=grant(UserFactory(), Role.ASSET_ADMIN, tree.a),
        way="sale",
        on=timezone.localdate(),  # the card was booked today, on registration
    )
    assert services.register_vehicle(
        actor=fleet.disp_a, fields=fields(tree.a1, plate="浙A22222", vin="LSVAM4187C2122222")
    ).pk


def test_only_bureau_admin_sets_quota(fleet, tree):
    with pytest.raises(PermissionDenied):
        services.quota_set(actor=fleet.disp_a, unit=tree.a1, category="other", quota=3)
    assert services.quota_set(actor=fleet.bureau, unit=tree.a1, category="other", quota=3).quota == 3


def test_quota_change_needs_reason_and_document(fleet, tree):
    with pytest.raises(ValidationError) as exc:
        services.quota_change_approve(
            actor=fleet.bureau, unit=tree.a1, category="other", delta=1, reason="", document=""
        )
    assert set(exc.value.message_dict) == {"reason", "document"}


# --- Scoping of writes ----------------------------------------------------------------------------


def test_dispatcher_of_a_cannot_register_or_change_b_vehicles(fleet, tree):
    with pytest.raises(PermissionDenied):
        services.register_vehicle(actor=fleet.disp_a, fields=fields(tree.b1))
    car_b = VehicleFactory(org_unit=tree.b1)
    with pytest.raises(PermissionDenied):
        services.update_vehicle(actor=fleet.disp_a, vehicle=car_b, fields={"brand": "改"})
    with pytest.raises(PermissionDenied):
        services.add_record(
            actor=fleet.disp_a, vehicle=car_b, fields={"kind": "toll", "date": date(2026, 1, 1), "amount": Decimal("5")}
        )
    assert not Vehicle.objects.filter(org_unit=tree.b1).exclude(brand="红旗").exists()


def test_moving_a_vehicle_to_another_unit_needs_the_target_in_scope(fleet, tree):
    car = VehicleFactory(org_unit=tree.a1)
    with pytest.raises(PermissionDenied):
        services.update_vehicle(actor=fleet.disp_a, vehicle=car, fields={"org_unit": tree.b1})
    car.refresh_from_db()
    assert car.org_unit == tree.a1


# --- New-energy share -----------------------------------------------------------------------------


def test_new_energy_share_of_the_years_purchases_per_unit(fleet, tree):
    VehicleFactory(org_unit=tree.a1, purchase_date=date(2025, 2, 1), energy_type="bev", displacement=None)
    VehicleFactory(org_unit=tree.a1, purchase_date=date(2025, 3, 1))
    VehicleFactory(org_unit=tree.a1, purchase_date=date(2025, 4, 1))
    VehicleFactory(org_unit=tree.b1, purchase_date=date(2025, 4, 1), energy_type="phev")
    VehicleFactory(org_unit=tree.b1, purchase_date=date(2024, 4, 1))
    rows = {r["org_unit_id"]: r for r in selectors.new_energy_share(fleet.bureau, 2025)}
    assert (rows[tree.a1.pk]["total"], rows[tree.a1.pk]["nev"], rows[tree.a1.pk]["meets"]) == (3, 1, True)  # 33%
    assert (rows[tree.b1.pk]["total"], rows[tree.b1.pk]["nev"], rows[tree.b1.pk]["meets"]) == (1, 1, True)
    VehicleFactory(org_unit=tree.a1, purchase_date=date(2025, 5, 1))
    rows = {r["org_unit_id"]: r for r in selectors.new_energy_share(fleet.bureau, 2025)}
    assert rows[tree.a1.pk]["share"] == Decimal("0.25") and not rows[tree.a1.pk]["meets"]
    assert {r["org_unit_id"] for r in selectors.new_energy_share(fleet.disp_a, 2025)} == {tree.a1.pk}
    # The 30% is a row of the versioned rules table: where it says 20%, the 25% unit meets it.
    PurchaseCapVersion.objects.update(new_energy_share_min=Decimal("0.20"))
    rows = {r["org_unit_id"]: r for r in selectors.new_energy_share(fleet.bureau, 2025)}
    assert rows[tree.a1.pk]["meets"]


# --- Drivers, records, disposal -------------------------------------------------------------------


def test_driver_registered_once_per_person(fleet, tree):
    person = UserFactory(org_unit=tree.a1)
    d = services.save_driver(
        actor=fleet.disp_a, fields={"person": person, "licence_class": "C1", "licence_expires": date(2030, 1, 1)}
    )
    assert d.org_unit == tree.a1
    with pytest.raises(ValidationError) as exc:
        services.save_driver(
            actor=fleet.disp_a, fields={"person": person, "licence_class": "B1", "licence_expires": date(2030, 1, 1)}
        )
    assert "已登记为驾驶员" in exc.value.message_dict["person"][0]


def test_fuel_record_needs_fuel_and_quantity_and_raises_the_odometer(fleet, tree):
    car = VehicleFactory(org_unit=tree.a1, odometer_km=1000)
    with pytest.raises(ValidationError) as exc:
        services.add_record(
            actor=fleet.disp_a, vehicle=car, fields={"kind": "fuel", "date": date(2026, 1, 2), "amount": Decimal("300")}
        )
    # The fuel is the gasoline car's own (derived); the quantity must be given.
    assert set(exc.value.message_dict) == {"quantity"}
    services.add_record(
        actor=fleet.disp_a,
        vehicle=car,
        fields={
            "kind": "fuel",
            "date": date(2026, 1, 2),
            "amount": Decimal("300"),
            "quantity": Decimal("40"),
            "odometer_km": 1500,
        },
    )
    car.refresh_from_db()
    assert car.odometer_km == 1500


def test_insurance_record_needs_expiry(fleet, tree):
    car = VehicleFactory(org_unit=tree.a1)
    with pytest.raises(ValidationError) as exc:
        services.add_record(
            actor=fleet.disp_a,
            vehicle=car,
            fields={"kind": "insurance", "date": date(2026, 1, 2), "amount": Decimal("3000")},
        )
    assert "有效期" in exc.value.message_dict["valid_until"][0]
    assert not CostRecord.objects.exists()


def test_manual_status_only_available_maintenance_sealed(fleet, tree):
    car = VehicleFactory(org_unit=tree.a1)
    assert services.set_status(actor=fleet.disp_a, vehicle=car, status="maintenance").status == "maintenance"
    with pytest.raises(ValidationError):
        services.set_status(actor=fleet.disp_a, vehicle=car, status="disposed")


# --- Renewal --------------------------------------------------------------------------------------


def test_vehicles_older_than_eight_years_are_renewable(fleet, tree, monkeypatch):
    from django.utils import timezone

    today = timezone.localdate()
    old = VehicleFactory(org_unit=tree.a1, purchase_date=today.replace(year=today.year - 9))
    VehicleFactory(org_unit=tree.a1, purchase_date=today.replace(year=today.year - 7), odometer_km=300000)
    VehicleFactory(org_unit=tree.a1, purchase_date=today.replace(year=today.year - 10), status="disposed")
    assert list(selectors.renewable(fleet.disp_a)) == [old]
    # The mileage criterion is off by default; an administrator switches it on in the rules table (a
    # local rule), and the high-mileage 7-year-old car joins.
    PurchaseCapVersion.objects.update(renewal_mileage_km=250000)
    assert selectors.renewable(fleet.disp_a).count() == 2


def test_the_renewal_age_is_a_row_of_the_versioned_rules_table(fleet, tree):
    today = timezone.localdate()
    seven = VehicleFactory(org_unit=tree.a1, purchase_date=today.replace(year=today.year - 7))
    assert selectors.rules_in_force().renewal_years == 8 and not selectors.renewable(fleet.disp_a).exists()
    # A later version (a province that renews after 6 years) takes over from its date.
    PurchaseCapVersion.objects.create(
        code="2026-local", title="某省公务用车更新规定", effective_from=today - timedelta(days=1), renewal_years=6
    )
    assert list(selectors.renewable(fleet.disp_a)) == [seven]


def test_renewal_list_is_scoped(fleet, tree):
    VehicleFactory(org_unit=tree.b1, purchase_date=date(2010, 1, 1))
    assert not selectors.renewable(fleet.disp_a).exists()
    assert selectors.renewable(fleet.disp_b).count() == 1


def test_leader_reads_but_cannot_write(fleet, tree):
    leader = grant(UserFactory(org_unit=tree.r), Role.LEADER, tree.r)
    VehicleFactory(org_unit=tree.b1)
    assert selectors.vehicles_for(leader).count() == 1
    with pytest.raises(PermissionDenied):
        services.register_vehicle(actor=leader, fields=fields(tree.b1))


def test_purchase_request_is_checked_against_caps_and_quota_before_buying(fleet, tree):
    caps = services.check_purchase(
        actor=fleet.disp_a,
        unit=tree.a1,
        category="confidential",
        energy_type="gasoline",
        price=Decimal("118000"),
        displacement=Decimal("1.6"),
    )
    assert caps == ["机要通信用车 12万元/1.6升"]
    with pytest.raises(ValidationError) as exc:
        services.check_purchase(
            actor=fleet.disp_a,
            unit=tree.a1,
            category="confidential",
            energy_type="gasoline",
            price=Decimal("128000"),
            displacement=Decimal("1.6"),
        )
    assert "超出机要通信用车的配备标准" in exc.value.message_dict["purchase_price"][0]
    VehicleQuota.objects.filter(org_unit=tree.a1, category="other").update(quota=0)
    with pytest.raises(ValidationError) as exc:
        services.check_purchase(
            actor=fleet.disp_a,
            unit=tree.a1,
            category="other",
            energy_type="bev",
            price=Decimal("150000"),
            displacement=None,
        )
    assert "超出编制" in exc.value.message_dict["category"][0]
    with pytest.raises(PermissionDenied):
        services.check_purchase(
            actor=fleet.disp_a, unit=tree.b1, category="other", energy_type="bev", price=Decimal("1"), displacement=None
        )
    assert not Vehicle.objects.exists()
