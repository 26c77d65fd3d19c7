"""Import of the 能源资源消费状况 reporting table from Excel: every row is validated first and
every bad row reported by row number and column; then all rows are written or none. Importing
the same file twice changes nothing (a row equal to the stored record is left alone).

Columns (first sheet, header in row 1): 机构编码 · 年度 · 月份 · 能源品种 · 实物量 · 计量单位 ·
金额（元） · 采集方式. 能源品种 and 采集方式 are the table's Chinese names (电, 水, 煤炭 …;
计量付费 …). A period (institution, year, month, type) may appear once per file; months already
submitted or approved, and vehicle fuel derived from the vehicles app, are refused.

A .csv with the same header is read too (at the speed of the csv module; openpyxl's parsing of the
sheet was most of a large import's time). On PostgreSQL the rows are staged in a temporary table and
checked and written set-based (energy/imports_sql.py); elsewhere, and for the messages of the rows that
fail, the row path below checks them one by one — one wording of every rule and message.
"""

from dataclasses import asdict, dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from datahub import figures, staging
from datahub.imports import Importer, importer
from vehicles import selectors as vehicle_selectors

from . import imports_sql, rules, selectors, services
from .conversion import Converter, current_version, record_values
from .import_checks import Lookups, check_row, conversion_refused, duplicate, refuse_locked
from .models import ConsumptionRecord

COLUMNS = ("机构编码", "年度", "月份", "能源品种", "实物量", "计量单位", "金额（元）", "采集方式")
OPTIONAL = ("金额（元）", "采集方式")
MAX_ROWS = 100_000
BATCH = 2000


@dataclass
class Result:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@importer
class RecordImporter(Importer):
    kind = "energy.records"
    title = "能源资源消费状况"
    columns = COLUMNS
    required = tuple(c for c in COLUMNS if c not in OPTIONAL)
    max_rows = MAX_ROWS
    accept = gettext_lazy(".xlsx 或 .csv")
    reads_csv = True
    stage_csv = (imports_sql.STAGE, imports_sql.CELLS, imports_sql.PLAIN)
    roles = services.ENERGY_EDITORS
    refused = gettext_lazy("您没有导入能耗数据的权限。")
    template_filename = "能源资源消费状况导入模板.xlsx"
    template_rows = (
        ("ZJ-JYT", 2025, 1, "电", 52000, "kWh", 41600, "计量付费"),
        ("ZJ-JYT", 2025, 1, "水", 1800, "m³", 7200, "计量付费"),
    )

    def back(self, params):
        return "energy:record-import", ()

    def summary(self, result):
        return gettext_lazy("导入完成：新增 %(created)s 条，更新 %(updated)s 条，未变 %(unchanged)s 条。") % result

    def validate(self, ctx, rows):
        lookups = Lookups.of(ctx.actor, rows)
        if staging.available():
            parsed = imports_sql.validate(ctx, rows, lookups)
            if parsed is not None:
                return parsed
        parsed = []
        seen: dict[tuple, int] = {}
        for number, raw in ctx.each(rows):
            line = check_row(ctx, lookups, number, raw)
            if line is None:
                continue
            unit, year, month, energy_type, _ = line
            key = (unit.pk, year, month, energy_type)
            if key in seen:
                ctx.errors.add(number, "月份", duplicate(seen[key]))
                continue
            seen[key] = number
            parsed.append((number, *line))
        return parsed

    def write(self, ctx, parsed):
        if isinstance(parsed, imports_sql.Staged):
            return imports_sql.write(ctx, parsed)
        unit_ids = {p[1].pk for p in parsed}
        years = {p[2] for p in parsed}
        locked = {y: selectors.locked_by_unit(unit_ids, y) for y in years}
        with_vehicles = set(vehicle_selectors.units_with_vehicles(list(unit_ids)))
        for number, unit, year, month, energy_type, _ in parsed:
            if month in locked[year].get(unit.pk, ()):
                refuse_locked(ctx.errors.add, number, unit, year, month, energy_type, True)
            elif energy_type in rules.VEHICLE_FUELS and unit.pk in with_vehicles:
                refuse_locked(ctx.errors.add, number, unit, year, month, energy_type, False)
        if ctx.errors:
            return None

        conv = Converter(current_version())
        regions = selectors.grid_regions(unit_ids, years)
        existing = {
            (r.org_unit_id, r.year, r.month, r.energy_type): r
            for r in ConsumptionRecord.objects.filter(org_unit_id__in=unit_ids, year__in=years).iterator(
                chunk_size=5000
            )
        }
        fields = [
            "quantity",
            "unit",
            "cost",
            "collection",
            "source",
            "base_quantity",
            "kgce",
            "kgco2",
            "coefficient_version",
        ]
        result = Result()
        create, update = [], []
        for number, unit, year, month, energy_type, clean in parsed:
            old = existing.get((unit.pk, year, month, energy_type))
            if old is not None and all(getattr(old, k) == clean[k] for k in ("quantity", "unit", "cost", "collection")):
                result.unchanged += 1
                continue
            try:
                values = record_values(
                    conv,
                    energy_type,
                    clean,
                    year,
                    regions.get((unit.pk, year), "national"),
                    ConsumptionRecord.Source.IMPORT,
                )
            except ValidationError as exc:
                raise conversion_refused(number, exc) from exc
            if old is None:
                create.append(
                    ConsumptionRecord(org_unit=unit, year=year, month=month, energy_type=energy_type, **values)
                )
            else:
                for k, v in values.items():
                    setattr(old, k, v)
                update.append(old)
        # With history rows, like every other write of the ledger (the record page shows them).
        if connection.vendor == "postgresql":
            _copy_create(create, ctx.actor)
        else:
            bulk_create_with_history(create, ConsumptionRecord, batch_size=BATCH, default_user=ctx.actor)
        bulk_update_with_history(update, ConsumptionRecord, fields, batch_size=BATCH, default_user=ctx.actor)
        result.created, result.updated = len(create), len(update)
        # The bulk writes skip post_save: say which units' months moved (the command center's roll-up).
        written = [*create, *update]
        figures.changed({r.org_unit_id for r in written}, {date(r.year, r.month, 1) for r in written})
        return asdict(result)


def read_xlsx(file) -> list[tuple[int, dict]]:
    return RecordImporter().read(file, "records.xlsx")


def require_importer(actor) -> None:
    RecordImporter().require(actor)


def import_records(*, actor, rows: list[tuple[int, dict]]) -> Result:
    """Synchronously (benchmarks, tests of the rules): every row checked, then all written or none."""
    return Result(**RecordImporter().run(actor=actor, rows=rows))


_COPY_COLUMNS = (
    "org_unit_id",
    "year",
    "month",
    "energy_type",
    "quantity",
    "unit",
    "cost",
    "collection",
    "source",
    "base_quantity",
    "kgce",
    "kgco2",
    "coefficient_version_id",
    "updated_at",
)


def _copy_create(records: list[ConsumptionRecord], actor) -> None:
    """PostgreSQL: new records by COPY (Django's per-value SQL preparation of 15 decimal columns
    dominated bulk_create), then their history rows in one INSERT … SELECT of exactly those rows
    (the import's own timestamp). Same transaction, so still all or nothing."""
    if not records:
        return
    stamp = timezone.now()
    for r in records:
        r.updated_at = stamp
    table = ConsumptionRecord._meta.db_table
    history = ConsumptionRecord.history.model._meta.db_table
    columns = ", ".join(_COPY_COLUMNS)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for r in records:
                copy.write_row([getattr(r, c) for c in _COPY_COLUMNS])
        cursor.execute(
            f"INSERT INTO {history} (id, {columns}, history_date, history_change_reason, history_type, history_user_id) "
            f"SELECT id, {columns}, %s, NULL, '+', %s FROM {table} "
            "WHERE updated_at = %s AND org_unit_id = ANY(%s) AND year = ANY(%s)",
            [
                stamp,
                getattr(actor, "pk", None),
                stamp,
                sorted({r.org_unit_id for r in records}),
                sorted({r.year for r in records}),
            ],
        )


def template_rows() -> tuple[list[str], list[list]]:
    """Header and two sample rows for the downloadable template."""
    return list(COLUMNS), [list(r) for r in RecordImporter.template_rows]
