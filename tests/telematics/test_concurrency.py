"""A terminal's retry racing its original upload, on two PostgreSQL connections."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from telematics import services
from telematics.models import Alert, Position, Terminal
from telematics.rules import AlertKind

from .conftest import at, drive

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL: row locks across two connections",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_same_batch_twice_at_once_stores_each_point_once_and_raises_one_alert_per_rule(fleet):
    batch = drive(at(2026, 3, 7, 21), 20, speed=130)  # Saturday night, over the limit, no dispatch
    barrier = threading.Barrier(2)
    results: list[dict] = []
    errors: list[Exception] = []

    def send():
        try:
            terminal = Terminal.objects.select_related("vehicle__org_unit").get(pk=fleet.term_a.pk)
            barrier.wait(timeout=10)
            results.append(services.ingest(terminal=terminal, points=batch).as_dict())
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert errors == []
    assert sorted((r["stored"], r["duplicates"]) for r in results) == [(0, 21), (21, 0)]
    assert Position.objects.filter(vehicle=fleet.car_a).count() == 21
    for kind in (AlertKind.OVERSPEED, AlertKind.OFF_HOURS, AlertKind.NO_DISPATCH):
        assert Alert.objects.filter(vehicle=fleet.car_a, kind=kind).count() == 1, kind


def test_two_halves_of_one_episode_at_once_give_one_alert(fleet):
    """The terminal's row lock orders the two batches, so the second extends the first's alert."""
    first, second = drive(at(2026, 3, 2, 10), 4, speed=130), drive(at(2026, 3, 2, 10, 5), 4, speed=130)
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def send(points):
        try:
            terminal = Terminal.objects.select_related("vehicle__org_unit").get(pk=fleet.term_a.pk)
            barrier.wait(timeout=10)
            services.ingest(terminal=terminal, points=points)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(p,)) for p in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert errors == []
    [alert] = Alert.objects.filter(vehicle=fleet.car_a, kind=AlertKind.OVERSPEED)
    assert (alert.started_at, alert.ended_at, alert.point_count) == (at(2026, 3, 2, 10), at(2026, 3, 2, 10, 9), 10)
