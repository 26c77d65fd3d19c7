"""Energy benchmark (PostgreSQL): 3,000 institutions × 11 energy types × 72 months.

A province of its own is generated here (one region, ``BENCH_ENERGY_INSTITUTIONS`` institutions
below it, default 3,000, written with treebeard paths directly), a profile per institution and
year 2020–2025, and every month of 2020–2025 of all 11 types: 2,376,000 records at ``--scale 1``
(institutions and the import file scale with ``--scale``), written with
COPY (kgce and kgCO₂ computed in Python with the current coefficient version, as the services do).

Figures:

- ``energy.generate`` (s, ``rows``): writing profiles and records (COPY).
- ``energy.indicators_province`` (ms median of 5, ``queries``): ``selectors.indicators`` for the
  province root and 2025 — totals, per m² (less vehicle fuel), per person, water, CO₂, the same
  period of 2024 and the 2020 baseline with the target lights (the whole page's figures).
- ``energy.indicators_raw_sql`` (ms median of 5): the same aggregate (records and profiles of the
  subtree for 2025, 2024 and 2020, summed per year and type) as one hand-written SQL query.
- ``energy.indicators_ratio``: ORM selector time ÷ raw SQL time.
- ``energy.import_copy_floor`` (rows/s, ``seconds``): the floor of the import, measured in the same run: the
  file's 50,000 records (converted in Python beforehand, not timed) and one history row each, COPYed into
  their two tables in one transaction that is rolled back.
- ``energy.import_csv`` / ``energy.import_xlsx`` (rows/s, ``seconds``, ``read_seconds``, ``vs_copy_floor``):
  ``RecordImporter().read`` + ``imports.import_records`` of a generated file of ``BENCH_ENERGY_IMPORT_ROWS``
  rows (default 50,000 × --scale; 2026 months of the first institutions), with history rows, end to end; on
  PostgreSQL the staged path. Before each, the year is cleared and the floor measured again
  (``copy_floor_seconds``); ``vs_copy_floor`` = floor seconds ÷ import seconds (1 = COPY speed).
  ``copy_floor_fk_checks_seconds``: the floor's deferred foreign-key checks, fired before its rollback and timed
  apart (a committed import runs them; the floor, rolled back, would not); ``vs_copy_floor_with_fk_checks`` = (floor
  + those checks) ÷ import, printed beside ``vs_copy_floor``, which stays the issue's figure. The floor's history
  rows carry no user, so its checks are those of the records only (2 a row; the import's 3 a row).
  ``rollup_seconds``: the command center's roll-up the import queued at its commit, run afterwards and not
  counted in ``seconds`` (a worker runs it; the import job does not wait: see deferred_rollup.py).
- ``energy.reimport_xlsx``: the same file again (nothing changes, nothing written).
- ``energy.import_xlsx_row_path`` / ``energy.import_csv_row_path``: the row path (every row checked in
  Python, new records by COPY, as before the staging, and as SQLite runs) on the same files.
- ``energy.<figure>`` / ``energy.<figure>_raw_sql`` / ``energy.<figure>_ratio`` (issue #17; ``energy_figures_sql``):
  each institution's figures, one institution's percentile among its peers, the summary by category and by
  department, each against the same result as one hand-written statement, timed in turn in the same run.

``BENCH_ENERGY_PARTS`` (default ``indicators,figures,import``) picks the parts to run; ``BENCH_ENERGY_IMPORTS``
(default all: ``import_csv,import_xlsx,reimport_xlsx,import_xlsx_row_path,import_csv_row_path``) the imports, and
``BENCH_ROLLUP=0`` leaves the queued roll-up unrun (``rollup_seconds`` null): on a loaded machine one round of all
of them took 10 minutes, too long to alternate two codes several times.
"""

import csv
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from decimal import Decimal
from io import StringIO

import deferred_rollup
import energy_figures_sql
from cleanup import vacuum
from django.db import connection, transaction
from django.utils import timezone
from openpyxl import Workbook

from datahub import staging
from datahub.models import OrgUnit, User
from datahub.sheets import source_choices
from energy import conversion, imports, imports_sql, rules, selectors
from energy.models import ConsumptionRecord, InstitutionProfile


def _scale() -> float:
    """bench/run.py's --scale (1.0 = the issue's 3,000 institutions and a 50,000-row file)."""
    args = sys.argv
    for i, a in enumerate(args):
        if a == "--scale" and i + 1 < len(args):
            return float(args[i + 1])
        if a.startswith("--scale="):
            return float(a.split("=", 1)[1])
    return 1.0


INSTITUTIONS = int(os.environ.get("BENCH_ENERGY_INSTITUTIONS", max(100, round(3000 * _scale()))))
PARTS = os.environ.get("BENCH_ENERGY_PARTS", "indicators,figures,import").split(",")
IMPORT_ROWS = int(os.environ.get("BENCH_ENERGY_IMPORT_ROWS", max(1000, round(50000 * _scale()))))
IMPORTS = os.environ.get(
    "BENCH_ENERGY_IMPORTS", "import_csv,import_xlsx,reimport_xlsx,import_xlsx_row_path,import_csv_row_path"
).split(",")
YEARS = range(2020, 2026)  # 72 months
REPS = 5
# kg, m³ … per m² and month, roughly an office building's mix.
PER_M2 = {
    "electricity": ("kWh", 6.0),
    "water": ("m³", 0.08),
    "coal": ("kg", 0.05),
    "natural_gas": ("m³", 0.4),
    "lpg": ("kg", 0.01),
    "town_gas": ("m³", 0.02),
    "gasoline": ("L", 0.05),
    "diesel": ("L", 0.02),
    "kerosene": ("kg", 0.001),
    "heat": ("MJ", 2.0),
    "other": ("kgce", 0.01),
}


@contextmanager
def count_queries():
    box = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        box["n"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield box


def _province() -> OrgUnit:
    root = OrgUnit.objects.filter(code="BENCH-ENERGY").first()
    if root is not None:
        return root
    root = OrgUnit.objects.add_root(
        instance=OrgUnit(code="BENCH-ENERGY", name="能耗基准省", level=OrgUnit.Level.REGION, region_code="330000")
    )
    # Children written in bulk with their materialised paths (digits are valid treebeard steps).
    OrgUnit.objects.bulk_create(
        [
            OrgUnit(
                path=f"{root.path}{i:04d}",
                depth=2,
                numchild=0,
                code=f"BE{i:05d}",
                name=f"基准公共机构{i}",
                level=OrgUnit.Level.INSTITUTION,
                kind=OrgUnit.Kind.PUBLIC_INSTITUTION,
                region_code="330000",
            )
            for i in range(1, INSTITUTIONS + 1)
        ],
        batch_size=2000,
    )
    OrgUnit.objects.filter(pk=root.pk).update(numchild=INSTITUTIONS)
    root.refresh_from_db()
    return root


def generate(rng: random.Random) -> tuple[OrgUnit, int]:
    root = _province()
    # --reuse: the province is loaded already; only the import file's year is cleared.
    # (a raw delete: the history signal would write 50,000 rows for a clean-up)
    ConsumptionRecord.objects.filter(org_unit__path__startswith=root.path, year=2026)._raw_delete(connection.alias)
    if InstitutionProfile.objects.filter(org_unit__path__startswith=root.path).exists():
        return root, ConsumptionRecord.objects.filter(org_unit__path__startswith=root.path).count()
    units = list(
        OrgUnit.objects.filter(path__startswith=root.path, level=OrgUnit.Level.INSTITUTION).values_list("pk", flat=True)
    )
    conv = conversion.Converter(conversion.current_version())
    areas = {u: rng.randint(1500, 30000) for u in units}
    categories = rules.InstitutionCategory.values
    with transaction.atomic():
        InstitutionProfile.objects.bulk_create(
            [
                InstitutionProfile(
                    org_unit_id=u,
                    year=y,
                    category=categories[u % len(categories)],
                    climate_zone=rules.ClimateZone.HOT_SUMMER_COLD_WINTER,
                    building_area=Decimal(areas[u]),
                    energy_users=max(10, areas[u] // 25),
                )
                for u in units
                for y in YEARS
            ],
            batch_size=5000,
        )
        # Coefficients per (type, unit) and the grid factor per year, then plain arithmetic.
        factors = {}
        for t, (unit_name, _) in PER_M2.items():
            base1, kgce1, co21 = conv.convert(t, Decimal(1), unit_name, 2023)
            factors[t] = (float(base1), float(kgce1), float(co21))
        grid = {y: float(conv.grid_factor(y)) for y in YEARS}
        now = timezone.now().isoformat()
        version = conv.version.pk
        rows = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor
            columns = (
                "org_unit_id, year, month, energy_type, quantity, unit, cost, collection, source, "
                "base_quantity, kgce, kgco2, coefficient_version_id, updated_at"
            )
            for chunk_start in range(0, len(units), 300):
                buf = StringIO()
                for u in units[chunk_start : chunk_start + 300]:
                    area = areas[u]
                    for y in YEARS:
                        for m in range(1, 13):
                            season = 1.3 if m in (1, 7, 8, 12) else 1.0
                            for t, (unit_name, per) in PER_M2.items():
                                q = round(area * per * season * rng.uniform(0.85, 1.15), 3)
                                base = q * factors[t][0]
                                co2 = base * grid[y] if t == "electricity" else q * factors[t][2]
                                buf.write(
                                    f"{u}\t{y}\t{m}\t{t}\t{q:.3f}\t{unit_name}\t{q * 0.8:.2f}\tmetered_paid\timport\t"
                                    f"{base:.4f}\t{q * factors[t][1]:.4f}\t{co2:.4f}\t{version}\t{now}\n"
                                )
                                rows += 1
                buf.seek(0)
                with raw.copy(f"COPY energy_consumptionrecord ({columns}) FROM STDIN") as copy:
                    copy.write(buf.read())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE energy_consumptionrecord")
        cursor.execute("ANALYZE energy_institutionprofile")
        # The province's institutions came after generate_org's VACUUM ANALYZE (and autovacuum is off here):
        # without this the planner takes the 3,000 of them for one row, as a live database's would not.
        cursor.execute("ANALYZE datahub_orgunit")
    return root, rows


RAW_SQL = """
WITH rec AS (
    SELECT r.year, r.energy_type, SUM(r.base_quantity) AS q, SUM(r.cost) AS cost, SUM(r.kgce) AS ce, SUM(r.kgco2) AS co2
    FROM energy_consumptionrecord r JOIN datahub_orgunit u ON u.id = r.org_unit_id
    WHERE u.path LIKE %(prefix)s AND r.year IN (%(y)s, %(y1)s, %(y0)s) AND r.month BETWEEN 1 AND 12
    GROUP BY r.year, r.energy_type
), prof AS (
    SELECT p.year, SUM(p.building_area) AS area, SUM(p.energy_users) AS users
    FROM energy_institutionprofile p JOIN datahub_orgunit u ON u.id = p.org_unit_id
    WHERE u.path LIKE %(prefix)s AND p.year IN (%(y)s, %(y1)s, %(y0)s)
    GROUP BY p.year
)
SELECT rec.year, SUM(rec.ce) AS kgce,
       (SUM(rec.ce) - SUM(rec.ce) FILTER (WHERE rec.energy_type IN ('gasoline', 'diesel'))) / MAX(prof.area) AS per_m2,
       SUM(rec.ce) / MAX(prof.users) AS per_person,
       SUM(rec.q) FILTER (WHERE rec.energy_type = 'water') / MAX(prof.users) AS water_pp,
       (SUM(rec.co2) - SUM(rec.co2) FILTER (WHERE rec.energy_type IN ('gasoline', 'diesel'))) / MAX(prof.area) AS co2_per_m2
FROM rec JOIN prof ON prof.year = rec.year
GROUP BY rec.year
"""


def _median_ms(call) -> tuple[float, int]:
    times, queries = [], 0
    for _ in range(REPS):
        with count_queries() as box:
            t = time.perf_counter()
            call()
            times.append((time.perf_counter() - t) * 1000)
        queries = box["n"]
    return round(statistics.median(times), 1), queries


def _import_rows(root: OrgUnit, n_rows: int) -> list[list]:
    """The sheet's rows: 2026 months of the first institutions, every type (labels as the sheet spells them)."""
    codes = list(
        OrgUnit.objects.filter(path__startswith=root.path, level=OrgUnit.Level.INSTITUTION)
        .order_by("path")
        .values_list("code", flat=True)
    )
    labels = dict(source_choices(rules.EnergyType.choices))
    rows, rng, month = [], random.Random(11), 1
    while len(rows) < n_rows:
        for code in codes:
            for t, (unit_name, per) in PER_M2.items():
                if len(rows) < n_rows:
                    q = round(5000 * per * rng.uniform(0.8, 1.2), 3)
                    rows.append([code, 2026, month, labels[t], q, unit_name, round(q * 0.8, 2), "计量付费"])
        month += 1
    return rows


def _write_files(rows: list[list]) -> tuple[str, str]:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(list(imports.COLUMNS))
    for r in rows:
        ws.append(r)
    fd, xlsx = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    wb.save(xlsx)
    fd, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(imports.COLUMNS)
        out.writerows(rows)
    return xlsx, path


def _clear_2026(root: OrgUnit) -> None:
    """The import's year gone, with its history rows (raw deletes: the history signal would log a clean-up)."""
    ConsumptionRecord.objects.filter(org_unit__path__startswith=root.path, year=2026)._raw_delete(connection.alias)
    ConsumptionRecord.history.filter(year=2026)._raw_delete(connection.alias)
    vacuum(ConsumptionRecord._meta.db_table, ConsumptionRecord.history.model._meta.db_table)


FLOOR_FK_CHECKS = [0.0]  # seconds of the last floor's foreign-key checks


def _copy_floor(rows: list[list]) -> float:
    """The floor: the same records (converted in Python beforehand, not timed) and one history row each,
    COPYed into their two tables in one transaction, rolled back afterwards. Seconds of the two COPYs."""
    conv = conversion.Converter(conversion.current_version())
    types = {label: code for code, label in source_choices(rules.EnergyType.choices)}
    units = dict(OrgUnit.objects.filter(code__in={r[0] for r in rows}).values_list("code", "pk"))
    now = timezone.now().isoformat()
    records = StringIO()
    for code, year, month, label, q, unit, cost, _ in rows:
        t = types[label]
        base, kgce, co2 = conv.convert(t, Decimal(str(q)), unit, year)
        records.write(
            f"{units[code]}\t{year}\t{month}\t{t}\t{q}\t{unit}\t{cost}\tmetered_paid\timport\t{base}\t{kgce}\t{co2}\t"
            f"{conv.version.pk}\t{now}"
        )
        records.write("\n")
    lines = records.getvalue().splitlines()
    history = "".join(f"{i}\t{line}\t{now}\t\\N\t+\t\\N\n" for i, line in enumerate(lines, start=1))
    columns = ", ".join(imports_sql.RECORD_COLUMNS)
    with transaction.atomic():
        with connection.cursor() as cursor:
            raw = cursor.cursor
            t = time.perf_counter()
            with raw.copy(f"COPY energy_consumptionrecord ({columns}) FROM STDIN") as copy:
                copy.write(records.getvalue())
            with raw.copy(
                f"COPY energy_historicalconsumptionrecord (id, {columns}, history_date, history_change_reason, "
                "history_type, history_user_id) FROM STDIN"
            ) as copy:
                copy.write(history)
            seconds = time.perf_counter() - t
            # What the floor never pays, rolled back: the foreign-key checks a commit runs (Django's constraints
            # are deferred), fired here and timed apart (``copy_floor_fk_checks_seconds``).
            t = time.perf_counter()
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            FLOOR_FK_CHECKS[0] = time.perf_counter() - t
        transaction.set_rollback(True)
    return seconds


def _timed_import(actor, path: str, name: str) -> tuple[float, float, imports.Result, float]:
    """Seconds of the import (read, check, write, commit), of its reading, its result, and the seconds of the
    command center's roll-up it queued (run afterwards, as a worker would: see deferred_rollup)."""
    with deferred_rollup.deferred() as queued:
        t = time.perf_counter()
        with open(path, "rb") as fh:
            rows = imports.RecordImporter().read(fh, name)
        read = time.perf_counter() - t
        result = imports.import_records(actor=actor, rows=rows)
        seconds = time.perf_counter() - t
    return seconds, read, result, deferred_rollup.run(queued) if deferred_rollup.wanted() else None


def run():
    rng = random.Random(2025)
    t = time.perf_counter()
    root, rows = generate(rng)
    yield {
        "name": "energy.generate",
        "value": round(time.perf_counter() - t, 2),
        "unit": "s",
        "rows": rows,
        "institutions": INSTITUTIONS,
    }

    if "indicators" in PARTS:
        orm_ms, queries = _median_ms(lambda: selectors.indicators(root, 2025))
        ind = selectors.indicators(root, 2025)
        yield {
            "name": "energy.indicators_province",
            "value": orm_ms,
            "unit": "ms",
            "queries": queries,
            "tce": str(ind["figures"].tce),
            "per_m2": str(ind["figures"].energy_per_m2),
        }

        def raw():
            with connection.cursor() as cursor:
                cursor.execute(RAW_SQL, {"prefix": root.path + "%", "y": 2025, "y1": 2024, "y0": 2020})
                return cursor.fetchall()

        raw_ms, _ = _median_ms(raw)
        check = {r[0]: r for r in raw()}[2025]
        yield {"name": "energy.indicators_raw_sql", "value": raw_ms, "unit": "ms", "per_m2": f"{check[2]:.4f}"}
        yield {"name": "energy.indicators_ratio", "value": round(orm_ms / raw_ms, 2), "unit": "×"}

    actor = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        username="bench-energy", password=None, name="基准"
    )
    if "figures" in PARTS:
        yield from energy_figures_sql.run(root, actor)
    if "import" in PARTS:
        rows = _import_rows(root, IMPORT_ROWS)
        xlsx, csv_path = _write_files(rows)
        _clear_2026(root)
        try:
            floor = _copy_floor(rows)
            yield {"name": "energy.import_copy_floor", "value": round(IMPORT_ROWS / floor), "unit": "rows/s",
                   "rows": IMPORT_ROWS, "seconds": round(floor, 3), "what": "COPY of the records + their history rows"}  # fmt: skip
            # (label, file, row path?): the staged path from CSV and from Excel, the same file again, then the
            # row path (every row checked in Python, as before the staging; the SQLite path) for comparison.
            runs = [
                ("energy.import_csv", csv_path, "records.csv", False, True),
                ("energy.import_xlsx", xlsx, "records.xlsx", False, True),
                ("energy.reimport_xlsx", xlsx, "records.xlsx", False, False),
                ("energy.import_xlsx_row_path", xlsx, "records.xlsx", True, True),
                ("energy.import_csv_row_path", csv_path, "records.csv", True, True),
            ]
            for name, path, filename, row_path, clear in runs:
                if name.removeprefix("energy.") not in IMPORTS:
                    continue
                if clear:
                    _clear_2026(root)
                    # The floor again right before each import: on a shared machine the load moves between runs
                    # (the re-import keeps the last one: its records are there, a COPY of them would collide).
                    floor = _copy_floor(rows)
                available = staging.available
                if row_path:
                    staging.available = lambda: False
                try:
                    seconds, read, result, rollup = _timed_import(actor, path, filename)
                finally:
                    staging.available = available
                yield {
                    "name": name,
                    "value": round(IMPORT_ROWS / seconds),
                    "unit": "rows/s",
                    "rows": IMPORT_ROWS,
                    "seconds": round(seconds, 2),
                    "read_seconds": round(read, 2),
                    "created": result.created,
                    "unchanged": result.unchanged,
                    "history": ConsumptionRecord.history.filter(year=2026).count(),
                    "copy_floor_seconds": round(floor, 3),
                    "copy_floor_fk_checks_seconds": round(FLOOR_FK_CHECKS[0], 3),
                    "vs_copy_floor": round(floor / seconds, 3),
                    # The floor as if committed: its COPYs and the foreign-key checks a commit would run on them.
                    "vs_copy_floor_with_fk_checks": round((floor + FLOOR_FK_CHECKS[0]) / seconds, 3),
                    "rollup_seconds": None if rollup is None else round(rollup, 2),
                    "load": round(os.getloadavg()[0], 1),
                }
        finally:
            os.unlink(xlsx)
            os.unlink(csv_path)
    yield {"name": "energy.records_total", "value": ConsumptionRecord.objects.count(), "unit": "rows"}
