"""Read queries of the vehicles app. Views, the API, the tasks and other apps read through these.

Published for other apps (keep the signatures): ``booked_windows`` and ``booked_windows_sql`` (telematics:
movement with no active dispatch), ``monthly_fuel`` and ``units_with_vehicles`` (energy: 汽油/柴油 figures),
``vehicles_without_card`` and ``vehicle_of_card`` (assets: the cards behind the fleet).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractMonth, Greatest
from django.utils import timezone

from assets import selectors as asset_selectors
from datahub import scoping, staging
from datahub.models import OrgUnit
from datahub.roles import Role
from datahub.selectors import with_unit_parent_name
from portal.workflow import Status

from . import reminders, rules
from .models import (
    CostRecord,
    Dispatch,
    Driver,
    PurchaseCap,
    PurchaseCapVersion,
    QuotaChange,
    TripRequest,
    Vehicle,
    VehiclePhoto,
    VehicleQuota,
)
from .rules import VehicleStatus

# Who reads the fleet ledger of the units they cover.
FLEET_READERS = (Role.VEHICLE_DISPATCHER, Role.BUREAU_ADMIN, Role.LEADER)
FLEET_EDITORS = (Role.VEHICLE_DISPATCHER, Role.BUREAU_ADMIN)
LIVE = ~Q(status=Dispatch.Status.CANCELLED)


# --- Published ---------------------------------------------------------------------------------


def _window_end():
    # The end of a booking's window: the later of the planned end and the actual return (the expression of the
    # dispatch_live_vehicle_until index, which bounds the lookups below to the bookings still running).
    return Greatest("ends_at", Coalesce("returned_at", "ends_at"))


def booked_windows(vehicle_ids, start: datetime, end: datetime) -> dict[int, list[tuple[datetime, datetime]]]:
    """For each vehicle, its live dispatch windows — planned start to the later of planned end and the
    actual return — that overlap [start, end). Vehicles without any are absent."""
    rows = (
        Dispatch.objects.filter(LIVE, vehicle_id__in=list(vehicle_ids), starts_at__lt=end)
        .alias(until=_window_end())
        .filter(until__gt=start)
        .values_list("vehicle_id", "starts_at", "ends_at", "returned_at")
        .order_by("vehicle_id", "starts_at")
    )
    out: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for vehicle_id, starts_at, ends_at, returned_at in rows:
        until = max(ends_at, returned_at) if returned_at else ends_at
        out[vehicle_id].append((starts_at, until))
    return dict(out)


def booked_windows_sql(*, vehicle: str, start: str, end: str) -> str:
    """``booked_windows`` of one vehicle as a subquery of another app's statement (PostgreSQL; telematics reads
    a batch's windows inside the statement that evaluates its points): rows (since, until) of the live
    dispatches of ``vehicle`` overlapping [start, end), each argument an SQL expression of that statement."""
    table = Dispatch._meta.db_table
    return (
        f'SELECT d.starts_at AS since, GREATEST(d.ends_at, COALESCE(d.returned_at, d.ends_at)) AS until FROM "{table}" d'
        f" WHERE d.vehicle_id = {vehicle} AND NOT (d.status = '{Dispatch.Status.CANCELLED.value}')"
        f" AND GREATEST(d.ends_at, COALESCE(d.returned_at, d.ends_at)) > {start} AND d.starts_at < {end}"
    )


def _unit_paths(unit_ids: Iterable[int]) -> dict[int, str]:
    return dict(OrgUnit.objects.filter(pk__in=staging.ids_in(unit_ids)).values_list("pk", "path"))


def monthly_fuel(unit_ids: Iterable[int], year: int) -> dict[tuple[int, int, str], dict[str, Decimal]]:
    """(unit id, month, "gasoline"|"diesel") → {"litres", "cost"}: the fuel records of the vehicles owned
    by each unit or any unit below it, in ``year``. Months without fuel are absent."""
    paths = _unit_paths(unit_ids)
    if not paths:
        return {}
    rows = (
        CostRecord.objects.filter(
            scoping.subtree_q(list(paths.values()), "vehicle__org_unit"),
            kind=CostRecord.Kind.FUEL,
            fuel__in=[CostRecord.Fuel.GASOLINE, CostRecord.Fuel.DIESEL],
            date__year=year,
        )
        .annotate(month=ExtractMonth("date"), unit_path=F("vehicle__org_unit__path"))
        .values("unit_path", "month", "fuel")
        .annotate(litres=Sum("quantity"), cost=Sum("amount"))
    )
    out: dict[tuple[int, int, str], dict[str, Decimal]] = {}
    for row in rows:
        for unit_id, path in paths.items():
            if row["unit_path"].startswith(path):
                slot = out.setdefault((unit_id, row["month"], row["fuel"]), {"litres": Decimal(0), "cost": Decimal(0)})
                slot["litres"] += row["litres"] or Decimal(0)
                slot["cost"] += row["cost"] or Decimal(0)
    return out


MANY_UNITS = 50


def units_with_vehicles(unit_ids) -> set[int]:
    """The given units whose subtree holds at least one vehicle that is not disposed of."""
    paths = _unit_paths(unit_ids)
    held = Vehicle.objects.exclude(status=VehicleStatus.DISPOSED).values_list("org_unit__path", flat=True).distinct()
    if len(paths) > MANY_UNITS:
        # An import's thousands of units: an OR of as many LIKEs cost more to build and run than reading the
        # paths that hold a vehicle and every ancestor path of theirs (treebeard: the path's leading steps).
        step = OrgUnit.steplen
        covered = {p[:i] for p in held for i in range(step, len(p) + 1, step)}
        return {uid for uid, path in paths.items() if path in covered}
    held = set(held.filter(scoping.subtree_q(list(paths.values()), "org_unit")))
    return {uid for uid, path in paths.items() if any(p.startswith(path) for p in held)}


# --- Ledger ------------------------------------------------------------------------------------


def vehicles_for(user, roles=FLEET_READERS) -> QuerySet:
    return scoping.scope(Vehicle.objects.select_related("org_unit", "asset"), user, roles=roles)


def card_of(vehicle: Vehicle) -> dict | None:
    """The vehicle's asset card as the assets app serves it (number, value, date, status)."""
    return asset_selectors.card_facts(vehicle.asset_id)


def vehicles_without_card(user, roles) -> QuerySet:
    """Vehicles in service not yet linked to an asset card, for the asset administrator's list."""
    return (
        scoping.scope(Vehicle.objects.select_related("org_unit"), user, roles=roles)
        .filter(asset__isnull=True)
        .exclude(status=VehicleStatus.DISPOSED)
        .order_by("org_unit__path", "plate")
    )


def vehicle_of_card(asset_id: int) -> Vehicle | None:
    """The vehicle behind an asset card, if any (the card page shows it)."""
    return Vehicle.objects.select_related("org_unit").filter(asset_id=asset_id).first()


def unit_choices(user, roles=FLEET_READERS) -> QuerySet:
    """Institutions and departments the user may pick in a filter (at most 500)."""
    return scoping.visible_units(user, roles=roles).filter(level__in=["institution", "department"])[:500]


def photos_for(user) -> QuerySet:
    """Photos of the vehicles the user may see."""
    return VehiclePhoto.objects.filter(vehicle__in=vehicles_for(user))


def count_by_status(vehicles: QuerySet) -> dict[str, int]:
    return dict(vehicles.values_list("status").annotate(n=Count("pk")).order_by())


def vehicle_file(vehicle: Vehicle) -> dict:
    """What the vehicle page shows besides the vehicle: latest records, dispatches, photos, changes."""
    return {
        "records": vehicle.records.select_related("dispatch")[:30],
        "dispatches": vehicle.dispatches.select_related("driver__person", "ticket")[:30],
        "photos": vehicle.photos.all(),
        "history": vehicle.history.select_related("history_user")[:10],
    }


def live_dispatches(user, roles, *, since: datetime) -> QuerySet:
    """Bookings scheduled or under way that end after ``since``, for the dispatcher's board."""
    return (
        dispatches_for(user, roles)
        .filter(status__in=[Dispatch.Status.SCHEDULED, Dispatch.Status.DEPARTED])
        .filter(ends_at__gte=since)
        .order_by("starts_at")
    )


def drivers_for(user, roles=FLEET_READERS) -> QuerySet:
    return scoping.scope(Driver.objects.select_related("person", "org_unit"), user, roles=roles)


def vehicle_of(user, pk, roles=FLEET_READERS) -> Vehicle | None:
    """The vehicle ``pk`` if the user holds ``roles`` over it, else None (absent and out of scope alike)."""
    return vehicles_for(user, roles).filter(pk=pk).first()


def driver_of(user, pk, roles=FLEET_READERS) -> Driver | None:
    """The driver ``pk`` if the user holds ``roles`` over them, else None."""
    return drivers_for(user, roles).filter(pk=pk).first()


def vehicle_ledger(user, *, unit=None, search="", category="", status="", energy_type="", insurance_expiring=False):
    """The ledger page and its export: the user's vehicles, optionally within ``unit``'s subtree, matching
    ``search`` (plate, brand, model or exact VIN), the chosen category, status and energy type, and (the home
    page's health line) only those whose insurance runs out soon. Units come with their parent (财政厅 › 办公室)."""
    qs = vehicles_for(user).order_by("plate")
    if insurance_expiring:
        qs = reminders.insurance_expiring(qs)
    if unit is not None:
        qs = qs.filter(scoping.subtree_q([unit.path], "org_unit"))
    if search:
        qs = qs.filter(
            Q(plate__icontains=search)
            | Q(brand__icontains=search)
            | Q(model_name__icontains=search)
            | Q(vin=search.upper())
        )
    choices = {"category": category, "status": status, "energy_type": energy_type}
    return with_unit_parent_name(qs.filter(**{name: value for name, value in choices.items() if value}))


# What a ledger page's row shows (the card's price and date: 一数一源, read through the vehicle's card).
LEDGER_ROW = ("pk", "plate", "category", "org_unit__name", "org_unit__level", "unit_parent_name", "brand", "model_name")
LEDGER_ROW += ("energy_type", "asset__acquired_on", "asset__original_value", "odometer_km", "status")


def ledger_rows(page) -> list[dict]:
    """A ledger page's rows (a slice of ``vehicle_ledger``) as the columns the page shows: no vehicle, unit and
    card instances per row (#17). Rows a statement read come as they are."""
    return page if isinstance(page, list) else list(page.values(*LEDGER_ROW))


def driver_roster(user, *, unit: OrgUnit | None = None, search: str = "", status="", expired=False) -> QuerySet:
    """The driver page and its export: the user's drivers, optionally within ``unit``'s subtree, by name,
    status, or only those whose licence has expired."""
    qs = drivers_for(user)
    if unit is not None:
        qs = qs.filter(scoping.subtree_q([unit.path], "org_unit"))
    if search:
        qs = qs.filter(person__name__icontains=search)
    if status:
        qs = qs.filter(status=status)
    if expired:
        qs = qs.filter(licence_expires__lt=timezone.localdate())
    return with_unit_parent_name(qs)


def records_for(user, roles=FLEET_READERS) -> QuerySet:
    return scoping.scope(
        CostRecord.objects.select_related("vehicle"), user, roles=roles, unit_field="vehicle__org_unit"
    )


def dispatches_for(user, roles=FLEET_READERS) -> QuerySet:
    return scoping.scope(
        Dispatch.objects.select_related("vehicle", "driver__person", "ticket"),
        user,
        roles=roles,
        unit_field="vehicle__org_unit",
    )


def quotas_for(user) -> QuerySet:
    return scoping.scope(VehicleQuota.objects.select_related("org_unit"), user, roles=FLEET_READERS)


def effective_quota(unit_id: int, category: str) -> int | None:
    """The unit's quota for the category plus approved changes; None when no quota is set."""
    base = VehicleQuota.objects.filter(org_unit_id=unit_id, category=category).values_list("quota", flat=True).first()
    if base is None:
        return None
    extra = QuotaChange.objects.filter(org_unit_id=unit_id, category=category, approved=True).aggregate(s=Sum("delta"))[
        "s"
    ]
    return base + (extra or 0)


def vehicles_held(unit_id: int, category: str, exclude_pk: int | None = None) -> int:
    qs = Vehicle.objects.filter(org_unit_id=unit_id, category=category).exclude(status=VehicleStatus.DISPOSED)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.count()


def rules_in_force(on: date | None = None) -> PurchaseCapVersion | None:
    """The versioned vehicle rules in force on ``on`` (caps, renewal age, new-energy share)."""
    on = on or timezone.localdate()
    return PurchaseCapVersion.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


def caps_for(on: date, category: str, new_energy: bool, body_type: str = rules.BodyType.SEDAN) -> list[PurchaseCap]:
    version = rules_in_force(on)
    if version is None:
        return []
    return [
        c
        for c in version.caps.filter(category=category)
        if rules.caps_apply(nev_only=c.nev_only, new_energy=new_energy, body_type=body_type)
    ]


def new_energy_share(user, year: int, version: PurchaseCapVersion | None = None) -> list[dict]:
    """Per unit (owner of vehicles bought in ``year``): purchases, new-energy purchases, the share, and
    whether it meets the minimum share of the rules in force that year (≥30%). Disposed vehicles still
    count as that year's purchases."""
    version = version or rules_in_force(date(year, 12, 31))
    minimum = version.new_energy_share_min if version else Decimal(1)
    rows = (
        vehicles_for(user)
        .filter(asset__acquired_on__year=year)
        .values("org_unit_id", "org_unit__name")
        .annotate(total=Count("pk"), nev=Count("pk", filter=Q(energy_type__in=list(rules.NEW_ENERGY))))
        .order_by("org_unit__path")
    )
    out = []
    for row in rows:
        share = Decimal(row["nev"]) / Decimal(row["total"])
        out.append({**row, "share": share, "meets": share >= minimum})
    return out


# --- Dispatch ----------------------------------------------------------------------------------


def _overlapping(start: datetime, end: datetime) -> Q:
    # starts_at > start − MAX_TRIP_DAYS is implied by the rule (no booking is longer); stating it turns
    # the search into a short range scan of the (vehicle, starts_at) index instead of the whole history.
    earliest = start - timedelta(days=rules.MAX_TRIP_DAYS)
    return LIVE & Q(starts_at__lt=end, starts_at__gt=earliest, ends_at__gt=start)


def available_vehicles(
    user, start: datetime, end: datetime, *, category: str | None = None, seats: int = 1, unit: OrgUnit | None = None
) -> QuerySet:
    """Vehicles the dispatcher covers that are free for [start, end): in service (可用 or 出车中 on another
    window), not booked in an overlapping window, of the category asked (if any) with enough seats."""
    busy = Dispatch.objects.filter(_overlapping(start, end), vehicle=OuterRef("pk"))
    qs = (
        scoping.scope(Vehicle.objects.select_related("org_unit"), user, roles=FLEET_EDITORS)
        .filter(status__in=[VehicleStatus.AVAILABLE, VehicleStatus.ON_TRIP], seats__gte=seats)
        .exclude(Exists(busy))
    )
    if category:
        qs = qs.filter(category=category)
    if unit is not None:
        qs = qs.filter(scoping.subtree_q([unit.path], "org_unit"))
    return qs.order_by("plate")


def available_drivers(user, start: datetime, end: datetime, *, licence: str | None = None) -> QuerySet:
    """Drivers on duty whose licence is valid through the trip and covers ``licence``, not booked then."""
    busy = Dispatch.objects.filter(_overlapping(start, end), driver=OuterRef("pk"))
    qs = (
        drivers_for(user, FLEET_EDITORS)
        .filter(status=Driver.Status.ON_DUTY, licence_expires__gte=timezone.localdate(end))
        .exclude(Exists(busy))
    )
    if licence:
        qs = qs.filter(licence_class__in=rules.licences_covering(licence))
    return qs.order_by("person__name")


def poolable_dispatches(user, trip) -> QuerySet:
    """Live dispatches a trip request could join: same category, its window inside the dispatch's, seats left."""
    return (
        dispatches_for(user, FLEET_EDITORS)
        .filter(
            status=Dispatch.Status.SCHEDULED,
            starts_at__lte=trip.starts_at,
            ends_at__gte=trip.ends_at,
            vehicle__category=trip.category,
        )
        .annotate(taken=Sum("trips__passengers"))
        .filter(vehicle__seats__gte=F("taken") + trip.passengers + 1)
        .order_by("starts_at")
    )


# --- Statistics --------------------------------------------------------------------------------


def working_hours(start: date, end: date) -> int:
    """Working hours in [start, end] inclusive: weekdays × rules.WORKING_HOURS_PER_DAY."""
    days = 0
    d = start
    while d <= end:
        if d.weekday() < 5:
            days += 1
        d += timedelta(days=1)
    return days * rules.WORKING_HOURS_PER_DAY


def renewable(user, version: PurchaseCapVersion | None = None) -> QuerySet:
    """Vehicles in service longer than the renewal age in force (or, if configured, above the mileage)."""
    today = timezone.localdate()
    version = version or rules_in_force(today)
    if version is None:
        return vehicles_for(user).none()
    q = Q(asset__acquired_on__lt=rules.renewal_cutoff(today, version.renewal_years))
    if version.renewal_mileage_km is not None:
        q |= Q(odometer_km__gt=version.renewal_mileage_km)
    return vehicles_for(user).exclude(status=VehicleStatus.DISPOSED).filter(q).order_by("asset__acquired_on")


def trips_for(user) -> QuerySet:
    """Trip requests (with their tickets) of the units the user dispatches for."""
    return scoping.scope(
        TripRequest.objects.select_related("ticket__requester", "ticket__org_unit", "dispatch__vehicle"),
        user,
        roles=FLEET_EDITORS,
        unit_field="ticket__org_unit",
    )


def board_counts(user) -> dict[str, int]:
    """The fleet home's two figures: trip requests waiting for a car, vehicles due for renewal."""
    return {"waiting": waiting_trips(user).count(), "renewable": renewable(user).count()}


def waiting_trips(user) -> QuerySet:
    """Approved or taken trip requests without a live dispatch yet: the dispatch board's queue.

    Emergency trips (救灾、抢险等, dispatched first and reviewed afterwards) head the queue, then by departure.
    """
    return with_unit_parent_name(
        trips_for(user).filter(ticket__status__in=[Status.APPROVED, Status.IN_PROGRESS], dispatch__isnull=True),
        "ticket__org_unit",
    ).order_by("-emergency", "starts_at")


# Cost per km counts what the issue names: fuel + maintenance + insurance + tolls over the distance.
COST_PER_KM_KINDS = ("fuel", "maintenance", "insurance", "toll")


def _period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in the local time zone."""
    tz = timezone.get_current_timezone()
    lo = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    return lo, hi


def _ratio(num, den, scale=1) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num) * scale / Decimal(den)).quantize(Decimal("0.01"))


def vehicle_stats(user, start: date, end: date, *, unit: OrgUnit | None = None) -> list[dict]:
    """Per vehicle in the user's scope (optionally within ``unit``'s subtree), for [start, end]:
    trips (live dispatches starting in the period), distance (km, returned trips), booked hours (the
    dispatch windows clipped to the period), utilisation (booked / working hours), fuel per 100 km
    (gasoline + diesel litres of the fuel records dated in the period), cost per km and cost by kind.

    A fixed number of queries: vehicles (with their unit's parent name), dispatch windows, one grouped cost query.
    """
    lo, hi = _period_bounds(start, end)
    vehicles = vehicles_for(user)
    if unit is not None:
        vehicles = vehicles.filter(scoping.subtree_q([unit.path], "org_unit"))
    vehicles = list(with_unit_parent_name(vehicles).order_by("org_unit__path", "plate"))
    ids = [v.pk for v in vehicles]
    stats = {
        v.pk: {
            "vehicle": v,
            "trips": 0,
            "distance": 0,
            "booked_hours": Decimal(0),
            "litres": Decimal(0),
            "costs": dict.fromkeys(CostRecord.Kind.values, Decimal(0)),
        }
        for v in vehicles
    }
    windows = Dispatch.objects.filter(LIVE, vehicle_id__in=ids, starts_at__lt=hi, ends_at__gt=lo).values_list(
        "vehicle_id", "starts_at", "ends_at", "distance_km"
    )
    for vehicle_id, s, e, distance in windows:
        row = stats[vehicle_id]
        row["booked_hours"] += Decimal((min(e, hi) - max(s, lo)).total_seconds()) / 3600
        if lo <= s < hi:
            row["trips"] += 1
            row["distance"] += distance or 0
    costs = (
        CostRecord.objects.filter(vehicle_id__in=ids, date__gte=start, date__lte=end)
        .values("vehicle_id", "kind")
        .annotate(
            amount=Sum("amount"),
            litres=Sum("quantity", filter=Q(fuel__in=[CostRecord.Fuel.GASOLINE, CostRecord.Fuel.DIESEL])),
        )
    )
    for c in costs:
        row = stats[c["vehicle_id"]]
        row["costs"][c["kind"]] += c["amount"] or 0
        row["litres"] += c["litres"] or 0
    hours = working_hours(start, end)
    out = []
    for row in stats.values():
        out.append(_finish(row, hours))
    return out


def _finish(row: dict, hours: int, vehicles: int = 1) -> dict:
    counted = sum(row["costs"][k] for k in COST_PER_KM_KINDS)
    row["booked_hours"] = Decimal(row["booked_hours"]).quantize(Decimal("0.01"))
    row["utilisation"] = _ratio(row["booked_hours"], hours * vehicles, 100)  # percent
    row["fuel_per_100km"] = _ratio(row["litres"], row["distance"], 100)
    row["cost_total"] = sum(row["costs"].values())
    row["cost_per_km"] = _ratio(counted, row["distance"])
    return row


def unit_stats(user, start: date, end: date, *, unit: OrgUnit | None = None, rows: list | None = None) -> list[dict]:
    """The vehicle figures summed per owning unit (utilisation over the unit's vehicles' working hours).
    ``rows``: vehicle_stats already computed for the same arguments (a page shows both)."""
    hours = working_hours(start, end)
    by_unit: dict[int, dict] = {}
    for row in rows if rows is not None else vehicle_stats(user, start, end, unit=unit):
        v = row["vehicle"]
        u = by_unit.setdefault(
            v.org_unit_id,
            {
                "org_unit": v.org_unit,
                "unit_parent_name": getattr(v, "unit_parent_name", None),
                "vehicles": 0,
                "trips": 0,
                "distance": 0,
                "booked_hours": Decimal(0),
                "litres": Decimal(0),
                "costs": dict.fromkeys(CostRecord.Kind.values, Decimal(0)),
            },
        )
        u["vehicles"] += 1
        for key in ("trips", "distance", "booked_hours", "litres"):
            u[key] += row[key]
        for kind, amount in row["costs"].items():
            u["costs"][kind] += amount
    return [_finish(u, hours, u["vehicles"]) for u in by_unit.values()]


def pending_reviews(user) -> QuerySet:
    """Emergency trips (dispatched without approval) awaiting a department head's review, not their own."""
    roles = (Role.APPROVER, Role.BUREAU_ADMIN)
    return (
        scoping.scope(
            TripRequest.objects.filter(emergency=True, reviewed_at__isnull=True).select_related("ticket__requester"),
            user,
            roles=roles,
            unit_field="ticket__org_unit",
        )
        .exclude(ticket__requester=user)
        .order_by("-starts_at")
    )


def quota_usage(user) -> list[dict]:
    """Per unit and category in the user's scope: the quota with approved changes, and vehicles held."""
    quotas = list(quotas_for(user).order_by("org_unit__path", "category"))
    if not quotas:
        return []
    units = {q.org_unit_id for q in quotas}
    held = {
        (u, c): n
        for u, c, n in Vehicle.objects.filter(org_unit_id__in=units)
        .exclude(status=VehicleStatus.DISPOSED)
        .values_list("org_unit_id", "category")
        .annotate(n=Count("pk"))
        .order_by()
    }
    changes = {
        (u, c): n
        for u, c, n in QuotaChange.objects.filter(org_unit_id__in=units, approved=True)
        .values_list("org_unit_id", "category")
        .annotate(n=Sum("delta"))
        .order_by()
    }
    out = []
    for q in quotas:
        key = (q.org_unit_id, q.category)
        allowed = q.quota + (changes.get(key) or 0)
        out.append({"quota": q, "allowed": allowed, "held": held.get(key, 0), "full": held.get(key, 0) >= allowed})
    return out


def holdings_of(*, person) -> list[str]:
    """A person's driver duty, for the portal's 离岗 bundle."""
    driver = Driver.objects.filter(person=person).first()
    return [f"驾驶员（{driver.get_status_display()}）"] if driver is not None else []
