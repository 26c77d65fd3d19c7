"""The trip's odometer distance against the GPS track (issue #15): where the vehicle has a terminal, the
distance the dispatcher recorded on return is compared with the track's length between departure and
return, and a large difference is flagged on the vehicle's track page."""

from datetime import timedelta

import pytest
from django.test import Client

from telematics import rules

from .conftest import at, point
from .factories import dispatch

pytestmark = pytest.mark.django_db


def test_track_length_is_the_sum_of_great_circle_legs():
    # 0.1° of latitude is 11.12 km on the mean Earth radius.
    assert rules.track_km([(120.0, 30.0), (120.0, 30.05), (120.0, 30.1)]) == pytest.approx(11.12, abs=0.01)
    assert rules.track_km([]) == 0


@pytest.mark.parametrize(
    ("odometer", "gps", "flagged"),
    [(100, 95, False), (100, 79, True), (100, 125.1, True), (4, 0, False), (30, 24.5, False)],
)
def test_a_gap_over_a_fifth_and_over_five_km_is_flagged(odometer, gps, flagged):
    assert bool(rules.mileage_gap(odometer, gps)) is flagged


def northwards(start, minutes):
    """A point a minute, 0.01° of latitude further north each (≈1.11 km a minute)."""
    return [point(start + timedelta(minutes=m), lat=30.0 + 0.01 * m, lon=120.0, speed=67) for m in range(minutes + 1)]


def test_track_page_compares_each_returned_trip_and_flags_a_large_gap(fleet, upload):
    for hour in (9, 11):  # two trips of an hour each, ≈66.7 km of track each
        assert upload(fleet.token_a, northwards(at(2026, 3, 2, hour), 60)).status_code in (200, 201)
    for hour, km in ((9, 67), (11, 150)):
        start, end = at(2026, 3, 2, hour), at(2026, 3, 2, hour + 1)
        dispatch(
            fleet.car_a,
            fleet.clerk_a1,
            start,
            end,
            status="returned",
            departed_at=start,
            returned_at=end,
            distance_km=km,
        )
    client = Client()
    client.force_login(fleet.dispatcher_a)
    page = client.get(f"/telematics/vehicles/{fleet.car_a.pk}/track/?date=2026-03-02").content.decode()
    table = page[page.index('id="mileage"') :]
    first, second = table.split("<tr", 3)[2:4]
    assert "67" in first and "66.7" in first and "一致" in first and "差异过大" not in first
    assert "差异过大" in second and "里程表记录150公里" in second


def test_another_units_dispatcher_sees_neither_the_track_nor_the_check(fleet, upload):
    upload(fleet.token_a, northwards(at(2026, 3, 2, 9), 10))
    client = Client()
    client.force_login(fleet.dispatcher_b)
    assert client.get(f"/telematics/vehicles/{fleet.car_a.pk}/track/?date=2026-03-02").status_code == 404
