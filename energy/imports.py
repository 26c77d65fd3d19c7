"""Import of the 能源资源消费状况 reporting table from Excel: every row is validated first and
every bad row reported by row number and column; then all rows are written or none. Importing
the same file twice changes nothing (a row equal to the stored record is left alone).

Columns (first sheet, header in row 1): 机构编码 · 年度 · 月份 · 能源品种 · 实物量 · 计量单位 ·
金额（元） · 采集方式. 能源品种 and 采集方式 are the table's Chinese names (电, 水, 煤炭 …;
计量付费 …). A period (institution, year, month, type) may appear once per file; months already
submitted or approved, and vehicle fuel derived from the vehicles app, are refused.

Written set-based (bulk_create / bulk_update in batches), so 50,000 rows take seconds.
"""

from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from datahub import scoping
from datahub.imports import Importer, importer
from datahub.models import OrgUnit
from datahub.sheets import cell_text as _text
from datahub.sheets import source_choices
from vehicles import selectors as vehicle_selectors

from . import rules, selectors, services
from .conversion import Converter, current_version, record_values
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
    roles = services.ENERGY_EDITORS
    refused = "您没有导入能耗数据的权限。"
    template_filename = "能源资源消费状况导入模板.xlsx"
    template_rows = (
        ("ZJ-JYT", 2025, 1, "电", 52000, "kWh", 41600, "计量付费"),
        ("ZJ-JYT", 2025, 1, "水", 1800, "m³", 7200, "计量付费"),
    )

    def back(self, params):
        return "energy:record-import", ()

    def summary(self, result):
        return f"导入完成：新增{result['created']}条，更新{result['updated']}条，未变{result['unchanged']}条。"

    def validate(self, ctx, rows):
        types_choices = source_choices(rules.EnergyType.choices)
        collection_choices = source_choices(rules.Collection.choices)
        types = {label: code for code, label in types_choices}
        types.update({code: code for code in rules.EnergyType.values})
        collections = {label: code for code, label in collection_choices}
        units = {u.code: u for u in OrgUnit.objects.filter(code__in={_text(r["机构编码"]) for _, r in rows})}
        allowed: dict[int, bool] = {}
        bad = ctx.errors.add
        parsed = []
        seen: dict[tuple, int] = {}
        for number, raw in ctx.each(rows):
            ok = True
            unit = units.get(_text(raw["机构编码"]))
            if unit is None:
                bad(number, "机构编码", f"没有编码为“{_text(raw['机构编码'])}”的机构。")
                ok = False
            else:
                if unit.pk not in allowed:
                    allowed[unit.pk] = scoping.covers(ctx.actor, unit, roles=services.ENERGY_EDITORS)
                if not allowed[unit.pk]:
                    bad(number, "机构编码", f"您没有填报“{unit.name}”能耗数据的权限。")
                    ok = False
                elif unit.level != OrgUnit.Level.INSTITUTION:
                    bad(number, "机构编码", f"“{unit.name}”不是公共机构（机关/单位），能耗按机构填报。")
                    ok = False
            try:
                year, month = int(_text(raw["年度"])), int(_text(raw["月份"]))
                if not (2000 <= year <= 2100 and 1 <= month <= 12):
                    raise ValueError
            except ValueError:
                bad(number, "月份", "年度应为2000–2100的整数，月份应为1–12。")
                ok = False
            type_text = _text(raw["能源品种"])
            energy_type = types.get(type_text)
            if energy_type is None:
                bad(
                    number,
                    "能源品种",
                    f"未知的能源品种“{type_text}”，应为{'、'.join(label for _, label in types_choices)}之一。",
                )
                continue
            collection_text = _text(raw.get("采集方式")) or dict(collection_choices)[rules.Collection.METERED_PAID]
            collection = collections.get(collection_text)
            if collection is None:
                bad(number, "采集方式", f"应为{'、'.join(label for _, label in collection_choices)}之一。")
                ok = False
            clean, line_errors = rules.validate_entry(
                energy_type,
                _text(raw["实物量"]),
                _text(raw["计量单位"]),
                _text(raw.get("金额（元）")),
                collection or "metered_paid",
            )
            columns = {"quantity": "实物量", "unit": "计量单位", "cost": "金额（元）"}
            for key, message in line_errors.items():
                bad(number, columns.get(key, key), message)
                ok = False
            if not ok:
                continue
            key = (unit.pk, year, month, energy_type)
            if key in seen:
                bad(number, "月份", f"与第{seen[key]}行是同一机构、同一月份、同一能源品种，重复。")
                continue
            seen[key] = number
            parsed.append((number, unit, year, month, energy_type, clean))
        return parsed

    def write(self, ctx, parsed):
        bad = ctx.errors.add
        unit_ids = {p[1].pk for p in parsed}
        years = {p[2] for p in parsed}
        locked = {y: selectors.locked_by_unit(unit_ids, y) for y in years}
        with_vehicles = set(vehicle_selectors.units_with_vehicles(list(unit_ids)))
        for number, unit, year, month, energy_type, _ in parsed:
            if month in locked[year].get(unit.pk, ()):
                bad(number, "月份", f"“{unit.name}”{year}年{month}月的数据已报送或已审核，已锁定。")
            elif energy_type in rules.VEHICLE_FUELS and unit.pk in with_vehicles:
                bad(
                    number,
                    "能源品种",
                    f"“{unit.name}”的{rules.EnergyType(energy_type).label}由公务用车加油记录自动汇总，不能导入。",
                )
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
                raise ValidationError([f"第{number}行“计量单位”：{'；'.join(exc.messages)}"]) from exc
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
