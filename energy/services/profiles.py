"""公共机构基本信息: derived from the apps that own each fact, corrected only with a reason and a document.

The profile row of a year is the snapshot the indicators, summaries and review rules read; it follows
its sources (``profile_refresh``) until the year's annual report is approved, then it is what was
published. The sources tell energy when they change: the directory's ``person_leaving`` signal (wired in
``apps.py``), office space's building services (``institution_facts_changed``), a submission, the night.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from datahub import uploads
from datahub.models import OrgUnit, User

from .. import basedata, rules
from ..models import InstitutionProfile, ProfileCorrection
from ._base import _require_institution, require_editor

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def _values(unit: OrgUnit, year: int, heated_area: Decimal) -> dict:
    eff = basedata.effective(unit, year)
    values = {name: f["value"] for name, f in eff.items()}
    errors = rules.profile_errors(
        year=year,
        category=values["category"],
        climate_zone=values["climate_zone"],
        building_area=values["building_area"],
        heated_area=heated_area,
        energy_users=values["energy_users"],
    )
    if errors:
        raise ValidationError(errors)
    return {
        **values,
        "building_area": Decimal(values["building_area"]),
        "heated_area": heated_area,
        "area_from_officespace": eff["building_area"]["correction"] is None,
        "users_from_directory": eff["energy_users"]["correction"] is None,
    }


@transaction.atomic
def save_profile(*, actor, org_unit: OrgUnit, year: int, heated_area: Decimal | None = None) -> InstitutionProfile:
    """Creates or brings up to date the year's 公共机构基本信息. Every value but the heated area is derived
    (directory headcount, office-space area, the unit's kind and 行政区划代码) or a recorded correction;
    nothing is typed here. Refused when a value is unknown at its source, naming where to fix it."""
    require_editor(actor=actor, unit=org_unit)
    _require_institution(org_unit)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("年度必须是整数。")}) from None
    if (org_unit.pk, year) in basedata.published([org_unit.pk]):
        raise ValidationError(
            {"year": _("%(year)s年年报已审核通过，基本信息按报送时的数据保存，不能再改。") % {"year": year}}
        )
    current = InstitutionProfile.objects.filter(org_unit=org_unit, year=year).first()
    if heated_area in (None, ""):
        heated_area = current.heated_area if current else Decimal(0)
    values = _values(org_unit, year, Decimal(heated_area))
    profile, _created = InstitutionProfile.objects.update_or_create(org_unit=org_unit, year=year, defaults=values)
    return profile


@transaction.atomic
def profile_refresh(*, unit_ids, years=None) -> int:
    """The existing profiles of ``unit_ids`` (of ``years``, default all) follow their sources again, except
    years whose annual report is approved. A profile whose source now lacks a value (e.g. every building
    removed) keeps its last value until someone saves it. Writes only what changed; returns that count."""
    qs = InstitutionProfile.objects.filter(org_unit_id__in=list(unit_ids)).select_related("org_unit")
    if years is not None:
        qs = qs.filter(year__in=list(years))
    frozen = basedata.published(unit_ids)
    changed = 0
    for p in qs:
        if (p.org_unit_id, p.year) in frozen:
            continue
        try:
            values = _values(p.org_unit, p.year, p.heated_area)
        except ValidationError:
            continue
        if any(getattr(p, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(p, k, v)
            p.save()
            changed += 1
    return changed


@transaction.atomic
def institution_facts_changed(*, org_unit: OrgUnit) -> int:
    """A fact energy derives changed at ``org_unit`` (a person moved, a building's area was edited): the
    open profiles of every institution at or above it follow now, in the writer's transaction."""
    return profile_refresh(unit_ids=basedata.institutions_at_or_above(org_unit))


@transaction.atomic
def person_moved(*, person_id: int, old_unit_id: int | None) -> int:
    """The directory moved or deactivated a person (after its commit): the institutions of the unit they
    left and of the unit they are in now count their energy users again."""
    units = OrgUnit.objects.filter(
        Q(pk=old_unit_id) | Q(pk__in=User.objects.filter(pk=person_id).values("org_unit_id"))
    )
    return sum(institution_facts_changed(org_unit=u) for u in units)


@transaction.atomic
def profile_correct(
    *, actor, org_unit: OrgUnit, year: int, field: str, value: str, reason: str, document
) -> ProfileCorrection:
    """Records a value other than the derived one — with its reason and the document it rests on — and
    applies it to the year's profile; the derived value is kept beside it and every correction stays in
    the history. An empty value withdraws the correction (the derived value applies again)."""
    require_editor(actor=actor, unit=org_unit)
    _require_institution(org_unit)
    errors = rules.correction_errors(field=field, value=value, reason=reason, has_document=bool(document))
    try:
        year = int(year)
        if not 2000 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = _("年度应在2000–2100之间。")
    if errors:
        raise ValidationError(errors)
    if (org_unit.pk, year) in basedata.published([org_unit.pk]):
        raise ValidationError(
            {"year": _("%(year)s年年报已审核通过，基本信息按报送时的数据保存，不能再更正。") % {"year": year}}
        )
    derived = basedata.derived(org_unit)[field]
    correction = ProfileCorrection(
        org_unit=org_unit,
        year=year,
        field=field,
        value=(value or "").strip(),
        derived_value="" if derived is None else str(derived),
        reason=reason.strip(),
        document=document,
        created_by=actor,
    )
    try:
        correction.full_clean(exclude=["org_unit", "created_by"])
        uploads.check_content(document, document.name, max_bytes=DOCUMENT_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"document": exc.messages}) from None
    correction.save()
    profile_refresh(unit_ids=[org_unit.pk], years=[year])
    return correction
