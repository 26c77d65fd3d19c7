"""Read queries of the energy app, always scoped. Indicators are ratios of sums: a unit subtree's
energy per m² is its institutions' energy (less vehicle fuel) over their summed building area,
never an average of ratios. Aggregation is done in SQL (one grouped query per figure set).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Q, QuerySet, Sum

from datahub import figures, scoping, staging
from datahub.models import OrgUnit
from datahub.roles import Role
from vehicles import selectors as vehicle_selectors

from . import figures as energy_figures
from . import rules, subtree
from .figures import ZERO, Figures, figures_by_unit, figures_by_year, summary_of
from .models import (
    Anomaly,
    CoefficientVersion,
    ConsumptionRecord,
    InstitutionProfile,
    Quota,
    Submission,
    Target,
)
from .rules import EnergyType, Indicator

ENERGY_READERS = (Role.ENERGY_REPORTER, Role.BUREAU_ADMIN, Role.LEADER)
LOCKING = subtree.LOCKING  # a report in one of these states locks its period's months


# --- Lists ----------------------------------------------------------------------------------------


def may_read(user) -> bool:
    """Does the user read energy figures anywhere?"""
    return scoping.holds_any(user, ENERGY_READERS)


def visible_unit(user, pk) -> OrgUnit | None:
    """The unit ``pk`` if the user reads its energy figures, else None (absent and out of scope alike)."""
    return scoping.visible_units(user, roles=ENERGY_READERS).filter(pk=pk).first()


def home_unit(user, *, roles=ENERGY_READERS) -> OrgUnit | None:
    """The unit a page opens on when none is asked: the highest the user reads with ``roles``, else None."""
    return scoping.visible_units(user, roles=roles).order_by("depth", "path").first()


def coefficient_versions(user) -> QuerySet:
    """The conversion tables (one set for the whole province): any energy role reads them all."""
    if not may_read(user):
        return CoefficientVersion.objects.none()
    return CoefficientVersion.objects.prefetch_related("coefficients", "grid_factors")


def institutions_for(user, *, within: OrgUnit | None = None, search: str = "") -> QuerySet:
    qs = scoping.visible_units(user, roles=ENERGY_READERS).filter(level=OrgUnit.Level.INSTITUTION, is_active=True)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search))
    return qs.order_by("path")


def profiles_for(user, *, within=None, year=None, category="", search="") -> QuerySet:
    qs = scoping.scope(InstitutionProfile.objects.select_related("org_unit"), user, roles=ENERGY_READERS)
    if within is not None:
        qs = qs.filter(org_unit__path__startswith=within.path)
    if year:
        qs = qs.filter(year=year)
    if category:
        qs = qs.filter(category=category)
    if search:
        qs = qs.filter(Q(org_unit__name__icontains=search) | Q(org_unit__code__icontains=search))
    return qs.order_by("org_unit__path", "-year")


def records_for(user, *, within=None, year=None, month=None, energy_type="", source="") -> QuerySet:
    qs = scoping.scope(
        ConsumptionRecord.objects.select_related("org_unit", "coefficient_version"), user, roles=ENERGY_READERS
    )
    if within is not None:
        qs = qs.filter(org_unit__path__startswith=within.path)
    if year:
        qs = qs.filter(year=year)
    if month:
        qs = qs.filter(month=month)
    if energy_type:
        qs = qs.filter(energy_type=energy_type)
    if source:
        qs = qs.filter(source=source)
    return qs.order_by("org_unit__path", "-year", "-month", "energy_type")


def submissions_for(user, *, within=None, status="", period=None) -> QuerySet:
    """Reports in the user's scope; ``status`` is the workflow ticket's status."""
    qs = scoping.scope(
        Submission.objects.select_related("org_unit", "period", "ticket__requester"),
        user,
        roles=ENERGY_READERS,
    )
    if within is not None:
        qs = qs.filter(org_unit__path__startswith=within.path)
    if status:
        qs = qs.filter(ticket__status=status)
    if period is not None:
        qs = qs.filter(period=period)
    return qs.order_by("-period__year", "-period__quarter", "org_unit__path", "-version")


def submissions_of_unit(user, unit: OrgUnit, *, limit: int = 20) -> QuerySet:
    """The latest reports of ``unit`` itself (not its subtree) that the user reads."""
    return submissions_for(user, within=unit).filter(org_unit=unit)[:limit]


def anomalies(user, *, within=None, year=None, include_resolved=False, limit: int | None = None) -> QuerySet:
    """Flagged monthly values in the user's scope (for the energy pages and the command center)."""
    qs = scoping.scope(Anomaly.objects.select_related("org_unit"), user, roles=ENERGY_READERS)
    if not include_resolved:
        qs = qs.filter(is_resolved=False)
    if within is not None:
        qs = qs.filter(org_unit__path__startswith=within.path)
    if year:
        qs = qs.filter(year=year)
    qs = qs.order_by("-year", "-month", "org_unit__path", "energy_type")
    return qs[:limit] if limit else qs


# --- Figures --------------------------------------------------------------------------------------


def _subtree(unit: OrgUnit) -> Q:
    return Q(org_unit__path__startswith=unit.path)


@dataclass
class TargetProgress:
    indicator: str
    label: str
    reduction_pct: Decimal
    baseline: Decimal | None
    value: Decimal | None
    change_pct: Decimal | None
    due_pct: Decimal | None
    light: str

    @property
    def light_label(self) -> str:
        return rules.Light(self.light).label


def indicators(unit: OrgUnit, year: int, quarter: int = 0) -> dict:
    """A unit's indicators for a year or quarter, against the same period last year and the
    baseline year, with progress to the targets (traffic lights). Three queries."""
    months = rules.quarter_months(quarter)
    targets = list(Target.objects.all())
    baseline_year = targets[0].baseline_year if targets else rules.BASELINE_YEAR
    years = sorted({year, year - 1, baseline_year})
    figs = figures_by_year(unit, years, months)
    now, last, base = figs[year], figs[year - 1], figs[baseline_year]
    changes = {
        name: {
            "label": Indicator(name).label,
            "value": now.indicator(name),
            "last_year": last.indicator(name),
            "yoy_pct": rules.pct_change(now.indicator(name), last.indicator(name)),
            "baseline": base.indicator(name),
            "vs_baseline_pct": rules.pct_change(now.indicator(name), base.indicator(name)),
        }
        for name in Indicator.values
    }
    progress = []
    for t in targets:
        c = changes[t.indicator]
        light, due = rules.target_light(c["vs_baseline_pct"], t.reduction_pct, year, t.baseline_year, t.target_year)
        progress.append(
            TargetProgress(
                t.indicator,
                t.get_indicator_display(),
                t.reduction_pct,
                c["baseline"],
                c["value"],
                c["vs_baseline_pct"],
                due,
                light,
            )
        )
    return {
        "unit": unit,
        "year": year,
        "quarter": quarter,
        "figures": now,
        "last_year": last,
        "baseline": base,
        "baseline_year": baseline_year,
        "total_yoy_pct": rules.pct_change(now.kgce, last.kgce),
        "changes": changes,
        "targets": progress,
    }


def quota_band(profile: InstitutionProfile | None, figures: Figures, indicator: str = Indicator.ENERGY_PER_M2) -> dict:
    """Where the institution's annual figure lies among the quota's 约束值/基准值/引导值."""
    quota = None
    if profile is not None:
        quota = Quota.objects.filter(
            category=profile.category, climate_zone=profile.climate_zone, indicator=indicator
        ).first()
    value = figures.indicator(indicator)
    band = rules.band_of(
        value, quota.cap if quota else None, quota.base if quota else None, quota.guide if quota else None
    )
    return {"quota": quota, "value": value, "band": band, "label": rules.Band(band).label}


def monthly_series(unit: OrgUnit, first_year: int, last_year: int) -> list[tuple[int, int, Decimal]]:
    """(year, month, kgce) of the unit's subtree, month by month (missing months as 0)."""
    got = {
        (r["year"], r["month"]): r["ce"]
        for r in ConsumptionRecord.objects.filter(_subtree(unit), year__gte=first_year, year__lte=last_year)
        .values("year", "month")
        .annotate(ce=Sum("kgce"))
        .order_by()
    }
    return [(y, m, got.get((y, m), ZERO)) for y in range(first_year, last_year + 1) for m in range(1, 13)]


# --- Summary tables (部门汇总 / 行政区域汇总 / 分类汇总) -------------------------------------------------


def summary(user, *, year: int, by: str, quarter: int = 0, within: OrgUnit | None = None) -> list[tuple[str, Figures]]:
    """Rows of (group name, Figures) for the institutions in the user's scope (``institutions_for``), grouped
    as ``figures.summary_of`` says. Two queries."""
    units = institutions_for(user, within=within)
    return summary_of(units, year=year, by=by, months=rules.quarter_months(quarter))


# --- What a write needs to know -------------------------------------------------------------------


def locked_by_unit(unit_ids, year: int) -> dict[int, set[int]]:
    """Months of ``year`` locked per unit: those of a period whose latest report is submitted, in review or approved."""
    latest = (
        Submission.objects.filter(org_unit_id__in=staging.ids_in(set(unit_ids)), period__year=year)
        .values("org_unit_id", "period_id")
        .annotate(v=Max("version"))
    )
    keys = {(r["org_unit_id"], r["period_id"], r["v"]) for r in latest}
    if not keys:
        return {}
    locked: dict[int, set[int]] = {}
    for s in Submission.objects.filter(
        org_unit_id__in=staging.ids_in({k[0] for k in keys}), period__year=year, ticket__status__in=LOCKING
    ).select_related("period"):
        if (s.org_unit_id, s.period_id, s.version) in keys:
            locked.setdefault(s.org_unit_id, set()).update(s.period.months)
    return locked


def locked_months(unit: OrgUnit, year: int) -> set[int]:
    return locked_by_unit([unit.pk], year).get(unit.pk, set())


def month_history(unit_id: int, energy_type: str, *, year: int, month: int) -> dict[tuple[int, int], Decimal]:
    """(year, month) → base quantity of one type for the rules.HISTORY_MONTHS months before ``month`` of
    ``year`` (same month last year included): what the entry sheet weighs a new figure against."""
    first = year * 12 + month - 1 - rules.HISTORY_MONTHS
    rows = ConsumptionRecord.objects.filter(
        org_unit_id=unit_id, energy_type=energy_type, year__gte=first // 12, year__lte=year
    ).values_list("year", "month", "base_quantity")
    return {(y, m): q for y, m, q in rows if first <= y * 12 + m - 1 < year * 12 + month - 1}


def derived_types(unit: OrgUnit) -> tuple[str, ...]:
    """汽油/柴油 are derived from the vehicles app for institutions whose vehicles are recorded there."""
    return rules.VEHICLE_FUELS if unit.pk in vehicle_selectors.units_with_vehicles([unit.pk]) else ()


def grid_regions(unit_ids, years) -> dict[tuple[int, int], str]:
    """(institution id, year) → the grid region of that year's profile (absent: national)."""
    return {
        (unit_id, year): region
        for unit_id, year, region in InstitutionProfile.objects.filter(
            org_unit_id__in=list(unit_ids), year__in=list(years)
        ).values_list("org_unit_id", "year", "grid_region")
    }


def region_of(unit_id: int, year: int) -> str:
    return (
        InstitutionProfile.objects.filter(org_unit_id=unit_id, year=year).values_list("grid_region", flat=True).first()
        or "national"
    )


# --- What the pages show of one institution (the unit is one the caller already found in scope) --------


def institutions_without_profile(user, *, year: int, within: OrgUnit | None = None) -> QuerySet:
    """Institutions the user may see that have no basic information for ``year`` yet."""
    return institutions_for(user, within=within).exclude(
        pk__in=InstitutionProfile.objects.filter(year=year).values("org_unit")
    )


def profile_of(unit: OrgUnit, year: int) -> InstitutionProfile | None:
    return InstitutionProfile.objects.filter(org_unit=unit, year=year).first()


def profile_history(unit: OrgUnit, limit: int = 10):
    return InstitutionProfile.history.filter(org_unit_id=unit.pk).select_related("history_user")[:limit]


def month_grid(unit: OrgUnit, year: int) -> list[tuple[str, list]]:
    """The year's records as rows of energy types by month (None where nothing was recorded)."""
    grid: dict[str, dict[int, ConsumptionRecord]] = {}
    for r in ConsumptionRecord.objects.filter(org_unit=unit, year=year):
        grid.setdefault(r.energy_type, {})[r.month] = r
    return [(label, [grid.get(code, {}).get(m) for m in range(1, 13)]) for code, label in EnergyType.choices]


def month_sheet_lines(unit: OrgUnit, year: int, month: int) -> dict[str, dict]:
    """A month's records by energy type, as the sheet form's initial lines."""
    return {
        r.energy_type: {"quantity": r.quantity, "unit": r.unit, "cost": r.cost, "collection": r.collection}
        for r in ConsumptionRecord.objects.filter(org_unit=unit, year=year, month=month)
    }


def submission_versions(submission: Submission) -> QuerySet:
    """Every version of a submission's unit and period (corrections open a new version)."""
    return (
        Submission.objects.filter(org_unit=submission.org_unit, period=submission.period)
        .select_related("ticket")
        .order_by("version")
    )


def reference_data() -> dict:
    """The coefficient versions, quotas and targets (platform-wide reference data)."""
    return {
        "versions": CoefficientVersion.objects.prefetch_related("coefficients", "grid_factors"),
        "quotas": Quota.objects.all(),
        "targets": Target.objects.all(),
    }


# --- Monthly figures per unit (the command center's roll-up; unscoped: the reader scopes the roll-up) ----


def monthly_energy_figures(*, start, end, unit_ids=None) -> figures.MonthlyFigures:
    """``monthly_energy_figure_queries`` read as {(unit, month): {key: value}}."""
    return figures.collect(monthly_energy_figure_queries(start=start, end=end, unit_ids=unit_ids))


def monthly_energy_figure_queries(*, start, end, unit_ids=None) -> figures.FigureQueries:
    """Per institution and month in [start, end), as ``Figures`` counts them: energy (kgce) and CO₂ (kg), both
    also without vehicle fuel (the per-m² boundary), water (m³), and the year's profile — building area (m²)
    and energy users — stored on each month of the year (stock figures). Grouped queries: the records, and
    the profiles for each month."""
    months = figures.months_between(start, end)
    unit_q = Q() if unit_ids is None else Q(org_unit_id__in=list(unit_ids))
    month = figures.FirstOfMonth("year", "month")
    records = ConsumptionRecord.objects.filter(unit_q, year__in=sorted({m.year for m in months})).alias(first=month)
    building = ~Q(energy_type__in=rules.VEHICLE_FUELS)
    queries = [
        figures.grouped(
            records.filter(first__gte=start, first__lt=end),
            unit="org_unit_id",
            month=month,
            energy_kgce=Sum("kgce"),
            energy_kgco2=Sum("kgco2"),
            energy_kgce_building=Sum("kgce", filter=building),
            energy_kgco2_building=Sum("kgco2", filter=building),
            water_m3=Sum("base_quantity", filter=Q(energy_type=EnergyType.WATER)),
        )
    ]
    for m in months:
        queries.append(
            figures.grouped(
                InstitutionProfile.objects.filter(unit_q, year=m.year),
                unit="org_unit_id",
                month=m,
                energy_area_m2=Sum("building_area"),
                energy_users=Sum("energy_users"),
            )
        )
    return queries


def plan_targets() -> dict:
    """The 十四五 targets: baseline and target year and the reduction (%) per indicator (the Target rows,
    else the rules' defaults)."""
    rows = list(Target.objects.all())
    if rows:
        return {
            "baseline_year": rows[0].baseline_year,
            "target_year": rows[0].target_year,
            "reductions": {t.indicator: t.reduction_pct for t in rows},
        }
    return {"baseline_year": rules.BASELINE_YEAR, "target_year": rules.TARGET_YEAR, "reductions": dict(rules.TARGETS)}


def plan_light(change_pct, reduction_pct, year: int, baseline_year: int, target_year: int) -> tuple[str, str, object]:
    """(light, its label, the reduction due by ``year``) against a 十四五 target — the energy pages' rule."""
    light, due = rules.target_light(change_pct, reduction_pct, year, baseline_year, target_year)
    return str(light), rules.Light(light).label, due


def quota_lights(within: OrgUnit, year: int) -> dict[str, int]:
    """Institutions of the subtree red, amber or green against their 能耗定额 (``subtree.quota_lights``). Four queries."""
    return subtree.quota_lights(within, year, figures_by_unit(_subtree(within), year))


report_figures = subtree.report_figures
# The figures the pages read through the selectors (computed in ``figures``).
percentile = energy_figures.percentile
SUMMARY_BY = energy_figures.SUMMARY_BY
BAND_LIGHTS = subtree.BAND_LIGHTS
