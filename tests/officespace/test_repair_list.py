"""维修台账 (the repair list): the repair requests of the units the reader oversees, open or finished, with the
cost of each finished one; filtered by unit (its subtree), status and period — a finished repair dated by
its completion, an open one by its submission — as the command center's repair figures count them."""

import io
from datetime import datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from officespace.models import RepairRecord
from officespace.selectors import repairs
from portal import services as portal
from portal.models import Ticket
from tests.factories import UserFactory

from .test_requests import REPAIR, approve_all

pytestmark = pytest.mark.django_db
URL = reverse("officespace:repairs")


def at(day: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(f"{day}T10:00"))


@pytest.fixture
def file_repair(staff):
    """A repair filed by ``requester`` on ``filed``; finished on ``done`` at ``cost`` when given."""

    def make(where, filed, done=None, cost="0", requester=None):
        ticket = portal.file_request(
            requester=requester or staff.clerk_a1, kind_code="repair", detail_fields={**REPAIR, "location": where}
        )
        Ticket.objects.filter(pk=ticket.pk).update(submitted_at=at(filed))
        if done:
            ticket = approve_all(ticket)
            portal.start_handling(actor=staff.space_a, ticket=ticket)
            portal.complete(actor=staff.space_a, ticket=ticket, outcome={"cost": Decimal(cost), "result": "修好"})
            RepairRecord.objects.filter(ticket=ticket).update(completed_at=at(done))
        return ticket

    return make


@pytest.fixture
def ledger(file_repair):
    return {
        "open_old": file_repair("501室 旧报修", "2025-12-20"),
        "open_new": file_repair("502室 新报修", "2026-03-02"),
        "done_march": file_repair("503室 三月修好", "2026-02-25", done="2026-03-05", cost="260"),
        "done_april": file_repair("504室 四月修好", "2026-03-30", done="2026-04-02", cost="90.50"),
    }


def rows(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return sorted(r.location for r in response.context["page"])


def test_open_repairs_are_those_filed_and_not_finished_whenever_filed(staff, ledger, login):
    assert rows(login(staff.space_a), status="open") == ["501室 旧报修", "502室 新报修"]


def test_a_period_reads_completion_for_finished_repairs_and_submission_for_open_ones(staff, ledger, login):
    client = login(staff.space_a)
    march = {"since": "2026-03-01", "until": "2026-03-31"}
    # 503 finished in March (filed in February); 504 filed in March but finished in April: not a March repair.
    assert rows(client, status="closed", **march) == ["503室 三月修好"]
    assert rows(client, status="open", **march) == ["502室 新报修"]
    assert rows(client, **march) == ["502室 新报修", "503室 三月修好"]


def test_the_finished_repairs_cost_is_shown_as_money(staff, ledger, login):
    page = login(staff.space_a).get(URL, {"status": "closed"}).content.decode()
    assert "260.00 元" in page and "90.50 元" in page


def test_unit_filter_takes_the_subtree_and_names_the_department_with_its_agency(staff, tree, ledger, login):
    client = login(staff.space_a)
    assert len(rows(client, unit=tree.a.pk)) == 4
    page = client.get(URL, {"unit": tree.a1.pk}).content.decode()
    assert "甲厅 › 甲厅办公室" in page


def test_another_agency_sees_none_of_them_and_a_foreign_unit_lists_nothing(staff, tree, ledger, login, space_b):
    assert rows(login(space_b)) == []
    client = login(staff.space_a)
    response = client.get(URL, {"unit": tree.b.pk})
    assert list(response.context["page"]) == [] and "列表为空" in response.content.decode()


def test_a_draft_is_not_a_repair_request_yet(staff, file_repair, login):
    portal.file_request(
        requester=staff.clerk_a1, kind_code="repair", detail_fields={**REPAIR, "location": "草稿"}, submit=False
    )
    assert rows(login(staff.space_a)) == []


def test_the_leader_reads_the_list_as_the_selector_gives_it(staff, tree, ledger, login):
    got = rows(login(staff.leader), unit=tree.a.pk, status="closed", since="2026-03-01", until="2026-04-30")
    want = repairs.repairs_for(staff.leader, unit=tree.a, status="closed", since=at("2026-03-01").date())
    assert got == sorted(r.location for r in want) == ["503室 三月修好", "504室 四月修好"]


def test_excel_export_lists_the_filtered_rows(staff, ledger, login, django_capture_on_commit_callbacks):
    client = login(staff.space_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(URL, {"status": "closed", "export": "xlsx"})
    assert response.status_code == 200
    raw = b"".join(response.streaming_content) if hasattr(response, "streaming_content") else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(raw)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["报修单位", "报修人", "报修地点"]
    assert sorted(v[2] for v in values[1:]) == ["503室 三月修好", "504室 四月修好"]
    assert {v[0] for v in values[1:]} == {"甲厅 › 甲厅办公室"}


def test_the_list_makes_the_same_queries_whatever_its_rows(staff, tree, file_repair, login, django_assert_num_queries):
    file_repair("601室", "2026-03-01", done="2026-03-02", cost="10")
    client = login(staff.space_a)
    client.get(URL)  # warm the session
    with django_assert_num_queries(QUERIES):
        client.get(URL, {"unit": tree.a.pk})
    other = UserFactory(org_unit=tree.a1)
    day = timezone.localdate() - timedelta(days=3)
    for i in range(6):
        file_repair(f"7{i}室", day.isoformat(), done=day.isoformat(), cost="5", requester=other)
    with django_assert_num_queries(QUERIES):
        page = client.get(URL, {"unit": tree.a.pk}).content.decode()
    assert page.count("5.00 元") == 6


QUERIES = 9
