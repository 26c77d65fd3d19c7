"""Read queries of the command center, all scoped to the leader's granted subtrees (``datahub.scoping``) and
all on the roll-up: the page makes the same few queries whatever the size of the subtree."""

from collections import defaultdict
from datetime import date

from django.db.models import Sum
from django.db.models.functions import Substr

from datahub import scoping
from datahub.models import OrgUnit
from energy import selectors as energy
from portal import selectors as portal

from .models import UnitMonth
from .rules import READERS

STEP = OrgUnit.steplen
# {month: {key: value}}
Months = dict[date, dict[str, object]]


def may_read(user) -> bool:
    return scoping.holds_any(user, READERS)


def home_units(user) -> list[OrgUnit]:
    """The units a reader's pages open on: the outermost ones granted (the roots for a superuser)."""
    if user.is_superuser:
        return list(OrgUnit.objects.filter(depth=1, is_active=True).order_by("path"))
    paths = scoping.granted_paths(user, READERS)
    return list(OrgUnit.objects.filter(path__in=paths, is_active=True).order_by("path"))


def unit_for(user, pk) -> OrgUnit | None:
    """The unit if it lies in the reader's granted subtrees, else None (the page answers 404)."""
    return scoping.visible_units(user, roles=READERS).filter(pk=pk, is_active=True).first()


def breadcrumb(user, unit: OrgUnit) -> list[OrgUnit]:
    """The unit's ancestors the reader may open (up to their granted unit), then the unit."""
    prefixes = [unit.path[:i] for i in range(STEP, len(unit.path) + 1, STEP)]
    return list(scoping.visible_units(user, roles=READERS).filter(path__in=prefixes).order_by("depth"))


def children(unit: OrgUnit) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1, is_active=True).order_by("path")
    )


def subtree_months(unit: OrgUnit, months: list[date]) -> Months:
    """The subtree's sum of every roll-up key for each of ``months`` (one query)."""
    out: Months = defaultdict(dict)
    rows = (
        UnitMonth.objects.filter(org_unit__path__startswith=unit.path, month__in=months)
        .values_list("month", "key")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for month, key, total in rows:
        out[month][key] = total
    return out


def _by_prefix(root_path: str, length: int, months: list[date]) -> dict[str, Months]:
    rows = (
        UnitMonth.objects.filter(org_unit__path__startswith=root_path, org_unit__depth__gte=length // STEP)
        .filter(month__in=months)
        .annotate(prefix=Substr("org_unit__path", 1, length))
        .values_list("prefix", "month", "key")
        .annotate(total=Sum("value"))
        .order_by()
    )
    out: dict[str, Months] = defaultdict(lambda: defaultdict(dict))
    for prefix, month, key, total in rows:
        out[prefix][month][key] = total
    return out


def children_months(unit: OrgUnit, months: list[date]) -> dict[str, Months]:
    """Each child subtree's sums for ``months``, keyed by the child's path (one query)."""
    return _by_prefix(unit.path, len(unit.path) + STEP, months)


def peer_months(unit: OrgUnit, months: list[date]) -> dict[str, Months]:
    """The sums of the unit's subtree and of each sibling's, keyed by path (one query): the peer comparison."""
    return _by_prefix(unit.path[: len(unit.path) - STEP], len(unit.path), months)


def overdue_tickets(user, unit: OrgUnit, limit: int = 10) -> list:
    """The requests overdue now in the unit's subtree, the longest overdue first (the portal's selector)."""
    return list(portal.overdue_tickets(user, within=unit)[:limit])


def energy_plan() -> dict:
    return energy.plan_targets()


def energy_light(change_pct, reduction_pct, year: int, plan: dict) -> tuple[str, str, object]:
    return energy.plan_light(change_pct, reduction_pct, year, plan["baseline_year"], plan["target_year"])
