"""Read queries for the leaders' overview of the fleet (the command center), beside ``selectors`` (which is
at its size limit) and built on it: what a unit's subtree holds today against its quota, what is due for
renewal, whose insurance, annual inspection or driving licence runs out, and the purchases by month.
Published for the command center like the selectors; nothing here writes."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from datahub import figures, scoping
from datahub.models import OrgUnit

from . import rules
from .models import CostRecord, Dispatch, QuotaChange, Vehicle
from .rules import VehicleStatus
from .selectors import LIVE, drivers_for, quotas_for, renewable, rules_in_force, vehicles_for, working_hours

INSURANCE, INSPECTION = CostRecord.Kind.INSURANCE, CostRecord.Kind.INSPECTION


def monthly_purchase_figure_queries(*, start: date, end: date, unit_ids=None) -> figures.FigureQueries:
    """Per owning unit and month in [start, end): vehicles bought (the card's 取得日期, disposed ones included,
    as ``selectors.new_energy_share`` counts a year's purchases) and, of them, new-energy ones. One grouped
    query."""
    qs = Vehicle.objects.filter(asset__acquired_on__gte=start, asset__acquired_on__lt=end)
    if unit_ids is not None:
        qs = qs.filter(org_unit_id__in=list(unit_ids))
    nev = Count("pk", filter=Q(energy_type__in=list(rules.NEW_ENERGY)))
    month = figures.month_of_day("asset__acquired_on")
    return [figures.grouped(qs, unit="org_unit_id", month=month, vehicles_bought=Count("pk"), vehicles_bought_nev=nev)]


def monthly_purchase_figures(*, start: date, end: date, unit_ids=None) -> figures.MonthlyFigures:
    return figures.collect(monthly_purchase_figure_queries(start=start, end=end, unit_ids=unit_ids))


def monthly_use_figure_queries(*, start: date, end: date, unit_ids=None) -> figures.FigureQueries:
    """Per owning unit and month in [start, end): the hours vehicles were booked (live dispatch windows
    clipped to the month), as ``selectors.vehicle_stats`` counts ``booked_hours`` — the numerator of
    utilisation. One grouped query per month (a window is clipped to each month it overlaps)."""
    qs = Dispatch.objects.filter(LIVE)
    if unit_ids is not None:
        qs = qs.filter(vehicle__org_unit_id__in=list(unit_ids))
    queries = []
    for month in figures.months_between(start, end):
        m_lo, m_hi = figures.local_midnight(month), figures.local_midnight(figures.next_month(month))
        lo, hi = Value(m_lo, output_field=DateTimeField()), Value(m_hi, output_field=DateTimeField())
        booked = Sum(figures.HoursBetween(Least("ends_at", hi), Greatest("starts_at", lo)))
        overlapping = qs.filter(starts_at__lt=m_hi, ends_at__gt=m_lo)
        queries.append(figures.grouped(overlapping, unit="vehicle__org_unit_id", month=month, booked_hours=booked))
    return queries


def monthly_use_figures(*, start: date, end: date, unit_ids=None) -> figures.MonthlyFigures:
    return figures.collect(monthly_use_figure_queries(start=start, end=end, unit_ids=unit_ids))


def _runs_out(kind: str, horizon: date) -> Q:
    """The vehicle's latest ``kind`` record (insurance or inspection) runs out by ``horizon`` (or has run
    out): it has one, and none valid after ``horizon`` — the latest expiry, as ``reminders`` reads it."""
    records = CostRecord.objects.filter(vehicle=OuterRef("pk"), kind=kind, valid_until__isnull=False)
    return Q(Exists(records)) & ~Q(Exists(records.filter(valid_until__gt=horizon)))


def papers_expiring(vehicles: QuerySet, kind: str, today: date | None = None) -> QuerySet:
    """Those of ``vehicles`` in service whose latest ``kind`` (insurance or inspection) runs out within
    ``rules.EXPIRY_REMINDER_DAYS`` or has run out (the ledger's filter the command center links to)."""
    horizon = (today or timezone.localdate()) + timedelta(days=rules.EXPIRY_REMINDER_DAYS)
    return vehicles.exclude(status=VehicleStatus.DISPOSED).filter(_runs_out(kind, horizon))


def renewable_within(user, version, unit: OrgUnit | None) -> QuerySet:
    """The renewal list (``selectors.renewable``) narrowed to ``unit``'s subtree (the command center's link)."""
    qs = renewable(user, version)
    return qs if unit is None else qs.filter(scoping.subtree_q([unit.path], "org_unit"))


def available_hours(vehicles: int, start: date, end: date) -> Decimal:
    """The denominator of utilisation: ``vehicles`` × the working hours of [start, end] (weekdays ×
    ``rules.WORKING_HOURS_PER_DAY``), as ``selectors.unit_stats`` divides."""
    return Decimal(vehicles * working_hours(start, end))


def fleet_snapshot(user, unit: OrgUnit, today: date | None = None) -> dict:
    """The fleet of ``unit``'s subtree as of ``today``, as far as ``user`` reads it: per category the
    vehicles in use (not disposed of) and the quota (核定编制 with approved changes, summed over the units
    that have one); vehicles past the renewal age in force (第二十二条); vehicles whose insurance or annual
    inspection runs out within ``EXPIRY_REMINDER_DAYS`` (or has); drivers whose licence has expired. Four
    queries whatever the subtree."""
    today = today or timezone.localdate()
    within = scoping.subtree_q([unit.path], "org_unit")
    version = rules_in_force(today)
    renew = Q(pk__in=[])
    if version is not None:
        renew = Q(asset__acquired_on__lt=rules.renewal_cutoff(today, version.renewal_years))
        if version.renewal_mileage_km is not None:
            renew |= Q(odometer_km__gt=version.renewal_mileage_km)
    horizon = today + timedelta(days=rules.EXPIRY_REMINDER_DAYS)
    held = (
        vehicles_for(user)
        .filter(within)
        .exclude(status=VehicleStatus.DISPOSED)
        .values_list("category")
        .annotate(
            n=Count("pk"),
            renew=Count("pk", filter=renew),
            insurance=Count("pk", filter=_runs_out(INSURANCE, horizon)),
            inspection=Count("pk", filter=_runs_out(INSPECTION, horizon)),
        )
        .order_by()
    )
    by_category = {c: {"held": 0, "quota": None} for c in rules.Category.values}
    totals = {"renewal_due": 0, "insurance_expiring": 0, "inspection_expiring": 0}
    for category, n, due, insurance, inspection in held:
        by_category[category]["held"] = n
        totals["renewal_due"] += due
        totals["insurance_expiring"] += insurance
        totals["inspection_expiring"] += inspection
    # The quota with its approved changes (``selectors.effective_quota``), summed by category in one query.
    changes = (
        QuotaChange.objects.filter(org_unit=OuterRef("org_unit"), category=OuterRef("category"), approved=True)
        .order_by()
        .values("org_unit")
        .annotate(d=Sum("delta"))
        .values("d")[:1]
    )
    quotas = (
        quotas_for(user)
        .filter(within)
        .values_list("category")
        .annotate(n=Sum(F("quota") + Coalesce(Subquery(changes, output_field=IntegerField()), 0)))
        .order_by()
    )
    for category, n in quotas:
        by_category[category]["quota"] = n
    expired = drivers_for(user).filter(within, licence_expires__lt=today).count()
    return {
        "categories": [(code, label, by_category[code]) for code, label in rules.Category.choices],
        **totals,
        "licences_expired": expired,
    }


def papers_running_out(user, unit: OrgUnit, *, limit: int = 10, today: date | None = None) -> list[dict]:
    """The vehicles of ``unit``'s subtree whose insurance or annual inspection runs out within
    ``EXPIRY_REMINDER_DAYS`` (or has), soonest first: plate, unit, what and when. One query."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=rules.EXPIRY_REMINDER_DAYS)
    latest = {
        kind: CostRecord.objects.filter(vehicle=OuterRef("pk"), kind=kind, valid_until__isnull=False)
        .order_by("-valid_until")
        .values("valid_until")[:1]
        for kind in (INSURANCE, INSPECTION)
    }
    never = Value(date(9999, 12, 31), output_field=DateField())
    rows = (
        vehicles_for(user)
        .filter(scoping.subtree_q([unit.path], "org_unit"))
        .exclude(status=VehicleStatus.DISPOSED)
        .annotate(insured_until=latest[INSURANCE], inspected_until=latest[INSPECTION])
        .filter(Q(insured_until__lte=horizon) | Q(inspected_until__lte=horizon))
        # Coalesced: SQLite's MIN(a, NULL) is NULL where PostgreSQL's LEAST skips it.
        .annotate(first=Least(Coalesce("insured_until", never), Coalesce("inspected_until", never)))
        .order_by("first", "plate")[:limit]
    )
    out = []
    for v in rows:
        for kind, label, until in (
            (INSURANCE, _("保险"), v.insured_until),
            (INSPECTION, _("年检"), v.inspected_until),
        ):
            if until is not None and until <= horizon:
                out.append({"vehicle": v, "kind": kind, "what": label, "until": until, "lapsed": until < today})
    out.sort(key=lambda line: (line["until"], line["vehicle"].plate))
    return out[:limit]
