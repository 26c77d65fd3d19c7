"""Every link of the command center, as the demo leader (陈明, on the province) meets it: each opens (200), and
each figure's link names the unit and — where the figure counts a period — the period (its first and last day,
or its year where the page behind it is annual), for the year and for a month."""

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from commandcenter import catalog, rules, snapshot
from datahub.models import User
from tests import demo

pytestmark = pytest.mark.django_db

LEADER = "chenming"
# Pages that take a year, not days: the energy pages (energy is reported per year).
ANNUAL = {"energy:home", "energy:institution-list", "vehicles:renewal"}
SKIP = ("export", "/accounts/logout")


def per_period(key: str) -> bool:
    """Does the figure count what happened in the period (a flow), not what is held or open at its end?"""
    f = catalog.FIGURES.get(key)
    return f is not None and f.num not in catalog.STOCK_KEYS | catalog.SNAPSHOT_KEYS and key not in snapshot.FIGURES


@pytest.fixture
def leader():
    demo.seed()
    return User.objects.get(username=LEADER)


def test_every_link_of_the_page_opens_and_each_figure_names_its_unit_and_period(client, leader):
    client.force_login(leader)
    today = timezone.localdate()
    home = client.get(reverse("commandcenter:index"))
    assert home.status_code == 302
    unit_url = home["Location"]
    unit_id = re.search(r"/units/(\d+)/", unit_url).group(1)
    month = rules.Period("month", today.year, today.month)
    dead, unfiltered, opened = [], [], set()
    for period in (rules.parse_period(str(today.year), today), month):
        page = client.get(unit_url, {"period": period.code})
        assert page.status_code == 200
        main = page.content.decode().split('<main class="content">')[1].split("</main>")[0]
        links = {h.replace("&amp;", "&") for h in re.findall(r'href="([^"#][^"]*)"', main)}
        for href in sorted(links - opened):
            if any(s in href for s in SKIP):
                continue
            opened.add(href)
            code = client.get(href).status_code
            if code != 200:
                dead.append(f"{href} → {code}")
        figures = client.get(reverse("commandcenter:unit-json", args=[unit_id]), {"period": period.code}).json()
        days = {period.start.isoformat(), date.fromordinal(period.end.toordinal() - 1).isoformat()}
        for section in figures["sections"]:
            for f in section["figures"]:
                query = parse_qs(urlsplit(f["url"]).query)
                values = {v for vs in query.values() for v in vs}
                if unit_id not in values:
                    unfiltered.append(f"{f['key']}: {f['url']} names no unit")
                if not per_period(f["key"]):
                    continue
                annual = any(urlsplit(f["url"]).path == reverse(name) for name in ANNUAL)
                if not (days <= values or (annual and str(period.year) in query.get("year", []))):
                    unfiltered.append(f"{f['key']} ({period.code}): {f['url']} is not filtered to the period")
    assert len(opened) > 30
    assert dead == [], "\n".join(dead)
    assert unfiltered == [], "\n".join(unfiltered)
