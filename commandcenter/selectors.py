"""Read queries of the command center, all scoped to the leader's granted subtrees (``datahub.scoping``) and
all on the roll-up: the page makes the same few queries whatever the size of the subtree, and each reads a
number of rows that does not grow with it (the subtree sums are stored: ``SubtreeMonth``)."""

from collections import defaultdict
from datetime import date

from django.db.models import Case, DecimalField, Q, Sum, When

from datahub import scoping
from datahub.models import OrgUnit
from energy import selectors as energy
from portal import selectors as portal
from vehicles import overview as fleet

from .catalog import STOCK_KEYS
from .models import SubtreeMonth
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


def children_and_peers(unit: OrgUnit) -> tuple[list[OrgUnit], list[OrgUnit]]:
    """The unit's active children (the ranking) and the units at its level under the same parent, itself
    included (the peer comparison), in one query."""
    rows = OrgUnit.objects.filter(
        Q(path__startswith=unit.path[: len(unit.path) - STEP], depth=unit.depth)
        | Q(path__startswith=unit.path, depth=unit.depth + 1, is_active=True)
    ).order_by("path")
    kids, peers = [], []
    for row in rows:
        (kids if row.depth > unit.depth else peers).append(row)
    return kids, peers


def subtree_months(unit: OrgUnit, months: list[date]) -> Months:
    """The subtree's sum of every roll-up key for each of ``months`` (one query, one row per key and month)."""
    out: Months = defaultdict(dict)
    rows = SubtreeMonth.objects.filter(org_unit=unit, month__in=months).values_list("month", "key", "value")
    for month, key, total in rows:
        out[month][key] = total
    return out


def window_sums(units: list[OrgUnit], windows: list[tuple[list[date], date]]) -> dict[str, list[dict]]:
    """For each of ``units``: its subtree's figures over each window (consecutive months, stock month) — flow keys summed
    over the months, stock keys read at the stock month — summed by the database, keyed by the unit's path.
    One query on the units' ids (an index range per unit: the rows read are units × keys × months, whatever
    the size of their subtrees)."""
    stock = sorted(STOCK_KEYS)
    # A window's months are consecutive: a range, cheaper for the database than a list on every row.
    spans = [Q(month__gte=min(months), month__lte=max(months)) if months else Q(pk__in=[]) for months, _ in windows]
    columns = {
        f"w{i}": Sum(
            Case(
                When(span & ~Q(key__in=stock) | Q(month=stock_month, key__in=stock), then="value"),
                output_field=DecimalField(max_digits=24, decimal_places=4),
            )
        )
        for i, (span, (_, stock_month)) in enumerate(zip(spans, windows, strict=True))
    }
    wanted = Q(month__in=[stock_month for _, stock_month in windows])
    for span in spans:
        wanted |= span
    rows = (
        SubtreeMonth.objects.filter(wanted, org_unit_id__in=[u.pk for u in units])
        .values_list("org_unit_id", "key")
        .annotate(**columns)
        .order_by()
    )
    paths = {u.pk: u.path for u in units}
    out: dict[str, list[dict]] = {u.path: [{} for _ in windows] for u in units}
    for unit_id, key, *sums in rows:
        for i, total in enumerate(sums):
            if total is not None:
                out[paths[unit_id]][i][key] = total
    return out


def overdue_tickets(user, unit: OrgUnit, limit: int = 10) -> list:
    """The requests overdue now in the unit's subtree, the longest overdue first (the portal's selector)."""
    return list(portal.overdue_tickets(user, within=unit)[:limit])


def energy_plan() -> dict:
    return energy.plan_targets()


def energy_light(change_pct, reduction_pct, year: int, plan: dict) -> tuple[str, str, object]:
    return energy.plan_light(change_pct, reduction_pct, year, plan["baseline_year"], plan["target_year"])


def kind_labels() -> dict[str, str]:
    return portal.kind_labels()


def available_hours(vehicles, start: date, end: date):
    """Vehicles × the working hours of [start, end]: utilisation's denominator (the vehicles' selector)."""
    return fleet.available_hours(int(vehicles or 0), start, end)
