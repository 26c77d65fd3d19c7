"""The energy import's rules for one row and their messages, in one place: the row path (energy/imports.py)
checks every row with them; the staged path (energy/imports_sql.py) finds the failing rows set-based and
words their problems with them, so both paths refuse a file with the same sentences."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from datahub import scoping, staging
from datahub.keyed import listed
from datahub.models import OrgUnit
from datahub.sheets import cell_text as _text
from datahub.sheets import source_choices

from . import rules, services


@dataclass
class Lookups:
    """What a row is checked against: the institutions the file names, the choices as the sheet spells them."""

    actor: object
    units: dict[str, OrgUnit]
    types_choices: list[tuple[str, str]]
    collection_choices: list[tuple[str, str]]
    types: dict[str, str] = field(default_factory=dict)
    collections: dict[str, str] = field(default_factory=dict)
    covered: dict[int, bool] = field(default_factory=dict)

    @classmethod
    def of(cls, actor, rows) -> "Lookups":
        codes = list(staging.distinct(rows, "机构编码"))
        units: dict[str, OrgUnit] = {}
        for i in range(0, len(codes), 10_000):
            # Only what the checks and messages read (3,000 institutions' full rows were a tenth of a second).
            found = OrgUnit.objects.filter(code__in=codes[i : i + 10_000]).only("code", "name", "level", "path")
            units.update({u.code: u for u in found})
        lk = cls(actor, units, source_choices(rules.EnergyType.choices), source_choices(rules.Collection.choices))
        lk.types = {label: code for code, label in lk.types_choices} | {c: c for c in rules.EnergyType.values}
        lk.collections = {label: code for code, label in lk.collection_choices}
        return lk

    @property
    def default_collection(self) -> str:
        return dict(self.collection_choices)[rules.Collection.METERED_PAID]

    def allowed(self, unit: OrgUnit) -> bool:
        if unit.pk not in self.covered:
            self.covered[unit.pk] = scoping.covers(self.actor, unit, roles=services.ENERGY_EDITORS)
        return self.covered[unit.pk]


def duplicate(first: int) -> str:
    return str(gettext_lazy("与第%(first)s行是同一机构、同一月份、同一能源品种，重复。") % {"first": first})


def refuse_locked(bad, number: int, unit: OrgUnit, year: int, month: int, energy_type: str, locked: bool) -> None:
    """A row into a month already submitted or approved, or of vehicle fuel the vehicles app derives."""
    if locked:
        bad(
            number,
            "月份",
            gettext_lazy("“%(unit)s”%(year)s年%(month)s月的数据已报送或已审核，已锁定。")
            % {"unit": unit.name, "year": year, "month": month},
        )
    else:
        bad(
            number,
            "能源品种",
            gettext_lazy("“%(unit)s”的%(energy)s由公务用车加油记录自动汇总，不能导入。")
            % {"unit": unit.name, "energy": rules.EnergyType(energy_type).label},
        )


def conversion_refused(number: int, exc: ValidationError) -> ValidationError:
    return ValidationError(
        [
            gettext_lazy("第%(row)s行“%(column)s”：%(message)s")
            % {"row": number, "column": "计量单位", "message": gettext("；").join(exc.messages)}
        ]
    )


def check_row(ctx, lk: Lookups, number: int, raw: dict):
    """One row's own checks (everything but the repeats within the file): its problems go to
    ``ctx.errors``; returns (unit, year, month, energy type, clean values), or None if any failed."""
    bad = ctx.errors.add
    ok = True
    unit = lk.units.get(_text(raw["机构编码"]))
    if unit is None:
        bad(number, "机构编码", gettext_lazy("没有编码为“%(code)s”的机构。") % {"code": _text(raw["机构编码"])})
        ok = False
    elif not lk.allowed(unit):
        bad(number, "机构编码", gettext_lazy("您没有填报“%(unit)s”能耗数据的权限。") % {"unit": unit.name})
        ok = False
    elif unit.level != OrgUnit.Level.INSTITUTION:
        bad(
            number,
            "机构编码",
            gettext_lazy("“%(unit)s”不是公共机构（机关/单位），能耗按机构填报。") % {"unit": unit.name},
        )
        ok = False
    try:
        year, month = int(_text(raw["年度"])), int(_text(raw["月份"]))
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise ValueError
    except ValueError:
        bad(number, "月份", gettext_lazy("年度应为2000–2100的整数，月份应为1–12。"))
        ok = False
    type_text = _text(raw["能源品种"])
    energy_type = lk.types.get(type_text)
    if energy_type is None:
        bad(
            number,
            "能源品种",
            gettext_lazy("未知的能源品种“%(energy_type)s”，应为%(choices)s之一。")
            % {"energy_type": type_text, "choices": listed(label for _, label in lk.types_choices)},
        )
        return None
    collection = lk.collections.get(_text(raw.get("采集方式")) or lk.default_collection)
    if collection is None:
        bad(
            number,
            "采集方式",
            gettext_lazy("应为%(choices)s之一。") % {"choices": listed(label for _, label in lk.collection_choices)},
        )
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
    return (unit, year, month, energy_type, clean) if ok else None
