"""公共机构基本信息 as derived from the apps that own each fact (一数一源), and the recorded corrections.

- 用能人数: the directory's headcount of the institution's subtree (``datahub.selectors.attach_headcounts``);
- 建筑面积: office space's buildings of the subtree (``officespace.selectors.areas_by_unit``);
- 气候区 / 电网区域: the unit's 行政区划代码 (``rules.derived_climate_zone`` / ``derived_grid_region``);
- 机构类型: the unit's kind in the directory (``rules.derived_category``).

A different value is a ``ProfileCorrection`` (reason + document), never a retyped figure. Reads only.
"""

from decimal import Decimal

from django.db.models import QuerySet

from datahub.models import OrgUnit
from datahub.selectors import attach_headcounts
from officespace import selectors as space
from portal.workflow import Status

from . import rules
from .models import ProfileCorrection, Submission


def derived(unit: OrgUnit) -> dict:
    """The base data as the owning apps hold it now (building area None when office space has no building)."""
    ids = list(OrgUnit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    areas = space.areas_by_unit(unit_ids=ids)
    area = sum((a["building_area"] for a in areas.values()), Decimal(0)) if areas else None
    attach_headcounts([unit])
    return {
        "category": rules.derived_category(unit.kind),
        "climate_zone": rules.derived_climate_zone(unit.region_code),
        "grid_region": rules.derived_grid_region(unit.region_code),
        "building_area": area or None,
        "energy_users": unit.headcount,
    }


def corrections_in_force(unit_ids, year: int) -> dict[int, dict[str, ProfileCorrection]]:
    """unit id → field → the latest correction of ``year`` (a withdrawn one, empty value, is left out)."""
    out: dict[int, dict[str, ProfileCorrection]] = {}
    seen = set()
    for c in ProfileCorrection.objects.filter(org_unit_id__in=list(unit_ids), year=year).order_by(
        "org_unit_id", "field", "-created_at", "-pk"
    ):
        if (c.org_unit_id, c.field) in seen:
            continue
        seen.add((c.org_unit_id, c.field))
        if c.value:
            out.setdefault(c.org_unit_id, {})[c.field] = c
    return out


def effective(unit: OrgUnit, year: int) -> dict:
    """What the profile of ``year`` holds: each field's derived value, its correction (if any) and the value
    in force — ``{"field": {"label", "derived", "correction", "value"}}``."""
    base = derived(unit)
    corrections = corrections_in_force([unit.pk], year).get(unit.pk, {})
    out = {}
    for name, label in rules.CORRECTABLE.items():
        c = corrections.get(name)
        value = base[name]
        if c is not None:
            value = Decimal(c.value) if name == "building_area" else int(c.value) if name == "energy_users" else c.value
        out[name] = {"label": label, "derived": base[name], "correction": c, "value": value}
    return out


def correction_history(unit: OrgUnit, year: int | None = None) -> QuerySet:
    qs = ProfileCorrection.objects.filter(org_unit=unit).select_related("created_by")
    return qs.filter(year=year) if year is not None else qs


def published(unit_ids) -> set[tuple[int, int]]:
    """(institution, year) whose annual report is approved: the profile of that year is what was published
    and no longer follows its sources."""
    return set(
        Submission.objects.filter(
            org_unit_id__in=list(unit_ids), period__quarter=0, ticket__status=Status.DONE
        ).values_list("org_unit_id", "period__year")
    )


def institutions_at_or_above(unit: OrgUnit) -> list[int]:
    """The institutions whose subtree holds ``unit`` (a fact of ``unit`` moves their base data)."""
    prefixes = [unit.path[:i] for i in range(OrgUnit.steplen, len(unit.path) + 1, OrgUnit.steplen)]
    return list(OrgUnit.objects.filter(path__in=prefixes, level=OrgUnit.Level.INSTITUTION).values_list("pk", flat=True))
