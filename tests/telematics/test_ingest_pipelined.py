"""A batch sent outside a transaction — as the API sends it (ATOMIC_REQUESTS is off) — goes out in psycopg's
pipeline mode on PostgreSQL (BEGIN, the lock and the store-and-evaluate statement in one round trip, the
alerts and COMMIT in a second). Its answers, stored points, terminal and alerts are those of the Python path,
batch after batch and across batches, and a refused batch leaves nothing behind."""

import pytest
from django.conf import settings
from django.db import connection
from psycopg import pq

from telematics import services
from telematics.models import Alert, Position, Terminal

from .conftest import at, drive
from .test_ingest_paths import NOW, random_batches, setting  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the pipeline is PostgreSQL's",
    ),
    pytest.mark.django_db(transaction=True),
]


def feed(fleet, batches, *, in_sql: bool) -> tuple[dict, list[bool]]:
    """Send the batches one by one, each in no transaction of the caller's; what came of it, and for each
    statement sent whether the connection was in pipeline mode. Then wipe what was written."""
    terminal = Terminal.objects.select_related("vehicle__org_unit").get(pk=fleet.term_a.pk)
    piped: list[bool] = []

    def watch(execute, sql, params, many, context):
        piped.append(connection.connection.pgconn.pipeline_status != pq.PipelineStatus.OFF)
        return execute(sql, params, many, context)

    answers = []
    with connection.execute_wrapper(watch):
        for points in batches:
            try:
                answers.append(services.ingest(terminal=terminal, points=points, now=NOW, in_sql=in_sql).as_dict())
            except services.BatchRejected as exc:
                answers.append({"rejected": exc.rejected, "detail": exc.message})
    terminal.refresh_from_db()
    outcome = {
        "answers": answers,
        "alerts": list(
            Alert.objects.filter(vehicle=fleet.car_a)
            .order_by("kind", "started_at", "ended_at")
            .values_list("kind", "started_at", "ended_at", "point_count", "max_speed", "lat", "lon", "detail")
        ),
        "points": list(
            Position.objects.filter(vehicle=fleet.car_a).order_by("time").values_list("time", "lat", "lon", "speed")
        ),
        "terminal": (terminal.last_seen_at, terminal.last_position_at),
    }
    for answer in answers:
        answer.pop("alerts_created", None)  # alert ids: each path's own rows
    Alert.objects.filter(vehicle=fleet.car_a).delete()
    Position.objects.filter(vehicle=fleet.car_a).delete()
    Terminal.objects.filter(pk=terminal.pk).update(last_seen_at=None, last_position_at=None)
    return outcome, piped


def test_batches_through_the_pipeline_give_the_python_paths_answers_and_alerts(setting):  # noqa: F811
    bad = drive(at(2026, 3, 7, 21), 4, speed=130)
    bad[2] = {**bad[2], "lat": 100}
    batches = [*random_batches(1, 10), bad, drive(at(2026, 3, 7, 21), 3, speed=130)]
    piped, pipeline = feed(setting, batches, in_sql=True)
    in_python, _ = feed(setting, batches, in_sql=False)
    assert all(pipeline) and len(pipeline) >= 2 * len(batches) - 1  # the lock and the statement at least
    assert piped == in_python
    assert piped["answers"][-2]["rejected"] == [{"index": 2, "reason": "纬度（lat）应在-90到90之间。"}]
    assert piped["answers"][-1]["stored"] == 4  # the refused batch's same minutes were not kept
    assert len(piped["alerts"]) > 5
