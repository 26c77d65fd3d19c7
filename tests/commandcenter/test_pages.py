"""The command center's pages: who may open which unit (page, JSON and Excel alike), the leader's landing
after sign-in, the Excel brief, and a pinned query count that does not grow with the scope."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from commandcenter import services
from datahub.roles import Role
from portal.models import Ticket
from tests.factories import PASSWORD, OrgUnitFactory, UserFactory, department, grant
from tests.sharing import shared_fixture

VIEWS = ("commandcenter:unit", "commandcenter:unit-json", "commandcenter:unit-export")


def build_readers(people, tree):
    now = timezone.now()
    # A second city under the province, and a department-level leader in 甲厅办公室.
    c = OrgUnitFactory(code="C", name="丙市", parent=tree.r)
    c1 = department(c, code="C1", name="丙市办公室")
    for unit, n in ((tree.a1, 3), (tree.b1, 2), (c1, 1)):
        for i in range(n):
            Ticket.objects.create(
                kind="repair",
                title=f"报修{i}",
                requester=people.clerk_a1,
                org_unit=unit,
                status="submitted",
                submitted_at=now,
                due_at=now,
            )
    services.rollup_refresh(start=date(now.year, 1, 1), end=date(now.year + 1, 1, 1))
    c.refresh_from_db()
    return {
        "c": c,
        "c1": c1,
        "city_leader": grant(UserFactory(username="leader_c", org_unit=c), Role.LEADER, c),
        "dept_leader": grant(UserFactory(username="leader_a1", org_unit=tree.a1), Role.LEADER, tree.a1),
    }


shared_readers, readers = shared_fixture("readers", build_readers)


def get(client, user, name, unit, **params):
    client.force_login(user)
    return client.get(reverse(name, args=[unit.pk]), params)


@pytest.mark.parametrize("name", VIEWS)
def test_province_leader_opens_every_unit(client, people, tree, readers, name):
    for unit in (tree.r, tree.a, tree.b1, readers["c"]):
        assert get(client, people.leader, name, unit).status_code == 200


@pytest.mark.parametrize("name", VIEWS)
def test_city_leader_cannot_open_another_city_or_the_province(client, tree, readers, name):
    leader = readers["city_leader"]
    assert get(client, leader, name, readers["c"]).status_code == 200
    assert get(client, leader, name, readers["c1"]).status_code == 200
    for unit in (tree.r, tree.a, tree.b1):
        assert get(client, leader, name, unit).status_code == 404


@pytest.mark.parametrize("name", VIEWS)
def test_department_leader_sees_only_the_department(client, tree, readers, name):
    leader = readers["dept_leader"]
    assert get(client, leader, name, tree.a1).status_code == 200
    for unit in (tree.a, tree.r, tree.b1):
        assert get(client, leader, name, unit).status_code == 404


@pytest.mark.parametrize("name", VIEWS)
def test_civil_servant_is_refused(client, people, tree, name):
    assert get(client, people.clerk_a1, name, tree.a1).status_code == 403


def test_city_leaders_figures_are_the_citys_only(client, readers):
    data = get(client, readers["city_leader"], "commandcenter:unit-json", readers["c"]).json()
    filed = next(f for s in data["sections"] for f in s["figures"] if f["key"] == "tickets_filed")
    assert Decimal(filed["value"]) == 1
    assert [c["name"] for c in data["children"]] == ["丙市办公室"]


def test_province_page_shows_children_and_breadcrumb_drills_down(client, people, tree, readers):
    html = get(
        client, people.leader, "commandcenter:unit", tree.a, period=str(timezone.localdate().year)
    ).content.decode()
    assert reverse("commandcenter:unit", args=[tree.r.pk]) in html  # breadcrumb back up
    assert reverse("commandcenter:unit", args=[tree.a1.pk]) in html  # drill down
    assert 'id="cc-chart-data"' in html
    assert "甲厅办公室" in html


def test_breadcrumb_stops_at_the_leaders_own_unit(client, readers):
    html = get(client, readers["city_leader"], "commandcenter:unit", readers["c1"]).content.decode()
    assert "浙江省" not in html.split('<nav class="breadcrumb"')[1].split("</nav>")[0]


def test_index_sends_a_leader_to_the_granted_unit(client, people, tree):
    client.force_login(people.leader)
    response = client.get(reverse("commandcenter:index"))
    assert response.status_code == 302
    assert response.url == reverse("commandcenter:unit", args=[tree.r.pk])


def test_leader_lands_on_the_command_center_after_sign_in(client, people):
    response = client.post(reverse("login"), {"username": "leader", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("commandcenter:index")


def test_bureau_administrator_lands_on_the_command_center_too(client, people):
    response = client.post(reverse("login"), {"username": "admin_a", "password": PASSWORD})
    assert response.url == reverse("commandcenter:index")


def test_others_keep_the_home_page_after_sign_in(client, people):
    response = client.post(reverse("login"), {"username": "clerk_a1", "password": PASSWORD})
    assert response.url == reverse("home")


def test_excel_brief_holds_the_figures_of_the_unit_and_period(client, people, tree, readers):
    year = timezone.localdate().year
    response = get(client, people.leader, "commandcenter:unit-export", tree.r, period=str(year))
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("领域", "指标", "计量单位", f"{year}年", f"{year - 1}年")
    filed = next(r for r in rows if r[1] == "受理申请")
    assert (filed[0], filed[3]) == ("政务服务", 6)
    assert any(r and r[0] == "丙市" for r in rows)  # the child ranking follows


def test_excel_brief_in_english_for_an_english_reader(client, people, tree, readers, settings):
    year = timezone.localdate().year
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = get(client, people.leader, "commandcenter:unit-export", tree.r, period=str(year))
    assert "command_center_" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == ("Domain", "Indicator", "Unit of measure", str(year), str(year - 1), "Year on year (%)",
                       "Target", "Peer percentile")  # fmt: skip
    ranking = next(r for r in rows if r and r[0] == "Sub-units")
    assert ranking[-1] == "Energy progress"


@pytest.mark.parametrize("scope", ["r", "a", "a1"])
def test_page_query_count_is_the_same_at_every_scope(client, people, tree, readers, scope, django_assert_num_queries):
    client.force_login(people.leader)
    url = reverse("commandcenter:unit", args=[getattr(tree, scope).pk])
    client.get(url)  # warm the session
    # session, user, grants, unit, energy targets, roll-up (subtree; children and peers in one), the children
    # and peers, breadcrumb,
    # overdue requests (with the portal's own grant lookup), the counts as of today (fleet 5: rules in force,
    # the fleet by category, quotas with their changes, expired licences, papers running out; office space 5: rooms,
    # cases, take-back, open repairs and a grant lookup), and the base template (roles, unread count…)
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200


# 18 before the subtree sums (−1) and the once-a-minute session renewal (−3); +11 for the fleet and office-space
# counts as of today (commandcenter.snapshot.counts), +12 for the energy, assets, stocktake and data-hub ones
# (commandcenter.snapshot: quota lights 4, energy reports 3, cards 1, stocktakes 2, data hub 2); −4 since the
# person's grants are read once per request (datahub.scoping.role_grants).
QUERIES = 33


@pytest.mark.parametrize("key", ["tickets_filed", "tickets_done", "tickets_overdue"])
def test_service_figure_opens_the_request_list_of_its_unit_and_period(client, people, tree, readers, key):
    """The figure's link lists exactly what it counts: the province leader, on 甲厅 this year."""
    now = timezone.now()
    Ticket.objects.create(
        kind="repair",
        title="已办结",
        requester=people.clerk_a1,
        org_unit=tree.a1,
        status="done",
        submitted_at=now - timedelta(hours=5),
        due_at=now,
        closed_at=now - timedelta(hours=1),
    )
    Ticket.objects.create(  # another city's request: counted for 乙, never listed from 甲
        kind="repair",
        title="乙",
        requester=people.clerk_a1,
        org_unit=tree.b1,
        status="submitted",
        submitted_at=now,
        due_at=now - timedelta(hours=1),
    )
    services.rollup_refresh(start=date(now.year, 1, 1), end=date(now.year + 1, 1, 1))
    figures = get(client, people.leader, "commandcenter:unit-json", tree.a, period=str(now.year)).json()
    figure = next(f for s in figures["sections"] for f in s["figures"] if f["key"] == key)
    assert f"unit={tree.a.pk}" in figure["url"]
    listed = client.get(figure["url"])
    assert listed.status_code == 200
    assert listed.context["page"].paginator.count == int(Decimal(figure["value"])) > 0


def test_page_is_readable_without_javascript(client, people, tree, readers):
    """The figures, comparisons and the ranking are in the HTML the server sends; the charts only add to it."""
    html = get(client, people.leader, "commandcenter:unit", tree.r, period=str(timezone.localdate().year))
    html = html.content.decode()
    filed = html.split('data-figure="tickets_filed"')[1].split("</a>")[0]
    assert '<span class="kpi-value">6 <small>件</small></span>' in filed
    assert "去年同期" in filed
    ranking = html.split('<table class="ranking"')[1].split("</table>")[0]
    assert "甲厅" in ranking and 'data-value="3' in ranking  # 甲厅's requests, a number a script can sort on


def test_numbers_are_formatted_for_people():
    from commandcenter.dashboard import fmt

    assert fmt(Decimal("1234567.891"), 2) == "1,234,567.89"
    assert fmt(Decimal("98765"), 0) == "98,765"
    assert fmt(None, 2) == "—"
