"""Each alert rule on a hand-made track: it fires, and it stays quiet at the edge."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from telematics import services
from telematics.models import Alert, Terminal
from telematics.rules import AlertKind, DayKind
from telematics.tasks import check_offline_terminals

from .conftest import SQUARE, at, drive, point
from .factories import dispatch

pytestmark = pytest.mark.django_db


def kinds(vehicle, kind):
    return list(Alert.objects.filter(vehicle=vehicle, kind=kind).order_by("started_at"))


@pytest.fixture
def booked(fleet):
    """car_a is dispatched every day of the test weeks, so 无单出车 stays out of the other rules' tests."""
    return dispatch(fleet.car_a, fleet.clerk_a1, at(2026, 1, 1, 0), at(2026, 12, 31, 0))


# --- Over-speed ----------------------------------------------------------------------------------


def test_overspeed_above_the_limit_fires_once_per_episode(fleet, upload):
    track = drive(at(2026, 3, 2, 10), 10, speed=80)
    for i in (3, 4, 5):
        track[i]["speed"] = 121 + i
    upload(fleet.token_a, track)
    [alert] = kinds(fleet.car_a, AlertKind.OVERSPEED)
    assert (alert.point_count, alert.max_speed) == (3, 126)
    assert (alert.started_at, alert.ended_at) == (at(2026, 3, 2, 10, 3), at(2026, 3, 2, 10, 5))
    assert "限速120" in alert.detail


def test_driving_exactly_at_the_limit_is_not_overspeed(fleet, upload):
    upload(fleet.token_a, drive(at(2026, 3, 2, 10), 10, speed=120))
    assert kinds(fleet.car_a, AlertKind.OVERSPEED) == []


def test_unit_speed_limit_overrides_the_default(fleet, upload):
    services.save_rule(
        actor=fleet.dispatcher_a,
        kind=AlertKind.OVERSPEED,
        org_unit=fleet.car_a.org_unit,
        enabled=True,
        threshold=80,
        gap_minutes=5,
    )
    upload(fleet.token_a, drive(at(2026, 3, 2, 10), 2, speed=81))
    upload(fleet.token_b, drive(at(2026, 3, 2, 10), 2, speed=81))
    assert len(kinds(fleet.car_a, AlertKind.OVERSPEED)) == 1
    assert kinds(fleet.car_b, AlertKind.OVERSPEED) == []


def test_disabled_rule_raises_nothing(fleet, upload):
    services.save_rule(
        actor=fleet.dispatcher_a,
        kind=AlertKind.OVERSPEED,
        org_unit=fleet.car_a.org_unit,
        enabled=False,
        threshold=120,
        gap_minutes=5,
    )
    upload(fleet.token_a, drive(at(2026, 3, 2, 10), 2, speed=200))
    assert kinds(fleet.car_a, AlertKind.OVERSPEED) == []


def test_episode_split_across_batches_extends_one_alert(fleet, upload):
    upload(fleet.token_a, drive(at(2026, 3, 2, 10), 3, speed=130))
    body = upload(fleet.token_a, drive(at(2026, 3, 2, 10, 5), 3, speed=140)).json()
    assert body["alerts_created"] == 0 and body["alerts_extended"] >= 1
    [alert] = kinds(fleet.car_a, AlertKind.OVERSPEED)
    assert (alert.started_at, alert.ended_at, alert.point_count, alert.max_speed) == (
        at(2026, 3, 2, 10),
        at(2026, 3, 2, 10, 8),
        8,
        140,
    )


def test_overspeed_again_after_the_gap_is_a_new_alert(fleet, upload):
    upload(fleet.token_a, drive(at(2026, 3, 2, 10), 1, speed=130))
    upload(fleet.token_a, drive(at(2026, 3, 2, 10, 7), 1, speed=130))  # 6 min after the last: gap is 5
    assert len(kinds(fleet.car_a, AlertKind.OVERSPEED)) == 2


# --- Off hours and holidays ----------------------------------------------------------------------


def test_driving_after_office_hours_fires_and_until_then_does_not(fleet, upload, booked):
    upload(fleet.token_a, drive(at(2026, 3, 2, 17, 20), 9))  # 17:20–17:29, Monday
    assert kinds(fleet.car_a, AlertKind.OFF_HOURS) == []
    upload(fleet.token_a, drive(at(2026, 3, 2, 17, 30), 5))
    [alert] = kinds(fleet.car_a, AlertKind.OFF_HOURS)
    assert alert.started_at == at(2026, 3, 2, 17, 30)


def test_before_office_hours_fires(fleet, upload, booked):
    upload(fleet.token_a, drive(at(2026, 3, 2, 8, 20), 10))  # 08:20–08:30
    [alert] = kinds(fleet.car_a, AlertKind.OFF_HOURS)
    assert (alert.started_at, alert.ended_at) == (at(2026, 3, 2, 8, 20), at(2026, 3, 2, 8, 29))


def test_parked_with_engine_off_or_crawling_is_not_use(fleet, upload, booked):
    upload(fleet.token_a, drive(at(2026, 3, 7, 10), 5, speed=0, ignition=False))
    upload(fleet.token_a, drive(at(2026, 3, 7, 11), 5, speed=4.9))
    assert kinds(fleet.car_a, AlertKind.OFF_HOURS) == []


def test_weekend_use_fires(fleet, upload, booked):
    upload(fleet.token_a, drive(at(2026, 3, 7, 10), 5))  # Saturday
    assert len(kinds(fleet.car_a, AlertKind.OFF_HOURS)) == 1


def test_holiday_use_fires_on_a_weekday_holiday(fleet, upload, booked):
    services.load_holidays(actor=fleet.admin_a, year=2026)
    upload(fleet.token_a, drive(at(2026, 10, 1, 10), 5))  # 国庆节, a Thursday
    [alert] = kinds(fleet.car_a, AlertKind.OFF_HOURS)
    assert alert.started_at == at(2026, 10, 1, 10)


def test_adjusted_workday_on_a_saturday_is_a_working_day(fleet, upload, booked):
    services.load_holidays(actor=fleet.admin_a, year=2026)
    upload(fleet.token_a, drive(at(2026, 10, 10, 10), 5))  # 国庆节调休上班, a Saturday
    assert kinds(fleet.car_a, AlertKind.OFF_HOURS) == []


def test_a_days_own_hours_apply(fleet, upload, booked):
    services.set_day(
        actor=fleet.admin_a, date=at(2026, 3, 3, 0).date(), kind=DayKind.WORKDAY, name="夏令时", work_end=time(17, 0)
    )
    upload(fleet.token_a, drive(at(2026, 3, 3, 17, 0), 2))
    assert len(kinds(fleet.car_a, AlertKind.OFF_HOURS)) == 1


# --- No dispatch ---------------------------------------------------------------------------------


def test_moving_without_any_dispatch_fires(fleet, upload):
    upload(fleet.token_a, drive(at(2026, 3, 2, 10), 5))
    [alert] = kinds(fleet.car_a, AlertKind.NO_DISPATCH)
    assert alert.point_count == 6


def test_moving_within_the_booked_window_and_its_grace_does_not_fire(fleet, upload):
    dispatch(fleet.car_a, fleet.dispatcher_a, at(2026, 3, 2, 10), at(2026, 3, 2, 12))
    upload(fleet.token_a, drive(at(2026, 3, 2, 9, 30), 180, every=5))  # 09:30–12:30: grace is 30 min
    assert kinds(fleet.car_a, AlertKind.NO_DISPATCH) == []


def test_moving_after_the_window_and_its_grace_fires(fleet, upload):
    dispatch(fleet.car_a, fleet.dispatcher_a, at(2026, 3, 2, 10), at(2026, 3, 2, 12))
    upload(fleet.token_a, drive(at(2026, 3, 2, 12, 25), 10))  # 12:25–12:35
    [alert] = kinds(fleet.car_a, AlertKind.NO_DISPATCH)
    assert alert.started_at == at(2026, 3, 2, 12, 31)


def test_a_cancelled_dispatch_does_not_cover(fleet, upload):
    dispatch(fleet.car_a, fleet.dispatcher_a, at(2026, 3, 2, 10), at(2026, 3, 2, 12), status="cancelled")
    upload(fleet.token_a, drive(at(2026, 3, 2, 10, 30), 5))
    assert len(kinds(fleet.car_a, AlertKind.NO_DISPATCH)) == 1


def test_another_vehicles_dispatch_does_not_cover(fleet, upload):
    dispatch(fleet.car_b, fleet.dispatcher_b, at(2026, 3, 2, 10), at(2026, 3, 2, 12))
    upload(fleet.token_a, drive(at(2026, 3, 2, 10, 30), 5))
    assert len(kinds(fleet.car_a, AlertKind.NO_DISPATCH)) == 1


# --- Geofence ------------------------------------------------------------------------------------


def test_leaving_the_units_fence_fires_and_inside_or_on_the_line_does_not(fleet, upload, booked):
    services.save_geofence(actor=fleet.dispatcher_a, org_unit=fleet.car_a.org_unit, name="基地", polygon_text=SQUARE)
    upload(
        fleet.token_a, [point(at(2026, 3, 2, 10, m), lon=120.1 + 0.05 * m) for m in range(3)]
    )  # 120.1 → 120.2 (line)
    assert kinds(fleet.car_a, AlertKind.GEOFENCE_EXIT) == []
    upload(fleet.token_a, [point(at(2026, 3, 2, 10, 3 + m), lon=120.21 + 0.01 * m) for m in range(3)])
    [alert] = kinds(fleet.car_a, AlertKind.GEOFENCE_EXIT)
    assert (alert.point_count, alert.lon) == (3, 120.21)


def test_parent_units_fence_applies_to_a_unit_without_one(fleet, upload, booked, tree):
    services.save_geofence(actor=fleet.admin_a, org_unit=tree.a, name="基地", polygon_text=SQUARE)
    upload(fleet.token_a, drive(at(2026, 3, 2, 10), 2, lon=121.0))
    assert len(kinds(fleet.car_a, AlertKind.GEOFENCE_EXIT)) == 1


def test_no_fence_no_geofence_alert(fleet, upload, booked):
    upload(fleet.token_a, drive(at(2026, 3, 2, 10), 2, lon=150.0))
    assert kinds(fleet.car_a, AlertKind.GEOFENCE_EXIT) == []


def test_inactive_fence_is_ignored(fleet, upload, booked):
    services.save_geofence(
        actor=fleet.dispatcher_a, org_unit=fleet.car_a.org_unit, name="基地", polygon_text=SQUARE, is_active=False
    )
    upload(fleet.token_a, drive(at(2026, 3, 2, 10), 2, lon=121.0))
    assert kinds(fleet.car_a, AlertKind.GEOFENCE_EXIT) == []


# --- Offline (Celery beat task) ------------------------------------------------------------------


def test_offline_task_alerts_once_for_a_terminal_silent_beyond_the_threshold(fleet, upload, eager_celery):
    """Eager on purpose: the beat task runs in this process through Celery, whatever REDIS_URL says."""
    now = timezone.now()
    Terminal.objects.filter(pk=fleet.term_a.pk).update(last_seen_at=now - timedelta(hours=24, minutes=1))
    Terminal.objects.filter(pk=fleet.term_b.pk).update(last_seen_at=now - timedelta(hours=23, minutes=59))
    assert check_offline_terminals.delay().get() == {"offline": 1}
    assert check_offline_terminals.delay().get() == {"offline": 0}  # no second alert for the same silence
    [alert] = kinds(fleet.car_a, AlertKind.OFFLINE)
    assert alert.ended_at is None and "T-A-1" in alert.detail
    assert kinds(fleet.car_b, AlertKind.OFFLINE) == []

    upload(fleet.token_a, [point(now - timedelta(minutes=1))])  # it reports again: the episode ends
    alert.refresh_from_db()
    assert alert.ended_at is not None


def test_offline_threshold_per_unit_and_never_seen_terminals(fleet, eager_celery):
    """Eager on purpose (see above)."""
    services.save_rule(
        actor=fleet.dispatcher_b,
        kind=AlertKind.OFFLINE,
        org_unit=fleet.car_b.org_unit,
        enabled=True,
        threshold=2,
        gap_minutes=0,
    )
    old = timezone.now() - timedelta(hours=3)
    Terminal.objects.update(created_at=old)  # neither has reported since registration 3 hours ago
    assert check_offline_terminals.delay().get() == {"offline": 1}
    assert len(kinds(fleet.car_b, AlertKind.OFFLINE)) == 1


def test_deactivated_terminal_is_not_offline(fleet, eager_celery):
    """Eager on purpose (see above)."""
    Terminal.objects.update(is_active=False, last_seen_at=timezone.now() - timedelta(days=3))
    assert check_offline_terminals.delay().get() == {"offline": 0}


# --- Acknowledgement -----------------------------------------------------------------------------


def test_acknowledge_keeps_who_when_and_the_comment(fleet, upload):
    upload(fleet.token_a, drive(at(2026, 3, 2, 10), 1, speed=130))
    alert = kinds(fleet.car_a, AlertKind.OVERSPEED)[0]
    services.acknowledge(actor=fleet.dispatcher_a, alert=alert, comment="已约谈驾驶员")
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by, alert.comment) == ("acknowledged", fleet.dispatcher_a, "已约谈驾驶员")
    assert alert.acknowledged_at is not None


def test_acknowledge_needs_a_comment_and_happens_once(fleet, upload):
    from django.core.exceptions import ValidationError

    upload(fleet.token_a, drive(at(2026, 3, 2, 10), 1, speed=130))
    alert = kinds(fleet.car_a, AlertKind.OVERSPEED)[0]
    with pytest.raises(ValidationError, match="请填写处理意见"):
        services.acknowledge(actor=fleet.dispatcher_a, alert=alert, comment="  ")
    alert.refresh_from_db()
    assert alert.status == "open"
    services.acknowledge(actor=fleet.dispatcher_a, alert=alert, comment="已处理")
    with pytest.raises(ValidationError, match="不能重复处理"):
        services.acknowledge(actor=fleet.dispatcher_a, alert=alert, comment="再处理")


def test_dispatcher_of_another_unit_cannot_acknowledge(fleet, upload):
    from django.core.exceptions import PermissionDenied

    upload(fleet.token_a, drive(at(2026, 3, 2, 10), 1, speed=130))
    alert = kinds(fleet.car_a, AlertKind.OVERSPEED)[0]
    with pytest.raises(PermissionDenied):
        services.acknowledge(actor=fleet.dispatcher_b, alert=alert, comment="越权")
    alert.refresh_from_db()
    assert alert.status == "open"
