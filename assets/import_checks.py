"""The card import's rules for one row and their messages, in one place: the row path (assets/imports.py)
checks every row with them; the staged path (assets/imports_sql.py) finds the failing rows set-based and
words their problems with them, so both paths refuse a file with the same sentences."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from datahub import scoping
from datahub.keyed import listed
from datahub.models import OrgUnit
from datahub.sheets import cell_text as _text
from datahub.sheets import source_choices

from . import rules, selectors, services
from .models import Asset, CapitalisationThreshold, Category

MAX_ERRORS = 200
CHUNK = 5000
# Fields an import may change on an existing card (status, custodian, location move through the lifecycle).
UPDATABLE = ("name", "category", "spec", "quantity", "unit_of_measure", "original_value", "acquired_on",
             "acquisition_way", "funding_source", "note")  # fmt: skip
# The columns prepare_card's refusals are reported in (its keys are the card's fields).
FIELD_COLUMNS = {"original_value": "原值", "useful_life_months": "折旧年限（月）", "acquired_on": "取得日期"}


@dataclass
class Result:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def in_chunks(values: list, size: int = CHUNK):
    for i in range(0, len(values), size):
        yield values[i : i + size]


def day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    if not text:
        return None
    return date.fromisoformat(text)


def money(value) -> Decimal:
    amount = Decimal(_text(value).replace(",", "")).quantize(Decimal("0.01"))
    if not amount.is_finite():
        raise InvalidOperation
    return amount


@dataclass
class Lookups:
    """What a row is checked against: categories, the units the file names and whether the importer may
    manage them, the capitalisation thresholds, the existing cards among the file's numbers, the choices as
    the sheet spells them."""

    actor: object
    ways: dict[str, str]
    sources: dict[str, str]
    categories: dict[str, Category]
    units: dict[str, OrgUnit]
    covered: dict[str, bool]
    thresholds: list
    today: date
    existing: dict[str, Asset] = field(default_factory=dict)

    @classmethod
    def of(cls, actor, unit_codes) -> "Lookups":
        units: dict[str, OrgUnit] = {}
        for chunk in in_chunks(list(unit_codes)):
            units.update({u.code: u for u in OrgUnit.objects.filter(code__in=chunk)})
        return cls(
            actor=actor,
            ways={label: code for code, label in source_choices(rules.AcquisitionWay.choices)},
            sources={label: code for code, label in source_choices(rules.FundingSource.choices)},
            categories={c.code: c for c in Category.objects.all()},
            units=units,
            covered={code: scoping.covers(actor, u, roles=selectors.ASSET_EDITORS) for code, u in units.items()},
            thresholds=list(CapitalisationThreshold.objects.order_by("-effective_from")),
            today=timezone.localdate(),
        )

    def load_existing(self, numbers) -> None:
        """The cards already carrying these numbers (with their unit: whether the importer may touch them)."""
        for chunk in in_chunks(list(numbers)):
            cards = Asset.objects.select_related("org_unit").filter(asset_number__in=chunk)
            self.existing.update({a.asset_number: a for a in cards})

    @property
    def default_way(self) -> str:
        return {v: k for k, v in self.ways.items()}[rules.AcquisitionWay.PURCHASE]

    @property
    def default_source(self) -> str:
        return {v: k for k, v in self.sources.items()}[rules.FundingSource.FISCAL]

    def threshold_for(self, category: Category, on: date) -> Decimal:
        row = next((t for t in self.thresholds if t.effective_from <= on), None)
        return rules.capitalisation_threshold(
            special_equipment=category.special_equipment,
            general=row.general if row else None,
            special=row.special_equipment if row else None,
        )


def duplicate(previous: int) -> str:
    return str(gettext_lazy("与第%(row)s行重复。") % {"row": previous})


def check_row(bad, lk: Lookups, number: int, raw: dict, previous: int | None):
    """One row's checks, ``previous`` being the row the same asset number was last seen on (the repeat is
    found by the caller: in a loop on the row path, by a window in SQL on the staged one). Problems go to
    ``bad(number, column, message)``; returns (card built by prepare_card, the existing card or None), or
    None if any check failed."""
    ok = True
    asset_number = _text(raw.get("资产编号"))
    if len(asset_number) > 40:
        bad(number, "资产编号", gettext_lazy("不超过40个字符。"))
        ok = False
    elif asset_number and previous is not None:
        bad(number, "资产编号", duplicate(previous))
        ok = False
    name = _text(raw.get("资产名称"))
    if not name or len(name) > 100:
        bad(number, "资产名称", gettext_lazy("请填写资产名称（不超过100个字符）。"))
        ok = False
    category = lk.categories.get(_text(raw.get("分类代码")))
    if category is None:
        bad(
            number,
            "分类代码",
            gettext_lazy("没有代码为“%(code)s”的资产分类（GB/T 14885-2022）。") % {"code": _text(raw.get("分类代码"))},
        )
        ok = False
    try:
        quantity = int(_text(raw.get("数量")) or 1)
        if quantity < 1:
            raise ValueError
    except ValueError:
        bad(number, "数量", gettext_lazy("请填写大于0的整数。"))
        ok = False
    try:
        value = money(raw.get("原值"))
        if value <= 0:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        bad(number, "原值", gettext_lazy("原值必须是大于0的金额。"))
        ok = False
    try:
        acquired_on = day(raw.get("取得日期"))
        if acquired_on is None:
            raise ValueError
    except ValueError:
        bad(number, "取得日期", gettext_lazy("请填写日期，如 2026-01-15。"))
        ok = False
    try:
        booked_on = day(raw.get("入账日期")) or lk.today
    except ValueError:
        bad(number, "入账日期", gettext_lazy("请填写日期，如 2026-01-15，或留空表示今天。"))
        ok = False
    way = lk.ways.get(_text(raw.get("取得方式")) or lk.default_way)
    if way is None:
        bad(number, "取得方式", gettext_lazy("请填写%(choices)s之一。") % {"choices": listed(lk.ways)})
        ok = False
    source = lk.sources.get(_text(raw.get("经费来源")) or lk.default_source)
    if source is None:
        bad(number, "经费来源", gettext_lazy("请填写%(choices)s之一。") % {"choices": listed(lk.sources)})
        ok = False
    unit_code = _text(raw.get("所属单位编码"))
    unit = lk.units.get(unit_code)
    if unit is None:
        bad(number, "所属单位编码", gettext_lazy("没有编码为“%(code)s”的机构。") % {"code": unit_code})
        ok = False
    elif not lk.covered[unit_code]:
        bad(number, "所属单位编码", gettext_lazy("您没有管理“%(unit)s”资产的权限。") % {"unit": unit.name})
        ok = False
    life = accumulated = months = None
    try:
        life = int(_text(raw.get("折旧年限（月）"))) if _text(raw.get("折旧年限（月）")) else None
        months = int(_text(raw.get("已提折旧月数")) or 0)
    except ValueError:
        bad(number, "折旧年限（月）", gettext_lazy("折旧年限和已提折旧月数须为整数。"))
        ok = False
    try:
        accumulated = money(raw.get("累计折旧")) if _text(raw.get("累计折旧")) else Decimal("0")
    except (InvalidOperation, ValueError):
        bad(number, "累计折旧", gettext_lazy("请填写金额。"))
        ok = False
    if not ok:
        return None
    if accumulated < 0 or accumulated > value:
        bad(number, "累计折旧", gettext_lazy("累计折旧须在0与原值之间。"))
        return None
    old = lk.existing.get(asset_number)
    if old is not None and not scoping.covers(lk.actor, old.org_unit, roles=selectors.ASSET_EDITORS):
        bad(number, "资产编号", gettext_lazy("资产%(number)s属于您无权管理的单位。") % {"number": asset_number})
        return None
    try:
        card = services.prepare_card(
            org_unit=unit,
            category=category,
            name=name,
            original_value=value,
            acquired_on=acquired_on,
            quantity=quantity,
            unit_of_measure=(_text(raw.get("计量单位")) or "台")[:10],
            spec=_text(raw.get("规格型号"))[:200],
            acquisition_way=way,
            funding_source=source,
            booked_on=booked_on,
            useful_life_months=life,
            asset_number=asset_number,
            note=_text(raw.get("备注"))[:300],
            accumulated_depreciation=accumulated,
            depreciated_months=months or 0,
            threshold=lk.threshold_for(category, booked_on),
            validate=False,
        )
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            bad(number, FIELD_COLUMNS.get(key, key), gettext("；").join(messages))
        return None
    if old is not None and old.org_unit_id != unit.pk:
        bad(number, "所属单位编码", gettext_lazy("已有卡片的所属单位须通过调拨变更，不能由导入修改。"))
        return None
    return card, old


def place(line, new_cards: list, changed: list, result: Result) -> None:
    """A checked row: a new card, or what it changes on its existing card (nothing: unchanged)."""
    card, old = line
    if old is None:
        new_cards.append(card)
        return
    diff = [f for f in UPDATABLE if getattr(old, f) != getattr(card, f)]
    if diff:
        for f in diff:
            setattr(old, f, getattr(card, f))
        changed.append((old, diff))
    else:
        result.unchanged += 1


def too_many_errors() -> str:
    return str(gettext_lazy("错误较多，仅列出前%(count)s条。") % {"count": MAX_ERRORS})
