"""The partitions PostgreSQL reads for the time-filtered queries of the partitioned tables (#17): track replay,
the GPS alert rules' check of an ingest batch, the Python ingest path's duplicate check, and the energy figures'
year and quarter reads. Prints each statement's plan (``EXPLAIN``; ``ANALYZE`` where pruning happens at run
time) and the partitions it touches, out of those that exist.

    DATABASE_URL=postgres://…/yw_part_bench .venv/bin/python bench/explain_partitions.py

Run it on the telematics bench's database (``bench/run.py --only telematics``): the trip replayed is a bench
vehicle's. Reads only; the ANALYZEd check runs in a transaction that is rolled back."""

import os
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-key-not-a-secret-" + "x" * 30)

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from datahub.partitions import ENERGY, POSITIONS  # noqa: E402
from energy.models import ConsumptionRecord  # noqa: E402
from telematics import selectors, staging  # noqa: E402
from telematics.models import Position, Terminal  # noqa: E402
from vehicles.models import Dispatch  # noqa: E402


def show(title: str, plan: str, table) -> None:
    names = [*table.existing(), table.default]
    read = [
        n for n in names if re.search(rf"\b{n}\b", plan) and not re.search(rf"on {n}\b[^\n]*\(never executed\)", plan)
    ]
    lines = [line if len(line) <= 160 else line[:157] + "…" for line in plan.splitlines()]
    shown = "\n".join(lines)
    print(f"### {title}\n\npartitions read: {len(read)} of {len(names)} ({', '.join(read)})\n\n```\n{shown}\n```\n")


def explain_sql(sql: str, params, analyze=False) -> str:
    options = "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF" if analyze else "COSTS OFF"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    trip = Dispatch.objects.filter(vehicle__vin__startswith="LBENCH", returned_at__isnull=False).order_by("pk").first()
    print(f"positions: {Position.objects.count():,} rows, {len(POSITIONS.existing())} month partitions + DEFAULT\n")
    track = selectors.track(trip.vehicle_id, trip.departed_at, trip.returned_at)
    show("Track replay (`telematics.selectors.track`, one trip)", track.explain(), POSITIONS)

    terminal = Terminal.objects.get(vehicle_id=trip.vehicle_id)
    now = trip.returned_at + timedelta(hours=1)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(staging.CREATE_STAGE)
            cursor.execute(
                f'INSERT INTO {staging.STAGE} (idx, "time", lat, lon, speed, ignition) '
                "SELECT n, %s + n * interval '10 seconds', 30.2, 120.1, 40, true FROM generate_series(0, 999) n",
                [trip.returned_at],
            )
        params = {**staging._CHECK_PARAMS, "vehicle": terminal.vehicle_id, "latest": now + timedelta(minutes=5)}
        plan = explain_sql(staging.CHECK, params, analyze=True)
        transaction.set_rollback(True)
    show("GPS alert rules: an ingest batch's check (`telematics.staging.CHECK`, EXPLAIN ANALYZE)", plan, POSITIONS)

    times = [trip.departed_at + timedelta(seconds=10 * n) for n in range(10)]
    duplicates = Position.objects.filter(vehicle_id=trip.vehicle_id, time__in=times).values_list("time", flat=True)
    show("Ingest, Python path: the batch's stored times (`services._insert_new`)", duplicates.explain(), POSITIONS)

    year = datetime.now().year
    months = ConsumptionRecord.objects.filter(year__in=[year - 1, year], month__in=list(range(1, 13)))
    show("Energy figures by year (`energy.figures._record_sums`: year in, months in)", months.explain(), ENERGY)
    quarter = ConsumptionRecord.objects.filter(year=year, month__in=[4, 5, 6])
    show(
        "Energy figures of a quarter as `month IN (4, 5, 6)` (`energy.figures.figures_by_unit`)",
        quarter.explain(),
        ENERGY,
    )
    span = ConsumptionRecord.objects.filter(year=year, month__gte=4, month__lte=6)
    show("The same quarter as a month range (`month >= 4 AND month <= 6`)", span.explain(), ENERGY)
    only_year = ConsumptionRecord.objects.filter(year=year)
    show("Energy records by year alone (`energy.services.recompute`)", only_year.explain(), ENERGY)


if __name__ == "__main__":
    main()
