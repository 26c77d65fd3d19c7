"""用量: who pulled what, how much and when — per entry and consumer, for the provider's steward and the catalog
administrators; on the entry's page; and as monthly figures for the command center."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commandcenter import catalog as cc_catalog
from commandcenter import services as cc_services
from commandcenter.models import UnitMonth
from datahub.catalog import selectors, services
from datahub.figures import month_of, next_month
from datahub.models import Dataset
from tests.catalog_factories import build_hub
from tests.sharing import shared_fixture

shared_hub, hub = shared_fixture("hub", build_hub)


@pytest.fixture
def a_entry(hub, tree):
    """An entry provided by agency A (registered by A's steward), so A's steward is its provider."""
    return services.dataset_register_external(
        actor=hub.steward_a,
        provider=tree.a,
        items_text="year|年度|数值型",
        code="3-05-001.0007",
        name="甲厅统计表",
        summary="s",
        format="file",
        share_type="unconditional",
        share_method="文件下载",
        open_attr="closed",
        update_cycle="yearly",
    )


def _calls(hub, tree, a_entry):
    services.trail_append(
        dataset=a_entry, caller_user=hub.clerk_b1, caller_unit=tree.b1, rows=100, size=900, status=200
    )
    services.trail_append(dataset=a_entry, caller_user=hub.clerk_b1, caller_unit=tree.b1, rows=50, size=400, status=200)
    services.trail_append(dataset=a_entry, caller_app=hub.app_a, caller_unit=tree.a, status=403)
    services.trail_append(dataset=hub.units, caller_user=hub.clerk_a1, caller_unit=tree.a1, rows=7, status=200)


def test_usage_is_per_entry_and_consumer_with_calls_rows_bytes_and_times(hub, tree, a_entry):
    _calls(hub, tree, a_entry)
    rows = {r["caller_label"]: r for r in selectors.usage_rows_for(hub.steward_a)}
    assert set(rows) == {"人员：clerk_b1", f"系统：{hub.app_a.name}"}  # only the entries A provides
    b1 = rows["人员：clerk_b1"]
    assert (b1["calls"], b1["refused"], b1["rows_total"], b1["bytes_total"]) == (2, 0, 150, 1300)
    assert b1["caller_unit_id"] == tree.b1.pk and b1["first"] <= b1["last"]
    refused = rows[f"系统：{hub.app_a.name}"]
    assert (refused["calls"], refused["refused"]) == (1, 1)


def test_the_catalog_administrator_sees_every_entrys_consumers_and_another_provider_none(hub, tree, a_entry):
    _calls(hub, tree, a_entry)
    assert {r["dataset_code"] for r in selectors.usage_rows_for(hub.hub)} == {a_entry.code, hub.units.code}
    assert list(selectors.usage_rows_for(hub.steward_b)) == []
    assert list(selectors.usage_rows_for(hub.clerk_a1)) == []


def test_filters_narrow_by_entry_consumer_unit_and_dates_and_nonsense_finds_nothing(hub, tree, a_entry):
    _calls(hub, tree, a_entry)
    assert {r["dataset_code"] for r in selectors.usage_rows_for(hub.hub, {"dataset": hub.units.code})} == {
        hub.units.code
    }
    assert {r["caller_unit_id"] for r in selectors.usage_rows_for(hub.hub, {"unit": str(tree.b.pk)})} == {tree.b1.pk}
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert list(selectors.usage_rows_for(hub.hub, {"since": tomorrow})) == []
    assert len(selectors.usage_rows_for(hub.hub, {"until": "garbage", "unit": "9" * 30})) == 0


def test_usage_page_for_stewards_only_and_scoped(client, hub, tree, a_entry):
    _calls(hub, tree, a_entry)
    client.force_login(hub.steward_a)
    html = client.get(reverse("catalog-usage")).content.decode()
    assert "clerk_b1" in html and "150" in html and hub.units.code not in html
    client.force_login(hub.steward_b)
    assert "clerk_b1" not in client.get(reverse("catalog-usage")).content.decode()
    client.force_login(hub.clerk_a1)
    assert client.get(reverse("catalog-usage")).status_code == 403


def test_usage_page_runs_a_fixed_number_of_queries_whatever_it_holds(client, hub, tree, a_entry):
    services.trail_append(dataset=a_entry, caller_user=hub.clerk_b1, caller_unit=tree.b1, rows=1, status=200)
    client.force_login(hub.hub)
    client.get(reverse("catalog-usage"))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("catalog-usage")).status_code == 200
        return len(queries)

    few = count()
    for unit in (tree.a, tree.a1, tree.b, tree.b1):
        for _ in range(3):  # more consumers, more calls each: still one page query and one count
            services.trail_append(dataset=a_entry, caller_user=hub.clerk_b1, caller_unit=unit, rows=1, status=200)
    assert count() == few


def test_the_entry_page_shows_its_consumers_usage_to_its_provider(client, hub, tree, a_entry):
    _calls(hub, tree, a_entry)
    client.force_login(hub.steward_a)
    html = client.get(reverse("catalog-detail", args=[a_entry.pk])).content.decode()
    assert "各使用方调用情况" in html and "clerk_b1" in html
    client.force_login(hub.clerk_b1)  # a consumer sees the totals, not who else calls
    html = client.get(reverse("catalog-detail", args=[a_entry.pk])).content.decode()
    assert "各使用方调用情况" not in html


def test_monthly_figures_feed_the_command_center(hub, tree, a_entry):
    _calls(hub, tree, a_entry)
    month = month_of(timezone.localdate())
    figures = selectors.monthly_sharing_figures(start=month, end=next_month(month))
    assert figures[(tree.b1.pk, month)] == {"share_calls": 2, "share_refused": 0, "share_rows": 150}
    assert figures[(tree.a.pk, month)]["share_refused"] == 1
    assert figures[(tree.a.pk, month)]["share_served"] == 150  # rows A's entry served
    assert figures[(tree.r.pk, month)]["share_served"] == 7
    assert "sharing" in cc_catalog.FAMILIES and "share_calls" in cc_catalog.FIGURES
    cc_services.rollup_refresh(start=month, end=next_month(month))
    assert UnitMonth.objects.get(org_unit=tree.b1, month=month, key="share_calls").value == 2


def test_a_dataset_without_calls_has_no_figures(hub, tree):
    month = month_of(timezone.localdate())
    assert selectors.monthly_sharing_figures(start=month, end=next_month(month), unit_ids=[tree.b.pk]) == {}
    assert Dataset.objects.exists()


@pytest.fixture
def leader_a(tree):
    from datahub.roles import Role
    from tests.factories import UserFactory, grant

    return grant(UserFactory(username="leader_a", org_unit=tree.a), Role.LEADER, tree.a)


def test_a_leader_reads_the_calls_of_their_units_and_the_consumers_of_their_units_entries(hub, tree, a_entry, leader_a):
    """Read-only, for the command center's exchange figures: A's leader sees A1's call on the province's entry
    (A's units called it) and B1's calls on A's entry (A provides it); B's leader sees only B1's calls."""
    _calls(hub, tree, a_entry)
    seen = {(r["dataset_code"], r["caller_unit_id"]) for r in selectors.usage_rows_for(leader_a)}
    assert seen == {(hub.units.code, tree.a1.pk), (a_entry.code, tree.b1.pk), (a_entry.code, tree.a.pk)}
    called = selectors.usage_rows_for(leader_a, {"unit": str(tree.a.pk)})
    assert {(r["dataset_code"], r["calls"]) for r in called} == {(hub.units.code, 1), (a_entry.code, 1)}
    served = selectors.usage_rows_for(leader_a, {"provider": str(tree.a.pk)})
    assert sum(r["rows_total"] or 0 for r in served) == 150 and {r["dataset_code"] for r in served} == {a_entry.code}


def test_the_usage_page_opens_for_a_leader_narrowed_to_a_unit_and_names_it(client, hub, tree, a_entry, leader_a):
    _calls(hub, tree, a_entry)
    client.force_login(leader_a)
    html = client.get(reverse("catalog-usage"), {"unit": tree.a1.pk}).content.decode()
    assert "甲厅 › 甲厅办公室" in html and hub.units.code in html and "clerk_b1" not in html
    # B's calls: only those on the entries A provides.
    rows = client.get(reverse("catalog-usage"), {"unit": tree.b.pk}).context["page"]
    assert {r["dataset_code"] for r in rows} == {a_entry.code}
    response = client.get(reverse("catalog-usage"), {"unit": 99999999})
    assert list(response.context["page"]) == [] and "列表为空" in response.content.decode()
