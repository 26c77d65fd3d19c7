"""Vehicle ledger import from Excel: every row checked with the same rules as a registration (plate, VIN,
caps, quota — earlier rows of the file count towards the quota), every bad row reported by row number,
then all rows kept or none.

Columns (first sheet, header in row 1): 号牌号码 · 车辆识别代号 · 车辆类别 · 所属单位编码 · 品牌 · 型号 ·
能源类型 · 排量 · 座位数 · 购置价格 · 购置日期 · 里程表读数 · 备注.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from datahub import scoping
from datahub.imports import Importer, importer
from datahub.keyed import listed
from datahub.models import OrgUnit
from datahub.sheets import cell_text as _text
from datahub.sheets import source_choices

from . import rules
from .services import FLEET_EDITORS, register_vehicle

COLUMNS = (
    "号牌号码",
    "车辆识别代号",
    "车辆类别",
    "所属单位编码",
    "品牌",
    "型号",
    "能源类型",
    "排量",
    "座位数",
    "购置价格",
    "购置日期",
    "里程表读数",
    "备注",
)
OPTIONAL = ("排量", "座位数", "里程表读数", "备注")
MAX_ROWS = 5000
FIELD_COLUMN = {
    "plate": "号牌号码",
    "vin": "车辆识别代号",
    "category": "车辆类别",
    "org_unit": "所属单位编码",
    "brand": "品牌",
    "model_name": "型号",
    "energy_type": "能源类型",
    "displacement": "排量",
    "seats": "座位数",
    "purchase_price": "购置价格",
    "purchase_date": "购置日期",
    "odometer_km": "里程表读数",
    "note": "备注",
}


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(_text(value))


@importer
class VehicleImporter(Importer):
    """Each row is registered as a registration would be (register_vehicle, which books its asset card, so that the quota
    and the duplicate checks count the earlier rows of the file). ``validate`` does exactly that inside a
    transaction it rolls back, to list every error of every row; ``write`` then does it for real."""

    kind = "vehicles.vehicles"
    title = _("车辆台账")
    columns = COLUMNS
    required = tuple(c for c in COLUMNS if c not in OPTIONAL)
    max_rows = MAX_ROWS
    roles = FLEET_EDITORS
    refused = _("您没有导入车辆台账的权限。")
    template_filename = "车辆台账导入模板.xlsx"
    template_rows = (("浙A12345", "LSVAA4182E2123456", "其他公务用车", "单位编码", "大众", "帕萨特", "燃油（汽油）", 2.0, 5,
                      180000, "2025-01-15", 0, ""),)  # fmt: skip

    def back(self, params):
        return "vehicles:vehicle-import", ()

    def summary(self, result):
        return _("导入完成：已登记%(created)s辆车。") % {"created": result["created"]}

    def validate(self, ctx, rows):
        with transaction.atomic():
            _register(ctx, rows)
            transaction.set_rollback(True)
        return rows

    def write(self, ctx, rows):
        return {"created": _register(ctx, rows)}


def read_xlsx(file) -> list[tuple[int, dict]]:
    return VehicleImporter().read(file, "vehicles.xlsx")


def require_importer(actor) -> None:
    VehicleImporter().require(actor)


def import_vehicles(*, actor, rows: list[tuple[int, dict]]) -> int:
    """Register every row or none (synchronously: benchmarks, tests of the rules); returns the number registered."""
    return VehicleImporter().run(actor=actor, rows=rows)["created"]


def _register(ctx, rows) -> int:
    categories = {label: code for code, label in source_choices(rules.Category.choices)} | {
        label.removesuffix("用车"): code for code, label in source_choices(rules.Category.choices)
    }
    energies = {label: code for code, label in source_choices(rules.EnergyType.choices)}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={_text(r.get("所属单位编码")) for _, r in rows})}
    bad = ctx.errors.add
    created = 0
    for number, raw in ctx.each(rows):
        ok = True
        unit = units.get(_text(raw.get("所属单位编码")))
        if unit is None:
            bad(number, "所属单位编码", _("没有编码为“%(code)s”的机构。") % {"code": _text(raw.get("所属单位编码"))})
            ok = False
        elif not scoping.covers(ctx.actor, unit, roles=FLEET_EDITORS):
            bad(number, "所属单位编码", _("您没有管理“%(name)s”公务用车的权限。") % {"name": unit.name})
            ok = False
        category = categories.get(_text(raw.get("车辆类别")))
        if category is None:
            bad(
                number,
                "车辆类别",
                _("请填写%(choices)s之一。")
                % {"choices": listed(label for _, label in source_choices(rules.Category.choices))},
            )
            ok = False
        energy = energies.get(_text(raw.get("能源类型")))
        if energy is None:
            bad(number, "能源类型", _("请填写%(choices)s之一。") % {"choices": listed(energies)})
            ok = False
        values = {}
        for column, field, parse, required in (
            ("排量", "displacement", lambda v: Decimal(_text(v)).quantize(Decimal("0.1")), False),
            ("座位数", "seats", lambda v: int(_text(v)), False),
            ("购置价格", "purchase_price", lambda v: Decimal(_text(v)).quantize(Decimal("0.01")), True),
            ("购置日期", "purchase_date", _date, True),
            ("里程表读数", "odometer_km", lambda v: int(_text(v)), False),
        ):
            raw_value = raw.get(column)
            if raw_value in (None, ""):
                if required:
                    bad(number, column, _("不能为空。"))
                    ok = False
                continue
            try:
                values[field] = parse(raw_value)
                if field != "purchase_date" and values[field] < 0:
                    raise ValueError
            except (InvalidOperation, ValueError, TypeError):
                hint = _("日期（YYYY-MM-DD）") if field == "purchase_date" else _("不小于0的数字")
                bad(number, column, _("请填写%(hint)s。") % {"hint": hint})
                ok = False
        if not ok:
            continue
        fields = {
            "org_unit": unit,
            "plate": _text(raw.get("号牌号码")),
            "vin": _text(raw.get("车辆识别代号")),
            "category": category,
            "brand": _text(raw.get("品牌")),
            "model_name": _text(raw.get("型号")),
            "energy_type": energy,
            "note": _text(raw.get("备注")),
            **values,
        }
        try:
            with transaction.atomic():
                # Through the service: the row's purchase price and date book the vehicle's asset card.
                register_vehicle(actor=ctx.actor, fields=fields)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    bad(number, FIELD_COLUMN.get(field, field), message)
            continue
        created += 1
    return created
