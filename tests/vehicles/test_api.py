"""The vehicles API: scoped reads and writes, the service's Chinese messages in the error body,
dispatch through the API, and fixed query counts on the list endpoints."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from vehicles.models import CostRecord, Dispatch, Vehicle

from .factories import CostRecordFactory, DriverFactory, VehicleFactory
from .test_trips import approve_all, file

pytestmark = pytest.mark.django_db
API = "/api/v1/vehicles/"


def vehicle_body(unit, **over):
    body = {
        "org_unit": unit.pk,
        "plate": "浙AD66666",
        "vin": "LSVAM4187C2166666",
        "category": "other",
        "brand": "比亚迪",
        "model_name": "秦PLUS",
        "energy_type": "bev",
        "seats": 5,
        "purchase_price": "150000",
        "purchase_date": "2025-06-01",
    }
    return {**body, **over}


def test_dispatcher_registers_a_vehicle_through_the_api(api, fleet, tree):
    response = api(fleet.disp_a).post(f"{API}vehicles/", vehicle_body(tree.a1), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["plate"] == "浙AD66666" and response.json()["status"] == "available"


def test_bad_plate_and_cap_are_refused_with_chinese_field_messages(api, fleet, tree):
    client = api(fleet.disp_a)
    body = client.post(f"{API}vehicles/", vehicle_body(tree.a1, plate="浙AD666"), format="json").json()
    assert "号牌格式不正确" in body["fields"]["plate"][0]
    body = client.post(f"{API}vehicles/", vehicle_body(tree.a1, purchase_price="190000"), format="json").json()
    assert "超出其他公务用车的配备标准" in body["fields"]["purchase_price"][0]
    assert not Vehicle.objects.exists()


def test_dispatcher_of_a_cannot_read_or_change_b_vehicles_by_api(api, fleet, tree):
    car_b = VehicleFactory(org_unit=tree.b1)
    VehicleFactory(org_unit=tree.a1)
    client = api(fleet.disp_a)
    assert [v["org_unit"] for v in client.get(f"{API}vehicles/").json()["results"]] == [tree.a1.pk]
    assert client.get(f"{API}vehicles/{car_b.pk}/").status_code == 404
    assert client.patch(f"{API}vehicles/{car_b.pk}/", {"brand": "改"}, format="json").status_code == 404
    response = client.post(f"{API}vehicles/", vehicle_body(tree.b1), format="json")
    assert response.status_code == 400 and "org_unit" in response.json()["fields"]
    response = client.post(f"{API}records/", {"vehicle": car_b.pk, "kind": "toll", "date": "2026-01-01", "amount": "5"})
    assert response.status_code == 400 and "vehicle" in response.json()["fields"]
    assert not CostRecord.objects.exists()


def test_records_by_api_check_the_rules(api, fleet, tree):
    car = VehicleFactory(org_unit=tree.a1)
    client = api(fleet.disp_a)
    bad = client.post(
        f"{API}records/", {"vehicle": car.pk, "kind": "insurance", "date": "2026-01-01", "amount": "3000"}
    )
    assert bad.status_code == 400 and "valid_until" in bad.json()["fields"]
    ok = client.post(
        f"{API}records/",
        {"vehicle": car.pk, "kind": "insurance", "date": "2026-01-01", "amount": "3000", "valid_until": "2027-01-01"},
    )
    assert ok.status_code == 201


def test_dispatch_and_departure_through_the_api(api, fleet, tree):
    car = VehicleFactory(org_unit=tree.a, odometer_km=500)
    driver = DriverFactory(org_unit=tree.a)
    ticket = approve_all(file(fleet.clerk_a1))
    client = api(fleet.disp_a)
    response = client.post(f"{API}dispatches/", {"ticket": ticket.pk, "vehicle": car.pk, "driver": driver.pk})
    assert response.status_code == 201, response.json()
    dispatch_id = response.json()["id"]
    second = approve_all(file(fleet.clerk_a1))
    clash = client.post(
        f"{API}dispatches/", {"ticket": second.pk, "vehicle": car.pk, "driver": DriverFactory(org_unit=tree.a).pk}
    )
    assert clash.status_code == 400 and "已被派出" in clash.json()["fields"]["vehicle"][0]
    bad = client.post(f"{API}dispatches/{dispatch_id}/depart/", {"odometer_km": "abc"})
    assert bad.status_code == 400 and "odometer_km" in bad.json()["fields"]
    ok = client.post(f"{API}dispatches/{dispatch_id}/depart/", {"odometer_km": 500})
    assert ok.json()["status"] == "departed"


def test_dispatcher_of_b_cannot_dispatch_a_request_by_api(api, fleet, tree):
    car_b = VehicleFactory(org_unit=tree.b)
    ticket = approve_all(file(fleet.clerk_a1))
    response = api(fleet.disp_b).post(f"{API}dispatches/", {"ticket": ticket.pk, "vehicle": car_b.pk}, format="json")
    assert response.status_code == 400 and "ticket" in response.json()["fields"]
    assert not Dispatch.objects.exists()


def test_civil_servant_sees_no_vehicles(api, fleet, tree):
    VehicleFactory(org_unit=tree.a1)
    assert api(fleet.clerk_a1).get(f"{API}vehicles/").json()["results"] == []


# session-less token auth: user, grants (scope), count, page (joined), no per-row query.
@pytest.mark.parametrize(("endpoint", "queries"), [("vehicles", 3), ("drivers", 3), ("records", 3), ("dispatches", 3)])
def test_list_endpoints_use_a_fixed_number_of_queries(api, fleet, tree, endpoint, queries, django_assert_num_queries):
    from portal.models import Ticket

    ticket = Ticket.objects.create(kind="vehicle_trip", title="t", requester=fleet.clerk_a1, org_unit=tree.a1)
    start = timezone.now()
    for _ in range(25):
        car = VehicleFactory(org_unit=tree.a1)
        driver = DriverFactory(org_unit=tree.a1)
        CostRecordFactory(vehicle=car, date=date(2026, 1, 1))
        Dispatch.objects.create(
            vehicle=car, driver=driver, ticket=ticket, starts_at=start, ends_at=start + timedelta(hours=1)
        )
    client = api(fleet.disp_a)
    with django_assert_num_queries(queries):
        response = client.get(f"{API}{endpoint}/")
    assert response.status_code == 200 and response.json()["count"] == 25


def test_the_list_gives_each_vehicle_as_the_serializer_gives_it(api, fleet, tree):
    """The list reads its page as values() (datahub.api.rows); each row is still what VehicleSerializer gives
    for the vehicle: with a card its price, date and number, without one no number and null price and date."""
    from vehicles.api.serializers import VehicleSerializer

    with_card = VehicleFactory(org_unit=tree.a1, plate="浙A00001", purchase_price=Decimal("123456.70"))
    without = VehicleFactory(org_unit=tree.a1, plate="浙A00002", asset=None)
    rows = {r["id"]: r for r in api(fleet.disp_a).get(f"{API}vehicles/").json()["results"]}
    for vehicle in (with_card, without):
        vehicle = Vehicle.objects.select_related("org_unit", "asset").get(pk=vehicle.pk)
        assert rows[vehicle.pk] == json.loads(json.dumps(VehicleSerializer(vehicle).data, cls=JSONEncoder))
    assert rows[with_card.pk]["purchase_price"] == "123456.70" and "asset_number" in rows[with_card.pk]
    assert "asset_number" not in rows[without.pk] and rows[without.pk]["purchase_date"] is None
