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
from commandcenter import dashboard
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
