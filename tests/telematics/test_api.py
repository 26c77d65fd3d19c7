"""The monitoring API for people: scoped alerts, terminals, fences and tracks; query counts."""

import pytest

from telematics.models import Alert
from telematics.rules import AlertKind

from .conftest import at, drive
from .factories import VehicleFactory, dispatch

pytestmark = pytest.mark.django_db

ALERTS = "/api/v1/telematics/alerts/"


@pytest.fixture
def alerts(fleet, upload):
    upload(fleet.token_a, drive(at(2026, 3, 7, 21), 3, speed=130))
    upload(fleet.token_b, drive(at(2026, 3, 7, 21), 3, speed=130))
    return fleet


def test_dispatcher_sees_only_his_units_alerts(alerts, api):
    body = api(alerts.dispatcher_a).get(ALERTS).json()
    assert body["count"] == 3
    assert {r["plate"] for r in body["results"]} == {"浙A12345"}
    other = Alert.objects.filter(vehicle=alerts.car_b).first()
    assert api(alerts.dispatcher_a).get(f"{ALERTS}{other.pk}/").status_code == 404


def test_leader_of_the_region_sees_both(alerts, api):
    assert api(alerts.leader).get(ALERTS).json()["count"] == 6


def test_civil_servant_sees_no_alerts(alerts, api):
    assert api(alerts.clerk_a1).get(ALERTS).json()["count"] == 0


def test_alert_filters(alerts, api):
    body = api(alerts.leader).get(ALERTS, {"kind": AlertKind.OVERSPEED, "within": alerts.car_b.org_unit_id}).json()
    assert [r["plate"] for r in body["results"]] == ["浙B54321"]


def test_acknowledge_through_the_api(alerts, api):
    alert = Alert.objects.filter(vehicle=alerts.car_a, kind=AlertKind.OVERSPEED).get()
    url = f"{ALERTS}{alert.pk}/acknowledge/"
    empty = api(alerts.dispatcher_a).post(url, {"comment": ""}, format="json")
    assert empty.status_code == 400 and "comment" in empty.json()["fields"]
    ok = api(alerts.dispatcher_a).post(url, {"comment": "已核实为应急任务"}, format="json")
    assert ok.status_code == 200
    assert ok.json()["status"] == "acknowledged" and ok.json()["acknowledged_by_name"] == "甲调度"


def test_dispatcher_of_b_cannot_acknowledge_as_alert_of_a(alerts, api):
    alert = Alert.objects.filter(vehicle=alerts.car_a, kind=AlertKind.OVERSPEED).get()
    response = api(alerts.dispatcher_b).post(f"{ALERTS}{alert.pk}/acknowledge/", {"comment": "x"}, format="json")
    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.status == "open"


def test_leader_reads_but_cannot_acknowledge(alerts, api):
    alert = Alert.objects.filter(vehicle=alerts.car_a, kind=AlertKind.OVERSPEED).get()
    response = api(alerts.leader).post(f"{ALERTS}{alert.pk}/acknowledge/", {"comment": "阅"}, format="json")
    assert response.status_code == 403
    alert.refresh_from_db()
    assert alert.status == "open"


def test_alert_list_query_count_is_fixed(alerts, api, upload, django_assert_num_queries):
    for i in range(5):
        car = VehicleFactory(org_unit=alerts.car_a.org_unit)
        from telematics import services

        _, token = services.create_terminal(actor=alerts.dispatcher_a, vehicle=car, serial=f"T-X-{i}")
        upload(token, drive(at(2026, 3, 7, 22), 2, speed=130))
    client = api(alerts.leader)
    # session user, grants, count, page (vehicle, unit and acknowledger joined)
    with django_assert_num_queries(3):
        body = client.get(ALERTS).json()
    assert body["count"] == 21


def test_terminals_scoped(fleet, api):
    body = api(fleet.dispatcher_a).get("/api/v1/telematics/terminals/").json()
    assert [t["serial"] for t in body["results"]] == ["T-A-1"]
    assert "token_hash" not in body["results"][0]
    assert api(fleet.dispatcher_a).get(f"/api/v1/telematics/terminals/{fleet.term_b.pk}/").status_code == 404


def test_terminal_list_query_count(fleet, api, django_assert_num_queries):
    from telematics import services

    for i in range(5):
        services.create_terminal(
            actor=fleet.dispatcher_a, vehicle=VehicleFactory(org_unit=fleet.car_a.org_unit), serial=f"T-Y-{i}"
        )
    with django_assert_num_queries(3):
        assert api(fleet.leader).get("/api/v1/telematics/terminals/").json()["count"] == 7


def test_vehicle_track_in_time_order_and_scoped(fleet, upload, api):
    upload(fleet.token_a, list(reversed(drive(at(2026, 3, 2, 10), 10))))
    url = f"/api/v1/telematics/vehicles/{fleet.car_a.pk}/track/"
    body = (
        api(fleet.dispatcher_a)
        .get(url, {"start": "2026-03-02T10:02:00+08:00", "end": "2026-03-02T10:05:00+08:00"})
        .json()
    )
    assert body["count"] == 4
    assert [p["time"][11:16] for p in body["points"]] == ["10:02", "10:03", "10:04", "10:05"]
    assert api(fleet.dispatcher_b).get(url, {"start": "2026-03-02", "end": "2026-03-02"}).status_code == 404


def test_vehicle_track_needs_a_valid_range(fleet, api):
    url = f"/api/v1/telematics/vehicles/{fleet.car_a.pk}/track/"
    client = api(fleet.dispatcher_a)
    assert "start" in client.get(url, {"end": "2026-03-02"}).json()["fields"]
    assert "end" in client.get(url, {"start": "2026-03-05", "end": "2026-03-02"}).json()["fields"]
    assert "7天" in client.get(url, {"start": "2026-03-01", "end": "2026-03-20"}).json()["fields"]["end"][0]


def test_dispatch_track_is_between_departure_and_return(fleet, upload, api):
    upload(fleet.token_a, drive(at(2026, 3, 2, 9), 180, every=10))  # 09:00–12:00
    trip = dispatch(
        fleet.car_a,
        fleet.clerk_a1,
        at(2026, 3, 2, 9),
        at(2026, 3, 2, 12),
        departed_at=at(2026, 3, 2, 9, 30),
        returned_at=at(2026, 3, 2, 11, 0),
        status="returned",
    )
    url = f"/api/v1/telematics/dispatches/{trip.pk}/track/"
    body = api(fleet.dispatcher_a).get(url).json()
    assert [p["time"][11:16] for p in body["points"]] == [
        "09:30",
        "09:40",
        "09:50",
        "10:00",
        "10:10",
        "10:20",
        "10:30",
        "10:40",
        "10:50",
        "11:00",
    ]
    assert body["dispatch"] == trip.pk
    assert api(fleet.dispatcher_b).get(url).status_code == 404


def test_dispatch_not_yet_departed_has_no_track(fleet, api):
    trip = dispatch(fleet.car_a, fleet.clerk_a1, at(2026, 3, 2, 9), at(2026, 3, 2, 12))
    response = api(fleet.dispatcher_a).get(f"/api/v1/telematics/dispatches/{trip.pk}/track/")
    assert response.status_code == 400
    assert "尚未出车" in response.json()["fields"]["dispatch"][0]


def test_geofences_scoped(fleet, api):
    from telematics import services

    from .conftest import SQUARE

    services.save_geofence(actor=fleet.dispatcher_b, org_unit=fleet.car_b.org_unit, name="乙基地", polygon_text=SQUARE)
    assert api(fleet.dispatcher_a).get("/api/v1/telematics/geofences/").json()["count"] == 0
    assert api(fleet.dispatcher_b).get("/api/v1/telematics/geofences/").json()["results"][0]["polygon"][0] == [
        120.0,
        30.0,
    ]


def test_geofence_list_query_count(fleet, api, django_assert_num_queries):
    from telematics import services

    from .conftest import SQUARE

    for i in range(6):
        services.save_geofence(actor=fleet.admin_a, org_unit=fleet.car_a.org_unit, name=f"围栏{i}", polygon_text=SQUARE)
    with django_assert_num_queries(3):
        assert api(fleet.leader).get("/api/v1/telematics/geofences/").json()["count"] == 6


@pytest.mark.parametrize("garbage", ["2026-02-30", "2026-02-30T08:00:00", "2026-13-01"])
def test_vehicle_track_refuses_an_impossible_day_with_a_message(fleet, api, garbage):
    url = f"/api/v1/telematics/vehicles/{fleet.car_a.pk}/track/"
    response = api(fleet.dispatcher_a).get(url, {"start": garbage, "end": "2026-03-02"})
    assert response.status_code == 400 and "时间格式不正确" in response.json()["fields"]["start"][0]
