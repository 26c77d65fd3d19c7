"""Monitoring benchmark: ingest GPS points through the ingestion service the way terminals send
them, with every alert rule evaluated on each batch, then replay one trip's track.

Setup (written with ``bulk_create``, not timed): ``1,000 × scale`` vehicles spread over the
generated institutions, one terminal each, one dispatch per vehicle covering the first half of
its day (so 无单出车 runs both ways), the 2026 working calendar, and a fence around the region
root (so every point is tested against a polygon). Each vehicle then sends
``1,000,000 × scale / vehicles`` points — a fix every 10 s, drifting, with the odd burst over
120 km/h and some stretches outside the fence — in batches of 1,000 as JSON-like dicts
(ISO 8601 times), through ``telematics.services.ingest`` — on PostgreSQL the set-based path
(``telematics.staging``: points read in Python, then, after the terminal's row lock, one statement that
takes them as binary arrays, checks them, reads the booked windows, inserts with ``INSERT … SELECT …
RETURNING`` and evaluates the rules as window queries; the alerts written by a third; one transaction per
batch).

Figures:

- ``telematics.ingest`` (points/s, with ``points``, ``batches``, ``alerts``, ``queries_per_batch``).
- ``telematics.copy_floor`` (points/s): the floor, measured in the same run — each batch's points
  (the same dicts) COPYed into the positions table in a transaction of their own, for a twin vehicle
  without a terminal, so both sides write to one table that grows alike; floor and ingest take turns
  batch by batch (which goes first alternates), so a busy moment of the shared machine hits both.
- ``telematics.ingest_vs_copy`` (×): ingest's rate ÷ the floor's (the issue's target: ≥ 0.5).
- ``telematics.ingest_resend`` (points/s): the same batches sent again (all duplicates).
- ``telematics.track_trip`` (ms median / p95): the points of one trip (departure to return,
  ~1,000 points) read with ``selectors.track``.

Size knobs (#17, the table partitioned by month): ``--points N`` (or ``BENCH_POINTS``) sets the points
ingested instead of ``1,000,000 × scale``; ``--history N`` (or ``BENCH_HISTORY``) first writes N points of the
same vehicles over the twelve months before the bench's day, straight into the table with one server-side
``INSERT … SELECT generate_series`` per vehicle (not timed), so ingest and replay run against a table of that
size spread over its month partitions. The partitions of every month written are created first (the beat
task's job), so no point lands in the DEFAULT partition.
"""

import math
import os
import random
import statistics
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from datahub import partitions
from datahub.models import OrgUnit, User
from portal.models import Ticket
from telematics import selectors, services
from telematics.models import Alert, Geofence, Position, Terminal
from vehicles.models import Dispatch, Vehicle

BATCH = 1000
FIX_EVERY = timedelta(seconds=10)
BJ = ZoneInfo("Asia/Shanghai")
DAY_START = datetime(2026, 3, 2, 7, 0, tzinfo=BJ)  # a Monday: the evening part runs the off-hours rule
CENTRE = (120.15, 30.25)
FENCE = [(119.95, 30.05), (120.35, 30.05), (120.35, 30.45), (119.95, 30.45)]
REPS = 20
# BENCH_INGEST_IN_SQL=0 times the Python path (SQLite's) on PostgreSQL: the "before" side, same run and load.
IN_SQL = os.environ.get("BENCH_INGEST_IN_SQL", "1") != "0"


@contextmanager
def count_queries():
    box = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        box["n"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield box


def clear_previous_run() -> None:
    """``--reuse`` keeps the database: drop what an earlier run of this bench wrote (bench data only)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {Position._meta.db_table}, {Alert._meta.db_table}")
        vehicles = Vehicle.objects.filter(vin__startswith="LBENCH") | Vehicle.objects.filter(vin__startswith="LTWIN")
        tickets = list(Dispatch.objects.filter(vehicle__in=vehicles).values_list("ticket_id", flat=True))
        Dispatch.objects.filter(vehicle__in=vehicles).delete()
        Ticket.objects.filter(pk__in=tickets).delete()
        Terminal.objects.filter(vehicle__in=vehicles).delete()
        vehicles.delete()
        Geofence.objects.filter(name="基准围栏").delete()


def setup_fleet(n_vehicles: int, per_vehicle: int) -> tuple[list[Terminal], list[Vehicle]]:
    units = list(OrgUnit.objects.filter(level=OrgUnit.Level.INSTITUTION).order_by("path")) or list(
        OrgUnit.objects.order_by("path")[:1]
    )
    requester = User.objects.order_by("pk").first()
    day_span = FIX_EVERY * per_vehicle
    with transaction.atomic():
        vehicles = Vehicle.objects.bulk_create(
            [
                Vehicle(
                    org_unit=units[i % len(units)],
                    plate=f"浙Z{i:05d}",
                    vin=f"LBENCH{i:011d}",
                    category="other",
                    brand="红旗",
                    model_name="H5",
                    energy_type="gasoline",
                    displacement=Decimal("1.5"),
                )
                for i in range(n_vehicles)
            ],
            batch_size=2000,
        )
        # The floor's twins: the same points, COPYed for a vehicle of their own (no terminal, no rules).
        twins = Vehicle.objects.bulk_create(
            [
                Vehicle(
                    org_unit=units[i % len(units)],
                    plate=f"浙Y{i:05d}",
                    vin=f"LTWIN{i:012d}",
                    category="other",
                    brand="红旗",
                    model_name="H5",
                    energy_type="gasoline",
                    displacement=Decimal("1.5"),
                )
                for i in range(n_vehicles)
            ],
            batch_size=2000,
        )
        terminals = Terminal.objects.bulk_create(
            [
                Terminal(
                    vehicle=v,
                    serial=f"BENCH-{i:06d}",
                    token_hash=services.hash_token(f"bench-{i}"),
                    token_prefix="bench",
                )
                for i, v in enumerate(vehicles)
            ],
            batch_size=2000,
        )
        tickets = Ticket.objects.bulk_create(
            [Ticket(kind="trip", title="用车申请", requester=requester, org_unit=v.org_unit) for v in vehicles],
            batch_size=2000,
        )
        Dispatch.objects.bulk_create(
            [
                Dispatch(
                    vehicle=v,
                    ticket=t,
                    starts_at=DAY_START,
                    ends_at=DAY_START + day_span / 2,
                    departed_at=DAY_START,
                    returned_at=DAY_START + day_span / 2,
                    status="returned",
                )
                for v, t in zip(vehicles, tickets, strict=True)
            ],
            batch_size=2000,
        )
        root = OrgUnit.objects.filter(depth=1).order_by("path").first()
        Geofence.objects.create(org_unit=root, name="基准围栏", polygon=[list(p) for p in FENCE])
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("bench-root", password=None)
    services.load_holidays(actor=admin, year=2026)
    for t, v in zip(terminals, vehicles, strict=True):
        t.vehicle = v
    return terminals, twins


COPY_SQL = 'COPY telematics_position (vehicle_id, "time", lat, lon, speed, ignition) FROM STDIN'


def ensure_months(first: datetime, last: datetime) -> list[str]:
    """The month partitions the bench writes into (the beat task keeps only the months around today)."""
    if not partitions.POSITIONS.is_partitioned():
        return []
    months = partitions.months(
        partitions.month_start(first.astimezone(BJ)), partitions.month_start(last.astimezone(BJ))
    )
    return [partitions.POSITIONS.name_of(m) for m in months if partitions.POSITIONS.create(m)]


HISTORY_SQL = """
INSERT INTO telematics_position (vehicle_id, "time", lat, lon, speed, ignition)
SELECT %(vehicle)s, %(first)s + n * %(step)s, 30.2 + (n %% 1000) * 0.0002, 120.1 + (n %% 997) * 0.0002,
       (n %% 90)::float8, n %% 7 <> 0
FROM generate_series(0, %(count)s - 1) n
"""


def preload_history(vehicles: list[Vehicle], total: int) -> float:
    """``--history``: ``total`` points of the vehicles over the year before DAY_START, one statement (and one
    transaction) per vehicle. Returns the seconds it took (not part of any figure's rate)."""
    per = total // len(vehicles)
    first = DAY_START - timedelta(days=365)
    step = timedelta(days=365) / per
    ensure_months(first, DAY_START)
    t = time.perf_counter()
    for v in vehicles:
        with connection.cursor() as cursor:
            cursor.execute(HISTORY_SQL, {"vehicle": v.pk, "first": first, "step": step, "count": per})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE telematics_position")
    return time.perf_counter() - t


def copy_batch(vehicle_id: int, points: list[dict]) -> None:
    """The floor: the batch as sent, straight into the table (PostgreSQL parses the ISO times)."""
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(COPY_SQL) as copy:
        for p in points:
            copy.write_row((vehicle_id, p["time"], p["lat"], p["lon"], p["speed"], p["ignition"]))


def track_points(rng: random.Random, count: int, start: datetime) -> list[dict]:
    lon, lat = CENTRE[0] + rng.uniform(-0.1, 0.1), CENTRE[1] + rng.uniform(-0.1, 0.1)
    heading = rng.uniform(0, 2 * math.pi)
    points = []
    for i in range(count):
        heading += rng.uniform(-0.3, 0.3)
        speed = max(0.0, min(rng.gauss(55, 25), 160.0))
        step = speed / 3600 * FIX_EVERY.total_seconds() / 111  # degrees per fix, roughly
        lon += step * math.cos(heading)
        lat += step * math.sin(heading)
        points.append(
            {
                "time": (start + FIX_EVERY * i).isoformat(),
                "lat": round(lat, 6),
                "lon": round(lon, 6),
                "speed": round(speed, 1),
                "ignition": speed > 0,
            }
        )
    return points


def run():
    from run import note  # bench/run.py is the entry point and on sys.path

    scale = float(_knob("scale", "BENCH_SCALE") or 1.0)  # run.py parses --scale but passes nothing to run()
    total = int(_knob("points", "BENCH_POINTS") or max(BATCH * 10, int(1_000_000 * scale)))
    history = int(_knob("history", "BENCH_HISTORY") or 0)
    n_vehicles = max(10, int(1000 * scale))
    per_vehicle = max(BATCH, total // n_vehicles)
    per_vehicle -= per_vehicle % BATCH
    note(f"telematics: {n_vehicles} vehicles × {per_vehicle} points")
    clear_previous_run()
    terminals, twins = setup_fleet(n_vehicles, per_vehicle)
    ensure_months(DAY_START, DAY_START + FIX_EVERY * per_vehicle)
    if history:
        seconds = preload_history([t.vehicle for t in terminals], history)
        yield {"name": "telematics.history", "value": round(seconds, 1), "unit": "s", "points": history}
    rng = random.Random(2026)

    batches = per_vehicle // BATCH
    load_before = [round(x, 2) for x in os.getloadavg()]
    ingest_seconds = copy_seconds = 0.0
    queries = 0
    points_sent = 0
    resend: list[tuple[Terminal, list[dict]]] = []
    # A long run (--points) notes each tenth's rates on stderr: does ingest hold its rate as the table grows?
    tenth = max(1, batches // 10)
    mark = (0.0, 0.0, 0)
    for b in range(batches):
        if b and b % tenth == 0 and batches >= 20:
            i_s, c_s, n = ingest_seconds - mark[0], copy_seconds - mark[1], points_sent - mark[2]
            note(
                f"telematics: {points_sent:,} points: last {n:,} at {n / i_s:,.0f} points/s ingest, "
                f"{n / c_s:,.0f} COPY ({c_s / i_s:.3f}×), load {os.getloadavg()[0]:.1f}"
            )
            mark = (ingest_seconds, copy_seconds, points_sent)
        for i, (terminal, twin) in enumerate(zip(terminals, twins, strict=True)):
            start = DAY_START + FIX_EVERY * BATCH * b
            points = track_points(rng, BATCH, start)
            if len(resend) < 50:
                resend.append((terminal, points))
            copy_first = (b + i) % 2 == 0
            if copy_first:
                t = time.perf_counter()
                copy_batch(twin.pk, points)
                copy_seconds += time.perf_counter() - t
            with count_queries() as box:
                t = time.perf_counter()
                services.ingest(terminal=terminal, points=points, in_sql=IN_SQL)
                ingest_seconds += time.perf_counter() - t
            queries += box["n"]
            if not copy_first:
                t = time.perf_counter()
                copy_batch(twin.pk, points)
                copy_seconds += time.perf_counter() - t
            points_sent += len(points)
    n_batches = batches * len(terminals)
    yield {
        "name": "telematics.ingest",
        "value": round(points_sent / ingest_seconds),
        "unit": "points/s",
        "points": points_sent,
        "stored": Position.objects.filter(vehicle__terminal__isnull=False).count(),
        "batches": n_batches,
        "vehicles": len(terminals),
        "seconds": round(ingest_seconds, 1),
        "alerts": Alert.objects.count(),
        "queries_per_batch": round(queries / n_batches, 1),
        "path": "sql" if IN_SQL else "python",
    }
    yield {
        "name": "telematics.copy_floor",
        "value": round(points_sent / copy_seconds),
        "unit": "points/s",
        "points": points_sent,
        "seconds": round(copy_seconds, 1),
    }
    yield {
        "name": "telematics.ingest_vs_copy",
        "value": round(copy_seconds / ingest_seconds, 3),
        "unit": "×",
        "ingest_points_s": round(points_sent / ingest_seconds),
        "copy_points_s": round(points_sent / copy_seconds),
        "load_before": load_before,
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }

    t = time.perf_counter()
    for terminal, points in resend:
        services.ingest(terminal=terminal, points=points)
    seconds = time.perf_counter() - t
    yield {
        "name": "telematics.ingest_resend",
        "value": round(len(resend) * BATCH / seconds),
        "unit": "points/s",
        "batches": len(resend),
    }

    trip = Dispatch.objects.filter(vehicle=terminals[len(terminals) // 2].vehicle).get()
    timings, count = [], 0
    for _ in range(REPS):
        t = time.perf_counter()
        count = len(list(selectors.track(trip.vehicle_id, trip.departed_at, trip.returned_at)))
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    yield {
        "name": "telematics.track_trip",
        "value": round(statistics.median(timings), 2),
        "unit": "ms",
        "p95": round(timings[int(len(timings) * 0.95) - 1], 2),
        "points": count,
        "table_rows": Position.objects.count(),
        "partitions": len(partitions.POSITIONS.existing()),
        "load": [round(x, 2) for x in os.getloadavg()],
    }


def _knob(flag: str, env: str) -> str | None:
    """``--flag N`` / ``--flag=N`` on the command line (run.py declares them), else the environment."""
    import sys

    argv = sys.argv
    for i, arg in enumerate(argv):
        if arg == f"--{flag}" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(f"--{flag}="):
            return arg.split("=", 1)[1]
    return os.environ.get(env)
