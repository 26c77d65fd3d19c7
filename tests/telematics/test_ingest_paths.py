"""The two ways a batch is ingested give the same answers and the same alerts.

On PostgreSQL a batch is staged with COPY, checked in one query and its rules evaluated as window queries
(``telematics.staging``); SQLite, and ``in_sql=False``, check and evaluate point by point in Python. Here
the same batches go through both, on PostgreSQL, each path from the same starting rows (its writes rolled
back after), and everything a terminal or a dispatcher sees is compared: each batch's answer (or the
rejected points with their reasons), the stored points, the terminal's last positions, and every alert
row. The batches hold what terminals really send: episodes that continue over two batches, points older
than the ones already sent, points out of order, repeats, re-sent batches and bad points.
"""

import random
from datetime import time, timedelta

import pytest
from django.conf import settings
from django.db import transaction

from telematics import services
from telematics.models import Alert, AlertRule, Geofence, Position, Terminal
from telematics.rules import AlertKind, DayKind

from .conftest import SQUARE, at, drive, point
from .factories import dispatch

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the staged path is PostgreSQL's",
    ),
    pytest.mark.django_db,
]

# "Now" for every batch: the future-time check and the end of an offline episode read it.
NOW = at(2026, 12, 1, 12)
TRIANGLE = "120.2,30.0\n120.4,30.1\n120.2,30.2"


@pytest.fixture
def setting(fleet, tree):
    """car_a (unit A) under rules of several levels, two fences of its unit (and a farther and an inactive
    one), the 2026 calendar with a day of short hours, and some dispatches: every rule can fire and stay quiet."""
    services.load_holidays(actor=fleet.admin_a, year=2026)
    services.set_day(actor=fleet.admin_a, date=at(2026, 3, 3, 0).date(), kind=DayKind.WORKDAY, work_end=time(17))
    AlertRule.objects.create(kind=AlertKind.OVERSPEED, org_unit=tree.a, threshold=100, gap_minutes=5)
    AlertRule.objects.create(kind=AlertKind.OVERSPEED, org_unit=tree.r, threshold=90, gap_minutes=10)
    AlertRule.objects.create(kind=AlertKind.OFF_HOURS, org_unit=None, threshold=10, gap_minutes=20)
    AlertRule.objects.create(kind=AlertKind.NO_DISPATCH, org_unit=tree.r, threshold=5, gap_minutes=15)
    AlertRule.objects.create(kind=AlertKind.GEOFENCE_EXIT, org_unit=tree.b, enabled=False, threshold=0)
    services.save_geofence(actor=fleet.admin_a, org_unit=tree.a, name="基地", polygon_text=SQUARE)
    services.save_geofence(actor=fleet.admin_a, org_unit=tree.a, name="东区", polygon_text=TRIANGLE)
    services.save_geofence(
        actor=fleet.admin_a, org_unit=tree.a, name="停用", polygon_text="0,0\n1,0\n1,1", is_active=False
    )
    Geofence.objects.create(org_unit=tree.r, name="全省", polygon=[[100, 20], [130, 20], [130, 40], [100, 40]])
    dispatch(fleet.car_a, fleet.clerk_a1, at(2026, 3, 2, 9), at(2026, 3, 2, 11), returned_at=at(2026, 3, 2, 11, 20))
    dispatch(fleet.car_a, fleet.clerk_a1, at(2026, 3, 2, 13), at(2026, 3, 2, 14), status="cancelled")
    dispatch(fleet.car_a, fleet.clerk_a1, at(2026, 3, 4, 8), at(2026, 3, 4, 18))
    return fleet


def feed(fleet, batches, *, in_sql: bool) -> dict:
    """Send the batches through one path and return what came of it; the writes are rolled back."""
    terminal = Terminal.objects.select_related("vehicle__org_unit").get(pk=fleet.term_a.pk)
    with transaction.atomic():
        answers = []
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
                .values_list(
                    "kind", "started_at", "ended_at", "point_count", "max_speed", "lat", "lon", "detail", "status"
                )
            ),
            "points": list(
                Position.objects.filter(vehicle=fleet.car_a)
                .order_by("time")
                .values_list("time", "lat", "lon", "speed", "ignition")
            ),
            "terminal": (terminal.last_seen_at, terminal.last_position_at),
        }
        transaction.set_rollback(True)
    return outcome


def assert_same(fleet, batches) -> dict:
    in_python = feed(fleet, batches, in_sql=False)
    in_sql = feed(fleet, batches, in_sql=True)
    assert in_sql["answers"] == in_python["answers"]
    assert in_sql["alerts"] == in_python["alerts"]
    assert in_sql["points"] == in_python["points"]
    assert in_sql["terminal"] == in_python["terminal"]
    return in_sql


def shuffled(points, seed):
    points = list(points)
    random.Random(seed).shuffle(points)
    return points


def test_a_working_day_sent_the_way_terminals_send_it(setting):
    morning = drive(at(2026, 3, 2, 8), 40, speed=60)  # off hours until 08:30, booked from 08:30 (grace)
    for i in (5, 6, 7, 30, 31):
        morning[i]["speed"] = 105 + i  # over unit A's 100 km/h
    for i in range(12, 18):
        morning[i]["lon"] = 120.45  # east of both fences
    batches = [
        morning,
        drive(at(2026, 3, 2, 8, 41), 30, speed=101),  # the over-speed goes on in the next batch
        shuffled(drive(at(2026, 3, 2, 7, 30), 29, speed=30), seed=1),  # buffered, older, out of order
        drive(at(2026, 3, 2, 8, 41), 30, speed=101),  # re-sent: all duplicates
        drive(at(2026, 3, 2, 9, 5), 25) + drive(at(2026, 3, 2, 9, 20), 3),  # overlaps, repeats within
        drive(at(2026, 3, 2, 11), 55, lon=120.3, lat=30.05),  # on the triangle's edge; booked until 11:50 (grace)
        drive(at(2026, 3, 2, 13, 10), 10),  # the cancelled booking covers nothing
        drive(at(2026, 3, 2, 12, 30), 5, lon=120.0),  # on the square's edge: inside
        [point(at(2026, 3, 2, 14)), point(at(2026, 3, 2, 14, 1), lon=120.2, lat=30.2)],  # on a shared vertex
        drive(at(2026, 3, 3, 16, 50), 20),  # the day's hours end at 17:00
        drive(at(2026, 3, 4, 7, 50), 20, speed=4.9) + drive(at(2026, 3, 4, 8, 15), 5, ignition=False),  # not use
        drive(at(2026, 4, 5, 10), 5),  # 清明节
        drive(at(2026, 2, 28, 10), 5),  # a Saturday that is a 调休 working day
    ]
    outcome = assert_same(setting, batches)
    kinds = {row[0] for row in outcome["alerts"]}
    assert kinds == {AlertKind.OFF_HOURS, AlertKind.NO_DISPATCH, AlertKind.GEOFENCE_EXIT, AlertKind.OVERSPEED}
    assert any(answer.get("alerts_extended") for answer in outcome["answers"])


def test_an_episode_between_two_alerts_extends_the_later_one(setting):
    batches = [
        drive(at(2026, 3, 7, 19), 5),  # Saturday evening: off hours, gap 20 minutes
        drive(at(2026, 3, 7, 19, 50), 5),
        drive(at(2026, 3, 7, 19, 25), 5),  # within 20 minutes of both
    ]
    outcome = assert_same(setting, batches)
    off_hours = [row for row in outcome["alerts"] if row[0] == AlertKind.OFF_HOURS]
    assert [(row[1], row[2], row[3]) for row in off_hours] == [
        (at(2026, 3, 7, 19), at(2026, 3, 7, 19, 5), 6),
        (at(2026, 3, 7, 19, 25), at(2026, 3, 7, 19, 55), 12),
    ]


def test_bad_points_are_refused_alike_and_nothing_is_written(setting):
    batch = drive(at(2026, 3, 7, 21), 8, speed=130)
    batch[1] = {**batch[1], "lat": 100, "speed": "fast"}
    batch[2] = {**batch[2], "time": "昨天", "lon": None, "ignition": "yes"}
    batch[3] = {**batch[3], "vehicle": "浙B54321", "speed": 251}
    batch[4] = {**batch[4], "time": (NOW + timedelta(minutes=6)).isoformat(), "lon": -180.5, "speed": -1}
    batch[5] = "not a point"
    batch[6] = {**batch[6], "time": None, "lat": True, "lon": float("nan")}
    batch[7] = {**batch[7], "time": int(at(2026, 3, 7, 21, 7).timestamp()), "vehicle": setting.car_a.plate}
    outcome = assert_same(setting, [batch, drive(at(2026, 3, 7, 21), 3, speed=130)])
    rejected = outcome["answers"][0]["rejected"]
    assert [r["index"] for r in rejected] == [1, 2, 3, 4, 5, 6]
    assert rejected[0]["reason"] == "纬度（lat）应在-90到90之间；速度（speed）不是数字。"
    assert outcome["answers"][1]["stored"] == 4


def test_an_offline_episode_ends_when_the_terminal_reports_again(setting):
    Alert.objects.create(vehicle=setting.car_a, kind=AlertKind.OFFLINE, started_at=at(2026, 3, 1, 9))
    outcome = assert_same(setting, [drive(at(2026, 3, 2, 10), 3), drive(at(2026, 3, 2, 10), 3)])
    [offline] = [row for row in outcome["alerts"] if row[0] == AlertKind.OFFLINE]
    assert offline[2] == NOW


def random_batches(seed: int, count: int) -> list[list]:
    """A week of a car's life in batches: drives of random speed (some over the limits, some with the engine
    off), drifting in and out of the fences, with the mess of real uploads — batches sent late or twice,
    points shuffled or repeated, times as ISO text, naive Beijing time or Unix seconds."""
    rng = random.Random(seed)
    sent: list[list] = []
    moment = at(2026, 3, 1, 6)
    lon, lat = 120.1, 30.1
    for _ in range(count):
        batch = []
        for _ in range(rng.randint(20, 120)):
            moment += timedelta(seconds=rng.choice((10, 30, 60, 60, 120, 600, 1800)))
            lon = min(max(lon + rng.uniform(-0.02, 0.02), 119.8), 120.5)
            lat = min(max(lat + rng.uniform(-0.02, 0.02), 29.9), 30.3)
            speed = round(max(0.0, rng.gauss(60, 35)), 1)
            p = point(moment, speed=speed, lon=round(lon, 5), lat=round(lat, 5), ignition=rng.random() > 0.1)
            shape = rng.random()
            if shape < 0.1:
                p["time"] = int(moment.timestamp())
            elif shape < 0.2:
                p["time"] = moment.replace(tzinfo=None).isoformat()
            batch.append(p)
        if rng.random() < 0.2:
            batch += rng.sample(batch, 5)  # repeated within the batch
        if rng.random() < 0.3:
            rng.shuffle(batch)
        if sent and rng.random() < 0.2:
            sent.append(rng.choice(sent))  # a batch sent again
        if rng.random() < 0.15:
            sent.insert(max(0, len(sent) - rng.randint(1, 3)), batch)  # held back: arrives after later ones
        else:
            sent.append(batch)
        moment += timedelta(minutes=rng.choice((0, 5, 30, 240)))
    return sent


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_random_week_gives_the_same_alerts(setting, seed):
    batches = random_batches(seed, 40)
    outcome = assert_same(setting, batches)
    assert len(outcome["alerts"]) > 10
