"""Command center benchmark (PostgreSQL): the leader's page on the roll-up, against computing the same figures
from the domains' selectors.

On the generated organisation (``generate_org``: ≈2,000 units at ``--scale 1``) this writes 24 months of
domain rows with ``bulk_create`` (no hooks fire): per department ``BENCH_CC_TICKETS`` requests (default 40),
per institution 2 vehicles with 20 trips and 20 cost records, 3 energy types a month and a profile a year,
and 30 asset cards. Then:

- ``commandcenter.generate`` (s, ``rows``): writing those rows.
- ``commandcenter.rebuild`` (s, ``rows``): ``rollup_rebuild`` — every unit, every month kept: the domains'
  selectors, the rows written, the subtree sums.
- ``commandcenter.rebuild_sql`` (s, ``rows``): the same months as one SQL statement per figure family
  (``commandcenter_sql``: service, fleet, energy, assets, service kinds, purchases, fleet use — the families with bench rows), rows fetched only.
- ``commandcenter.rebuild_ratio`` (×): rebuild ÷ rebuild_sql (the target: ≤ 2).
- ``commandcenter.page_<scope>`` (ms median, ``p95``, ``queries``) for the province leader's page at the
  province, a city and a department, this year (``BENCH_CC_REPS`` requests each, default 20, after one
  warm-up; the scopes in turn, round robin, so a busy moment on the machine hits all three alike).
- ``commandcenter.from_selectors_<scope>`` (ms median of ``BENCH_CC_DIRECT_REPS``, default 3): the same period's figures (this year and last)
  computed straight from the domains' ``monthly_*_figures`` selectors for the subtree's units.
- ``commandcenter.ratio_<scope>``: from_selectors ÷ page — what the roll-up saves (a ratio, not a pass mark).

Every figure carries ``load``: the machine's 1-minute load average when it was taken (the bench machine is
shared; a figure without its load is not comparable).
"""

import math
import os
import random
import statistics
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

import commandcenter_sql
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from assets.models import Asset, Category
from commandcenter import catalog, rules, services
from datahub.figures import months_between, next_month
from datahub.models import OrgUnit, OrgUnitUserPermission, User
from energy.models import CoefficientVersion, ConsumptionRecord, InstitutionProfile
from portal.models import Ticket
from vehicles.models import CostRecord, Dispatch, Vehicle

SEED = 14
TICKETS = int(os.environ.get("BENCH_CC_TICKETS", "40"))
REPS = int(os.environ.get("BENCH_CC_REPS", "20"))
DIRECT_REPS = int(os.environ.get("BENCH_CC_DIRECT_REPS", "3"))
# What to run: a comma-separated subset of rebuild, pages, direct (with --reuse, "pages" alone re-times the page).
PARTS = set(os.environ.get("BENCH_CC_PARTS", "rebuild,pages,direct").split(","))


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _aware(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def generate() -> int:
    rng = random.Random(SEED)
    today = timezone.localdate()
    months = months_between(date(today.year - 1, 1, 1), next_month(date(today.year, today.month, 1)))
    days = [m + timedelta(days=d) for m in months for d in (3, 11, 19, 26) if m + timedelta(days=d) <= today]
    units = list(OrgUnit.objects.values_list("pk", "level"))
    departments = [pk for pk, level in units if level == OrgUnit.Level.DEPARTMENT]
    institutions = [pk for pk, level in units if level == OrgUnit.Level.INSTITUTION]
    requester = User.objects.filter(org_unit__isnull=False).first()
    rows = 0
    with transaction.atomic():
        tickets = []
        for unit in departments:
            for _ in range(TICKETS):
                day = rng.choice(days)
                submitted = _aware(day)
                done = rng.random() < 0.85
                closed = submitted + timedelta(hours=rng.randint(2, 90)) if done else None
                tickets.append(
                    Ticket(
                        kind="repair",
                        title="报修",
                        requester=requester,
                        org_unit_id=unit,
                        status="done" if done else "in_review",
                        submitted_at=submitted,
                        due_at=submitted + timedelta(hours=48),
                        closed_at=closed,
                        rating=rng.randint(3, 5) if done and rng.random() < 0.6 else None,
                    )
                )
        Ticket.objects.bulk_create(tickets, batch_size=5000)
        rows += len(tickets)
        trip = tickets[0]
        vehicles = []
        for n, unit in enumerate(institutions):
            for k in range(2):
                vehicles.append(
                    Vehicle(
                        org_unit_id=unit,
                        plate=f"浙Z{n:04d}{k}",
                        vin=f"BENCHCC{n:07d}{k:03d}"[:17],
                        category="other",
                        brand="红旗",
                        model_name="H5",
                        energy_type="bev" if k else "gasoline",
                        displacement=None if k else Decimal("1.5"),
                    )
                )
        Vehicle.objects.bulk_create(vehicles, batch_size=5000)
        dispatches, costs = [], []
        for v in vehicles:
            for day in rng.sample(days, 10):  # one trip a day: a vehicle is never booked twice at once
                start = _aware(day, rng.randint(8, 15))
                dispatches.append(
                    Dispatch(
                        vehicle=v,
                        ticket=trip,
                        starts_at=start,
                        ends_at=start + timedelta(hours=2),
                        status="returned",
                        distance_km=rng.randint(5, 120),
                    )
                )
                costs.append(
                    CostRecord(
                        vehicle=v,
                        kind="fuel",
                        date=rng.choice(days),
                        amount=Decimal(rng.randint(50, 600)),
                        fuel="gasoline",
                        quantity=Decimal(30),
                    )
                )
        Dispatch.objects.bulk_create(dispatches, batch_size=5000)
        CostRecord.objects.bulk_create(costs, batch_size=5000)
        rows += len(vehicles) + len(dispatches) + len(costs)
        profiles, records = [], []
        version = CoefficientVersion.objects.filter(is_current=True).first()
        for unit in institutions:
            for year in (today.year - 1, today.year):
                profiles.append(
                    InstitutionProfile(
                        org_unit_id=unit,
                        year=year,
                        category="agency",
                        climate_zone="hscw",
                        building_area=Decimal(rng.randint(2000, 20000)),
                        energy_users=rng.randint(50, 500),
                    )
                )
            for m in months:
                for energy_type, unit_name, kgce in (
                    ("electricity", "kWh", "0.1229"),
                    ("water", "m³", "0"),
                    ("natural_gas", "m³", "1.2143"),
                ):
                    q = Decimal(rng.randint(100, 20000))
                    records.append(
                        ConsumptionRecord(
                            org_unit_id=unit,
                            year=m.year,
                            month=m.month,
                            energy_type=energy_type,
                            quantity=q,
                            unit=unit_name,
                            base_quantity=q,
                            kgce=q * Decimal(kgce),
                            kgco2=q * Decimal("0.5"),
                            coefficient_version=version,
                        )
                    )
        InstitutionProfile.objects.bulk_create(profiles, batch_size=5000)
        ConsumptionRecord.objects.bulk_create(records, batch_size=5000)
        rows += len(profiles) + len(records)
        category = Category.objects.filter(children__isnull=True).order_by("code").first()
        cards = [
            Asset(
                asset_number=f"BCC{n:08d}",
                name="台式计算机",
                category=category,
                original_value=Decimal(rng.randint(3000, 9000)),
                acquired_on=rng.choice(days),
                booked_on=today,
                org_unit_id=unit,
                status="in_use",
                depreciates=False,
            )
            for n, unit in enumerate(u for u in institutions for _ in range(30))
        ]
        Asset.objects.bulk_create(cards, batch_size=5000)
        rows += len(cards)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return rows


def _from_selectors(unit: OrgUnit, start: date, end: date) -> int:
    ids = list(OrgUnit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    n = 0
    for family in catalog.FAMILIES.values():
        for s, e in ((start, end), (date(start.year - 1, start.month, 1), date(end.year - 1, end.month, 1))):
            n += len(family(start=s, end=e, unit_ids=ids))
    return n


def run():
    if not Vehicle.objects.filter(plate__startswith="浙Z").exists():  # run.py --reuse keeps the rows
        t = time.perf_counter()
        rows = generate()
        yield {
            "name": "commandcenter.generate",
            "value": round(time.perf_counter() - t, 2),
            "unit": "s",
            "rows": rows,
            "load": _load(),
        }
    if "rebuild" in PARTS:
        yield from _rebuild()
    if PARTS & {"pages", "direct"}:
        yield from _pages()


def _rebuild():
    t, c = time.perf_counter(), time.process_time()
    written = services.rollup_rebuild()
    rebuild, rebuild_cpu = time.perf_counter() - t, time.process_time() - c
    # What autovacuum does soon after a bulk rewrite (the rebuild deletes and rewrites every row); timed apart.
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE commandcenter_unitmonth, commandcenter_subtreemonth")
    vacuum = time.perf_counter() - t
    yield {
        "name": "commandcenter.rebuild",
        "value": round(rebuild, 2),
        "unit": "s",
        "rows": written,
        "cpu_s": round(rebuild_cpu, 2),  # this process's share: the selectors' Python, not PostgreSQL's
        "vacuum_s": round(vacuum, 2),
        "load": _load(),
    }
    t, fetched = time.perf_counter(), 0
    for start, end in rules.history_spans(timezone.localdate()):
        for family in commandcenter_sql.FAMILIES:
            fetched += commandcenter_sql.run_family(family, start, end)
    reference = time.perf_counter() - t
    yield {"name": "commandcenter.rebuild_sql", "value": round(reference, 2), "unit": "s", "rows": fetched}
    yield {
        "name": "commandcenter.rebuild_ratio",
        "value": round(rebuild / reference, 2),
        "unit": "×",
        "rebuild_s": round(rebuild, 2),
        "sql_s": round(reference, 2),
        "load": _load(),
    }


def _pages():
    grant = OrgUnitUserPermission.objects.filter(permission__codename="role_leader", content_object__depth=1).first()
    leader = grant.user
    province = grant.content_object
    city = OrgUnit.objects.filter(path__startswith=province.path, depth=2, level=OrgUnit.Level.REGION).first()
    department = OrgUnit.objects.filter(path__startswith=city.path, level=OrgUnit.Level.DEPARTMENT).first()
    client = Client()
    client.force_login(leader)
    # DEBUG is off here and nothing was collected: the page's {% static %} links need no manifest.
    plain_static = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    plain_static.enable()
    today = timezone.localdate()
    scopes = (("province", province), ("city", city), ("department", department))
    urls = {scope: reverse("commandcenter:unit", args=[unit.pk]) + f"?period={today.year}" for scope, unit in scopes}
    times: dict[str, list[float]] = {scope: [] for scope, _ in scopes}
    cpu: dict[str, list[float]] = {scope: [] for scope, _ in scopes}
    counts: dict[str, int] = {}
    loads = []
    for scope, _ in scopes:
        response = client.get(urls[scope], secure=True)
        assert response.status_code == 200, response.content.decode()[:2000]
    for _ in range(REPS):
        loads.append(os.getloadavg()[0])
        for scope, _ in scopes:
            with CaptureQueriesContext(connection) as queries:
                t, c = time.perf_counter(), time.process_time()
                client.get(urls[scope], secure=True)
                times[scope].append((time.perf_counter() - t) * 1000)
                cpu[scope].append((time.process_time() - c) * 1000)
            counts[scope] = len(queries)
    pages = {}
    for scope, _ in scopes:
        pages[scope] = statistics.median(times[scope])
        ordered = sorted(times[scope])
        yield {
            "name": f"commandcenter.page_{scope}",
            "value": round(pages[scope], 1),
            "unit": "ms",
            "p95": round(ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)], 1),
            "max": round(ordered[-1], 1),
            # This process's CPU time (Django, the template, psycopg; not PostgreSQL's): less bent by the load.
            "cpu_median": round(statistics.median(cpu[scope]), 1),
            "cpu_p95": round(sorted(cpu[scope])[max(0, math.ceil(0.95 * len(ordered)) - 1)], 1),
            "queries": counts[scope],
            "reps": REPS,
            "load": round(statistics.median(loads), 2),
        }
    if "direct" not in PARTS:
        return
    for scope, unit in scopes:
        direct = []
        for _ in range(DIRECT_REPS):
            t = time.perf_counter()
            _from_selectors(unit, date(today.year, 1, 1), next_month(date(today.year, today.month, 1)))
            direct.append((time.perf_counter() - t) * 1000)
        direct_ms = statistics.median(direct)
        yield {"name": f"commandcenter.from_selectors_{scope}", "value": round(direct_ms, 1), "unit": "ms"}
        yield {
            "name": f"commandcenter.ratio_{scope}",
            "value": round(direct_ms / pages[scope], 1),
            "unit": "×",
            "load": _load(),
        }
