"""The figures the page reads at page time (what a subtree holds now), on hand-built examples of two sibling
agencies: energy quota lights, asset cards by status and their net value; a leader of one agency sees none of
the other's; each figure opens the list of what it counts, filtered to the unit."""

from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from django.utils import timezone

from assets import seeding
from assets import services as asset_services
from assets.models import Asset, Category
from commandcenter import snapshot
from commandcenter.rules import Period
from datahub.roles import Role
from tests.assets.factories import card
from tests.energy.factories import profile as energy_profile
from tests.energy.factories import record
from tests.factories import UserFactory, grant
from tests.sharing import shared_fixture


def build_world(tree, staff):
    """甲厅: a small electricity bill (green against the 机关 quota), two cards — one idle, one in use with
    1,500 元 of depreciation posted. 乙厅: a large bill (red), one card in use. Built once per module
    (tests/sharing.py): the tests only read it. The GB/T 14885-2022 categories are seeded first (idempotent: the
    data migration loaded them already)."""
    seeding.seed_reference_data()
    cats = {c.code: c for c in Category.objects.all()}
    year = timezone.localdate().year - 1
    for unit, kwh in ((tree.a, 1000), (tree.b, 100000)):
        energy_profile(unit, year, area="1000", users=50)
        for month in range(1, 13):
            record(unit, year, month, "electricity", kwh)
    asset_b = grant(UserFactory(username="asset_b", org_unit=tree.b), Role.ASSET_ADMIN, tree.b)
    computer = cats["A02010105"]
    idle = card(staff.asset_a, tree.a, computer, original_value=Decimal("4000"))
    asset_services.set_status(asset=idle, status="idle", actor=staff.asset_a, reason="人员调离，设备闲置")
    used = card(staff.asset_a, tree.a1, computer, original_value=Decimal("6000"))
    # As a monthly depreciation run posts it (the run itself is the assets app's tested service).
    Asset.objects.filter(pk=used.pk).update(accumulated_depreciation=Decimal("1500"))
    card(asset_b, tree.b, computer, original_value=Decimal("9000"))
    return tree


shared_world, world = shared_fixture("world", build_world)


def this_year():
    return Period("year", timezone.localdate().year, 0)


def test_quota_lights_count_each_agency_against_its_quota(world):
    today = timezone.localdate()
    a = snapshot.compute(world.a, this_year(), today)
    b = snapshot.compute(world.b, this_year(), today)
    r = snapshot.compute(world.r, this_year(), today)
    assert (a["quota_green"], a["quota_amber"], a["quota_red"]) == (1, 0, 0)
    assert (b["quota_green"], b["quota_amber"], b["quota_red"]) == (0, 0, 1)
    assert (r["quota_green"], r["quota_red"]) == (1, 1)  # the province: both


def test_quota_year_is_the_last_complete_one():
    today = date(2026, 12, 6)
    assert snapshot.quota_year(Period("month", 2026, 11), today) == 2025
    assert snapshot.quota_year(Period("year", 2024, 0), today) == 2024


def test_cards_by_status_and_net_value(world):
    today = timezone.localdate()
    a = snapshot.compute(world.a, this_year(), today)
    assert (a["cards_in_use"], a["cards_idle"], a["cards_in_pool"]) == (1, 1, 0)
    assert a["original_value"] == Decimal("10000")
    assert a["net_value"] == Decimal("8500")  # 10,000 − 1,500 posted
    b = snapshot.compute(world.b, this_year(), today)
    assert (b["cards_in_use"], b["net_value"]) == (1, Decimal("9000"))
    r = snapshot.compute(world.r, this_year(), today)
    assert r["net_value"] == Decimal("17500")


def figures_json(client, user, unit):
    client.force_login(user)
    response = client.get(reverse("commandcenter:unit-json", args=[unit.pk]))
    assert response.status_code == 200
    return {f["key"]: f for s in response.json()["sections"] for f in s["figures"]}


def test_an_agency_leader_sees_the_agencys_figures_only(client, world):
    leader_a = grant(UserFactory(username="leader_a", org_unit=world.a), Role.LEADER, world.a)
    figures = figures_json(client, leader_a, world.a)
    assert figures["asset_net_value"]["value"] == "8500.00"
    assert figures["cards_in_use"]["value"] == "1"
    assert figures["quota_red"]["value"] == "0"  # 乙厅's red is not theirs
    client.force_login(leader_a)
    assert client.get(reverse("commandcenter:unit-json", args=[world.b.pk])).status_code == 404


def test_each_snapshot_figure_opens_its_list_filtered_to_the_unit(client, people, world):
    figures = figures_json(client, people.leader, world.a)
    for key in snapshot.FIGURES:
        url = urlsplit(figures[key]["url"])
        query = parse_qs(url.query)
        assert str(world.a.pk) in (query.get("unit") or query.get("provider") or [""]), key
        response = client.get(figures[key]["url"])
        assert response.status_code == 200, key
    cards = client.get(figures["cards_idle"]["url"])
    assert [row["pk"] for row in cards.context["page"]] == list(
        Asset.objects.filter(org_unit__path__startswith=world.a.path, status="idle").values_list("pk", flat=True)
    )
