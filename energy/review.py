"""The reviewers' checks run when an institution submits a period (REFERENCE §3.1), and the figures a
submission keeps: reads of the energy ledger, kept apart from the list and figure selectors."""

from decimal import Decimal

from datahub.models import OrgUnit

from . import rules
from .models import ConsumptionRecord, InstitutionProfile, ReportingPeriod
from .rules import EnergyType
from .selectors import ZERO, Figures, figures_by_year, quota_band


def review_warnings(unit: OrgUnit, period: ReportingPeriod) -> list[dict]:
    """The reviewers' checks (REFERENCE §3.1): 单价审核, 同比审核 (>10%), building area / energy users
    changed >10%, per-m² above the 约束值 or below the 引导值 (annual), missing months, a metered
    and billed type without cost. Each warning: {"rule", "message"}."""
    months = list(period.months)
    warnings: list[dict] = []

    def warn(rule, message):
        warnings.append({"rule": rule, "message": message})

    records = list(
        ConsumptionRecord.objects.filter(org_unit=unit, year__in=[period.year, period.year - 1], month__in=months)
    )
    now = [r for r in records if r.year == period.year]
    # Unit price, per type over the period.
    by_type: dict[str, list] = {}
    for r in now:
        by_type.setdefault(r.energy_type, []).append(r)
    for t, rs in by_type.items():
        rng = rules.PRICE_RANGES.get(t)
        q = sum((r.base_quantity for r in rs if r.cost), ZERO)
        c = sum((r.cost for r in rs if r.cost), ZERO)
        if rng and q > 0 and c > 0:
            price = (c / q).quantize(Decimal("0.0001"))
            if not rng[0] <= price <= rng[1]:
                warn(
                    "unit_price",
                    f"{EnergyType(t).label}单价{price}元/{rules.BASE_UNIT[t]}，超出常见范围{rng[0]}–{rng[1]}。",
                )
    # Year on year (total energy and water).
    last = [r for r in records if r.year == period.year - 1]
    for label, pick in (
        ("综合能耗", lambda rs: sum((r.kgce for r in rs), ZERO)),
        ("用水量", lambda rs: sum((r.base_quantity for r in rs if r.energy_type == EnergyType.WATER), ZERO)),
    ):
        change = rules.pct_change(pick(now), pick(last))
        if change is not None and abs(change) > rules.YOY_LIMIT_PCT:
            warn("yoy", f"{label}较上年同期变化{change}%，超过±{rules.YOY_LIMIT_PCT}%。")
    # Profile changes.
    profiles = {
        p.year: p for p in InstitutionProfile.objects.filter(org_unit=unit, year__in=[period.year, period.year - 1])
    }
    cur, prev = profiles.get(period.year), profiles.get(period.year - 1)
    if cur and prev:
        for label, a, b in (
            ("建筑面积", cur.building_area, prev.building_area),
            ("用能人数", Decimal(cur.energy_users), Decimal(prev.energy_users)),
        ):
            change = rules.pct_change(a, b)
            if change is not None and abs(change) > rules.PROFILE_CHANGE_LIMIT_PCT:
                warn(
                    "profile_change", f"{label}较上年变化{change}%（{b}→{a}），超过±{rules.PROFILE_CHANGE_LIMIT_PCT}%。"
                )
    # Per m² against the quota (annual report only: quotas are annual figures).
    if period.quarter == 0 and cur:
        figs = Figures(area=cur.building_area, users=cur.energy_users)
        for r in now:
            figs.add(r.energy_type, r.base_quantity, r.cost, r.kgce, r.kgco2)
        band = quota_band(cur, figs)
        quota, value = band["quota"], band["value"]
        if quota and value is not None:
            if value > quota.cap:
                warn("per_m2_cap", f"单位建筑面积能耗{value}kgce/m²，超过约束值{quota.cap}。")
            elif quota.guide is not None and value < quota.guide:
                warn("per_m2_low", f"单位建筑面积能耗{value}kgce/m²，低于引导值{quota.guide}，请核实是否漏报。")
    # Missing months.
    have = {r.month for r in now}
    missing = [m for m in months if m not in have]
    if missing:
        warn("missing_months", f"缺少{'、'.join(f'{m}月' for m in missing)}的数据。")
    # Metered and billed without cost.
    unpaid = sorted(
        {
            f"{r.month}月{r.get_energy_type_display()}"
            for r in now
            if r.collection == rules.Collection.METERED_PAID and not r.cost
        }
    )
    if unpaid:
        warn("metered_no_cost", f"采集方式为计量付费但未填写金额：{'、'.join(unpaid)}。")
    return warnings


def period_snapshot(unit: OrgUnit, period: ReportingPeriod) -> dict:
    """The figures an approval publishes, with the coefficient versions they were computed with."""
    figs = figures_by_year(unit, [period.year], period.months)[period.year]
    versions = sorted(
        set(
            ConsumptionRecord.objects.filter(
                org_unit=unit, year=period.year, month__in=list(period.months)
            ).values_list("coefficient_version_id", flat=True)
        )
    )
    return {**figs.as_json(), "coefficient_versions": versions}
