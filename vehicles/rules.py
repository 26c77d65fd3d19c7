"""Official-vehicle regulations as data. Each number cites its source (see REFERENCE.md §2).

Changing a rule here changes the platform's behaviour; the purchase caps are additionally
stored as a versioned table (PurchaseCapVersion/PurchaseCap) seeded from ``PURCHASE_CAPS``
so an administrator can add a new version without a deploy.
"""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from datahub.keyed import listed


class Category(models.TextChoices):
    # 《党政机关公务用车管理办法》（中办发〔2017〕71号）第三条: the five categories.
    CONFIDENTIAL = "confidential", gettext_lazy("机要通信用车")
    EMERGENCY = "emergency", gettext_lazy("应急保障用车")
    ENFORCEMENT = "enforcement", gettext_lazy("执法执勤用车")
    SPECIAL = "special", gettext_lazy("特种专业技术用车")
    OTHER = "other", gettext_lazy("其他公务用车")


class EnergyType(models.TextChoices):
    GASOLINE = "gasoline", gettext_lazy("燃油（汽油）")
    DIESEL = "diesel", gettext_lazy("燃油（柴油）")
    HYBRID = "hybrid", gettext_lazy("油电混合（非插电）")
    PHEV = "phev", gettext_lazy("插电式混合动力")
    EREV = "erev", gettext_lazy("增程式")
    BEV = "bev", gettext_lazy("纯电动")
    FCEV = "fcev", gettext_lazy("燃料电池")


# New-energy vehicles as the national NEV definition counts them (纯电、插电混动含增程、燃料电池);
# a non-plug-in hybrid is not new-energy.
NEW_ENERGY = frozenset({EnergyType.PHEV, EnergyType.EREV, EnergyType.BEV, EnergyType.FCEV})
# Energy types that burn fuel (a displacement is required); pure electric and fuel-cell have none.
HAS_ENGINE = frozenset({EnergyType.GASOLINE, EnergyType.DIESEL, EnergyType.HYBRID, EnergyType.PHEV, EnergyType.EREV})


class BodyType(models.TextChoices):
    """GA 802-2019 vehicle types, as the caps and the fixed-use rule need them."""

    SEDAN = "sedan", gettext_lazy("轿车")
    OFF_ROAD = "off_road", gettext_lazy("越野车")
    MPV = "mpv", gettext_lazy("多用途乘用车")
    BUS = "bus", gettext_lazy("客车")
    TRUCK = "truck", gettext_lazy("货车")
    SPECIAL = "special", gettext_lazy("专用汽车")


class UseScope(models.TextChoices):
    """How a vehicle is used, as the new-energy rules name it (国管资〔2024〕197号, 财政部 2024-12-30)."""

    GENERAL = "general", gettext_lazy("一般使用")
    CITY_ONLY = "city_only", gettext_lazy("仅在市内使用")
    FIXED_ROUTE = "fixed_route", gettext_lazy("固定线路")


class VehicleStatus(models.TextChoices):
    AVAILABLE = "available", gettext_lazy("可用")
    ON_TRIP = "on_trip", gettext_lazy("出车中")
    MAINTENANCE = "maintenance", gettext_lazy("维修中")
    SEALED = "sealed", gettext_lazy("封存")
    DISPOSED = "disposed", gettext_lazy("已处置")


class LicenceClass(models.TextChoices):
    A1 = "A1", gettext_lazy("A1 大型客车")
    A2 = "A2", gettext_lazy("A2 牵引车")
    A3 = "A3", gettext_lazy("A3 城市公交车")
    B1 = "B1", gettext_lazy("B1 中型客车")
    B2 = "B2", gettext_lazy("B2 大型货车")
    C1 = "C1", gettext_lazy("C1 小型汽车")
    C2 = "C2", gettext_lazy("C2 小型自动挡汽车")


# 《机动车驾驶证申领和使用规定》准驾车型: what each licence also allows. A vehicle states the
# class it needs; a driver fits if their class covers it.
LICENCE_COVERS: dict[str, frozenset[str]] = {
    "A1": frozenset({"A1", "A3", "B1", "B2", "C1", "C2"}),
    "A2": frozenset({"A2", "B1", "B2", "C1", "C2"}),
    "A3": frozenset({"A3", "C1", "C2"}),
    "B1": frozenset({"B1", "C1", "C2"}),
    "B2": frozenset({"B2", "C1", "C2"}),
    "C1": frozenset({"C1", "C2"}),
    "C2": frozenset({"C2"}),
}


def licence_fits(driver_class: str, needed: str) -> bool:
    return needed in LICENCE_COVERS.get(driver_class, frozenset())


def licences_covering(needed: str) -> list[str]:
    return sorted(c for c, covered in LICENCE_COVERS.items() if needed in covered)


# --- Purchase caps, renewal age and new-energy share (versioned) ----------------------------------
# 2017 办法 and 人民网 2017-12-12 [R5]: 机要通信用车 ≤12万元 and ≤1.6 L; a new-energy sedan ≤18万元 —
# in every category, 机要通信 included (the "nev_only" rows: they apply to new-energy sedans only).
# 执法执勤用车 [R6a]: 12万/1.6 L; where the work requires it 18万/1.8 L; special cases 25万/3.0 L
# (small or medium bus) or 45万 (large bus). 应急保障 follows the 国管局 试行 table [R6b] for
# 业务、应急 (18万/1.8 L). 其他 follows the general 12万/1.6 L. 特种专业技术 caps are set by the
# 主管部门 with 财政部 case by case [R6b], so no row: no cap is checked for them.
# A vehicle passes if it fits at least one row of its category (and, for "nev_only" rows, is a
# new-energy sedan). The version row also carries the renewal age (2017 办法 第二十二条:
# "使用年限超过8年的可以更新" — time only; a mileage criterion is local, so none: None) and the minimum new-energy share
# of a year's purchases (财政部 2024-12-30 and 机关事务工作"十四五"规划 [R8]: ≥30%). These are the
# seeds of the versioned table (PurchaseCapVersion/PurchaseCap); the checks read the table.
NEV_SEDAN_CAP_LABEL = "新能源轿车 18万元"
PURCHASE_CAPS = {
    "code": "2017",
    "title": "《党政机关公务用车管理办法》（中办发〔2017〕71号）及执法执勤用车配备标准",
    "effective_from": date(2017, 12, 5),
    "renewal_years": 8,
    "renewal_mileage_km": None,
    "new_energy_share_min": Decimal("0.30"),
    "rows": [
        # (category, nev_only, max price 元, max displacement L or None, label)
        (Category.CONFIDENTIAL, False, Decimal("120000"), Decimal("1.6"), "机要通信用车 12万元/1.6升"),
        (Category.CONFIDENTIAL, True, Decimal("180000"), None, NEV_SEDAN_CAP_LABEL),
        (Category.SPECIAL, True, Decimal("180000"), None, NEV_SEDAN_CAP_LABEL),
        (Category.OTHER, False, Decimal("120000"), Decimal("1.6"), "其他公务用车 12万元/1.6升"),
        (Category.OTHER, True, Decimal("180000"), None, NEV_SEDAN_CAP_LABEL),
        (Category.EMERGENCY, False, Decimal("180000"), Decimal("1.8"), "应急保障用车 18万元/1.8升"),
        (Category.EMERGENCY, True, Decimal("180000"), None, NEV_SEDAN_CAP_LABEL),
        (Category.ENFORCEMENT, False, Decimal("120000"), Decimal("1.6"), "执法执勤用车 12万元/1.6升"),
        (Category.ENFORCEMENT, False, Decimal("180000"), Decimal("1.8"), "执法执勤用车（工作需要）18万元/1.8升"),
        (Category.ENFORCEMENT, False, Decimal("250000"), Decimal("3.0"), "执法执勤用车（中小型客车）25万元/3.0升"),
        (Category.ENFORCEMENT, False, Decimal("450000"), None, "执法执勤用车（大型客车）45万元"),
        (Category.ENFORCEMENT, True, Decimal("180000"), None, NEV_SEDAN_CAP_LABEL),
    ],
}

# Every version row is dated; the 100%-new-energy rule below dates from 财政部's notice.
FULL_NEW_ENERGY_FROM = date(2025, 1, 1)


class DisposalMethod(models.TextChoices):
    # 第二十二条: old vehicles are disposed of by auction, maker take-back or scrapping.
    AUCTION = "auction", gettext_lazy("拍卖")
    TAKE_BACK = "take_back", gettext_lazy("厂家回收")
    SCRAP = "scrap", gettext_lazy("报废")


# A vehicle is disposed of through its asset card's 资产处置 request (assets.rules.DisposalWay); the
# ways of 第二十二条 in the card's terms: 拍卖 is a 转让, 厂家回收 a 置换 (trade-in), 报废 is 报废.
DISPOSAL_WAY_METHOD = {
    "sale": DisposalMethod.AUCTION,
    "exchange": DisposalMethod.TAKE_BACK,
    "scrap": DisposalMethod.SCRAP,
}
DISPOSAL_WAY_MESSAGE = _("公务用车按第二十二条以拍卖（选“转让”）、厂家回收（选“置换”）或报废方式处置。")


def years_in_service(purchase_date: date, today: date) -> tuple[int, int]:
    months = (
        (today.year - purchase_date.year) * 12 + today.month - purchase_date.month - (today.day < purchase_date.day)
    )
    return divmod(max(months, 0), 12)


def disposal_errors(
    *, way: str, purchase_date: date | None, early: bool, today: date, renewal_years: int
) -> dict[str, str]:
    """A vehicle's disposal request: a way of 第二十二条; before the renewal age (``renewal_years`` of the
    rules in force, 8) in service only as an early
    disposal (因安全等原因确需提前更新的, 应当严格履行审批手续: the request says so, the bureau approves)."""
    errors: dict[str, str] = {}
    if way not in DISPOSAL_WAY_METHOD:
        errors["way"] = DISPOSAL_WAY_MESSAGE
    if purchase_date is not None and not early:
        years, months = years_in_service(purchase_date, today)
        if years < renewal_years:
            errors["early"] = _(
                "车辆已使用%(years)s年%(months)s个月，未满%(renewal_years)s年（《党政机关公务用车管理办法》第二十二条）：因安全等原因确需提前处置的，请勾选“提前处置”并在理由中说明，经机关事务管理局审批。"
            ) % {"years": years, "months": months, "renewal_years": renewal_years}
    return errors


# --- Trips ---------------------------------------------------------------------------------------
# Plausibility of a trip's odometer distance: no more than this average speed over the time the
# vehicle was out, with a floor for short trips. Readings beyond it are typing errors, not trips.
TRIP_MAX_AVG_KMH = 120
TRIP_MIN_ALLOWANCE_KM = 50
TRIP_KIND = "vehicle_trip"  # the portal request kind of a trip request
TRIP_SLA_HOURS = 24
# One request books a vehicle for at most this long; longer use is a 公务租车 or a transfer, not a trip.
# The bound also keeps the overlap search short: only bookings starting within this span before a
# window can reach into it, so the (vehicle, starts_at) index answers "is it free?" with a short range.
MAX_TRIP_DAYS = 7
# Bookings at most this many days ahead (贵州 platform practice [R7f]: up to 15 days).
BOOKING_MAX_DAYS_AHEAD = 15

# Working time used for utilisation (booked hours / working hours): Monday–Friday, 8 hours a day.
# The telematics app keeps the holiday calendar for alerts; statistics use this plain rule.
WORKING_HOURS_PER_DAY = 8

# Reminders before an insurance policy or annual inspection expires.
EXPIRY_REMINDER_DAYS = 30


# --- Plates and VINs ------------------------------------------------------------------------------
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# GA 36-2018: province character, issuing-authority letter, then 5 characters (letters except I/O,
# digits); the last may be 学/警/挂/领/港/澳 etc. New-energy plates have 6 characters after the
# authority letter: small cars D/F + 5 (D/F then digit or letter, then 4 digits), large vehicles 5
# digits + D/F.
_LETTER = "A-HJ-NP-Z"
PLATE_RE = re.compile(
    rf"^[{PROVINCES}][{_LETTER}]("
    rf"[{_LETTER}0-9]{{4}}[{_LETTER}0-9挂学警港澳领]"  # ordinary 7-character plate
    rf"|[DF][{_LETTER}0-9][0-9]{{4}}"  # small new-energy
    rf"|[0-9]{{5}}[DF]"  # large new-energy
    r")$"
)
# GB 16735 / ISO 3779: 17 characters, no I, O, Q. The 9th character is a check digit where the
# maker's region requires it: North America (first character 1–5) strictly. GB 16735-2019 asks for it
# on Chinese VINs too (first character L), but older domestic VINs often do not carry it, so a wrong
# check digit is accepted there (leniency); European and Japanese VINs have no check digit.
VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
VIN_CHECKED_PREFIXES = ("1", "2", "3", "4", "5")
_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_check_char(vin: str) -> str:
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin, _VIN_WEIGHTS, strict=True))
    rest = total % 11
    return "X" if rest == 10 else str(rest)


def plate_error(plate: str) -> str | None:
    if not PLATE_RE.match(plate or ""):
        return _("号牌格式不正确：应为省份简称+发牌机关字母+5位（新能源车6位）号码，如“浙A12345”“浙AD12345”。")
    return None


def vin_error(vin: str) -> str | None:
    if len(vin or "") != 17:
        return _("车辆识别代号（VIN）应为17位。")
    if not VIN_RE.match(vin):
        return _("车辆识别代号（VIN）只能包含数字和除I、O、Q以外的大写字母。")
    if vin.startswith(VIN_CHECKED_PREFIXES) and vin[8] != vin_check_char(vin):
        return _("车辆识别代号（VIN）第9位校验位应为“%(vin_check_char)s”。") % {"vin_check_char": vin_check_char(vin)}
    return None


# --- Purchase caps, quota, plausible trips -----------------------------------------------------------


def check_caps(*, caps, price: Decimal, displacement: Decimal | None, category_label: str) -> str | None:
    """The vehicle must fit one of the caps in force for its category (``caps``: (label, max price,
    max displacement or None) rows); no caps means no price standard applies. The refusal, or None."""
    caps = list(caps)
    engine = displacement or Decimal(0)
    if not caps or any(price <= max_price and (limit is None or engine <= limit) for _, max_price, limit in caps):
        return None
    allowed = "；".join(label for label, _, _ in caps)
    return _("超出%(category_label)s的配备标准（%(allowed)s）：购置价格%(price)s元，排量%(displacement)s升。") % {
        "category_label": category_label,
        "allowed": allowed,
        "price": price,
        "displacement": displacement or "—",
    }


def caps_apply(*, nev_only: bool, new_energy: bool, body_type: str) -> bool:
    """A cap row applies to a vehicle: every general row; a "nev_only" row to a new-energy sedan only."""
    return not nev_only or (new_energy and body_type == BodyType.SEDAN)


def must_be_new_energy(*, category: str, use_scope: str) -> bool:
    """100% new-energy (财政部 2024-12-30 [R8]; 国管资〔2024〕197号 [R9]): a 机要通信用车 used only in the
    city, and any vehicle on a fixed route."""
    return use_scope == UseScope.FIXED_ROUTE or (category == Category.CONFIDENTIAL and use_scope == UseScope.CITY_ONLY)


def use_errors(
    *, category: str, energy_type: str, body_type: str, use_scope: str, fixed_use: bool, new_purchase_on: date | None
) -> dict:
    """How a vehicle may be used: an off-road vehicle is never a fixed-use car (2017 办法 [R5]: 越野车不得
    作为领导干部固定用车); a vehicle bought from FULL_NEW_ENERGY_FROM for a 100%-new-energy use
    (must_be_new_energy) is new-energy. ``new_purchase_on`` is the purchase date of a vehicle entering
    the ledger (None for a change to one already there: its energy type was checked when bought)."""
    errors = {}
    if fixed_use and body_type == BodyType.OFF_ROAD:
        errors["fixed_use"] = _("越野车不得作为固定用车（《党政机关公务用车管理办法》）。")
    if (
        new_purchase_on is not None
        and new_purchase_on >= FULL_NEW_ENERGY_FROM
        and must_be_new_energy(category=category, use_scope=use_scope)
        and energy_type not in NEW_ENERGY
    ):
        what = _("固定线路车辆") if use_scope == UseScope.FIXED_ROUTE else _("仅在市内使用的机要通信用车")
        errors["energy_type"] = _("%(what)s应100%%配备新能源汽车（财政部2024年12月30日通知）。") % {"what": what}
    return errors


# What vehicle_errors reads of a vehicle (besides today and whether it is a new purchase).
VEHICLE_FACTS = ("category", "energy_type", "displacement", "body_type", "use_scope", "fixed_use", "purchase_date")


def vehicle_errors(
    *, category, energy_type, displacement, body_type, use_scope, fixed_use, purchase_date, today, new_purchase
) -> dict:
    """A vehicle's own facts: a displacement exactly when it has an engine, no purchase date in the future,
    and the use rules (use_errors; the 100%-new-energy one for a vehicle entering the ledger)."""
    errors = {}
    if energy_type in HAS_ENGINE and not displacement:
        errors["displacement"] = _("燃油及混合动力车须填写排量。")
    if energy_type not in HAS_ENGINE and displacement:
        errors["displacement"] = _("纯电动、燃料电池车没有排量，请留空。")
    if purchase_date and purchase_date > today:
        errors["purchase_date"] = _("购置日期不能晚于今天。")
    errors.update(
        use_errors(
            category=category,
            energy_type=energy_type,
            body_type=body_type,
            use_scope=use_scope,
            fixed_use=fixed_use,
            new_purchase_on=purchase_date if new_purchase else None,
        )
    )
    return errors


def renewal_cutoff(today: date, years: int) -> date:
    """Vehicles bought before this date have been in use more than ``years`` years."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def check_quota(*, quota: int | None, held: int, unit_name: str, category_label: str) -> str | None:
    """One more vehicle of the category must fit the unit's quota (approved changes included).
    The refusal, or None."""
    if quota is not None and held + 1 <= quota:
        return None
    shown = _("未核定编制") if quota is None else _("编制%(quota)s辆，已有%(held)s辆") % {"quota": quota, "held": held}
    return _("%(unit_name)s的%(category_label)s超出编制（%(shown)s）；如确需增加，须先有经批准的编制调整。") % {
        "unit_name": unit_name,
        "category_label": category_label,
        "shown": shown,
    }


def plausible_limit_km(departed_at: datetime, returned_at: datetime) -> int:
    """The most a trip of that duration can plausibly cover (TRIP_MAX_AVG_KMH, at least TRIP_MIN_ALLOWANCE_KM)."""
    hours = max((returned_at - departed_at).total_seconds() / 3600, 0)
    return max(TRIP_MIN_ALLOWANCE_KM, int(hours * TRIP_MAX_AVG_KMH))


def return_errors(
    *,
    departed_at: datetime,
    returned_at: datetime,
    now: datetime,
    odometer_out: int,
    odometer_in,
    fuel_litres,
    fuel_cost,
) -> dict:
    """A trip's return: not before the departure nor after now (5 minutes of clock skew), an odometer
    reading at least the departure's and within what the trip's duration allows, litres and cost together."""
    errors = {}
    if returned_at < departed_at:
        errors["returned_at"] = _("归还时间不能早于出车时间。")
    elif returned_at > now + timedelta(minutes=5):
        errors["returned_at"] = _("归还时间不能晚于现在。")
    if odometer_in is None:
        errors["odometer_in"] = _("请填写归还时的里程表读数。")
    elif odometer_in < odometer_out:
        errors["odometer_in"] = _("归还里程%(odometer_in)s公里小于出车里程%(odometer_out)s公里。") % {
            "odometer_in": odometer_in,
            "odometer_out": odometer_out,
        }
    elif "returned_at" not in errors:
        limit = plausible_limit_km(departed_at, returned_at)
        if odometer_in - odometer_out > limit:
            errors["odometer_in"] = _("行驶%(km)s公里不合常理（出车时长内最多约%(limit)s公里），请核对里程表读数。") % {
                "km": odometer_in - odometer_out,
                "limit": limit,
            }
    if bool(fuel_litres) != bool(fuel_cost):
        errors["fuel_cost"] = _("加油升数和加油金额须同时填写。")
    return errors


# What a vehicle of each energy type can take on (CostRecord.Fuel values): the fuel of a cost record comes
# from the vehicle; only a vehicle that takes two (插电混动、增程) asks which one this record was.
FUELS_BY_ENERGY = {
    EnergyType.GASOLINE: ("gasoline",),
    EnergyType.DIESEL: ("diesel",),
    EnergyType.HYBRID: ("gasoline",),
    EnergyType.PHEV: ("gasoline", "electricity"),
    EnergyType.EREV: ("gasoline", "electricity"),
    EnergyType.BEV: ("electricity",),
    EnergyType.FCEV: (),
}
FUEL_LABELS = {"gasoline": _("汽油"), "diesel": _("柴油"), "electricity": _("电")}


def record_fuel(energy_type: str, fuel: str) -> str:
    """The fuel a fuel record carries: the vehicle's own when it takes only one, else what was chosen."""
    allowed = FUELS_BY_ENERGY.get(energy_type, ())
    return allowed[0] if not fuel and len(allowed) == 1 else fuel


def cost_record_errors(
    *,
    is_fuel: bool,
    needs_expiry: bool,
    fuel,
    quantity,
    day: date | None,
    valid_until: date | None,
    today: date,
    energy_type: str | None = None,
) -> dict:
    """A cost record: fuel and quantity only on a fuel record (and required there), the fuel one the
    vehicle's energy type takes; insurance and inspection carry their expiry (it drives the reminders),
    not before the record's date; no future date."""
    errors = {}
    if is_fuel:
        allowed = FUELS_BY_ENERGY.get(energy_type, ()) if energy_type else None
        if not fuel:
            errors["fuel"] = _("加油/充电记录请选择燃料。")
        elif allowed is not None and fuel not in allowed:
            kind = EnergyType(energy_type).label
            takes = listed(str(FUEL_LABELS[f]) for f in allowed) or _("（平台未登记的燃料）")
            errors["fuel"] = _("燃料：该车能源类型为“%(kind)s”，只能加%(takes)s，不能录入“%(fuel)s”。") % {
                "kind": kind,
                "takes": takes,
                "fuel": FUEL_LABELS.get(fuel, fuel),
            }
        if quantity is None or quantity <= 0:
            errors["quantity"] = _("请填写加油升数或充电千瓦时。")
    elif fuel or quantity:
        errors["fuel"] = _("只有加油/充电记录填写燃料和数量。")
    if needs_expiry and not valid_until:
        errors["valid_until"] = _("保险、年检记录请填写有效期至。")
    if valid_until and day and valid_until < day:
        errors["valid_until"] = _("有效期至不能早于记录日期。")
    if day and day > today:
        errors["date"] = _("日期不能晚于今天。")
    return errors


def quota_change_errors(*, delta: int, reason: str, document: str) -> dict:
    """An approved quota change states its reason and approval document and changes something."""
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("请填写调整理由。")
    if not (document or "").strip():
        errors["document"] = _("请填写批准文号。")
    if delta == 0:
        errors["delta"] = _("调整数量不能为0。")
    return errors


def purchase_errors(*, category: str, energy_type: str, price) -> dict:
    """A purchase to check names a known category and energy type and a non-negative price."""
    errors = {}
    if category not in Category.values:
        errors["category"] = _("请选择车辆类别。")
    if energy_type not in EnergyType.values:
        errors["energy_type"] = _("请选择能源类型。")
    if price is None or price < 0:
        errors["price"] = _("请填写预计购置价格（元）。")
    return errors


def vehicle_refusal(
    *, plate: str, status: str, category: str, seats: int, asked_category: str, passengers: int, needs_driver: bool
) -> str | None:
    """A vehicle to dispatch is in service, of the category asked, with a seat for everyone (the driver
    too when one is needed). The refusal, or None."""
    if status not in (VehicleStatus.AVAILABLE, VehicleStatus.ON_TRIP):
        return _("车辆%(plate)s当前为“%(label)s”，不能派出。") % {"plate": plate, "label": VehicleStatus(status).label}
    if category != asked_category:
        return _("申请的是%(asked)s，车辆%(plate)s是%(category)s。") % {
            "asked": Category(asked_category).label,
            "plate": plate,
            "category": Category(category).label,
        }
    if seats < passengers + (1 if needs_driver else 0):
        return _("车辆%(plate)s座位不足（%(seats)s座，乘车%(passengers)s人）。") % {
            "plate": plate,
            "seats": seats,
            "passengers": passengers,
        }
    return None


def driver_refusal(
    *,
    name: str,
    on_duty: bool,
    status_label: str,
    licence_class: str,
    licence_expires: date,
    trip_ends_on: date,
    licence_needed: str,
) -> str | None:
    """A driver to dispatch is on duty, with a licence valid through the trip that covers the vehicle."""
    if not on_duty:
        return _("驾驶员%(name)s当前为“%(status_label)s”。") % {"name": name, "status_label": status_label}
    if licence_expires < trip_ends_on:
        return _("驾驶员%(name)s的驾驶证有效期至%(licence_expires)s，已过期或在出车期间到期。") % {
            "name": name,
            "licence_expires": licence_expires,
        }
    if not licence_fits(licence_class, licence_needed):
        return _("驾驶员%(name)s的准驾车型%(licence_class)s不能驾驶该车（需%(licence_needed)s）。") % {
            "name": name,
            "licence_class": licence_class,
            "licence_needed": licence_needed,
        }
    return None
