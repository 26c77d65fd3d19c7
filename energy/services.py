"""Every write of the energy app: one function per business action, each in a transaction,
raising ``ValidationError`` (field → Chinese message) or ``PermissionDenied`` on a broken rule.

Figures are computed when written, with the *current* coefficient version, and keep that
version; ``recompute`` is the explicit action that applies another version to records that are
not locked by a submission. Published figures (approved submissions) are snapshots and are
never rewritten.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from datahub import scoping
from datahub.models import OrgUnit
from datahub.roles import Role

from . import rules
from .models import (
    Anomaly,
    Coefficient,
    CoefficientVersion,
    ConsumptionRecord,
    GridFactor,
    InstitutionProfile,
    ReportingPeriod,
    Submission,
    SubmissionEvent,
)
from .rules import EnergyType

ENERGY_EDITORS = (Role.ENERGY_REPORTER, Role.BUREAU_ADMIN)
# Reviewers hold one of these on a unit *above* the institution (the level above reviews).
REVIEWERS = (Role.ENERGY_REPORTER, Role.BUREAU_ADMIN)
Q4 = Decimal("0.0001")


# --- Coefficients and conversion ------------------------------------------------------------------


def current_version() -> CoefficientVersion:
    version = CoefficientVersion.objects.filter(is_current=True).first()
    if version is None:
        raise ValidationError({"coefficient_version": "尚未设置当前使用的折算系数版本，请管理员在后台设置。"})
    return version


class Converter:
    """Applies one coefficient version: (base quantity, kgce, kgCO₂) of a reported quantity."""

    def __init__(self, version: CoefficientVersion):
        self.version = version
        self.coefficients = {c.energy_type: c for c in Coefficient.objects.filter(version=version)}
        self.grid: dict[int, dict[str, Decimal]] = {}
        for g in GridFactor.objects.filter(version=version):
            self.grid.setdefault(g.year, {})[g.region] = g.kgco2_per_kwh

    def grid_factor(self, year: int, region: str = rules.GridRegion.NATIONAL) -> Decimal:
        if not self.grid:
            raise ValidationError({"coefficient_version": f"折算系数版本“{self.version}”没有电网排放因子。"})
        factors = self.grid[rules.pick_grid_year(sorted(self.grid), year)]
        return factors.get(region) or factors[rules.GridRegion.NATIONAL]

    def density(self, energy_type: str) -> Decimal | None:
        c = self.coefficients.get(energy_type)
        return c.density if c else None

    def convert(self, energy_type: str, quantity: Decimal, unit: str, year: int, region: str = "national"):
        c = self.coefficients.get(energy_type)
        if c is None:
            raise ValidationError(
                {"energy_type": f"折算系数版本“{self.version}”缺少“{EnergyType(energy_type).label}”的系数。"}
            )
        try:
            base = rules.to_base(Decimal(quantity), energy_type, unit, c.density)
        except ValueError as exc:
            raise ValidationError(
                {"unit": f"“{EnergyType(energy_type).label}”不能使用计量单位“{unit}”或缺少密度。"}
            ) from exc
        co2 = self.grid_factor(year, region) if energy_type == EnergyType.ELECTRICITY else c.kgco2_per_unit
        return base.quantize(Q4), (base * c.kgce_per_unit).quantize(Q4), (base * co2).quantize(Q4)


@transaction.atomic
def set_current_version(*, actor, version: CoefficientVersion) -> CoefficientVersion:
    """Makes ``version`` the one new figures are computed with. Existing figures keep theirs."""
    _require_bureau(actor)
    CoefficientVersion.objects.filter(is_current=True).exclude(pk=version.pk).update(is_current=False)
    version.is_current = True
    version.save(update_fields=["is_current"])
    return version


@transaction.atomic
def copy_version(*, actor, version: CoefficientVersion, name: str) -> CoefficientVersion:
    """A used version is frozen; changing a coefficient means copying it as a new version."""
    _require_bureau(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写新版本名称。"})
    if CoefficientVersion.objects.filter(name=name).exists():
        raise ValidationError({"name": f"版本名称“{name}”已存在。"})
    new = CoefficientVersion.objects.create(name=name, standard=version.standard, year=version.year, note=version.note)
    Coefficient.objects.bulk_create(
        Coefficient(
            version=new,
            energy_type=c.energy_type,
            kgce_per_unit=c.kgce_per_unit,
            kgco2_per_unit=c.kgco2_per_unit,
            density=c.density,
        )
        for c in version.coefficients.all()
    )
    GridFactor.objects.bulk_create(
        GridFactor(version=new, year=g.year, region=g.region, kgco2_per_kwh=g.kgco2_per_kwh)
        for g in version.grid_factors.all()
    )
    return new


def check_version_editable(version: CoefficientVersion) -> None:
    """Figures computed with a version must stay reproducible: a used version is frozen."""
    if version.pk and version.in_use:
        raise ValidationError("该折算系数版本已被数据使用，不能修改；请复制为新版本后再修改。")


@dataclass
class RecomputeResult:
    updated: int = 0
    skipped_locked: int = 0


@transaction.atomic
def recompute(*, actor, version: CoefficientVersion, unit: OrgUnit, year: int) -> RecomputeResult:
    """Explicit recomputation of ``unit``'s subtree records of ``year`` with ``version``.
    Records in a submitted or approved period are locked and left as they are."""
    _require_bureau(actor, unit)
    conv = Converter(version)
    regions = dict(InstitutionProfile.objects.filter(year=year).values_list("org_unit_id", "grid_region"))
    result = RecomputeResult()
    records = ConsumptionRecord.objects.select_for_update().filter(year=year, org_unit__path__startswith=unit.path)
    locked = _locked_by_unit([r.org_unit_id for r in records], year)
    changed = []
    for r in records:
        if r.month in locked.get(r.org_unit_id, ()):
            result.skipped_locked += 1
            continue
        r.base_quantity, r.kgce, r.kgco2 = conv.convert(
            r.energy_type, r.quantity, r.unit, r.year, regions.get(r.org_unit_id, "national")
        )
        r.coefficient_version = version
        changed.append(r)
    ConsumptionRecord.objects.bulk_update(changed, ["base_quantity", "kgce", "kgco2", "coefficient_version"])
    result.updated = len(changed)
    return result


# --- Permissions ------------------------------------------------------------------------------------


def _require_bureau(actor, unit: OrgUnit | None = None) -> None:
    ok = (
        scoping.covers(actor, unit, roles=(Role.BUREAU_ADMIN,))
        if unit
        else scoping.holds_any(actor, (Role.BUREAU_ADMIN,))
    )
    if not ok:
        raise PermissionDenied("只有机关事务管理局管理员可以管理折算系数。")


def require_editor(actor, unit: OrgUnit) -> None:
    if not scoping.covers(actor, unit, roles=ENERGY_EDITORS):
        raise PermissionDenied(f"您没有填报“{unit}”能耗数据的权限。")


def _require_institution(unit: OrgUnit) -> None:
    if unit.level != OrgUnit.Level.INSTITUTION:
        raise ValidationError({"org_unit": f"“{unit}”不是公共机构（机关/单位），能耗按机构填报。"})


# --- Institution profile ----------------------------------------------------------------------------


def profile_defaults(unit: OrgUnit) -> dict:
    """What the other apps know: building area from office space (None when no building is recorded),
    directory headcount of the unit's subtree."""
    from datahub.selectors import attach_headcounts
    from officespace import selectors as space

    ids = list(OrgUnit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    areas = space.areas_by_unit(unit_ids=ids)
    area = sum((a["building_area"] for a in areas.values()), Decimal(0)) if areas else None
    attach_headcounts([unit])
    return {"building_area": area or None, "headcount": unit.headcount}


@transaction.atomic
def save_profile(
    *,
    actor,
    org_unit: OrgUnit,
    year: int,
    category: str,
    climate_zone: str,
    grid_region: str = rules.GridRegion.NATIONAL,
    building_area: Decimal | None = None,
    heated_area: Decimal | None = None,
    energy_users: int | None = None,
) -> InstitutionProfile:
    """公共机构基本信息 for a year. The building area is the office-space figure when the
    institution's buildings are recorded there (a differing entry is refused: 一数一源) and must be
    entered otherwise; energy users default to the directory headcount."""
    require_editor(actor, org_unit)
    _require_institution(org_unit)
    errors = {}
    if not (2000 <= int(year) <= 2100):
        errors["year"] = "年度应在2000–2100之间。"
    if category not in rules.InstitutionCategory.values:
        errors["category"] = "请选择机构类型。"
    if climate_zone not in rules.ClimateZone.values:
        errors["climate_zone"] = "请选择气候区。"
    if grid_region not in rules.GridRegion.values:
        errors["grid_region"] = "请选择电网区域。"
    defaults = profile_defaults(org_unit)
    from_space = defaults["building_area"] is not None
    if from_space:
        if building_area not in (None, "") and Decimal(building_area) != defaults["building_area"]:
            errors["building_area"] = (
                f"建筑面积取自办公用房台账（{defaults['building_area']}m²），请在办公用房中修改，不在此重复填写。"
            )
        building_area = defaults["building_area"]
    elif building_area in (None, "") or Decimal(building_area) <= 0:
        errors["building_area"] = "办公用房台账中没有该机构的楼宇，请填写大于0的建筑面积。"
    heated_area = Decimal(heated_area or 0)
    if heated_area < 0:
        errors["heated_area"] = "采暖面积不能为负数。"
    elif building_area and heated_area > Decimal(building_area):
        errors["heated_area"] = "采暖面积不能大于建筑面积。"
    from_directory = energy_users in (None, "")
    users = defaults["headcount"] if from_directory else int(energy_users)
    if users <= 0:
        errors["energy_users"] = "用能人数必须大于0（组织机构中该单位没有在职人员时请填写）。"
    if errors:
        raise ValidationError(errors)
    profile, _ = InstitutionProfile.objects.update_or_create(
        org_unit=org_unit,
        year=year,
        defaults={
            "category": category,
            "climate_zone": climate_zone,
            "grid_region": grid_region,
            "building_area": Decimal(building_area),
            "area_from_officespace": from_space,
            "heated_area": heated_area,
            "energy_users": users,
            "users_from_directory": from_directory,
        },
    )
    return profile


# --- Consumption records ----------------------------------------------------------------------------


def _locked_by_unit(unit_ids, year: int) -> dict[int, set[int]]:
    """Months of ``year`` locked per unit: those of a period whose latest submission is submitted or approved."""
    latest = (
        Submission.objects.filter(org_unit_id__in=set(unit_ids), period__year=year)
        .values("org_unit_id", "period_id")
        .annotate(v=Max("version"))
    )
    keys = {(r["org_unit_id"], r["period_id"], r["v"]) for r in latest}
    if not keys:
        return {}
    locked: dict[int, set[int]] = {}
    for s in Submission.objects.filter(org_unit_id__in={k[0] for k in keys}, period__year=year).select_related(
        "period"
    ):
        if (s.org_unit_id, s.period_id, s.version) in keys and s.status in (
            Submission.Status.SUBMITTED,
            Submission.Status.APPROVED,
        ):
            locked.setdefault(s.org_unit_id, set()).update(s.period.months)
    return locked


def locked_months(unit: OrgUnit, year: int) -> set[int]:
    return _locked_by_unit([unit.pk], year).get(unit.pk, set())


def derived_types(unit: OrgUnit) -> tuple[str, ...]:
    """汽油/柴油 are derived from the vehicles app for institutions whose vehicles are recorded there."""
    vs = vehicles_selectors()
    if vs is None:
        return ()
    return rules.VEHICLE_FUELS if unit.pk in vs.units_with_vehicles([unit.pk]) else ()


def vehicles_selectors():
    """The vehicles app's selectors, once it provides fuel (None before that)."""
    try:
        from vehicles import selectors as vs
    except ImportError:
        return None
    return vs if hasattr(vs, "monthly_fuel") and hasattr(vs, "units_with_vehicles") else None


def _below(model_field: str) -> Decimal:
    """The first value a ConsumptionRecord decimal column cannot hold (max_digits − decimal_places)."""
    f = ConsumptionRecord._meta.get_field(model_field)
    return Decimal(10) ** (f.max_digits - f.decimal_places)


def _decimal(value, field: str, errors: dict, *, label: str, allow_none=False, below=None) -> Decimal | None:
    if value in (None, ""):
        if not allow_none:
            errors[field] = f"请填写{label}。"
        return None
    try:
        d = Decimal(str(value))
        if not d.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors[field] = f"{label}必须是数字。"
        return None
    if d < 0:
        errors[field] = f"{label}不能为负数。"
        return None
    if below is not None and d >= below:
        errors[field] = f"{label}过大，请核对（应小于{below:,.0f}）。"
        return None
    return d


_TYPES = frozenset(EnergyType.values)
_COLLECTIONS = frozenset(rules.Collection.values)


def validate_entry(energy_type, quantity, unit, cost, collection, *, prefix: str = "") -> tuple[dict, dict]:
    """Checks one reported line; returns (clean values, errors keyed ``prefix + field``)."""
    errors: dict[str, str] = {}
    if energy_type not in _TYPES:
        errors[prefix + "energy_type"] = f"未知的能源品种“{energy_type}”，应为{'、'.join(EnergyType.labels)}之一。"
        return {}, errors
    label = EnergyType(energy_type).label
    q = _decimal(quantity, prefix + "quantity", errors, label=f"{label}实物量", below=_below("quantity"))
    if unit not in rules.UNITS[energy_type]:
        errors[prefix + "unit"] = f"{label}的计量单位应为{'、'.join(rules.UNITS[energy_type])}之一。"
    c = _decimal(cost, prefix + "cost", errors, label=f"{label}金额", allow_none=True, below=_below("cost"))
    if collection not in _COLLECTIONS:
        errors[prefix + "collection"] = f"请选择{label}的采集方式（{'、'.join(rules.Collection.labels)}）。"
    return {"quantity": q, "unit": unit, "cost": c, "collection": collection}, errors


def _check_period(year, month, errors, prefix=""):
    try:
        year, month = int(year), int(month)
    except (TypeError, ValueError):
        errors[prefix + "month"] = "年度、月份必须是整数。"
        return None, None
    if not 2000 <= year <= 2100:
        errors[prefix + "year"] = "年度应在2000–2100之间。"
    if not 1 <= month <= 12:
        errors[prefix + "month"] = "月份应为1–12。"
    return year, month


def _region_of(unit_id: int, year: int) -> str:
    return (
        InstitutionProfile.objects.filter(org_unit_id=unit_id, year=year).values_list("grid_region", flat=True).first()
        or "national"
    )


@transaction.atomic
def save_record(
    *,
    actor,
    org_unit: OrgUnit,
    year: int,
    month: int,
    energy_type: str,
    quantity,
    unit: str,
    cost=None,
    collection: str = rules.Collection.METERED_PAID,
    source: str = ConsumptionRecord.Source.API,
) -> ConsumptionRecord:
    """One month of one type (created or replaced). Refused in a locked month, for a type the
    vehicles app derives, for a department (records are per institution) or a negative quantity."""
    require_editor(actor, org_unit)
    _require_institution(org_unit)
    errors: dict[str, str] = {}
    year, month = _check_period(year, month, errors)
    clean, line_errors = validate_entry(energy_type, quantity, unit, cost, collection)
    errors.update(line_errors)
    if errors:
        raise ValidationError(errors)
    if month in locked_months(org_unit, year):
        raise ValidationError({"month": f"{year}年{month}月的数据已报送或已审核，已锁定；如需修改请申请更正。"})
    if energy_type in derived_types(org_unit):
        raise ValidationError(
            {"energy_type": f"“{org_unit}”的{EnergyType(energy_type).label}由公务用车加油记录自动汇总，不能手工填报。"}
        )
    conv = Converter(current_version())
    return _write(conv, org_unit.pk, year, month, energy_type, clean, source, _region_of(org_unit.pk, year))


def grid_regions(unit_ids, years) -> dict[tuple[int, int], str]:
    """(institution id, year) → the grid region of that year's profile (absent: national)."""
    return {
        (unit_id, year): region
        for unit_id, year, region in InstitutionProfile.objects.filter(
            org_unit_id__in=list(unit_ids), year__in=list(years)
        ).values_list("org_unit_id", "year", "grid_region")
    }


def record_values(conv: Converter, energy_type, clean: dict, year: int, region: str, source) -> dict:
    """A checked line (``validate_entry``) as stored: the figures entered plus their conversion."""
    base, kgce, kgco2 = conv.convert(energy_type, clean["quantity"], clean["unit"], year, region)
    return {
        **clean,
        "source": source,
        "base_quantity": base,
        "kgce": kgce,
        "kgco2": kgco2,
        "coefficient_version": conv.version,
    }


def _write(conv: Converter, unit_id, year, month, energy_type, clean, source, region) -> ConsumptionRecord:
    record, _ = ConsumptionRecord.objects.update_or_create(
        org_unit_id=unit_id,
        year=year,
        month=month,
        energy_type=energy_type,
        defaults=record_values(conv, energy_type, clean, year, region, source),
    )
    return record


@transaction.atomic
def save_month_sheet(*, actor, org_unit: OrgUnit, year: int, month: int, lines: dict[str, dict]) -> dict:
    """A month's sheet, all types at once: ``lines[type] = {quantity, unit, cost, collection}``;
    a line with no quantity removes that type's record. Every line is checked before anything
    is written; errors are keyed ``<type>-<field>``."""
    require_editor(actor, org_unit)
    _require_institution(org_unit)
    errors: dict[str, str] = {}
    year, month = _check_period(year, month, errors)
    if errors:
        raise ValidationError(errors)
    if month in locked_months(org_unit, year):
        raise ValidationError({"month": f"{year}年{month}月的数据已报送或已审核，已锁定；如需修改请申请更正。"})
    derived = derived_types(org_unit)
    writes, deletes = {}, []
    for energy_type, line in lines.items():
        if energy_type in derived:
            continue
        if line.get("quantity") in (None, ""):
            deletes.append(energy_type)
            continue
        clean, line_errors = validate_entry(
            energy_type,
            line.get("quantity"),
            line.get("unit"),
            line.get("cost"),
            line.get("collection"),
            prefix=f"{energy_type}-",
        )
        errors.update(line_errors)
        writes[energy_type] = clean
    if errors:
        raise ValidationError(errors)
    conv = Converter(current_version())
    region = _region_of(org_unit.pk, year)
    for energy_type, clean in writes.items():
        _write(conv, org_unit.pk, year, month, energy_type, clean, ConsumptionRecord.Source.FORM, region)
    removed = ConsumptionRecord.objects.filter(
        org_unit=org_unit, year=year, month=month, energy_type__in=deletes
    ).delete()[0]
    return {"saved": len(writes), "removed": removed}


@transaction.atomic
def delete_record(*, actor, record: ConsumptionRecord) -> None:
    require_editor(actor, record.org_unit)
    if record.month in locked_months(record.org_unit, record.year):
        raise ValidationError({"month": "该月数据已报送或已审核，已锁定。"})
    if record.source == ConsumptionRecord.Source.VEHICLES:
        raise ValidationError({"energy_type": "自动汇总的车辆用油不能删除。"})
    record.delete()


@transaction.atomic
def sync_vehicle_fuel(*, unit_ids, year: int) -> int:
    """Derived 汽油/柴油 of institutions with vehicles in the platform: the vehicles app's monthly
    fuel (litres and cost, summed over each institution's subtree) written as records with source
    "公务用车"; months locked by a submission keep what was reported. Returns rows written."""
    vs = vehicles_selectors()
    if vs is None:
        return 0
    units = set(vs.units_with_vehicles(list(unit_ids)))
    if not units:
        return 0
    fuel = vs.monthly_fuel(list(units), year)
    locked = _locked_by_unit(units, year)
    conv = Converter(current_version())
    regions = dict(
        InstitutionProfile.objects.filter(year=year, org_unit_id__in=units).values_list("org_unit_id", "grid_region")
    )
    existing = {
        (r.org_unit_id, r.month, r.energy_type): r
        for r in ConsumptionRecord.objects.filter(org_unit_id__in=units, year=year, energy_type__in=rules.VEHICLE_FUELS)
    }
    written = 0
    for (unit_id, month, fuel_type), v in fuel.items():
        if unit_id not in units or month in locked.get(unit_id, ()):
            continue
        clean = {
            "quantity": Decimal(v["litres"]),
            "unit": "L",
            "cost": Decimal(v["cost"]) if v.get("cost") is not None else None,
            "collection": rules.Collection.METERED_PAID,
        }
        old = existing.pop((unit_id, month, fuel_type), None)
        if (
            old is not None
            and old.source == ConsumptionRecord.Source.VEHICLES
            and old.quantity == clean["quantity"]
            and old.cost == clean["cost"]
        ):
            continue
        _write(
            conv,
            unit_id,
            year,
            month,
            fuel_type,
            clean,
            ConsumptionRecord.Source.VEHICLES,
            regions.get(unit_id, "national"),
        )
        written += 1
    # Hand-entered fuel of an institution whose vehicles are now in the platform, and derived
    # months whose fuel records went away: the vehicles app is the one source.
    stale = [r.pk for key, r in existing.items() if key[1] not in locked.get(key[0], ())]
    ConsumptionRecord.objects.filter(pk__in=stale).delete()
    return written + len(stale)


# --- Reporting and review ---------------------------------------------------------------------------


def period_of(year: int, quarter: int) -> ReportingPeriod:
    if quarter not in range(0, 5):
        raise ValidationError({"quarter": "季度应为1–4，年报为0。"})
    period, _ = ReportingPeriod.objects.get_or_create(year=year, quarter=quarter)
    return period


def _latest(unit: OrgUnit, period: ReportingPeriod) -> Submission | None:
    return Submission.objects.select_for_update().filter(org_unit=unit, period=period).order_by("-version").first()


def _event(submission, action, actor, comment=""):
    SubmissionEvent.objects.create(submission=submission, action=action, actor=actor, comment=comment)


# The submission state machine: action → (states it may start from, state it leads to).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((Submission.Status.RETURNED, Submission.Status.CORRECTING), Submission.Status.SUBMITTED),
    "approve": ((Submission.Status.SUBMITTED,), Submission.Status.APPROVED),
    "return": ((Submission.Status.SUBMITTED,), Submission.Status.RETURNED),
    "correct": ((Submission.Status.APPROVED,), Submission.Status.CORRECTING),
}
ACTION_LABELS = {"submit": "报送", "approve": "审核通过", "return": "退回", "correct": "申请更正"}


def _move(submission: Submission, action: str) -> None:
    sources, target = TRANSITIONS[action]
    if submission.status not in sources:
        raise ValidationError(
            {"status": f"当前状态为“{submission.get_status_display()}”，不能{ACTION_LABELS[action]}。"}
        )
    submission.status = target


@transaction.atomic
def submit(*, actor, org_unit: OrgUnit, period: ReportingPeriod) -> Submission:
    """The reporter submits the period: the vehicle fuel is brought up to date, the review rules
    run and their warnings are kept for the reviewer, and the period's months are locked."""
    from . import selectors

    require_editor(actor, org_unit)
    _require_institution(org_unit)
    OrgUnit.objects.select_for_update().filter(pk=org_unit.pk).first()  # one submission at a time per unit
    latest = _latest(org_unit, period)
    if latest is None:
        latest = Submission(period=period, org_unit=org_unit, version=1, status=Submission.Status.RETURNED)
    elif latest.status in (Submission.Status.SUBMITTED, Submission.Status.APPROVED):
        raise ValidationError({"status": f"{period}已报送（{latest.get_status_display()}），如需修改请申请更正。"})
    if not ConsumptionRecord.objects.filter(org_unit=org_unit, year=period.year, month__in=period.months).exists():
        raise ValidationError({"period": f"{period}没有任何能耗数据，不能报送。"})
    if not InstitutionProfile.objects.filter(org_unit=org_unit, year=period.year).exists():
        raise ValidationError({"period": f"请先填写{period.year}年度的公共机构基本信息（建筑面积、用能人数等）。"})
    sync_vehicle_fuel(unit_ids=[org_unit.pk], year=period.year)
    _move(latest, "submit")
    latest.warnings = selectors.review_warnings(org_unit, period)
    latest.acknowledged = False
    latest.submitted_by = actor
    latest.submitted_at = timezone.now()
    latest.reviewed_by, latest.reviewed_at, latest.review_comment = None, None, ""
    latest.save()
    _event(latest, "submit", actor, f"审核提示{len(latest.warnings)}条" if latest.warnings else "")
    return latest


def can_review(actor, submission: Submission) -> bool:
    unit = submission.org_unit
    parent = OrgUnit.objects.filter(path=unit.path[: -OrgUnit.steplen]).first() if unit.depth > 1 else None
    return (
        parent is not None and scoping.covers(actor, parent, roles=REVIEWERS) and actor.pk != submission.submitted_by_id
    )


def _require_reviewer(actor, submission: Submission) -> None:
    if not can_review(actor, submission):
        raise PermissionDenied("只有上一级的能耗审核人员可以审核本单位的报送（报送人不能审核自己的报送）。")


@transaction.atomic
def approve(*, actor, submission: Submission, acknowledge: bool = False, comment: str = "") -> Submission:
    """The reviewer above approves; every review warning must be acknowledged. The indicators
    are frozen into the submission (with the coefficient versions used) as the published figures."""
    from . import selectors

    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _require_reviewer(actor, submission)
    _move(submission, "approve")
    if submission.warnings and not acknowledge:
        raise ValidationError(
            {"acknowledge": f"本次报送有{len(submission.warnings)}条审核提示，请逐条核实并确认后再审核通过。"}
        )
    submission.acknowledged = bool(submission.warnings)
    submission.figures = selectors.period_snapshot(submission.org_unit, submission.period)
    submission.reviewed_by, submission.reviewed_at, submission.review_comment = actor, timezone.now(), comment
    submission.save()
    Submission.objects.filter(
        org_unit=submission.org_unit, period=submission.period, status=Submission.Status.APPROVED
    ).exclude(pk=submission.pk).update(status=Submission.Status.SUPERSEDED)
    _event(submission, "approve", actor, comment)
    return submission


@transaction.atomic
def return_submission(*, actor, submission: Submission, comment: str) -> Submission:
    """The reviewer returns the report with comments; the months unlock for the reporter."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _require_reviewer(actor, submission)
    if not (comment or "").strip():
        raise ValidationError({"comment": "退回时请填写审核意见，说明需要修改的内容。"})
    _move(submission, "return")
    submission.reviewed_by, submission.reviewed_at, submission.review_comment = actor, timezone.now(), comment.strip()
    submission.save()
    _event(submission, "return", actor, comment.strip())
    return submission


@transaction.atomic
def open_correction(*, actor, submission: Submission, reason: str) -> Submission:
    """A correction after approval is a new version (the reason kept); the approved version stays
    published until the correction is approved, and the months unlock meanwhile."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    require_editor(actor, submission.org_unit)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写更正原因。"})
    latest = _latest(submission.org_unit, submission.period)
    if latest.pk != submission.pk:
        raise ValidationError({"status": "该报送已有更新的版本，请在最新版本上操作。"})
    _move(Submission(status=submission.status), "correct")
    new = Submission.objects.create(
        period=submission.period,
        org_unit=submission.org_unit,
        version=submission.version + 1,
        status=Submission.Status.CORRECTING,
        correction_reason=reason.strip(),
    )
    _event(new, "correct", actor, reason.strip())
    return new


# --- Anomalies ----------------------------------------------------------------------------------------


@transaction.atomic
def detect_anomalies(*, year: int, unit_ids=None) -> int:
    """Flags months of ``year`` whose value is far from the institution's own history (robust
    z-score over the previous 24 months) or from the same month last year. Idempotent: the
    flags of the year are replaced; resolved flags stay resolved."""
    qs = ConsumptionRecord.objects.filter(year__gte=year - 2, year__lte=year)
    if unit_ids is not None:
        qs = qs.filter(org_unit_id__in=unit_ids)
    series: dict[tuple[int, str], dict[tuple[int, int], Decimal]] = {}
    for unit_id, y, m, t, q in qs.values_list(
        "org_unit_id", "year", "month", "energy_type", "base_quantity"
    ).iterator():
        series.setdefault((unit_id, t), {})[(y, m)] = q
    found = {}
    for (unit_id, t), points in series.items():
        for (y, m), value in points.items():
            if y != year:
                continue
            idx = y * 12 + m - 1
            history = [
                float(points[(i // 12, i % 12 + 1)])
                for i in range(idx - rules.HISTORY_MONTHS, idx)
                if (i // 12, i % 12 + 1) in points
            ]
            z = rules.robust_z(float(value), history)
            change = rules.pct_change(value, points.get((y - 1, m)))
            off_history = z is not None and abs(z) > float(rules.ROBUST_Z_LIMIT)
            off_same_month = change is not None and abs(change) > rules.SAME_MONTH_LIMIT_PCT
            # Seasonality: a winter peak far from the 24-month median but like last winter is not
            # an anomaly, so where the same month last year exists both tests must agree.
            flagged = (off_history and (change is None or off_same_month)) or (off_same_month and z is None)
            reasons = []
            if off_history:
                zs = "∞" if abs(z) == float("inf") else f"{z:.1f}"
                reasons.append(f"偏离本单位近{len(history)}个月水平（稳健Z值{zs}）")
            if off_same_month:
                reasons.append(f"较上年同月变化{change}%")
            if flagged:
                zq = None if z is None or abs(z) == float("inf") else Decimal(f"{z:.2f}")
                found[(unit_id, m, t)] = (value, zq, change, "；".join(reasons))
    old = Anomaly.objects.filter(year=year)
    if unit_ids is not None:
        old = old.filter(org_unit_id__in=unit_ids)
    resolved = set(old.filter(is_resolved=True).values_list("org_unit_id", "month", "energy_type"))
    old.exclude(is_resolved=True).delete()
    Anomaly.objects.bulk_create(
        Anomaly(
            org_unit_id=u, year=year, month=m, energy_type=t, value=v, robust_z=z, same_month_change_pct=c, reason=r
        )
        for (u, m, t), (v, z, c, r) in found.items()
        if (u, m, t) not in resolved
    )
    return len(found)


@transaction.atomic
def resolve_anomaly(*, actor, anomaly: Anomaly) -> Anomaly:
    require_editor(actor, anomaly.org_unit)
    anomaly.is_resolved = True
    anomaly.save(update_fields=["is_resolved"])
    return anomaly
