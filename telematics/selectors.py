"""Read queries of the monitoring app, always scoped to the vehicle's unit.

Published for other apps (the command center): ``open_alerts(user)``.
"""

from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from datahub import figures, scoping, tokens
from datahub.models import OrgUnit
from datahub.roles import Role
from datahub.selectors import with_unit_parent_name
from vehicles import selectors as fleet

from . import rules
from .models import Alert, AlertRule, CalendarDay, Geofence, Position, Terminal
from .rules import DEFAULT_RULES, AlertKind, Day, Fix, default_day

# Who watches the fleet: the dispatchers, the bureau administrators and the leaders of the vehicles' units.
MONITOR_READERS = (Role.VEHICLE_DISPATCHER, Role.BUREAU_ADMIN, Role.LEADER)
# Who manages terminals, fences and rules, and acknowledges alerts.
MONITOR_EDITORS = (Role.VEHICLE_DISPATCHER, Role.BUREAU_ADMIN)
# The working calendar is one table for the whole platform: bureau administrators keep it.
CALENDAR_EDITORS = (Role.BUREAU_ADMIN,)

VEHICLE_UNIT = "vehicle__org_unit"


def vehicles_for(user, roles=MONITOR_READERS) -> QuerySet:
    """The vehicles app's scoped ledger (other domains read it through its selectors)."""
    return fleet.vehicles_for(user, roles=roles).order_by("plate")


# --- Alerts --------------------------------------------------------------------------------------


def alerts_for(
    user,
    *,
    kind: str = "",
    status: str = "",
    unit: OrgUnit | None = None,
    search: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet:
    qs = scoping.scope(
        Alert.objects.select_related("vehicle", "vehicle__org_unit", "acknowledged_by"),
        user,
        roles=MONITOR_READERS,
        unit_field=VEHICLE_UNIT,
    )
    if kind in AlertKind.values:
        qs = qs.filter(kind=kind)
    if status in Alert.Status.values:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(vehicle__org_unit__path__startswith=unit.path)
    if search:
        qs = qs.filter(vehicle__plate__icontains=search)
    if since:
        qs = qs.filter(started_at__date__gte=since)
    if until:
        qs = qs.filter(started_at__date__lte=until)
    # The vehicle's unit named with its agency (财政厅 › 办公室) in the same query.
    return with_unit_parent_name(qs, VEHICLE_UNIT).order_by("-started_at", "-pk")


def vehicle_alerts(user, vehicle, *, start: datetime, end: datetime) -> QuerySet:
    """The alerts of one vehicle that started between ``start`` and ``end``, as far as the user reads them."""
    return alerts_for(user).filter(vehicle=vehicle, started_at__range=(start, end))


def open_alerts(user) -> QuerySet:
    """The alerts nobody has dealt with yet, in the user's scope (newest first)."""
    return alerts_for(user, status=Alert.Status.OPEN)


# --- Terminals, fences, rules -------------------------------------------------------------------


def terminals_for(user, *, search: str = "", roles=MONITOR_READERS) -> QuerySet:
    qs = scoping.scope(
        Terminal.objects.select_related("vehicle", "vehicle__org_unit"), user, roles=roles, unit_field=VEHICLE_UNIT
    )
    if search:
        qs = qs.filter(Q(serial__icontains=search) | Q(vehicle__plate__icontains=search))
    return qs.order_by("serial")


def geofences_for(user, roles=MONITOR_READERS) -> QuerySet:
    return scoping.scope(Geofence.objects.select_related("org_unit"), user, roles=roles).order_by(
        "org_unit__path", "name"
    )


def rules_for(user) -> QuerySet:
    """Unit rules in the user's scope and the global rules (which apply to everybody)."""
    if not scoping.holds_any(user, MONITOR_READERS):
        return AlertRule.objects.none()
    unit_rules = scoping.scope(AlertRule.objects.all(), user, roles=MONITOR_READERS)
    return (
        AlertRule.objects.filter(Q(pk__in=unit_rules.values("pk")) | Q(org_unit__isnull=True))
        .select_related("org_unit")
        .order_by("kind", "org_unit__path")
    )


def ancestor_paths(unit: OrgUnit) -> list[str]:
    """The unit's path and its ancestors' (treebeard materialised path: fixed-width steps)."""
    step = OrgUnit.steplen
    return [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]


def rules_for_unit(unit: OrgUnit) -> dict[str, AlertRule]:
    """Each kind's rule in force for a unit: the nearest unit setting at or above it, else the
    global one, else the default (one query)."""
    paths = ancestor_paths(unit)
    rows = AlertRule.objects.filter(Q(org_unit__isnull=True) | Q(org_unit__path__in=paths)).select_related("org_unit")
    return resolve_rules(list(rows), unit.path)


def resolve_rules(rows: list[AlertRule], path: str) -> dict[str, AlertRule]:
    best: dict[str, tuple[int, AlertRule]] = {}
    for rule in rows:
        if rule.org_unit_id is None:
            depth = 0
        elif path.startswith(rule.org_unit.path):
            depth = len(rule.org_unit.path)
        else:
            continue
        if rule.kind not in best or depth > best[rule.kind][0]:
            best[rule.kind] = (depth, rule)
    return {kind: best[kind][1] if kind in best else AlertRule.default(kind) for kind in DEFAULT_RULES}


def fences_for_unit(unit: OrgUnit) -> list[Geofence]:
    """The active fences of the nearest unit at or above ``unit`` that has any (one query)."""
    fences = list(
        Geofence.objects.filter(is_active=True, org_unit__path__in=ancestor_paths(unit)).select_related("org_unit")
    )
    if not fences:
        return []
    nearest = max(len(f.org_unit.path) for f in fences)
    return [f for f in fences if len(f.org_unit.path) == nearest]


# --- Calendar ------------------------------------------------------------------------------------


def calendar_days(start: date, end: date) -> dict[date, Day]:
    """Every date from start to end (inclusive) with its kind and hours: the calendar's rows over the default week."""
    rows = {c.date: Day(c.kind, c.work_start, c.work_end) for c in CalendarDay.objects.filter(date__range=(start, end))}
    days = {}
    current = start
    while current <= end:
        days[current] = rows.get(current) or default_day(current)
        current = date.fromordinal(current.toordinal() + 1)
    return days


def calendar_day(pk) -> CalendarDay | None:
    """One entry of the province's holiday calendar (the same for everyone), or None."""
    return CalendarDay.objects.filter(pk=pk).first()


def calendar_year(year: int) -> QuerySet:
    return CalendarDay.objects.filter(date__year=year).order_by("date")


# --- Tracks --------------------------------------------------------------------------------------


def track(vehicle_id: int, start: datetime, end: datetime, *, limit: int | None = None) -> QuerySet:
    """The vehicle's points from start to end (inclusive), in time order: an index range scan on (vehicle, time);
    the first ``limit`` points when given (what a page draws)."""
    qs = (
        Position.objects.filter(vehicle_id=vehicle_id, time__gte=start, time__lte=end)
        .order_by("time")
        .values("time", "lat", "lon", "speed", "ignition")
    )
    return qs[:limit] if limit else qs


def dispatches_for(user) -> QuerySet:
    """Dispatches of vehicles in the user's scope (for track replay)."""
    return fleet.dispatches_for(user, roles=MONITOR_READERS).select_related("vehicle__org_unit")


def terminal_for_token(token: str) -> Terminal | None:
    """The active terminal a token belongs to (tokens are stored hashed only)."""
    if not token:
        return None
    return (
        Terminal.objects.select_related("vehicle", "vehicle__org_unit")
        .filter(token_hash=tokens.digest(token), is_active=True)
        .first()
    )


def booked_windows(vehicle_id: int, first: datetime, last: datetime) -> list[tuple[datetime, datetime]]:
    """The vehicle's live dispatch windows (start, until) that overlap its points from ``first`` to ``last``
    widened by the grace of a booking (vehicles' selector)."""
    grace = rules.DISPATCH_GRACE
    return fleet.booked_windows([vehicle_id], first - grace, last + grace).get(vehicle_id, [])


def violations(vehicle, points: list[Fix], rule_set: dict[str, AlertRule]) -> dict[str, list]:
    """The episodes of each enabled rule in ``points`` (sorted by time). Reads the calendar, the
    vehicle's booked windows and its unit's fences once each."""
    found: dict[str, list] = {}
    if not points:
        return found
    first, last = points[0].time, points[-1].time

    def moving(rule):
        return lambda p: p.ignition and p.speed >= rule.threshold

    def gap(rule):
        return timedelta(minutes=rule.gap_minutes)

    rule = rule_set[AlertKind.OFF_HOURS]
    if rule.enabled:
        days = calendar_days(timezone.localdate(first), timezone.localdate(last))
        is_moving = moving(rule)

        def off_hours(p, is_moving=is_moving):
            local = timezone.localtime(p.time)
            return is_moving(p) and not rules.is_working_time(local, days[local.date()])

        found[AlertKind.OFF_HOURS] = rules.episodes(points, off_hours, gap(rule))

    rule = rule_set[AlertKind.NO_DISPATCH]
    if rule.enabled:
        windows = booked_windows(vehicle.pk, first, last)
        is_moving = moving(rule)
        found[AlertKind.NO_DISPATCH] = rules.episodes(
            points, lambda p: is_moving(p) and not rules.covered(p.time, windows), gap(rule)
        )

    rule = rule_set[AlertKind.GEOFENCE_EXIT]
    if rule.enabled:
        polygons = [f.polygon for f in fences_for_unit(vehicle.org_unit) if len(f.polygon) >= 3]
        if polygons:
            found[AlertKind.GEOFENCE_EXIT] = rules.episodes(
                points,
                lambda p: not any(rules.point_in_polygon(p.lon, p.lat, poly) for poly in polygons),
                gap(rule),
            )

    rule = rule_set[AlertKind.OVERSPEED]
    if rule.enabled:
        limit = rule.threshold
        found[AlertKind.OVERSPEED] = rules.episodes(points, lambda p: p.speed > limit, gap(rule))
    return found


# --- Monthly figures per unit (the command center's roll-up; unscoped: the reader scopes the roll-up) ----


def monthly_alert_figures(*, start: date, end: date, unit_ids=None) -> figures.MonthlyFigures:
    """``monthly_alert_figure_queries`` read as {(unit, month): {key: value}}."""
    return figures.collect(monthly_alert_figure_queries(start=start, end=end, unit_ids=unit_ids))


def monthly_alert_figure_queries(*, start: date, end: date, unit_ids=None) -> figures.FigureQueries:
    """Per vehicle-owning unit and month in [start, end): alerts raised in the month (all, and per rule as
    ``alerts_<kind>``), and alerts open at the month's end (for the current month: now). Grouped queries:
    the raised, and the open at each month's end."""
    lo, hi = figures.local_midnight(start), figures.local_midnight(end)
    qs = Alert.objects.filter(started_at__lt=hi).filter(Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gte=lo))
    qs = qs.filter(Q(started_at__gte=lo) | Q(status=Alert.Status.OPEN) | Q(acknowledged_at__gte=lo))
    if unit_ids is not None:
        qs = qs.filter(vehicle__org_unit_id__in=list(unit_ids))
    per_kind = {f"alerts_{kind}": Count("pk", filter=Q(kind=kind)) for kind in AlertKind.values}
    queries = [
        figures.grouped(
            qs.filter(started_at__gte=lo),
            unit="vehicle__org_unit_id",
            month=figures.month_trunc("started_at"),
            alerts_raised=Count("pk"),
            **per_kind,
        )
    ]
    now = timezone.now()
    for month in figures.months_between(start, end):
        # Open at the month's end (now, for the current month): started before it, not acknowledged before it.
        point = min(figures.local_midnight(figures.next_month(month)), now)
        still = Q(status=Alert.Status.OPEN) | Q(acknowledged_at__gte=point)
        queries.append(
            figures.grouped(
                qs.filter(still, started_at__lt=point),
                unit="vehicle__org_unit_id",
                month=month,
                alerts_open=Count("pk"),
            )
        )
    return queries


def mileage_checks(user, vehicle, start: datetime, end: datetime) -> list[dict]:
    """The vehicle's trips that came back between start and end, their odometer distance against the length
    of the GPS track between departure and return, flagged when they differ too much (rules.mileage_gap).
    Only a vehicle with a terminal has a track; one query for the trips and one per trip (a day holds few)."""
    if not Terminal.objects.filter(vehicle_id=vehicle.pk).exists():
        return []
    trips = (
        fleet.dispatches_for(user, roles=MONITOR_READERS)
        .filter(vehicle_id=vehicle.pk, returned_at__range=(start, end), departed_at__isnull=False)
        .exclude(distance_km__isnull=True)
        .order_by("departed_at")
    )
    rows = []
    for trip in trips:
        points = track(vehicle.pk, trip.departed_at, trip.returned_at).values_list("lon", "lat")
        gps_km = rules.track_km(points)
        rows.append(
            {
                "trip": trip,
                "odometer_km": trip.distance_km,
                "gps_km": round(gps_km, 1),
                "flag": rules.mileage_gap(trip.distance_km, gps_km) if points else _("无轨迹数据（终端未上报）"),
            }
        )
    return rows
