"""The office-space facts other apps read (energy per m², the command center, the asset cards of
buildings, the rooms assets, pool and stocktake refer to): published here, never copied."""

from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from datahub import figures
from datahub.models import OrgUnit

from ..models import (
    Assessment,
    Building,
    Occupancy,
    RepairRecord,
    Room,
)

# --- Published for other apps (energy, command center) --------------------------------------------


def building_areas(*, within: OrgUnit | None = None, active: bool = True) -> list[dict]:
    """Each building's total building area and use area (m²) with its using unit, and its current
    office occupants: the figures the energy app divides by. One query."""
    qs = Building.objects.all()
    if active:
        qs = qs.filter(is_active=True)
    if within is not None:
        qs = qs.filter(org_unit__path__startswith=within.path)
    occupants = (
        Occupancy.objects.filter(room__building=OuterRef("pk"), end_date__isnull=True)
        .order_by()
        .values("room__building")
        .annotate(n=Count("person", distinct=True))
        .values("n")[:1]
    )
    return list(
        qs.annotate(occupants=Coalesce(Subquery(occupants, output_field=IntegerField()), Value(0)))
        .order_by("code")
        .values("pk", "code", "name", "org_unit_id", "building_area", "use_area", "occupants")
    )


def areas_by_unit(*, unit_ids: list[int] | None = None) -> dict[int, dict]:
    """unit id → {"building_area", "use_area", "occupants"} summed over the buildings each unit uses."""
    qs = Building.objects.filter(is_active=True)
    if unit_ids is not None:
        qs = qs.filter(org_unit_id__in=unit_ids)
    out = {
        r["org_unit_id"]: {"building_area": r["b"], "use_area": r["u"], "occupants": 0}
        for r in qs.values("org_unit_id").annotate(b=Sum("building_area"), u=Sum("use_area")).order_by()
    }
    people = (
        Occupancy.objects.filter(end_date__isnull=True, room__building__in=qs)
        .values("room__building__org_unit_id")
        .annotate(n=Count("person", distinct=True))
        .order_by()
    )
    for r in people:
        out.setdefault(
            r["room__building__org_unit_id"], {"building_area": Decimal(0), "use_area": Decimal(0), "occupants": 0}
        )["occupants"] = r["n"]
    return out


def occupant_count(*, within: OrgUnit | None = None) -> int:
    """People with a current office (each counted once) in the buildings of ``within``'s subtree."""
    qs = Occupancy.objects.filter(end_date__isnull=True, room__building__is_active=True)
    if within is not None:
        qs = qs.filter(room__building__org_unit__path__startswith=within.path)
    return qs.values("person").distinct().count()


# --- Rooms as other domains (assets, pool, stocktake) read them ----------------------------------


def active_rooms(*, within: OrgUnit | None = None) -> QuerySet:
    """Rooms in use, with their building; only those of ``within``'s subtree when given. Not scoped:
    the caller scopes them by its own roles (an asset administrator rarely holds a space role)."""
    qs = Room.objects.filter(is_active=True).select_related("building")
    if within is not None:
        qs = qs.filter(org_unit__path__startswith=within.path)
    return qs


def all_buildings() -> QuerySet:
    """Every building, for the caller to scope by its own roles."""
    return Building.objects.all()


def rooms_by_id(ids) -> dict[int, Room]:
    """Rooms by primary key, with their unit (to check which institution a room belongs to)."""
    return Room.objects.select_related("org_unit").in_bulk(set(ids) - {None})


def room_labels(ids) -> dict[int, str]:
    """ "Building number" of each room, as plain values (for large reports)."""
    return {
        pk: f"{building} {number}"
        for pk, building, number in Room.objects.filter(pk__in=ids).values_list("pk", "building__name", "number")
    }


def rooms_at(building_codes, numbers) -> QuerySet:
    """Rooms whose building code is among ``building_codes`` and number among ``numbers`` (two IN
    lists: the caller matches the pairs)."""
    return Room.objects.filter(building__code__in=building_codes, number__in=numbers).select_related("building")


# --- Monthly figures per unit (the command center's roll-up; unscoped: the reader scopes the roll-up) ----


def monthly_space_figures(*, start: date, end: date, unit_ids=None) -> figures.MonthlyFigures:
    """``monthly_space_figure_queries`` read as {(unit, month): {key: value}}."""
    return figures.collect(monthly_space_figure_queries(start=start, end=end, unit_ids=unit_ids))


def monthly_space_figure_queries(*, start: date, end: date, unit_ids=None) -> figures.FigureQueries:
    """Per unit and month in [start, end): repairs finished and their cost (元); and, for the current month
    only (the check keeps no history), the people over standard and their excess area (m²) among the current
    assessments, and the cases not yet fixed or filed. Two grouped queries."""
    lo, hi = figures.local_midnight(start), figures.local_midnight(end)
    repairs = RepairRecord.objects.filter(completed_at__gte=lo, completed_at__lt=hi)
    if unit_ids is not None:
        repairs = repairs.filter(org_unit_id__in=list(unit_ids))
    queries = [
        figures.grouped(
            repairs,
            unit="org_unit_id",
            month=figures.month_trunc("completed_at"),
            repairs_done=Count("pk"),
            repairs_cost=Sum("cost"),
        )
    ]
    this_month = figures.month_of(timezone.localdate())
    if start <= this_month < end:
        current = Assessment.objects.filter(is_current=True)
        if unit_ids is not None:
            current = current.filter(org_unit_id__in=list(unit_ids))
        over = Q(is_over=True)
        queries.append(
            figures.grouped(
                current,
                unit="org_unit_id",
                month=this_month,
                space_people=Count("pk"),
                space_over_people=Count("pk", filter=over),
                space_excess_m2=Sum("excess", filter=over),
                space_cases_open=Count(
                    "pk", filter=Q(status__in=(Assessment.Status.OPEN, Assessment.Status.IN_PROGRESS))
                ),
            )
        )
    return queries


def building_facts(building_id: int | None) -> dict | None:
    """What the building's asset card (房屋) shows, read here and never copied onto the card: areas, the
    structure, the year built, and the use area of its rooms in use (follows every room change)."""
    if building_id is None:
        return None
    row = (
        Building.objects.filter(pk=building_id)
        .annotate(
            rooms_area=Coalesce(
                Sum("rooms__use_area", filter=Q(rooms__is_active=True)),
                Value(Decimal("0")),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            )
        )
        .values("pk", "code", "name", "address", "structure", "year_built", "building_area", "use_area", "rooms_area")
        .first()
    )
    if row is not None:
        row["structure_label"] = Building.Structure(row["structure"]).label
    return row
