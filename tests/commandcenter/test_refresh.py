"""The roll-up follows the domain writes: a committed write refreshes its unit and month (Celery in eager mode,
on purpose: the hook's task runs in the test's process), a rolled-back one refreshes nothing, many writes in
one transaction refresh once (a test's own transaction never commits, so each write
below runs in its own captured block); the rebuild command puts back exactly what the selectors say."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from commandcenter import rules, tasks
from commandcenter.models import UnitMonth
from datahub.figures import month_of
from tests.vehicles.factories import CostRecordFactory, VehicleFactory


def cost_of(unit, month):
    row = UnitMonth.objects.filter(org_unit=unit, month=month, key="vehicle_cost").first()
    return row and row.value


class Boom(Exception):
    pass


def test_fuel_record_refreshes_its_unit_and_month_on_commit(eager_celery, tree, django_capture_on_commit_callbacks):
    this_month = month_of(timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        car = VehicleFactory(org_unit=tree.a)
    with django_capture_on_commit_callbacks(execute=True):
        CostRecordFactory(vehicle=car, date=timezone.localdate(), amount=Decimal("500"))
    assert cost_of(tree.a, this_month) == 500


def test_writes_of_one_transaction_refresh_once(eager_celery, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        car = VehicleFactory(org_unit=tree.a)
        for amount in (100, 200, 300):
            CostRecordFactory(vehicle=car, date=date(2026, 1, 10), amount=Decimal(amount))
    assert len(callbacks) == 1
    assert cost_of(tree.a, date(2026, 1, 1)) == 600


def test_rolled_back_write_refreshes_nothing_and_the_next_write_still_does(
    eager_celery, tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        car = VehicleFactory(org_unit=tree.a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom), transaction.atomic():
        CostRecordFactory(vehicle=car, date=date(2026, 1, 10), amount=Decimal("100"))
        raise Boom
    assert not callbacks
    assert cost_of(tree.a, date(2026, 1, 1)) is None
    with django_capture_on_commit_callbacks(execute=True):
        CostRecordFactory(vehicle=car, date=date(2026, 1, 12), amount=Decimal("70"))
    assert cost_of(tree.a, date(2026, 1, 1)) == 70


def test_deleting_the_last_record_removes_the_figure(eager_celery, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        car = VehicleFactory(org_unit=tree.a)
        record = CostRecordFactory(vehicle=car, date=date(2026, 1, 10), amount=Decimal("100"))
    with django_capture_on_commit_callbacks(execute=True):
        record.delete()
    assert cost_of(tree.a, date(2026, 1, 1)) is None


def test_rebuild_command_restores_the_selectors_answer_and_drops_stray_rows(tree):
    car = VehicleFactory(org_unit=tree.a)
    CostRecordFactory(vehicle=car, date=timezone.localdate(), amount=Decimal("250"))
    UnitMonth.objects.create(org_unit=tree.b, month=date(2026, 1, 1), key="vehicle_cost", value=Decimal("999"))
    out = StringIO()
    call_command("rebuild_rollups", stdout=out)
    assert "已重建月度汇总" in out.getvalue()
    assert cost_of(tree.a, month_of(timezone.localdate())) == 250
    assert cost_of(tree.b, date(2026, 1, 1)) is None
    assert not UnitMonth.objects.filter(month__lt=date(2020, 1, 1)).exists()


def test_beat_refresh_of_recent_months_is_idempotent(tree):
    car = VehicleFactory(org_unit=tree.a)
    CostRecordFactory(vehicle=car, date=timezone.localdate(), amount=Decimal("40"))
    tasks.refresh_recent()
    first = list(
        UnitMonth.objects.values_list("org_unit", "month", "key", "value").order_by("org_unit", "month", "key")
    )
    tasks.refresh_recent()
    again = list(
        UnitMonth.objects.values_list("org_unit", "month", "key", "value").order_by("org_unit", "month", "key")
    )
    assert first == again
    assert cost_of(tree.a, month_of(timezone.localdate())) == 40


def test_history_keeps_24_months_and_the_baseline_year():
    spans = rules.history_spans(date(2026, 12, 6))
    assert spans == [(date(2020, 1, 1), date(2021, 1, 1)), (date(2025, 1, 1), date(2027, 1, 1))]
