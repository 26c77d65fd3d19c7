"""Asset regulations and thresholds as data. Each number cites its source; administrators
change the versioned tables (categories, configuration standards, capitalisation
thresholds) in the admin, these are the defaults seeded on a fresh install.

Sources (see /work/shared/domain/REFERENCE.md §4):
- 《行政事业性国有资产管理条例》 (国务院令第738号, 2021): disposal types, approval before disposal,
  letting/lending only with approval, administrative units may not run businesses with assets.
- 政府会计准则第3号 and its 应用指南 (财会〔2017〕4号, table 1): straight-line, monthly, zero residual,
  minimum useful lives per class (in assets/data/categories_gbt14885_2022.csv).
- 财资〔2016〕27号 《中央行政单位通用办公设备家具配置标准》: price caps, minimum lives, quantity caps.
- GB/T 14885-2022 《固定资产等资产基础分类与代码》: the category codes.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

REQUISITION_SLA_HOURS = 72
REQUISITION_MAX_QUANTITY = 100

# --- Classification ---------------------------------------------------------------------------

STANDARD_VERSION = "GB/T 14885-2022"
CATEGORY_DATA_FILE = "categories_gbt14885_2022.csv"
# 2022 codes: one letter then pairs of digits (A02, A0201, A020101, A02010105); the 2010 scheme
# (7 digits, e.g. 2010000) is admitted too because deployed systems still carry it.
CATEGORY_CODE_REGEX = r"^(?:[A-Z]\d{2}(?:\d{2}){0,4}|\d{7})$"

# --- Capitalisation (政府会计准则第3号: used > 1 year and unit value above the threshold) -------
# The usual threshold, REFERENCE §4.2 (marked ❓ there: configurable in the admin, table
# CapitalisationThreshold; these are the defaults when the table is empty).
CAPITALISATION_THRESHOLD = Decimal("1000")
CAPITALISATION_THRESHOLD_SPECIAL = Decimal("1500")  # 专用设备


def capitalisation_threshold(*, special_equipment: bool, general: Decimal | None, special: Decimal | None) -> Decimal:
    """The threshold a category's items are held to: the row in force (``general``/``special``, None
    when the table has no row yet) or the defaults above; 专用设备 categories take the special one."""
    if special_equipment:
        return special if special is not None else CAPITALISATION_THRESHOLD_SPECIAL
    return general if general is not None else CAPITALISATION_THRESHOLD


# --- Depreciation -----------------------------------------------------------------------------
# 政府会计准则第3号应用指南 (财会〔2017〕4号, REFERENCE §4.2 ✅): "当月增加的固定资产，当月开始计提折旧；
# 当月减少的固定资产，当月不再计提折旧"; REFERENCE §4.2: "start in the month of acquisition, stop in the
# month of removal". The anchor is the card's 取得日期 (acquired_on) — every card has one, an imported card
# too — not the day it was typed into this system (booked_on, the fallback only where no acquisition date is
# known): acquired in March, booked in May → March is the first month (the months up to the booking are
# caught up by the monthly run); disposed in June → May is the last. Straight-line, zero residual. An
# imported card's 已提折旧月数 counts from its acquisition month too.
DEPRECIATION_TIMING = "取得当月起提，处置当月不提（政府会计准则第3号应用指南）"

# The month's straight-line amount, as the one SQL expression the monthly run applies to every card
# (assets.services.depreciation): original ÷ life rounded to the cent, the last month takes the
# remainder so the months sum to the original value, never beyond it. The only place the arithmetic
# is written; the tests post cards through the run and check the amounts by hand.
MONTHLY_AMOUNT_SQL = (
    "(CASE WHEN depreciated_months + 1 >= useful_life_months"
    " OR ROUND(original_value * 1.0 / useful_life_months, 2) >= original_value - accumulated_depreciation"
    " THEN original_value - accumulated_depreciation"
    " ELSE ROUND(original_value * 1.0 / useful_life_months, 2) END)"
)

# --- Lifecycle --------------------------------------------------------------------------------


class AssetStatus(models.TextChoices):
    IN_USE = "in_use", _("在用")
    IDLE = "idle", _("闲置")
    IN_POOL = "in_pool", _("在公物仓")
    LENT = "lent", _("出租出借")
    PENDING_DISPOSAL = "pending_disposal", _("待处置")
    DISPOSED = "disposed", _("已处置")


class AcquisitionWay(models.TextChoices):
    PURCHASE = "purchase", _("购置")
    TRANSFER_IN = "transfer_in", _("调入")
    DONATION = "donation", _("接受捐赠")
    SELF_BUILT = "self_built", _("自建")
    SURPLUS = "surplus", _("盘盈")
    EXCHANGE = "exchange", _("置换换入")
    OTHER = "other", _("其他")


class FundingSource(models.TextChoices):
    FISCAL = "fiscal", _("财政拨款")
    NON_FISCAL = "non_fiscal", _("非财政拨款")
    OTHER = "other", _("其他")


class DisposalWay(models.TextChoices):
    """《行政事业性国有资产管理条例》: the six disposal types."""

    FREE_TRANSFER = "free_transfer", _("无偿划转")
    DONATION = "donation", _("对外捐赠")
    SALE = "sale", _("转让")
    EXCHANGE = "exchange", _("置换")
    SCRAP = "scrap", _("报废")
    WRITE_OFF = "write_off", _("损失核销")


# Disposal approval levels by original value (one disposal). The 国管局 2004 rule (REFERENCE
# §4.3, context only, ◐): < 20万 approved by the department, ≥ 20万 by the higher authority.
# Encoded as: below DISPOSAL_BUREAU_APPROVAL_FROM the unit's asset administrator approves,
# at or above it the bureau administrator approves as well. Configurable here.
DISPOSAL_BUREAU_APPROVAL_FROM = Decimal("200000")
DISPOSAL_SLA_HOURS = 15 * 24
PURCHASE_SLA_HOURS = 15 * 24
# 资产调拨申请: countersigned by both units' asset administrators, then carried out.
TRANSFER_SLA_HOURS = 10 * 24

# Statuses from which each move is allowed (the refusals name the current status).
MOVABLE = (AssetStatus.IN_USE, AssetStatus.IDLE, AssetStatus.IN_POOL)
DISPOSABLE = (AssetStatus.IN_USE, AssetStatus.IDLE, AssetStatus.IN_POOL, AssetStatus.PENDING_DISPOSAL)
SETTABLE_STATUSES = (
    AssetStatus.IN_USE,
    AssetStatus.IDLE,
    AssetStatus.IN_POOL,
    AssetStatus.PENDING_DISPOSAL,
)

# --- Configuration standards (财资〔2016〕27号, REFERENCE §4.5 ✅) -------------------------------
# (category code, label, price cap 元, minimum life months, quantity cap as a fraction of the
# unit's in-establishment headcount, or None where the standard gives another formula).
CONFIG_STANDARD_VERSION = ("CZ2016-27", "财资〔2016〕27号 中央行政单位通用办公设备家具配置标准", "2016-07-01")
CONFIG_STANDARDS = (
    ("A02010105", "台式计算机", Decimal("5000"), 72, Decimal("1.00")),
    ("A02010108", "便携式计算机", Decimal("7000"), 72, Decimal("0.50")),
)
# 涉密 units may hold desktop PCs up to 150% of headcount (same standard).
CLASSIFIED_DESKTOP_RATIO = Decimal("1.50")

ASSET_NUMBER_PREFIX = "ZC"

# --- Arithmetic and predicates on plain values (no database) ------------------------------------

CENT = Decimal("0.01")


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    y, m = divmod(month.year * 12 + month.month - 1 + n, 12)
    return date(y, m + 1, 1)


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (a month-end ``end`` counts the month as complete)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day and end.day != calendar.monthrange(end.year, end.month)[1]:
        months -= 1
    return max(months, 0)


def first_depreciation_month(*, acquired_on: date | None, booked_on: date) -> date:
    """Acquired in month M: M is the first month depreciated (DEPRECIATION_TIMING); the booking month only
    for a card without an acquisition date."""
    return first_of_month(acquired_on or booked_on)


def depreciation_end_month(disposed_on: date) -> date:
    """The first month no longer depreciated after a disposal on ``disposed_on``: that month itself."""
    return first_of_month(disposed_on)


def last_closed_month(today: date) -> date:
    """The month the beat task posts: the one that has just ended."""
    return add_months(first_of_month(today), -1)


def disposal_needs_bureau(original_value: Decimal) -> bool:
    """At or above DISPOSAL_BUREAU_APPROVAL_FROM of original value the bureau approves a disposal
    (a 公物仓 transfer too: it is a 无偿划转)."""
    return Decimal(original_value) >= DISPOSAL_BUREAU_APPROVAL_FROM


def needs_early_renewal_approval(early_renewal: bool) -> bool:
    """Replacing a card before its minimum life adds the bureau's approval step (财资〔2016〕27号)."""
    return bool(early_renewal)


def check_disposable(status: str, under_repair: bool) -> None:
    """A lent asset must be taken back first; a disposed one is gone; one under repair waits."""
    if status == AssetStatus.LENT:
        raise ValidationError({"asset": _("资产已出租出借，须先收回才能处置。")})
    if status == AssetStatus.DISPOSED:
        raise ValidationError({"asset": _("资产已处置。")})
    if status not in DISPOSABLE:
        raise ValidationError(
            {"asset": _("资产当前状态为“%(label)s”，不能处置。") % {"label": AssetStatus(status).label}}
        )
    if under_repair:
        raise ValidationError({"asset": _("资产维修中，不能处置。")})


def card_actions(status: str, *, under_repair: bool, has_custodian: bool) -> list[str]:
    """The lifecycle actions a card in ``status`` offers (the card page shows only these), as the services'
    own guards allow them: the page never offers a step the service would refuse for the card's state."""
    if status == AssetStatus.DISPOSED:
        return []
    if status == AssetStatus.LENT:
        return ["return-lent"]
    usable = status in (AssetStatus.IN_USE, AssetStatus.IDLE)
    offered = {
        "issue": usable and not under_repair,
        "return": usable and has_custodian,
        "transfer": status in MOVABLE and not under_repair,
        "lend": status in MOVABLE and not under_repair,
        "repair-start": not under_repair,
        "repair-end": under_repair,
        "dispose": status in DISPOSABLE and not under_repair,
        "relocate": True,
        "status": True,
    }
    return [action for action, allowed in offered.items() if allowed]


@dataclass(frozen=True)
class Standard:
    """The configuration-standard row in force for a category, as plain values."""

    rule: str  # 《title》label, quoted in the refusals
    category_code: str
    price_cap: Decimal
    min_life_months: int
    quantity_ratio: Decimal | None


def check_purchase(
    *,
    standard: Standard | None,
    category_code: str,
    unit_price: Decimal,
    quantity: int,
    classified: bool,
    early_renewal: bool,
    people: int,
    held: int,
    replaced_quantity: int = 0,
    replaced_acquired_on: date | None = None,
    replaced_min_life_months: int = 0,
    replaced_in_unit: bool = True,
    today: date,
) -> None:
    """A purchase must keep to the configuration standard in force (财资〔2016〕27号): unit price
    within the cap; the unit's cards of the category (``held``) less the replaced one plus the new
    ones within the quantity cap (a fraction of the headcount ``people``); replacing a card before
    its minimum life needs an explicit 早更新 request (an extra approval step by the bureau).
    """
    errors: dict[str, str] = {}
    if standard is not None:
        rule = standard.rule
        if unit_price > standard.price_cap:
            errors["unit_price"] = _("单价%(unit_price)s元超过%(rule)s单价上限%(price_cap)s元。") % {
                "unit_price": unit_price,
                "rule": rule,
                "price_cap": standard.price_cap,
            }
        ratio = standard.quantity_ratio
        if ratio is not None:
            if classified and category_code == "A02010105":
                ratio = max(ratio, CLASSIFIED_DESKTOP_RATIO)
            cap = int((ratio * people).to_integral_value(rounding="ROUND_FLOOR"))
            if held - replaced_quantity + quantity > cap:
                errors["quantity"] = _(
                    "数量超过%(rule)s数量上限：实有人数%(people)s人×%(percent)s%%=%(cap)s，现有%(held)s，申请后将达%(after)s。"
                ) % {
                    "rule": rule,
                    "people": people,
                    "percent": int(ratio * 100),
                    "cap": cap,
                    "held": held,
                    "after": held - replaced_quantity + quantity,
                }
        if replaced_acquired_on is not None:
            age = months_between(replaced_acquired_on, today)
            life = max(standard.min_life_months, replaced_min_life_months)
            if age < life and not early_renewal:
                errors["early_renewal"] = _(
                    "被替换资产已使用%(age)s个月，未满%(rule)s最低使用年限%(life)s个月：须勾选“申请提前更新”并说明理由，经机关事务管理局审批。"
                ) % {"age": age, "rule": rule, "life": life}
    if not replaced_in_unit:
        errors["replaces"] = _("被替换资产不属于本单位。")
    if errors:
        raise ValidationError(errors)


# --- Cards behind other ledgers (一数一源: a vehicle and a building are asset cards) ---------------
# GB/T 14885-2022 A0203 车辆 (and the 2010 scheme's 2030000): a vehicle of the fleet ledger is a card
# of this class; its purchase price and date are the card's original value and acquisition date.
VEHICLE_CATEGORY_CODE = "A0203"
VEHICLE_CATEGORY_PREFIXES = ("A0203", "2030")
VEHICLE_UNIT_OF_MEASURE = "辆"


def is_vehicle_category(code: str) -> bool:
    return code.startswith(VEHICLE_CATEGORY_PREFIXES)


# 财会〔2017〕4号 table 1 (REFERENCE §4.2): a building's minimum useful life follows its structure —
# steel and reinforced concrete ≥ 50 years, brick-concrete/brick-timber ≥ 30, simple buildings ≥ 8.
# Keys are officespace's Building.Structure values; a structure not listed takes its class's minimum.
BUILDING_LIFE_YEARS = {"steel": 50, "frame": 50, "masonry": 30, "simple": 8}
# 办公用房 A010101; a simple building (简易房) is not a 房屋 of A0101 but the 房屋和构筑物 class A01 (≥8 years).
BUILDING_CATEGORY_CODE = "A010101"
SIMPLE_BUILDING_CATEGORY_CODE = "A01"
BUILDING_UNIT_OF_MEASURE = "栋"


def building_life_months(structure: str) -> int | None:
    years = BUILDING_LIFE_YEARS.get(structure)
    return years * 12 if years is not None else None


def building_category_code(structure: str) -> str:
    return SIMPLE_BUILDING_CATEGORY_CODE if structure == "simple" else BUILDING_CATEGORY_CODE


def needs_early_disposal_approval(early: bool) -> bool:
    """A card disposed of before its minimum life (a vehicle under 8 years, 第二十二条) adds the bureau's step."""
    return bool(early)
