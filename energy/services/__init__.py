"""Every write of the energy app: one function per business action, each in a transaction,
raising ``ValidationError`` (field → Chinese message) or ``PermissionDenied`` on a broken rule.

Figures are computed when written, with the *current* coefficient version, and keep that
version; ``recompute`` is the explicit action that applies another version to records that are
not locked by a submission. Published figures (approved submissions) are snapshots and are
never rewritten.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from datahub import scoping
from datahub.models import OrgUnit
from datahub.roles import Role

from .. import rules, selectors
from ..conversion import Converter
from ..models import (
    Anomaly,
    Coefficient,
    CoefficientVersion,
    ConsumptionRecord,
    GridFactor,
    InstitutionProfile,
)
from ._base import ENERGY_EDITORS as ENERGY_EDITORS
from ._base import require_editor as require_editor
from .profiles import institution_facts_changed as institution_facts_changed
from .profiles import person_moved as person_moved
from .profiles import profile_correct as profile_correct
from .profiles import profile_refresh as profile_refresh
from .profiles import save_profile as save_profile
from .records import delete_record as delete_record
from .records import save_month_sheet as save_month_sheet
from .records import save_record as save_record
from .records import sync_vehicle_fuel as sync_vehicle_fuel
from .records import vehicle_fuel_recorded as vehicle_fuel_recorded
from .reporting import KIND as KIND
from .reporting import open_correction as open_correction
from .reporting import period_of as period_of
from .reporting import report_approved as report_approved
from .reporting import report_outcome as report_outcome
from .reporting import submit as submit

# --- Coefficients and conversion ------------------------------------------------------------------


@transaction.atomic
def coefficient_version_make_current(*, actor, version: CoefficientVersion) -> CoefficientVersion:
    """Makes ``version`` the one new figures are computed with. Existing figures keep theirs."""
    _require_bureau(actor)
    CoefficientVersion.objects.filter(is_current=True).exclude(pk=version.pk).update(is_current=False)
    version.is_current = True
    version.save(update_fields=["is_current"])
    return version


@transaction.atomic
def coefficient_version_copy(*, actor, version: CoefficientVersion, name: str) -> CoefficientVersion:
    """A used version is frozen; changing a coefficient means copying it as a new version."""
    _require_bureau(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写新版本名称。")})
    if CoefficientVersion.objects.filter(name=name).exists():
        raise ValidationError({"name": _("版本名称“%(name)s”已存在。") % {"name": name}})
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


def check_version_editable(*, version: CoefficientVersion) -> None:
    """Figures computed with a version must stay reproducible: a used version is frozen."""
    if version.pk and version.in_use:
        raise ValidationError(_("该折算系数版本已被数据使用，不能修改；请复制为新版本后再修改。"))


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
    locked = selectors.locked_by_unit([r.org_unit_id for r in records], year)
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
        raise PermissionDenied(_("只有机关事务管理局管理员可以管理折算系数。"))


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
            flag = rules.month_anomaly(value, history, points.get((y - 1, m)))
            if flag is not None:
                found[(unit_id, m, t)] = (value, *flag)
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
    """An editor of the anomaly's unit marks it checked; later detection runs leave it resolved."""
    require_editor(actor=actor, unit=anomaly.org_unit)
    anomaly.is_resolved = True
    anomaly.save(update_fields=["is_resolved"])
    return anomaly
