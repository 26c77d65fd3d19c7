"""Monitoring fixtures: one vehicle with a terminal in each of the sibling agencies A and B, a
dispatcher for each, and helpers to post a hand-made track the way a terminal does."""

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from datahub.roles import Role
from telematics import services
from tests.factories import UserFactory, grant
from tests.sharing import shared_fixture

from .factories import VehicleFactory

BJ = ZoneInfo("Asia/Shanghai")
# A square around the test base: lon 120.0–120.2, lat 30.0–30.2.
SQUARE = "120.0,30.0\n120.2,30.0\n120.2,30.2\n120.0,30.2"


def at(y, m, d, hh, mm=0, ss=0) -> datetime:
    """Beijing time, as the terminals and the working calendar speak it."""
    return datetime(y, m, d, hh, mm, ss, tzinfo=BJ)


def point(moment: datetime, *, speed=40.0, lon=120.1, lat=30.1, ignition=True, **extra) -> dict:
    return {"time": moment.isoformat(), "lat": lat, "lon": lon, "speed": speed, "ignition": ignition, **extra}


def drive(start: datetime, minutes: int, *, every=1, **kw) -> list[dict]:
    """A point every ``every`` minutes for ``minutes`` minutes (inclusive of both ends)."""
    return [point(start + timedelta(minutes=m), **kw) for m in range(0, minutes + 1, every)]


def build_fleet(people, tree):
    dispatcher_a = grant(
        UserFactory(username="disp_a", name="甲调度", org_unit=tree.a), Role.VEHICLE_DISPATCHER, tree.a
    )
    dispatcher_b = grant(
        UserFactory(username="disp_b", name="乙调度", org_unit=tree.b), Role.VEHICLE_DISPATCHER, tree.b
    )
    car_a = VehicleFactory(org_unit=tree.a, plate="浙A12345")
    car_b = VehicleFactory(org_unit=tree.b, plate="浙B54321")
    term_a, token_a = services.create_terminal(actor=dispatcher_a, vehicle=car_a, serial="T-A-1")
    term_b, token_b = services.create_terminal(actor=dispatcher_b, vehicle=car_b, serial="T-B-1")
    return SimpleNamespace(
        **vars(people),
        dispatcher_a=dispatcher_a,
        dispatcher_b=dispatcher_b,
        car_a=car_a,
        car_b=car_b,
        term_a=term_a,
        term_b=term_b,
        token_a=token_a,
        token_b=token_b,
    )


shared_fleet, fleet = shared_fixture("fleet", build_fleet)


@pytest.fixture
def upload():
    """POST a batch as a terminal does: ``upload(token, points)`` → response."""

    def send(token, points, **headers):
        client = APIClient()
        return client.post(
            "/api/v1/telematics/positions/",
            {"points": points},
            format="json",
            HTTP_AUTHORIZATION=f"Terminal {token}",
            **headers,
        )

    return send
