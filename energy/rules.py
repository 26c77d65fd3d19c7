"""Public-institution energy statistics: the regulations and numbers as data, and the pure
functions that apply them (no database here).

Sources (../shared/domain/REFERENCE.md §3):

- 《公共机构能源资源消费统计调查制度》(国管局, 2025 revision): the 11 energy and resource types
  with quantity and cost, the four collection cases, quarterly + annual reporting, and the
  reviewers' checks (unit price, year-on-year, ±10% area/users, per-m² against the quota bands).
- GB/T 2589-2020 《综合能耗计算通则》: standard-coal coefficients (§3.2).
- 生态环境部/国家统计局 national and regional grid CO₂ factors 2021–2023 (§3.3); fuel CO₂ factors
  are the default-parameter products of NDRC's 2015 public-building GHG guideline family (◐).
- 《"十四五"公共机构节约能源资源工作规划》(国管节能〔2021〕195号): the targets vs 2020 (§3.4).
- Quota bands (约束值/基准值/引导值) after DB37/T 2672-2019 and the 广东 2021 averages (§3.5, ◐).

Everything here is a *default*: the data migration copies the coefficient, grid-factor, quota
and target tables into database tables that administrators edit (new versions, never in place
once used); the computations read the tables, never these literals.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _

from datahub.keyed import listed


class EnergyType(models.TextChoices):
    # Order and names of the 能源资源消费状况 table.
    ELECTRICITY = "electricity", _("电")
    WATER = "water", _("水")
    COAL = "coal", _("煤炭")
    NATURAL_GAS = "natural_gas", _("天然气")
    LPG = "lpg", _("液化石油气")
    TOWN_GAS = "town_gas", _("人工煤气")
    GASOLINE = "gasoline", _("汽油")
    DIESEL = "diesel", _("柴油")
    KEROSENE = "kerosene", _("煤油")
    HEAT = "heat", _("热力")
    OTHER = "other", _("其他能源")


class Collection(models.TextChoices):
    # The four cases of metering × billing the statistics system distinguishes.
    METERED_PAID = "metered_paid", _("计量付费")
    METERED_UNPAID = "metered_unpaid", _("计量不付费")
    UNMETERED_PAID = "unmetered_paid", _("不计量付费")
    UNMETERED_UNPAID = "unmetered_unpaid", _("不计量不付费")


class InstitutionCategory(models.TextChoices):
    AGENCY = "agency", _("机关")
    UNIVERSITY = "university", _("高校")
    SCHOOL = "school", _("中小学")
    HOSPITAL = "hospital", _("医院")
    VENUE = "venue", _("场馆")
    OTHER = "other", _("其他")


class ClimateZone(models.TextChoices):
    # GB 50176 building climate zones.
    SEVERE_COLD = "severe_cold", _("严寒地区")
    COLD = "cold", _("寒冷地区")
    HOT_SUMMER_COLD_WINTER = "hscw", _("夏热冬冷地区")
    HOT_SUMMER_WARM_WINTER = "hsww", _("夏热冬暖地区")
    MILD = "mild", _("温和地区")


class GridRegion(models.TextChoices):
    NATIONAL = "national", _("全国平均")
    NORTH = "north", _("华北")
    NORTHEAST = "northeast", _("东北")
    EAST = "east", _("华东")
    CENTRAL = "central", _("华中")
    NORTHWEST = "northwest", _("西北")
    SOUTH = "south", _("南方")
    SOUTHWEST = "southwest", _("西南")


# Each type's base unit (what coefficients are per) and the other units a report may use,
# as factor to the base unit. Mass ↔ volume of liquid fuels goes through the density of the
# coefficient version ("L" below), never a fixed literal.
BASE_UNIT: dict[str, str] = {
    EnergyType.ELECTRICITY: "kWh",
    EnergyType.WATER: "m³",
    EnergyType.COAL: "kg",
    EnergyType.NATURAL_GAS: "m³",
    EnergyType.LPG: "kg",
    EnergyType.TOWN_GAS: "m³",
    EnergyType.GASOLINE: "kg",
    EnergyType.DIESEL: "kg",
    EnergyType.KEROSENE: "kg",
    EnergyType.HEAT: "MJ",
    EnergyType.OTHER: "kgce",
}
UNITS: dict[str, dict[str, Decimal]] = {
    EnergyType.ELECTRICITY: {"kWh": Decimal(1), "万kWh": Decimal(10000)},
    EnergyType.WATER: {"m³": Decimal(1), "t": Decimal(1)},
    EnergyType.COAL: {"kg": Decimal(1), "t": Decimal(1000)},
    EnergyType.NATURAL_GAS: {"m³": Decimal(1), "万m³": Decimal(10000)},
    EnergyType.LPG: {"kg": Decimal(1), "t": Decimal(1000)},
    EnergyType.TOWN_GAS: {"m³": Decimal(1), "万m³": Decimal(10000)},
    EnergyType.GASOLINE: {"kg": Decimal(1), "t": Decimal(1000), "L": Decimal(0)},
    EnergyType.DIESEL: {"kg": Decimal(1), "t": Decimal(1000), "L": Decimal(0)},
    EnergyType.KEROSENE: {"kg": Decimal(1), "t": Decimal(1000), "L": Decimal(0)},
    # 1 GJ = 1 000 MJ.
    EnergyType.HEAT: {"MJ": Decimal(1), "GJ": Decimal(1000)},
    EnergyType.OTHER: {"kgce": Decimal(1), "tce": Decimal(1000)},
}
LIQUID_FUELS = (EnergyType.GASOLINE, EnergyType.DIESEL, EnergyType.KEROSENE)
# The statistics rules take 公务用车用油 out of the per-m² indicator: (total − vehicle fuel) ÷ area
# (REFERENCE §3.4, 示范单位 rules). Gasoline and diesel are the vehicle fuels of the table.
VEHICLE_FUELS = (EnergyType.GASOLINE, EnergyType.DIESEL)
# Water is a resource, not energy: it has no standard-coal coefficient in 综合能耗.
RESOURCE_TYPES = (EnergyType.WATER,)


def to_base(quantity: Decimal, energy_type: str, unit: str, density: Decimal | None = None) -> Decimal:
    """Quantity in the type's base unit; litres of a liquid fuel become kg by the density (kg/L)."""
    factors = UNITS[energy_type]
    if unit not in factors:
        raise ValueError(f"unit {unit} not allowed for {energy_type}")
    if unit == "L":
        if not density:
            raise ValueError(f"no density for {energy_type}")
        return quantity * density
    return quantity * factors[unit]


# --- Default coefficient tables (kgce or kgCO₂ per base unit) ---------------------------------


@dataclass(frozen=True)
class Coefficient:
    kgce: Decimal
    kgco2: Decimal  # ignored for electricity: the grid factor of the year applies
    density: Decimal | None = None  # kg/L, liquid fuels only


# GB/T 2589-2020 (REFERENCE §3.2). Town gas (焦炉煤气 0.5714) and the densities (gasoline 0.73,
# diesel 0.84, kerosene 0.78 kg/L) are not in the reference: common table values, ◐, to confirm.
# Fuel CO₂ = NCV × carbon content × oxidation × 44/12 with the NDRC guideline defaults (◐);
# heat 0.11 kgCO₂/MJ (= 0.11 tCO₂/GJ, 发改办气候〔2011〕1041号 family, ◐).
COEFFICIENTS: dict[str, Coefficient] = {
    EnergyType.ELECTRICITY: Coefficient(Decimal("0.1229"), Decimal("0")),
    EnergyType.WATER: Coefficient(Decimal("0"), Decimal("0")),
    EnergyType.COAL: Coefficient(Decimal("0.7143"), Decimal("1.9003")),
    EnergyType.NATURAL_GAS: Coefficient(Decimal("1.2143"), Decimal("2.1622")),
    EnergyType.LPG: Coefficient(Decimal("1.7143"), Decimal("3.1013")),
    EnergyType.TOWN_GAS: Coefficient(Decimal("0.5714"), Decimal("0.7623")),
    EnergyType.GASOLINE: Coefficient(Decimal("1.4714"), Decimal("2.9251"), Decimal("0.73")),
    EnergyType.DIESEL: Coefficient(Decimal("1.4571"), Decimal("3.0959"), Decimal("0.84")),
    EnergyType.KEROSENE: Coefficient(Decimal("1.4714"), Decimal("3.0330"), Decimal("0.78")),
    EnergyType.HEAT: Coefficient(Decimal("0.03412"), Decimal("0.11")),
    # 其他能源 is reported already converted to kgce; its emissions are accounted separately.
    EnergyType.OTHER: Coefficient(Decimal("1"), Decimal("0")),
}
# Natural gas is ⚠ in the sources: 1.2143 (gas-field gas, the default) or 1.3300 (oil-field gas);
# the migration seeds a second version with 1.3300 so the administrator can select it.
NATURAL_GAS_OILFIELD = Decimal("1.3300")

# Grid CO₂ factors, kgCO₂/kWh, by data year and region (REFERENCE §3.3, MEE + NBS).
GRID_FACTORS: dict[int, dict[str, Decimal]] = {
    2021: {GridRegion.NATIONAL: Decimal("0.5568")},
    2022: {
        GridRegion.NATIONAL: Decimal("0.5366"),
        GridRegion.NORTH: Decimal("0.6776"),
        GridRegion.NORTHEAST: Decimal("0.5564"),
        GridRegion.EAST: Decimal("0.5617"),
        GridRegion.CENTRAL: Decimal("0.5395"),
        GridRegion.NORTHWEST: Decimal("0.5857"),
        GridRegion.SOUTH: Decimal("0.3869"),
        GridRegion.SOUTHWEST: Decimal("0.2268"),
    },
    2023: {
        GridRegion.NATIONAL: Decimal("0.5306"),
        GridRegion.NORTH: Decimal("0.6361"),
        GridRegion.NORTHEAST: Decimal("0.5122"),
        GridRegion.EAST: Decimal("0.5500"),
        GridRegion.CENTRAL: Decimal("0.5271"),
        GridRegion.NORTHWEST: Decimal("0.5543"),
        GridRegion.SOUTH: Decimal("0.4042"),
        GridRegion.SOUTHWEST: Decimal("0.2472"),
    },
}


def pick_grid_year(available: list[int], year: int) -> int:
    """The factor of the data year; else the latest earlier one (no 2024 CO₂ factor has been
    published, so 2024+ use 2023); else the earliest."""
    earlier = [y for y in available if y <= year]
    return max(earlier) if earlier else min(available)


# --- Indicators, targets, quotas -----------------------------------------------------------------


class Indicator(models.TextChoices):
    ENERGY_PER_M2 = "energy_per_m2", _("单位建筑面积能耗（kgce/m²）")
    ENERGY_PER_PERSON = "energy_per_person", _("人均综合能耗（kgce/人）")
    WATER_PER_PERSON = "water_per_person", _("人均用水量（m³/人）")
    CO2_PER_M2 = "co2_per_m2", _("单位建筑面积碳排放（kgCO₂/m²）")


BASELINE_YEAR = 2020
TARGET_YEAR = 2025
# 十四五 targets vs 2020, per cent (国管节能〔2021〕195号).
TARGETS: dict[str, Decimal] = {
    Indicator.ENERGY_PER_M2: Decimal("5"),
    Indicator.ENERGY_PER_PERSON: Decimal("6"),
    Indicator.WATER_PER_PERSON: Decimal("6"),
    Indicator.CO2_PER_M2: Decimal("7"),
}


class Light(models.TextChoices):
    GREEN = "green", _("达标")
    AMBER = "amber", _("下降但落后进度")
    RED = "red", _("未下降")
    NONE = "none", _("无基数")


def target_light(change_pct: Decimal | None, reduction_pct: Decimal, year: int, baseline_year: int, target_year: int):
    """Traffic light against the target: the reduction due by ``year`` is the target pro rata
    over the plan years. Green at or past it, amber if falling but behind, red if not falling."""
    if change_pct is None:
        return Light.NONE, None
    elapsed = min(max(year - baseline_year, 0), target_year - baseline_year)
    due = (reduction_pct * elapsed / (target_year - baseline_year)).quantize(Decimal("0.01"))
    if change_pct <= -due:
        return Light.GREEN, due
    if change_pct < 0:
        return Light.AMBER, due
    return Light.RED, due


class Band(models.TextChoices):
    OVER_CAP = "over_cap", _("超过约束值")
    ABOVE_BASE = "above_base", _("介于基准值与约束值之间")
    ABOVE_GUIDE = "above_guide", _("介于引导值与基准值之间")
    ADVANCED = "advanced", _("优于引导值")
    NONE = "none", _("无定额")


def band_of(value: Decimal | None, cap: Decimal | None, base: Decimal | None, guide: Decimal | None) -> str:
    if value is None or cap is None:
        return Band.NONE
    if value > cap:
        return Band.OVER_CAP
    if base is not None and value > base:
        return Band.ABOVE_BASE
    if guide is not None and value > guide:
        return Band.ABOVE_GUIDE
    return Band.ADVANCED


# Quotas: (category, zone, indicator, 约束值, 基准值, 引导值, source). Only the 山东 hospital and
# 机关 water rows come from a quota standard (◐ code). The 机关 per-m² row is a placeholder built
# from published averages (cap = national 2020 average 18.48; base = 广东 2021 省级机关 12.49;
# guide = 广东 2021 市级以下机关 11.02) until the DB33/T 736-2015 values are entered.
QUOTAS = [
    (
        InstitutionCategory.HOSPITAL,
        ClimateZone.COLD,
        Indicator.ENERGY_PER_M2,
        Decimal("22.6"),
        Decimal("15.3"),
        Decimal("9.4"),
        "DB37/T 2672-2019 二级医院 非供暖能耗（◐）",
    ),
    *(
        (
            InstitutionCategory.AGENCY,
            zone,
            Indicator.WATER_PER_PERSON,
            Decimal("25"),
            None,
            Decimal("10"),
            "DB37/T 4452-2021 机关 通用值/先进值（◐）",
        )
        for zone in ClimateZone.values
    ),
    *(
        (
            InstitutionCategory.AGENCY,
            zone,
            Indicator.ENERGY_PER_M2,
            Decimal("18.48"),
            Decimal("12.49"),
            Decimal("11.02"),
            "平台默认（待按DB33/T 736-2015核定）",
        )
        for zone in ClimateZone.values
    ),
]

# --- Review rules (审核规则) -------------------------------------------------------------------

# Year-on-year and area/users changes above this are flagged (REFERENCE §3.1, 哈密/南充: >10%).
YOY_LIMIT_PCT = Decimal("10")
PROFILE_CHANGE_LIMIT_PCT = Decimal("10")
# Usual unit price (元 per base unit) — 单价审核. Platform defaults (not in the reference, ◐):
# Zhejiang tariffs and pump prices 2023–2025 with a wide margin either side.
PRICE_RANGES: dict[str, tuple[Decimal, Decimal]] = {
    EnergyType.ELECTRICITY: (Decimal("0.3"), Decimal("1.5")),
    EnergyType.WATER: (Decimal("1.5"), Decimal("12")),
    EnergyType.COAL: (Decimal("0.3"), Decimal("2.5")),
    EnergyType.NATURAL_GAS: (Decimal("2"), Decimal("7")),
    EnergyType.LPG: (Decimal("4"), Decimal("15")),
    EnergyType.TOWN_GAS: (Decimal("1"), Decimal("5")),
    EnergyType.GASOLINE: (Decimal("8"), Decimal("16")),
    EnergyType.DIESEL: (Decimal("7"), Decimal("14")),
    EnergyType.KEROSENE: (Decimal("6"), Decimal("16")),
    EnergyType.HEAT: (Decimal("0.02"), Decimal("0.2")),
}

# --- Anomaly detection ---------------------------------------------------------------------------

# Robust z-score (Iglewicz & Hoaglin): 0.6745 (x − median) / MAD, flagged above 3.5.
ROBUST_Z_LIMIT = Decimal("3.5")
# At least this many earlier months before a month is judged against its own history.
MIN_HISTORY = 6
HISTORY_MONTHS = 24
# Same month last year: a change of more than half is flagged.
SAME_MONTH_LIMIT_PCT = Decimal("50")


def month_anomaly(value: Decimal, history: list[float], same_month_last_year: Decimal | None):
    """(robust z, change against the same month last year, reason) of a flagged month, None otherwise.
    Seasonality: a winter peak far from the 24-month median but like last winter is not an anomaly,
    so where the same month last year exists both tests must agree."""
    z = robust_z(float(value), history)
    change = pct_change(value, same_month_last_year)
    off_history = z is not None and abs(z) > float(ROBUST_Z_LIMIT)
    off_same_month = change is not None and abs(change) > SAME_MONTH_LIMIT_PCT
    flagged = (off_history and (change is None or off_same_month)) or (off_same_month and z is None)
    if not flagged:
        return None
    reasons = []
    if off_history:
        zs = "∞" if abs(z) == float("inf") else f"{z:.1f}"
        reasons.append(_("偏离本单位近%(months)s个月水平（稳健Z值%(zs)s）") % {"months": len(history), "zs": zs})
    if off_same_month:
        reasons.append(_("较上年同月变化%(change)s%%") % {"change": change})
    zq = None if z is None or abs(z) == float("inf") else Decimal(f"{z:.2f}")
    return zq, change, "；".join(reasons)


def robust_z(value: float, history: list[float]) -> float | None:
    if len(history) < MIN_HISTORY:
        return None
    ordered = sorted(history)
    n = len(ordered)
    median = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    deviations = sorted(abs(h - median) for h in history)
    mad = deviations[n // 2] if n % 2 else (deviations[n // 2 - 1] + deviations[n // 2]) / 2
    if mad == 0:
        # Flat history: fall back to the mean absolute deviation (scaled to σ), as Iglewicz does.
        mean_ad = sum(deviations) / n
        if mean_ad == 0:
            return None if value == median else float("inf") * (1 if value > median else -1)
        return (value - median) / (1.2533 * mean_ad)
    return 0.6745 * (value - median) / mad


def pct_change(new: Decimal | None, old: Decimal | None) -> Decimal | None:
    if new is None or not old:
        return None
    return ((new - old) / old * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


def ratio(numerator: Decimal | None, denominator) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def quarter_months(quarter: int) -> range:
    """Months of a quarter (1–4); quarter 0 is the whole year."""
    return range(1, 13) if quarter == 0 else range(3 * quarter - 2, 3 * quarter + 1)


# --- Entries ----------------------------------------------------------------------------------------

# The first values the record columns cannot hold (10 ** (max_digits − decimal_places) of
# ConsumptionRecord.quantity and .cost); tests/energy/test_rules.py keeps them equal to the columns.
QUANTITY_BELOW = Decimal(10) ** 13
COST_BELOW = Decimal(10) ** 12


def parse_amount(value, field: str, errors: dict, *, label: str, allow_none=False, below=None) -> Decimal | None:
    """A non-negative decimal below ``below``; a refusal goes into ``errors[field]``."""
    if value in (None, ""):
        if not allow_none:
            errors[field] = _("请填写%(label)s。") % {"label": label}
        return None
    try:
        d = Decimal(str(value))
        if not d.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors[field] = _("%(label)s必须是数字。") % {"label": label}
        return None
    if d < 0:
        errors[field] = _("%(label)s不能为负数。") % {"label": label}
        return None
    if below is not None and d >= below:
        errors[field] = _("%(label)s过大，请核对（应小于%(below)s）。") % {"label": label, "below": f"{below:,.0f}"}
        return None
    return d


def validate_entry(energy_type, quantity, unit, cost, collection, *, prefix: str = "") -> tuple[dict, dict]:
    """Checks one reported line; returns (clean values, errors keyed ``prefix + field``)."""
    errors: dict[str, str] = {}
    if energy_type not in EnergyType.values:
        errors[prefix + "energy_type"] = _("未知的能源品种“%(energy_type)s”，应为%(choices)s之一。") % {
            "energy_type": energy_type,
            "choices": listed(map(str, EnergyType.labels)),
        }
        return {}, errors
    label = EnergyType(energy_type).label
    q = parse_amount(
        quantity, prefix + "quantity", errors, label=_("%(label)s实物量") % {"label": label}, below=QUANTITY_BELOW
    )
    if unit not in UNITS[energy_type]:
        errors[prefix + "unit"] = _("%(label)s的计量单位应为%(choices)s之一。") % {
            "label": label,
            "choices": listed(UNITS[energy_type]),
        }
    c = parse_amount(
        cost, prefix + "cost", errors, label=_("%(label)s金额") % {"label": label}, allow_none=True, below=COST_BELOW
    )
    if collection not in Collection.values:
        errors[prefix + "collection"] = _("请选择%(label)s的采集方式（%(choices)s）。") % {
            "label": label,
            "choices": listed(map(str, Collection.labels)),
        }
    return {"quantity": q, "unit": unit, "cost": c, "collection": collection}, errors


def check_period(year, month, errors: dict, prefix: str = ""):
    """(year, month) as integers, a refusal of either going into ``errors``."""
    try:
        year, month = int(year), int(month)
    except (TypeError, ValueError):
        errors[prefix + "month"] = _("年度、月份必须是整数。")
        return None, None
    if not 2000 <= year <= 2100:
        errors[prefix + "year"] = _("年度应在2000–2100之间。")
    if not 1 <= month <= 12:
        errors[prefix + "month"] = _("月份应为1–12。")
    return year, month


# --- Base data derived from the directory (一数一源) -----------------------------------------------------
# The institution's type follows the directory's 机构类型: only 党政机关 says 机关; a 事业单位 may be a
# 高校, 中小学, 医院 or 场馆, which the directory does not say, so it reads "其他" until a correction.
KIND_CATEGORY = {"party_gov": InstitutionCategory.AGENCY, "public_inst": InstitutionCategory.OTHER}
# ◐ The GB 50176 climate zone of each province's capital (first two digits of the 行政区划代码); an
# institution in a county of another zone records a correction.
PROVINCE_CLIMATE = {
    **dict.fromkeys(("15", "21", "22", "23", "63", "65"), ClimateZone.SEVERE_COLD),
    **dict.fromkeys(("11", "12", "13", "14", "37", "41", "54", "61", "62", "64"), ClimateZone.COLD),
    **dict.fromkeys(("31", "32", "33", "34", "36", "42", "43", "50", "51"), ClimateZone.HOT_SUMMER_COLD_WINTER),
    **dict.fromkeys(("35", "44", "45", "46"), ClimateZone.HOT_SUMMER_WARM_WINTER),
    **dict.fromkeys(("52", "53"), ClimateZone.MILD),
}
# The regional grids of the 生态环境部 2023 factors (REFERENCE §3.3 [R15]); 内蒙古 defaults to 华北 (蒙西).
PROVINCE_GRID = {
    **dict.fromkeys(("11", "12", "13", "14", "15", "37"), GridRegion.NORTH),
    **dict.fromkeys(("21", "22", "23"), GridRegion.NORTHEAST),
    **dict.fromkeys(("31", "32", "33", "34", "35"), GridRegion.EAST),
    **dict.fromkeys(("36", "41", "42", "43"), GridRegion.CENTRAL),
    **dict.fromkeys(("61", "62", "63", "64", "65"), GridRegion.NORTHWEST),
    **dict.fromkeys(("44", "45", "46", "52", "53"), GridRegion.SOUTH),
    **dict.fromkeys(("50", "51", "54"), GridRegion.SOUTHWEST),
}


def derived_category(kind: str) -> str:
    return KIND_CATEGORY.get(kind, InstitutionCategory.OTHER)


def derived_climate_zone(region_code: str) -> str | None:
    return PROVINCE_CLIMATE.get((region_code or "")[:2])


def derived_grid_region(region_code: str) -> str:
    return PROVINCE_GRID.get((region_code or "")[:2], GridRegion.NATIONAL)


# The base-data fields a correction may replace, with their labels.
CORRECTABLE = {
    "category": _("机构类型"),
    "climate_zone": _("气候区"),
    "grid_region": _("电网区域"),
    "building_area": _("建筑面积（m²）"),
    "energy_users": _("用能人数"),
}


def correction_errors(*, field: str, value: str, reason: str, has_document: bool) -> dict:
    """A value other than the derived one is a recorded correction: a known field, a valid value (an empty
    value withdraws the correction), a reason and the document it rests on."""
    errors = {}
    if field not in CORRECTABLE:
        return {"field": _("请选择要更正的项目（机构类型、气候区、电网区域、建筑面积、用能人数）。")}
    value = (value or "").strip()
    choices = {"category": InstitutionCategory, "climate_zone": ClimateZone, "grid_region": GridRegion}
    if value and field in choices and value not in choices[field].values:
        errors["value"] = _("%(field)s的取值“%(value)s”无效。") % {"field": CORRECTABLE[field], "value": value}
    elif value and field in ("building_area", "energy_users"):
        try:
            number = Decimal(value) if field == "building_area" else Decimal(int(value))
        except (InvalidOperation, ValueError):
            number = None
        # The columns' limits (PostgreSQL integer; 12 digits with 2 decimals): beyond them is a typo.
        limit = Decimal("9999999999.99") if field == "building_area" else Decimal(2_147_483_647)
        if number is None or number <= 0:
            errors["value"] = (
                _("%(field)s必须是大于0的数。") if field == "building_area" else _("%(field)s必须是大于0的整数。")
            ) % {"field": CORRECTABLE[field]}
        elif number > limit:
            errors["value"] = _("%(field)s“%(value)s”超出可登记的范围，请核对。") % {
                "field": CORRECTABLE[field],
                "value": value,
            }
    if not (reason or "").strip():
        errors["reason"] = _("请填写更正原因（为何与组织机构、办公用房中的数据不同）。")
    if not has_document:
        errors["document"] = _("请上传更正依据文件（如批复、测绘报告、人员名册）。")
    return errors


def profile_errors(*, year, category, climate_zone, building_area, heated_area, energy_users) -> dict:
    """公共机构基本信息 as derived (and corrected): every value known, heated area within the building
    area, at least one energy user. The messages say where to fix a missing value — at its source."""
    errors = {}
    if not (2000 <= int(year) <= 2100):
        errors["year"] = _("年度应在2000–2100之间。")
    if category not in InstitutionCategory.values:
        errors["category"] = _("机构类型未知：请在组织机构中设置机构类型，或登记更正。")
    if climate_zone not in ClimateZone.values:
        errors["climate_zone"] = _("无法从行政区划代码确定气候区：请在组织机构中核对行政区划代码，或登记更正。")
    if building_area in (None, "") or Decimal(building_area) <= 0:
        errors["building_area"] = _(
            "办公用房台账中没有该机构的楼宇：请在办公用房中登记楼宇，或登记更正（附原因和依据）。"
        )
    elif heated_area > Decimal(building_area):
        errors["heated_area"] = _("采暖面积不能大于建筑面积。")
    if heated_area < 0:
        errors["heated_area"] = _("采暖面积不能为负数。")
    if not energy_users or energy_users <= 0:
        errors["energy_users"] = _("组织机构中该单位没有在职人员：请在组织机构中维护人员，或登记更正（附原因和依据）。")
    return errors


def period_ended(year: int, quarter: int, today) -> bool:
    """A quarter (1–4) or a year (0) may be reported once it is over: from the day after its last day."""
    last_month = 12 if quarter == 0 else quarter * 3
    return (today.year, today.month) > (year, last_month)
