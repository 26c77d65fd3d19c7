"""Office-space fixtures: a building of the provincial agency A with offices, and helpers."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from officespace import services
from officespace.models import Assessment
from tests.sharing import shared_fixture

START = date(2026, 1, 5)


@pytest.fixture(autouse=True)
def _checks_run_eagerly(eager_celery):
    """Eager mode on purpose: the over-standard check that follows each change runs in-process
    after commit, whatever REDIS_URL says (CI sets it, and no worker consumes these tests' tasks)."""


def build_building(staff, tree):
    """甲厅's building (province 330000 → 省级 standards), one floor of 400 m², managed by space_a."""
    b = services.create_building(
        actor=staff.space_a,
        code="A-1",
        name="甲厅1号楼",
        address="杭州市某路1号",
        org_unit=tree.a,
        building_area=Decimal("2000"),
        use_area=Decimal("1500"),
    )
    floor = services.create_floor(actor=staff.space_a, building=b, number=5, use_area=Decimal("400"))
    return SimpleNamespace(building=b, floor=floor)


shared_building, building = shared_fixture("building", build_building)


@pytest.fixture
def room(staff, building):
    def make(number, area, unit=None, **fields):
        return (
            services.create_room(
                actor=staff.space_a, floor=building.floor, number=number, use_area=Decimal(str(area)), **fields
            )
            if unit is None
            else services.create_room(
                actor=staff.space_a,
                floor=building.floor,
                number=number,
                use_area=Decimal(str(area)),
                org_unit=unit,
                **fields,
            )
        )

    return make


@pytest.fixture
def seat(staff, django_capture_on_commit_callbacks):
    """Seat a person and run the per-room check the way production does (on commit, through Celery)."""

    def make(room, person, **kwargs):
        kwargs.setdefault("start_date", START)
        with django_capture_on_commit_callbacks(execute=True):
            return services.assign_occupancy(actor=staff.space_a, room=room, person=person, **kwargs)

    return make


def assessment_of(occupancy) -> Assessment:
    return Assessment.objects.get(occupancy=occupancy)


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def space_b(staff, tree):
    from datahub.roles import Role
    from tests.factories import UserFactory, grant

    return grant(UserFactory(username="space_b", name="乙房管员", org_unit=tree.b), Role.SPACE_ADMIN, tree.b)


@pytest.fixture
def b_room(space_b, tree):
    """A building and an office of agency B (乙厅), made by B's space administrator."""
    b = services.create_building(
        actor=space_b,
        code="B-1",
        name="乙厅大楼",
        address="杭州市某路2号",
        org_unit=tree.b,
        building_area=Decimal("900"),
        use_area=Decimal("700"),
    )
    floor = services.create_floor(actor=space_b, building=b, number=2)
    return services.create_room(actor=space_b, floor=floor, number="乙201", use_area=Decimal("30"))
