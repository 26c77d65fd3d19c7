"""The roll-up never disagrees with the domain pages it links to: for every unit of the leak crawler's
two-unit world (every domain's rows, written through the services) and for this month and this year, each
roll-up figure read the way the command center reads it equals the domain selector's answer."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from assetpool import selectors as pool
from assets import selectors as assets
from commandcenter import breakdowns, dashboard, snapshot
from commandcenter import selectors as cc
from commandcenter.rules import Period
from datahub.figures import local_midnight, months_between, next_month
from energy import selectors as energy
from officespace import selectors as space
from portal import selectors as portal
from telematics import selectors as telematics
from tests import leak_world
from tests.sharing import shared_fixture
from vehicles import selectors as vehicles

shared_crawl_world, crawl_world = shared_fixture("crawl_world", lambda: leak_world.build())

CENT = Decimal("0.01")


def rolled(unit, period: Period) -> dict:
    today = timezone.localdate()
    window = dashboard.Window.of(period, today)
    data = cc.subtree_months(unit, months_between(window.months[0], next_month(window.stock_month)))
    return {k: (v or 0) for k, v in dashboard.totals(data, window).items()}


def unit_ids_below(unit) -> list[int]:
    from datahub.models import OrgUnit

    return list(OrgUnit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))


def periods():
    today = timezone.localdate()
    return [Period("month", today.year, today.month), Period("year", today.year, 0)]


@pytest.fixture(params=["r", "a", "b", "a1"])
def unit(request, crawl_world):
    return getattr(crawl_world, request.param)


@pytest.mark.parametrize("period", periods(), ids=lambda p: p.kind)
def test_roll_up_agrees_with_the_domain_selectors(crawl_world, unit, period):
    root = crawl_world.root
    figures = rolled(unit, period)
    today = timezone.localdate()
    lo, hi = local_midnight(period.start), local_midnight(period.end)
    last_day = date.fromordinal(period.end.toordinal() - 1)  # the figure's link covers the whole period
    within = {"org_unit__path__startswith": unit.path}

    # Service portal
    tickets = portal.overseen_tickets(root).filter(**within)
    assert figures.get("tickets_filed", 0) == tickets.filter(submitted_at__gte=lo, submitted_at__lt=hi).count()
    assert figures.get("tickets_done", 0) == tickets.filter(status="done", closed_at__gte=lo, closed_at__lt=hi).count()
    assert figures.get("tickets_overdue", 0) == portal.overdue_tickets(root, within=unit).count()

    # Vehicles: the statistics page's unit rows over the same days
    stats = vehicles.unit_stats(root, period.start, last_day, unit=unit)
    assert figures.get("trips", 0) == sum(row["trips"] for row in stats)
    assert figures.get("distance_km", 0) == sum(row["distance"] for row in stats)
    assert Decimal(figures.get("vehicle_cost", 0)).quantize(CENT) == sum(
        (row["cost_total"] for row in stats), Decimal(0)
    ).quantize(CENT)
    held = vehicles.vehicles_for(root).filter(**within).exclude(status="disposed")
    assert figures.get("vehicles_held", 0) == held.count()

    # Monitoring
    assert (
        figures.get("alerts_open", 0)
        == telematics.open_alerts(root).filter(vehicle__org_unit__path__startswith=unit.path).count()
    )

    # Office space (the over-standard list's open cases)
    assert figures.get("space_cases_open", 0) == space.open_problems(root).filter(**within).count()

    # Energy: the energy pages' figures of the subtree for the same months
    months = [m.month for m in months_between(period.start, next_month(dashboard.Window.of(period, today).stock_month))]
    f = energy.figures_by_year(unit, [period.year], months)[period.year]
    assert Decimal(figures.get("energy_kgce", 0)).quantize(CENT) == f.kgce.quantize(CENT)
    assert Decimal(figures.get("water_m3", 0)).quantize(CENT) == f.water.quantize(CENT)
    assert Decimal(figures.get("energy_area_m2", 0)).quantize(CENT) == Decimal(f.area).quantize(CENT)

    # Assets: the card list (not disposed of) and the depreciation page
    cards = assets.assets_for(root, unit=unit).exclude(status="disposed")
    assert figures.get("asset_cards", 0) == cards.count()
    assert Decimal(figures.get("asset_value", 0)).quantize(CENT) == (
        cards.aggregate(v=Sum("original_value"))["v"] or Decimal(0)
    ).quantize(CENT)
    posted = sum(
        (
            r["total"]
            for r in assets.monthly_depreciation(root, unit=unit, limit=1000)
            if period.start <= r["month"] < period.end
        ),
        Decimal(0),
    )
    assert Decimal(figures.get("depreciation", 0)).quantize(CENT) == posted.quantize(CENT)

    # 公物仓: the reuse ledger
    reused = pool.reuses_for(root).filter(**within, done_at__gte=lo, done_at__lt=hi)
    assert figures.get("pool_reused", 0) == reused.count()


def test_the_world_has_something_to_compare(crawl_world):
    figures = rolled(crawl_world.r, periods()[1])
    for key in ("tickets_filed", "trips", "vehicles_held", "alerts_open", "asset_cards", "space_cases_open"):
        assert figures.get(key), key


# Every roll-up key a figure, a chart or the attention list reads; each is compared below or above.
COMPARED_ABOVE = {
    "tickets_filed",
    "tickets_done",
    "tickets_overdue",
    "trips",
    "distance_km",
    "vehicle_cost",
    "vehicles_held",
    "alerts_open",
    "space_cases_open",
    "energy_kgce",
    "water_m3",
    "energy_area_m2",
    "asset_cards",
    "asset_value",
    "depreciation",
    "pool_reused",
}


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


@pytest.mark.parametrize("period", periods(), ids=lambda p: p.kind)
def test_every_other_roll_up_key_agrees_with_the_domain_lists(crawl_world, unit, period):
    """The keys the first test leaves out — ratios' parts, per-rule alerts, the office-space check, repairs,
    energy boundaries, 公物仓 listings and data sharing — each against the domain's list for the unit and period."""
    from django.db.models import F, Q

    from commandcenter.catalog import FIGURES
    from datahub.catalog import selectors as sharing
    from datahub.catalog.models import TrailRecord
    from officespace.models import RepairRecord
    from officespace.rules import take_back_due
    from vehicles import overview
    from vehicles.models import CostRecord
    from vehicles.rules import NEW_ENERGY

    root = crawl_world.root
    figures = rolled(unit, period)
    today = timezone.localdate()
    lo, hi = local_midnight(period.start), local_midnight(period.end)
    last_day = date.fromordinal(period.end.toordinal() - 1)
    within = {"org_unit__path__startswith": unit.path}
    expected: dict[str, Decimal] = {}

    done = portal.overseen_tickets(root).filter(**within, status="done", closed_at__gte=lo, closed_at__lt=hi)
    expected["tickets_on_time"] = done.filter(Q(due_at__isnull=True) | Q(closed_at__lte=F("due_at"))).count()
    expected["handling_hours"] = _money(
        sum((Decimal((t.closed_at - t.submitted_at).total_seconds()) / 3600 for t in done), Decimal(0))
    )
    rated = done.filter(rating__isnull=False)
    expected["rating_count"] = rated.count()
    expected["rating_sum"] = sum(t.rating for t in rated)

    stats = vehicles.unit_stats(root, period.start, last_day, unit=unit)
    per_km = vehicles.COST_PER_KM_KINDS
    expected["vehicle_cost_per_km_base"] = _money(sum(row["costs"][k] for row in stats for k in per_km))
    held = vehicles.vehicles_for(root).filter(**within).exclude(status="disposed")
    expected["vehicles_nev"] = held.filter(energy_type__in=NEW_ENERGY).count()

    raised = telematics.alerts_for(root, unit=unit).filter(started_at__gte=lo, started_at__lt=hi)
    expected["alerts_raised"] = raised.count()
    for kind, _label in dashboard.ALERT_KINDS:
        expected[f"alerts_{kind}"] = raised.filter(kind=kind).count()

    people = space.assessments_for(root, unit=unit, problems_only=False)
    over = space.assessments_for(root, unit=unit, flag="over")
    expected["space_people"] = people.count()
    expected["space_over_people"] = over.count()
    expected["space_excess_m2"] = _money(over.aggregate(v=Sum("excess"))["v"])
    # No domain page lists repairs by unit and period (the figure links to the statistics page): the ledger.
    repairs = RepairRecord.objects.filter(**within, completed_at__gte=lo, completed_at__lt=hi)
    expected["repairs_done"] = repairs.count()
    expected["repairs_cost"] = _money(repairs.aggregate(v=Sum("cost"))["v"])

    months = [m.month for m in months_between(period.start, next_month(dashboard.Window.of(period, today).stock_month))]
    f = energy.figures_by_year(unit, [period.year], months)[period.year]
    expected["energy_kgco2"] = _money(f.kgco2)
    expected["energy_kgce_building"] = _money(f.kgce - f.kgce_vehicle)
    expected["energy_kgco2_building"] = _money(f.kgco2 - f.kgco2_vehicle)
    expected["energy_users"] = f.users

    listed = pool.pool_listings(root, status=None).filter(**within, published_at__gte=lo, published_at__lt=hi)
    expected["pool_listed"] = listed.count()
    reused = pool.reuses_for(root).filter(**within, done_at__gte=lo, done_at__lt=hi)
    expected["pool_value_saved"] = _money(reused.aggregate(v=Sum("original_value"))["v"])

    calls = sharing.trail_for(root).filter(kind=TrailRecord.Kind.CALL, at__gte=lo, at__lt=hi)
    mine = calls.filter(caller_unit__path__startswith=unit.path)
    expected["share_calls"] = mine.count()
    expected["share_refused"] = mine.filter(status__gte=400).count()
    expected["share_rows"] = mine.aggregate(v=Sum("rows"))["v"] or 0
    served = calls.filter(status__lt=400, dataset__provider__path__startswith=unit.path)
    expected["share_served"] = served.aggregate(v=Sum("rows"))["v"] or 0

    # Average handling time by kind: the finished requests of each kind.
    for kind in set(done.values_list("kind", flat=True)):
        of_kind = done.filter(kind=kind)
        expected[f"kind_done_{kind}"] = of_kind.count()
        expected[f"kind_hours_{kind}"] = _money(
            sum((Decimal((t.closed_at - t.submitted_at).total_seconds()) / 3600 for t in of_kind), Decimal(0))
        )
    assert {k for k in figures if k.startswith("kind_")} <= set(expected)

    # The year's purchases (the renewal page's new-energy share counts them by the card's 取得日期).
    bought = vehicles.vehicles_for(root).filter(**within, asset__acquired_on__gte=period.start)
    bought = bought.filter(asset__acquired_on__lt=period.end)
    expected["vehicles_bought"] = bought.count()
    expected["vehicles_bought_nev"] = bought.filter(energy_type__in=NEW_ENERGY).count()
    if period.kind == "year":
        shares = {r["org_unit_id"]: r for r in vehicles.new_energy_share(root, period.year)}
        mine = [r for uid, r in shares.items() if uid in set(unit_ids_below(unit))]
        assert expected["vehicles_bought"] == sum(r["total"] for r in mine)
        assert expected["vehicles_bought_nev"] == sum(r["nev"] for r in mine)

    # Utilisation: the statistics page's booked hours; its denominator, the period's working hours × the
    # vehicles held (the ledger's, not disposed of).
    expected["booked_hours"] = _money(sum((row["booked_hours"] for row in stats), Decimal(0)))
    held_now = vehicles.vehicle_ledger(root, unit=unit).exclude(status="disposed").count()
    expected["vehicle_work_hours"] = vehicles.working_hours(period.start, last_day) * held_now
    figures["vehicle_work_hours"] = cc.available_hours(figures.get("vehicles_held"), period.start, last_day)

    # The counts as of today, against the lists their figures open.
    figures.update(snapshot.values(snapshot.counts(root, unit, today)))
    expected["renewal_due"] = vehicles.renewable(root).filter(**within).count()
    expected["insurance_expiring"] = vehicles.vehicle_ledger(root, unit=unit, insurance_expiring=True).count()
    expected["inspection_expiring"] = overview.papers_expiring(
        vehicles.vehicle_ledger(root, unit=unit), CostRecord.Kind.INSPECTION
    ).count()
    expected["licences_expired"] = vehicles.driver_roster(root, unit=unit, expired=True).count()
    late = [
        o
        for o in space.offices_to_take_back(root, unit=unit)
        if take_back_due(o.post_ended_on, is_main=o.is_main) < today
    ]
    expected["leavers_overdue"] = sum(1 for o in late if o.is_main)
    expected["second_overdue"] = sum(1 for o in late if not o.is_main)
    expected["repairs_open"] = portal.overseen_tickets(root, unit=unit.pk, kind="repair", open=True).count()

    for key, want in expected.items():
        got = figures.get(key, 0)
        if isinstance(want, Decimal):
            got = _money(got)
        assert got == want, (key, got, want)

    # Nothing the page reads is left uncompared.
    read = {k for fig in FIGURES.values() for k in fig.keys} | {f"alerts_{k}" for k, _ in dashboard.ALERT_KINDS}
    read |= {key for key, *_ in dashboard.ATTENTION}
    assert read <= COMPARED_ABOVE | set(expected), read - COMPARED_ABOVE - set(expected)


def test_breakdown_tables_agree_with_the_domain_lists(crawl_world, unit):
    """Vehicles in use by category against the ledger and the quota page, the area by use against the
    office-space statistics, the cases by status against the over-standard list: the tables' rows, as of
    today, for every unit of the two-agency world."""
    from collections import Counter

    from officespace.models import Assessment

    root = crawl_world.root
    snap = snapshot.counts(root, unit, timezone.localdate())

    quotas = {r["category"]: r for r in breakdowns.quota_by_category(snap["fleet"], unit)}
    ledger = vehicles.vehicle_ledger(root, unit=unit).exclude(status="disposed")
    held = Counter(ledger.values_list("category", flat=True))
    assert {c: r["held"] for c, r in quotas.items() if r["held"]} == dict(held)
    allowed = Counter()
    below = set(unit_ids_below(unit))
    for row in vehicles.quota_usage(root):
        if row["quota"].org_unit_id in below:
            allowed[row["quota"].category] += row["allowed"]
    assert {c: r["quota"] for c, r in quotas.items() if r["quota"] is not None} == dict(allowed)

    stats = space.statistics(root, within=unit)["by_category"]
    areas = breakdowns.area_by_use(snap["space"], unit)
    assert [(r["rooms"], _money(r["area"])) for r in areas] == [(r["rooms"], _money(r["area"])) for r in stats]

    cases = {r["status"]: r["count"] for r in breakdowns.cases_by_status(snap["space"], unit)}
    for status in Assessment.Status.values:
        assert cases[status] == space.assessments_for(root, unit=unit, status=status).count(), status


@pytest.mark.parametrize("period", periods(), ids=lambda p: p.kind)
def test_page_time_figures_agree_with_the_domain_lists(crawl_world, unit, period):
    """The figures read at page time (``commandcenter.snapshot``), each against the domain's own list or page
    for the unit: the energy institution page's quota band, the report list, the card list by status, the
    stocktake list, the catalog, the zombie list and the grants list."""
    from datahub.catalog import selectors as sharing
    from energy.models import ReportingPeriod
    from stocktake import selectors as stocktake
    from stocktake.models import BookLine

    root = crawl_world.root
    today = timezone.localdate()
    got = snapshot.compute(unit, period, today)
    expected: dict = {}

    year = snapshot.quota_year(period, today)
    lights = {"red": 0, "amber": 0, "green": 0}
    for profile in energy.profiles_for(root, within=unit, year=year):
        band = energy.quota_band(profile, energy.figures_by_year(profile.org_unit, [year])[year])["band"]
        if band in energy.BAND_LIGHTS:
            lights[energy.BAND_LIGHTS[band]] += 1
    expected |= {f"quota_{light}": n for light, n in lights.items()}
    # Overdue: each institution of the list × each round past its 报送截止日 with no report sent in the report list.
    rounds = list(ReportingPeriod.objects.filter(year=period.year, due_date__lt=today))
    sent = set(
        energy.submissions_for(root, within=unit)
        .filter(period__in=rounds, ticket__status__in=energy.LOCKING)
        .values_list("org_unit_id", "period_id")
    )
    profiled = energy.profiles_for(root, within=unit, year=period.year)
    expected["reports_overdue"] = sum(1 for p in profiled for r in rounds if (p.org_unit_id, r.pk) not in sent)
    returned = energy.submissions_for(root, within=unit, status="returned")
    expected["reports_returned"] = returned.filter(period__year=period.year, superseded=False).count()

    held = assets.assets_for(root, unit=unit).exclude(status="disposed")
    expected["net_value"] = _money(sum((a.net_book_value for a in held), Decimal(0)))
    expected["original_value"] = _money(held.aggregate(v=Sum("original_value"))["v"])
    for f in snapshot.FIGURES.values():
        if f.num.startswith("cards_"):
            expected[f.num] = assets.assets_for(root, unit=unit, status=f.num.removeprefix("cards_")).count()
    expected["stocktakes_open"] = stocktake.stocktakes_for(root, status="open", unit=unit).count()
    pending = assets.assets_for(root, unit=unit, status="pending_disposal")
    found_missing = BookLine.objects.filter(
        stocktake__in=stocktake.stocktakes_for(root, status="closed"), outcome="missing"
    ).values("asset")
    expected["stocktake_missing"] = pending.filter(pk__in=found_missing).count()

    expected["datasets_shared"] = sharing.catalog_for(root, {"provider": unit.pk, "status": "published"}).count()
    expected["zombie_entries"] = sharing.zombies_for(root).filter(provider__path__startswith=unit.path).count()
    expected["grants_given"] = sharing.grants_of_unit(root, unit=unit, side="given").count()
    expected["grants_received"] = sharing.grants_of_unit(root, unit=unit, side="received").count()

    for key, want in expected.items():
        value = got.get(key, 0)
        if isinstance(want, Decimal):
            value = _money(value)
        assert value == want, (key, value, want)
    # Nothing the page shows is left uncompared.
    shown = {f.num for f in snapshot.FIGURES.values()}
    assert shown <= set(expected), shown - set(expected)


def test_the_world_has_page_time_figures_to_compare(crawl_world):

    got = snapshot.compute(crawl_world.r, periods()[1], timezone.localdate())
    for key in ("cards_in_use", "net_value", "stocktakes_open", "grants_received", "datasets_shared"):
        assert got.get(key), key
