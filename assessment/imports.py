"""Case data from .xlsx / .csv into a round: every row checked first, all or nothing
(``import_values``; the single-case form goes through ``services.enter_values``)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datahub import scoping, sheets
from datahub.imports import Importer, importer

from . import selectors
from .models import Indicator, IndicatorValue, Round
from .rules import parse_value

# --- Import ------------------------------------------------------------------------------------

UNIT_COLUMNS = ("单位编码", "机构编码", "案例编码", "code")
NAME_COLUMNS = ("单位名称", "案例名称", "名称", "name")
# One row per case (a unit); a province has a few thousand units at most.
MAX_IMPORT_ROWS = 10_000


def read_table(file, filename: str) -> list[list]:
    """Rows (lists of cells, header first) of an .xlsx or .csv upload, through the shared reader
    (its pre-check refuses oversized or crafted files before a row is parsed)."""
    return [list(values) for _, values in sheets.table_rows(file, filename, max_rows=MAX_IMPORT_ROWS)]


def _cell_text(cell) -> str:
    """A unit code as typed: Excel stores 330100 as a number (330100.0 when read back)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


@importer
class ValueImporter(Importer):
    """Case values into one round (``params["round"]``): first column 单位编码 (the OrgUnit code, or 案例编码 of
    an external round's study case; a 单位名称
    column is ignored), one column per indicator (code such as ``T1`` or its name); blank cells are left
    alone. Every row is checked before anything is written; errors name the row number (as in the
    spreadsheet, the header is row 1) and the column. Importing the same file twice changes nothing."""

    kind = "assessment.values"
    title = gettext_lazy("案例数据")
    max_rows = MAX_IMPORT_ROWS
    accept = gettext_lazy(".xlsx 或 .csv")

    def target(self, actor, params):
        round_ = selectors.round_for(actor, params.get("round"))
        if round_ is None:
            raise PermissionDenied(_("评估轮次不存在或无权查看。"))
        return round_

    def require(self, actor, target=None):
        if target is None or not scoping.covers(actor, target.org_unit, roles=selectors.ENTRY_ROLES):
            raise PermissionDenied(_("只有覆盖整个评估范围的管理员可以导入数据。"))

    def back(self, params):
        return "assessment:round", (params.get("round"),)

    def summary(self, result):
        return _("已导入 %(rows)s 行：新增 %(created)s 个数值，更新 %(updated)s 个，未变 %(unchanged)s 个。") % result

    def precheck(self, file, filename):
        rows = sheets.table_rows(file, filename, max_rows=self.max_rows)
        next(rows, None)
        rows.close()
        file.seek(0)

    def read(self, file, filename):
        rows = read_table(file, filename)
        if not rows or not any(c not in (None, "") for c in rows[0]):
            raise ValidationError(gettext_lazy("文件为空：第1行应为表头（单位编码、各指标编码或名称）。"))
        return rows

    def validate(self, ctx, rows):
        round_ = ctx.target
        header = [str(c).strip() if c is not None else "" for c in rows[0]]
        indicators = selectors.indicators_of(round_.framework)
        by_key = {i.code: i for i in indicators} | {i.name: i for i in indicators}
        errors = ctx.errors

        def bad(row: int, column: str, message: str) -> None:
            # Worded as before ("第5行“列”列：…"), the row and column kept apart for the job page.
            if row == 1:
                text = _("第1行%(column)s：%(message)s") % {"column": column, "message": message}
            else:
                text = _("第%(row)s行“%(column)s”列：%(message)s") % {"row": row, "column": column, "message": message}
            errors.add(row, column, message, text)

        unit_col = next((j for j, h in enumerate(header) if h in UNIT_COLUMNS), None)
        if unit_col is None:
            raise ValidationError(gettext_lazy("表头缺少“单位编码”列。"))
        columns: dict[int, Indicator] = {}
        for j, h in enumerate(header):
            if j == unit_col or h in NAME_COLUMNS or not h:
                continue
            if h not in by_key:
                bad(1, _("第%(n)s列") % {"n": j + 1}, _("“%(h)s”不是本轮指标框架中的指标编码或名称。") % {"h": h})
            elif by_key[h] in columns.values():
                bad(1, _("第%(n)s列") % {"n": j + 1}, _("指标“%(h)s”重复。") % {"h": h})
            else:
                columns[j] = by_key[h]
        if not columns and not errors:
            errors.add(1, "", _("没有任何指标列。"), _("第1行：没有任何指标列。"))
        cases = {u.code: u for u in selectors.cases_of(round_)}
        seen: dict[str, int] = {}
        parsed: list[tuple[object, Indicator, Decimal]] = []
        for i, row in ctx.each(enumerate(rows[1:], start=2)):
            if not any(c not in (None, "") for c in row):
                continue
            code = _cell_text(row[unit_col]) if unit_col < len(row) else ""
            if not code:
                bad(i, header[unit_col], _("未填写单位编码。"))
                continue
            unit = cases.get(code)
            if unit is None:
                bad(i, header[unit_col], _("“%(code)s”不是本轮评估对象的单位编码。") % {"code": code})
                continue
            if code in seen:
                bad(i, header[unit_col], _("单位“%(code)s”与第%(row)s行重复。") % {"code": code, "row": seen[code]})
                continue
            seen[code] = i
            for j, ind in columns.items():
                raw = row[j] if j < len(row) else None
                if raw is None or (isinstance(raw, str) and not raw.strip()):
                    continue
                value, message = parse_value(ind, raw)
                if message:
                    bad(i, header[j], message)
                else:
                    parsed.append((unit, ind, value))
        return parsed, list(columns.values()), len(seen)

    def write(self, ctx, parsed):
        values, indicators, rows = parsed
        round_, actor = ctx.target, ctx.actor
        existing = {
            (v.case_id, v.indicator_id): v
            for v in IndicatorValue.objects.select_for_update(of=("self",))
            .filter(round=round_, indicator__in=indicators)
            .order_by("pk")
        }
        created = updated = unchanged = 0
        new = []
        for unit, ind, value in values:
            row = existing.get((unit.pk, ind.pk))
            if row is None:
                new.append(
                    IndicatorValue(
                        round=round_,
                        indicator=ind,
                        **{round_.case_field: unit},
                        value=value,
                        origin=IndicatorValue.Origin.IMPORTED,
                        entered_by=actor,
                    )
                )
                created += 1
            elif row.value == value:
                unchanged += 1
            else:
                row.value = value
                row.origin = IndicatorValue.Origin.IMPORTED
                row.entered_by = actor
                row.save(update_fields=["value", "origin", "entered_by", "updated_at"])
                updated += 1
        IndicatorValue.objects.bulk_create(new)
        return {"created": created, "updated": updated, "unchanged": unchanged, "rows": rows}

    def written(self, result):
        return result["created"] + result["updated"]


def import_values(*, actor, round_: Round, file, filename: str) -> dict:
    """Synchronously (the demo, tests of the rules): read the file, check every row, write all or none."""
    imp = ValueImporter()
    imp.require(actor, round_)
    return imp.run(actor=actor, rows=imp.read(file, filename), target=round_, params={"round": round_.pk})
