"""Vehicles benchmark: the dispatcher's available-vehicle query over a large fleet history.

The fleet is generated here on top of generate_org (whatever ``--scale``): 10,000 vehicles spread over the
institutions, and 1,000,000 past dispatches (100 per vehicle, one every ~3.5 days over the past year,
2–8 hours each, never overlapping for a vehicle), written with PostgreSQL COPY through the exclusion
constraints of migration 0002 (so the load also shows their cost). ``VEHICLES_BENCH_TRIPS`` lowers the
number of dispatches for a quick run.

Figures:

- ``vehicles.generate`` (s): writing vehicles and dispatches (COPY), then ANALYZE.
- ``vehicles.available.<case>.ids.median`` / ``.p95`` (ms, with ``queries`` and ``rows``): every available
  vehicle's id from ``selectors.available_vehicles`` (the SQL cost: scope, status, seats, category and the
  NOT EXISTS overlap test against the dispatch history), for a province-wide bureau administrator and for
  a city's, over a window next week and over a window inside the history, with and without a category.
- ``vehicles.available.<case>.page.median`` / ``.p95``: what the assign page does — the count and the
  first 100 vehicles as model objects with their unit. (Materialising all ~9,000 objects is ORM time,
  ~1–2 s, which no page does.)
- ``vehicles.booked_windows.median`` (ms): the telematics contract for 500 vehicles over one day.
"""

import math
import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from django.db import connection

from datahub.models import OrgUnit, OrgUnitUserPermission, User
from datahub.roles import Role, permission_codename
from portal.models import Ticket
from vehicles import rules, selectors
from vehicles.models import Dispatch, Vehicle

VEHICLES = 10_000
TRIPS = int(os.environ.get("VEHICLES_BENCH_TRIPS", "1000000"))
REPS = 20
CATEGORIES = list(rules.Category.values)
CATEGORY_WEIGHTS = [5, 15, 20, 10, 50]


def _admin(depth: int) -> User:
    grant = (
        OrgUnitUserPermission.objects.filter(
            permission__codename=permission_codename(Role.BUREAU_ADMIN), content_object__depth=depth
        )
        .select_related("user")
        .order_by("content_object__path")
        .first()
    )
    return grant.user


def _copy(table: str, columns: list[str], rows) -> None:
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def generate(rng: random.Random) -> dict:
    """The fleet, unless a previous run (``--reuse``) left it in place."""
    if Vehicle.objects.count() >= VEHICLES and Dispatch.objects.count() >= TRIPS:
        return {"vehicles": Vehicle.objects.count(), "dispatches": Dispatch.objects.count(), "reused": True}
    units = list(OrgUnit.objects.filter(level=OrgUnit.Level.INSTITUTION).values_list("pk", flat=True))
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    vehicle_rows = []
    for i in range(VEHICLES):
        nev = rng.random() < 0.3
        vehicle_rows.append(
            (
                rng.choice(units),
                f"浙{chr(ord('A') + i // 100000)}{i % 100000:05d}",
                f"LBENCH00{i:09d}",
                rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0],
                "红旗",
                "H5",
                "bev" if nev else "gasoline",
                None if nev else "1.5",
                rng.choice((5, 5, 5, 7, 9)),
                "C1",
                rng.randint(1000, 300000),
                "available" if rng.random() < 0.93 else "maintenance",
                "",
                now,
                now,
            )
        )
    _copy(
        "vehicles_vehicle",
        [
            "org_unit_id",
            "plate",
            "vin",
            "category",
            "brand",
            "model_name",
            "energy_type",
            "displacement",
            "seats",
            "licence_needed",
            "odometer_km",
            "status",
            "note",
            "created_at",
            "updated_at",
        ],
        vehicle_rows,
    )
    requester = User.objects.filter(org_unit__isnull=False).order_by("pk").first()
    ticket = Ticket.objects.create(kind="vehicle_trip", title="bench", requester=requester, org_unit=requester.org_unit)
    ids = list(Vehicle.objects.order_by("pk").values_list("pk", flat=True))
    per_vehicle = max(1, TRIPS // len(ids))
    start = now - timedelta(days=365)
    step = timedelta(days=365) / per_vehicle

    def dispatch_rows():
        for vehicle_id in ids:
            # Each vehicle on its own phase, so any window of the year finds some of them booked; a trip
            # starts within 40 h of its slot and lasts at most 8 h, well inside the ~87 h slot.
            phase = step * rng.random() * 0.4
            for k in range(per_vehicle):
                s = start + step * k + phase + timedelta(hours=rng.randint(0, 40))
                e = s + timedelta(hours=rng.randint(2, 8))
                km = rng.randint(10, 300)
                yield (vehicle_id, ticket.pk, s, e, "returned", s, e, 0, km, km, "", now)

    _copy(
        "vehicles_dispatch",
        [
            "vehicle_id",
            "ticket_id",
            "starts_at",
            "ends_at",
            "status",
            "departed_at",
            "returned_at",
            "odometer_out",
            "odometer_in",
            "distance_km",
            "notes",
            "created_at",
        ],
        dispatch_rows(),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE vehicles_vehicle")
        cursor.execute("ANALYZE vehicles_dispatch")
    return {"vehicles": len(ids), "dispatches": Dispatch.objects.count()}


def _time(call) -> tuple[list[float], int, int]:
    box = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        box["n"] += 1
        return execute(sql, params, many, context)

    rows = len(call())  # warm-up
    with connection.execute_wrapper(wrapper):
        call()
    samples = []
    for _ in range(REPS):
        t = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t) * 1000)
    return samples, box["n"], rows


def _stats(samples):
    return statistics.median(samples), sorted(samples)[math.ceil(0.95 * len(samples)) - 1]


def _page(qs) -> list:
    total = qs.count()
    rows = list(qs[:100])
    return rows if total else []


def run():
    rng = random.Random(2026)
    t = time.perf_counter()
    sizes = generate(rng)
    yield {"name": "vehicles.generate", "value": round(time.perf_counter() - t, 2), "unit": "s", **sizes}

    province, city = _admin(1), _admin(2)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    future = (now + timedelta(days=7, hours=9), now + timedelta(days=7, hours=17))
    past = (now - timedelta(days=100, hours=-9), now - timedelta(days=100, hours=-17))
    booked = Dispatch.objects.filter(starts_at__lt=past[1], ends_at__gt=past[0]).values("vehicle").distinct().count()
    yield {"name": "vehicles.history_window_booked", "value": booked, "unit": "vehicles"}
    cases = {
        "province_next_week": (province, future, {}),
        "province_in_history": (province, past, {}),
        "province_in_history_category": (province, past, {"category": "other", "seats": 5}),
        "city_in_history": (city, past, {}),
    }
    for name, (user, (lo, hi), kw) in cases.items():
        calls = {
            "ids": lambda user=user, lo=lo, hi=hi, kw=kw: list(
                selectors.available_vehicles(user, lo, hi, **kw).values_list("pk", flat=True)
            ),
            "page": lambda user=user, lo=lo, hi=hi, kw=kw: _page(selectors.available_vehicles(user, lo, hi, **kw)),
        }
        for kind, call in calls.items():
            samples, queries, rows = _time(call)
            median, p95 = _stats(samples)
            for stat, value in (("median", median), ("p95", p95)):
                yield {
                    "name": f"vehicles.available.{name}.{kind}.{stat}",
                    "value": round(value, 2),
                    "unit": "ms",
                    "queries": queries,
                    "rows": rows,
                    "reps": REPS,
                }

    ids = list(Vehicle.objects.order_by("?").values_list("pk", flat=True)[:500])
    samples, queries, rows = _time(
        lambda: selectors.booked_windows(ids, past[0] - timedelta(hours=9), past[0] + timedelta(hours=15))
    )
    yield {
        "name": "vehicles.booked_windows.median",
        "value": round(statistics.median(samples), 2),
        "unit": "ms",
        "queries": queries,
        "vehicles_with_windows": rows,
        "reps": REPS,
    }
