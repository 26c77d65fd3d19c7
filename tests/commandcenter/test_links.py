"""Every figure opens the list of what it counts, filtered to the unit and period: the 公物仓 pages, the
catalog, the grants and the stocktakes accept the unit (its subtree) and the period, scoped to what the user
may see; an unknown or foreign unit lists nothing and says so. On the leak crawler's two-agency world, where
甲厅's leader (crawl_leader) reads 甲厅 only."""

from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from assetpool import selectors as pool
from datahub.catalog import selectors as sharing
from stocktake import selectors as stocktake
from tests import leak_world
from tests.sharing import shared_fixture

shared_crawl_world, crawl_world = shared_fixture("crawl_world", lambda: leak_world.build())

EMPTY = "列表为空"


def page_rows(response) -> list:
    assert response.status_code == 200
    return list(response.context["page"])


def figures(client, user, unit, period):
    client.force_login(user)
    response = client.get(reverse("commandcenter:unit-json", args=[unit.pk]), {"period": period})
    return {f["key"]: f for s in response.json()["sections"] for f in s["figures"]}


def test_reuse_figures_open_the_ledger_of_the_unit_and_period(client, crawl_world):
    year = str(timezone.localdate().year)
    leader = crawl_world.roles["leader"]
    shown = figures(client, leader, crawl_world.a, year)
    url = shown["pool_reused"]["url"]
    query = parse_qs(urlsplit(url).query)
    assert query["unit"] == [str(crawl_world.a.pk)]
    assert query["since"] == [f"{year}-01-01"] and query["until"] == [f"{year}-12-31"]
    rows = page_rows(client.get(url))
    assert len(rows) == int(shown["pool_reused"]["value"]) > 0
    assert all(r.org_unit.path.startswith(crawl_world.a.path) for r in rows)
    # The ledger as its own selector reads it for the superuser, narrowed the same way.
    lo, hi = date(int(year), 1, 1), date(int(year), 12, 31)
    want = pool.reuses_for(crawl_world.root, unit=crawl_world.a, since=lo, until=hi)
    assert sorted(r.pk for r in rows) == sorted(want.values_list("pk", flat=True))


@pytest.mark.parametrize("which", ["b", "unknown"])
def test_reuse_ledger_of_a_foreign_or_unknown_unit_is_empty_and_says_so(client, crawl_world, which):
    client.force_login(crawl_world.roles["leader"])
    unit = crawl_world.b.pk if which == "b" else 99999999
    response = client.get(reverse("assetpool:reuse-list"), {"unit": unit})
    assert page_rows(response) == []
    assert EMPTY in response.content.decode()


def test_pool_figure_opens_the_listings_of_the_unit_and_period(client, crawl_world):
    year = str(timezone.localdate().year)
    shown = figures(client, crawl_world.root, crawl_world.r, year)
    rows = page_rows(client.get(shown["pool_listed"]["url"]))
    assert len(rows) == int(shown["pool_listed"]["value"]) > 0
    assert all(r.org_unit.path.startswith(crawl_world.r.path) for r in rows)
    response = client.get(reverse("assetpool:pool-list"), {"unit": 99999999})
    assert page_rows(response) == [] and EMPTY in response.content.decode()


def test_catalog_of_an_unknown_provider_is_empty_and_says_so(client, crawl_world):
    client.force_login(crawl_world.roles["leader"])
    response = client.get(reverse("catalog-list"), {"provider": 99999999})
    assert page_rows(response) == [] and EMPTY in response.content.decode()


def test_grants_figures_open_the_grants_of_the_unit(client, crawl_world):
    leader = crawl_world.roles["leader"]
    shown = figures(client, leader, crawl_world.a, str(timezone.localdate().year))
    rows = page_rows(client.get(shown["grants_received"]["url"]))
    assert len(rows) == int(shown["grants_received"]["value"]) > 0
    assert all(g.consumer_unit.path.startswith(crawl_world.a.path) for g in rows)
    want = sharing.grants_of_unit(crawl_world.root, unit=crawl_world.a, side="received")
    assert sorted(g.pk for g in rows) == sorted(want.values_list("pk", flat=True))
    response = client.get(reverse("catalog-grants"), {"unit": crawl_world.b.pk, "side": "received"})
    assert page_rows(response) == [] and EMPTY in response.content.decode()


def test_stocktake_list_of_the_unit_and_of_a_sibling(client, crawl_world):
    client.force_login(crawl_world.roles["leader"])
    rows = page_rows(client.get(reverse("stocktake:home"), {"unit": crawl_world.a.pk, "status": "open"}))
    want = stocktake.stocktakes_for(crawl_world.root, status="open", unit=crawl_world.a)
    assert sorted(s.pk for s in rows) == sorted(want.values_list("pk", flat=True)) and rows
    response = client.get(reverse("stocktake:home"), {"unit": crawl_world.b.pk})
    assert page_rows(response) == [] and EMPTY in response.content.decode()


def test_repair_figures_open_the_repair_list_of_the_unit_and_period(client, crawl_world):
    """完成维修 and 维修费用 open 维修台账 of the unit's subtree finished in the period; 未办结报修 its open repairs."""
    year = str(timezone.localdate().year)
    leader = crawl_world.roles["leader"]
    shown = figures(client, leader, crawl_world.a, year)
    done = shown["repairs_done"]
    query = parse_qs(urlsplit(done["url"]).query)
    assert urlsplit(done["url"]).path == reverse("officespace:repairs")
    assert query == {
        "unit": [str(crawl_world.a.pk)],
        "status": ["closed"],
        "since": [f"{year}-01-01"],
        "until": [f"{year}-12-31"],
    }
    rows = page_rows(client.get(done["url"]))
    assert len(rows) == int(done["value"]) > 0
    assert sum(r.cost for r in rows) == Decimal(shown["repairs_cost"]["value"]) > 0
    assert shown["repairs_cost"]["url"] == done["url"]
    assert all(r.ticket.org_unit.path.startswith(crawl_world.a.path) for r in rows)
    opened = shown["repairs_open"]
    assert parse_qs(urlsplit(opened["url"]).query) == {"unit": [str(crawl_world.a.pk)], "status": ["open"]}
    rows = page_rows(client.get(opened["url"]))
    assert len(rows) == int(opened["value"]) > 0


def test_exchange_figures_open_the_usage_of_the_unit_and_period_for_a_leader(client, crawl_world):
    """调用共享数据 and 获取数据 open the usage page narrowed to the calls the unit's subtree made in the period
    (a leader reads it, read-only); 提供数据 the calls on the entries the subtree provides."""
    year = str(timezone.localdate().year)
    leader = crawl_world.roles["leader"]
    shown = figures(client, leader, crawl_world.a, year)
    calls = shown["share_calls"]
    assert urlsplit(calls["url"]).path == reverse("catalog-usage")
    query = parse_qs(urlsplit(calls["url"]).query)
    assert query == {"unit": [str(crawl_world.a.pk)], "since": [f"{year}-01-01"], "until": [f"{year}-12-31"]}
    rows = page_rows(client.get(calls["url"]))
    assert sum(r["calls"] for r in rows) == int(calls["value"]) > 0
    assert sum(r["rows_total"] or 0 for r in rows) == int(shown["share_rows"]["value"])
    assert shown["share_refused_pct"]["url"] == calls["url"]
    served = shown["share_served"]
    assert parse_qs(urlsplit(served["url"]).query)["provider"] == [str(crawl_world.a.pk)]
    rows = page_rows(client.get(served["url"]))
    assert sum(r["rows_total"] or 0 for r in rows) == int(served["value"] or 0)
