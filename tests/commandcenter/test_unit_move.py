"""A unit moved in the directory takes its figures with it: once the move commits, the subtree sums of its old
ancestors lose them and those of its new ancestors gain them, without waiting for the nightly rebuild (Celery
in eager mode, on purpose: the hook's task runs in the test's process). A refused or rolled-back move leaves
the sums as they were."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commandcenter import services
from commandcenter.models import SubtreeMonth
from datahub import services as directory
from datahub.figures import month_of
from tests.factories import OrgUnitFactory, department, region, superuser
from tests.vehicles.factories import CostRecordFactory, VehicleFactory


def cost_below(unit, month):
    row = SubtreeMonth.objects.filter(org_unit=unit, month=month, key="vehicle_cost").first()
    return row.value if row else None


@pytest.fixture
def world(db):
    """省 ─┬─ 甲厅 ── 甲处 (a car with 300 元 of costs this month and 200 元 in January 2025)
    └─ 乙厅"""
    top = region(code="MR", name="测试省")
    a = OrgUnitFactory(code="MA", name="甲厅", parent=top)
    b = OrgUnitFactory(code="MB", name="乙厅", parent=top)
    a1 = department(a, code="MA1", name="甲处")
    car = VehicleFactory(org_unit=a1)
    CostRecordFactory(vehicle=car, date=timezone.localdate(), amount=Decimal("300"))
    CostRecordFactory(vehicle=car, date=date(2025, 1, 10), amount=Decimal("200"))
    for s, e in ((date(2025, 1, 1), date(2025, 2, 1)), (month_of(timezone.localdate()), timezone.localdate())):
        services.rollup_refresh(start=s, end=e)
    return top, a, b, a1


def test_moving_a_department_moves_its_figures_to_the_new_agency(
    eager_celery, world, django_capture_on_commit_callbacks
):
    top, a, b, a1 = world
    now = month_of(timezone.localdate())
    assert (cost_below(a, now), cost_below(b, now)) == (300, None)
    with django_capture_on_commit_callbacks(execute=True):
        directory.move_org_unit(actor=superuser(), unit=a1, parent=b)
    assert cost_below(a, now) is None  # the old agency no longer holds it
    assert cost_below(b, now) == 300  # the new one does
    assert cost_below(b, date(2025, 1, 1)) == 200  # in every kept month
    assert cost_below(top, now) == 300  # the common ancestor is unchanged
    assert cost_below(a1, now) == 300  # and so is the moved unit's own subtree


def test_a_rolled_back_move_leaves_the_sums_as_they_were(eager_celery, world, django_capture_on_commit_callbacks):
    _top, a, b, a1 = world
    now = month_of(timezone.localdate())
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        directory.move_org_unit(actor=superuser(), unit=a1, parent=b)
        raise RuntimeError
    assert not callbacks
    assert (cost_below(a, now), cost_below(b, now)) == (300, None)


def test_a_move_the_directory_refuses_changes_nothing(eager_celery, world, people):
    _top, a, b, a1 = world
    now = month_of(timezone.localdate())
    with pytest.raises(ValidationError) as below_itself:
        directory.move_org_unit(actor=superuser(), unit=a, parent=a1)
    assert "下级" in str(below_itself.value.message_dict["parent"])
    with pytest.raises(ValidationError) as shape:
        directory.move_org_unit(actor=superuser(), unit=b, parent=a1)  # an agency under a department
    assert "level" in shape.value.message_dict
    with pytest.raises(PermissionDenied):
        directory.move_org_unit(actor=people.admin_a, unit=a1, parent=b)  # manages neither
    a1.refresh_from_db()
    assert a1.path.startswith(a.path)
    assert (cost_below(a, now), cost_below(b, now)) == (300, None)
