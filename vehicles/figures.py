"""The fleet's monthly figures per unit, for the command center's roll-up (unscoped: the reader scopes the
roll-up), counted as ``selectors.vehicle_stats`` counts them."""

from datetime import date

from django.db.models import Count, Q, Sum

from datahub import figures

from . import rules
from .models import CostRecord, Dispatch, Vehicle
from .selectors import COST_PER_KM_KINDS, LIVE


def monthly_fleet_figures(*, start: date, end: date, unit_ids=None) -> figures.MonthlyFigures:
    """``monthly_fleet_figure_queries`` read as {(unit, month): {key: value}}."""
    return figures.collect(monthly_fleet_figure_queries(start=start, end=end, unit_ids=unit_ids))


def monthly_fleet_figure_queries(*, start: date, end: date, unit_ids=None) -> figures.FigureQueries:
    """Per owning unit and month in [start, end), counted as ``vehicle_stats`` counts them: trips (live
    dispatches starting in the month), their distance (km), costs by record date (元, all kinds, and those
    counted per km), and the fleet held at the month's end (bought by then, not disposed of by then), of which
    new-energy. Grouped queries: trips, costs, and the fleet at each month's end."""
    lo, hi = figures.local_midnight(start), figures.local_midnight(end)
    unit_q = Q() if unit_ids is None else Q(vehicle__org_unit_id__in=list(unit_ids))
    queries = [
        figures.grouped(
            Dispatch.objects.filter(LIVE, unit_q, starts_at__gte=lo, starts_at__lt=hi),
            unit="vehicle__org_unit_id",
            month=figures.month_trunc("starts_at"),
            trips=Count("pk"),
            distance_km=Sum("distance_km"),
        ),
        figures.grouped(
            CostRecord.objects.filter(unit_q, date__gte=start, date__lt=end),
            unit="vehicle__org_unit_id",
            month=figures.month_of_day("date"),
            vehicle_cost=Sum("amount"),
            vehicle_cost_per_km_base=Sum("amount", filter=Q(kind__in=COST_PER_KM_KINDS)),
        ),
    ]
    fleet = Vehicle.objects.all() if unit_ids is None else Vehicle.objects.filter(org_unit_id__in=list(unit_ids))
    nev = Count("pk", filter=Q(energy_type__in=rules.NEW_ENERGY))
    for month in figures.months_between(start, end):
        # Held at the month's end: bought before it, not disposed of before it.
        ends = figures.next_month(month)
        held = fleet.filter(Q(disposal__isnull=True) | Q(disposal__date__gte=ends), asset__acquired_on__lt=ends)
        queries.append(
            figures.grouped(held, unit="org_unit_id", month=month, vehicles_held=Count("pk"), vehicles_nev=nev)
        )
    return queries
