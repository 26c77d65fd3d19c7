"""我的申请 and the API's ``?box=mine`` read by one compiled statement (portal.mine_page over datahub.compiled): the
same rows, totals and pages as the querysets they stand for, the requester's own requests only, the unread count
read fresh on every page."""

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from datahub.compiled import PagedStatement, PageStatement
from portal import mine_page, selectors, services
from portal.models import Notification, Supervision, Ticket
from portal.workflow import Status
from tests.sharing import shared_fixture

from .conftest import REPAIR

API = "/api/v1/portal/tickets/"


def build_requests_of(staff):
    """Seven requests of clerk_a1 (a draft, one under 督办 with the clerk supervised, one with a < in its place),
    two of clerk_b1. Built once per module (tests/sharing.py): the tests read them."""
    clerk = staff.clerk_a1

    def repair_ticket(requester=None, **overrides):  # conftest's repair_ticket, which is per test
        return services.file_request(
            requester=requester or clerk, kind_code="repair", detail_fields={**REPAIR, **overrides}
        )

    made = [repair_ticket(location=f"{i}号会议室") for i in range(4)]
    made.append(repair_ticket(location="<b>仓库</b> & 车库"))
    made.append(
        services.file_request(
            requester=clerk, kind_code="repair", detail_fields={**REPAIR, "location": "草稿"}, submit=False
        )
    )
    made.append(repair_ticket(location="督办的"))
    watch = Supervision.objects.create(
        ticket=made[-1], supervisor=staff.leader, note="快办", deadline=timezone.now() + timedelta(days=1)
    )
    watch.supervised.add(clerk)
    others = [repair_ticket(requester=staff.clerk_b1, location=f"乙{i}") for i in range(2)]
    return made, others


shared_requests_of, requests_of = shared_fixture("requests_of", build_requests_of)


def _without(rows, *names):
    return [{k: v for k, v in row.items() if k not in names} for row in rows]


@pytest.mark.parametrize(
    "filters",
    [{}, {"status": Status.IN_REVIEW}, {"kind": "repair"}, {"status": Status.DRAFT, "kind": "repair"}, {"status": "x"}],
)
def test_the_statement_reads_the_rows_and_total_the_queryset_reads(staff, requests_of, filters):
    clerk = staff.clerk_a1
    tickets = selectors.my_tickets(clerk, **filters)
    expected = list(selectors.with_supervised(tickets, clerk).values(*selectors.ROW_COLUMNS))
    assert any(row["supervised"] for row in expected) or filters
    for offset in (0, 3, 6, 9):
        total, rows = mine_page.PAGE.page({"user": clerk.pk, **filters}, limit=3, offset=offset)
        assert _without(rows, "unread") == expected[offset : offset + 3]
        assert total == (tickets.count() if rows or offset == 0 else None)
        assert all(row["unread"] == selectors.unread_count(clerk) for row in rows)


def test_a_requester_reads_only_their_own_requests(staff, requests_of):
    _, theirs = requests_of
    _, rows = mine_page.PAGE.page({"user": staff.clerk_b1.pk}, limit=30, offset=0)
    assert {row["pk"] for row in rows} == {t.pk for t in theirs}
    assert mine_page.PAGE.page({"user": staff.head_a1.pk}, limit=30, offset=0) == (0, [])


@pytest.mark.parametrize("asked", ["", "1", "2", "3", "4", "0", "-1", "abc", "2.0", "99999999999999999999999"])
def test_the_paginator_shows_the_same_page_as_over_the_queryset(staff, requests_of, asked):
    clerk = staff.clerk_a1
    over_queryset = Paginator(selectors.with_supervised(selectors.my_tickets(clerk), clerk), 3).get_page(asked)
    source = mine_page.my_requests_page(clerk, size=3, page=asked)
    over_statement = Paginator(source, 3).get_page(asked)
    assert over_statement.number == over_queryset.number
    assert over_statement.paginator.count == over_queryset.paginator.count == 7
    assert [r["pk"] for r in over_statement.object_list] == [t.pk for t in over_queryset.object_list]


def test_a_page_is_one_statement_and_one_more_past_the_end(staff, requests_of, django_assert_num_queries):
    clerk = staff.clerk_a1
    with django_assert_num_queries(1):
        assert Paginator(mine_page.my_requests_page(clerk, size=3, page="2"), 3).get_page("2").number == 2
    with django_assert_num_queries(3):  # the page asked (nothing), the total, the last page
        assert Paginator(mine_page.my_requests_page(clerk, size=3, page="9"), 3).get_page("9").number == 3


def test_the_top_bar_shows_the_unread_count_of_the_moment(client, staff, requests_of):
    clerk = staff.clerk_a1
    client.force_login(clerk)
    Notification.objects.create(user=clerk, key="t-1", message="一条通知")
    unread = selectors.unread_count(clerk)
    assert unread >= 1
    assert f'id="unread-count">{unread}<' in client.get(reverse("portal:mine")).content.decode()
    Notification.objects.filter(user=clerk).update(read_at=timezone.now())
    assert 'id="unread-count"' not in client.get(reverse("portal:mine")).content.decode()


def test_the_page_lists_the_requests_with_their_marks(client, staff, requests_of):
    mine, theirs = requests_of
    client.force_login(staff.clerk_a1)
    html = client.get(reverse("portal:mine")).content.decode()
    assert all(f">#{t.pk}<" in html for t in mine) and not any(f">#{t.pk}<" in html for t in theirs)
    assert html.count('class="tag supervised"') == 1
    assert "&lt;b&gt;仓库&lt;/b&gt; &amp; 车库" in html and "<b>仓库" not in html
    assert "共 7 条" in html


def test_a_search_still_reads_the_queryset(client, staff, requests_of):
    client.force_login(staff.clerk_a1)
    html = client.get(reverse("portal:mine"), {"q": "仓库"}).content.decode()
    assert f">#{requests_of[0][4].pk}<" in html and "共 1 条" in html


def test_a_marker_the_orm_does_not_bind_is_refused():
    statement = PageStatement(Ticket, lambda user: (Ticket.objects.all(), Ticket.objects.values("pk")), {"user": -7})
    with pytest.raises(RuntimeError):
        PagedStatement(statement, {"user": 1}, size=3).count()


def test_the_api_mine_list_is_one_statement_and_pages_as_before(api, staff, requests_of, django_assert_num_queries):
    client = api(staff.clerk_a1)
    with django_assert_num_queries(1):
        body = client.get(API, {"box": "mine", "page_size": 3, "page": 2}).json()
    expected = list(
        Ticket.objects.filter(requester=staff.clerk_a1).order_by("-created_at").values_list("pk", flat=True)
    )
    assert body["count"] == 7 and [r["id"] for r in body["results"]] == expected[3:6]
    assert "page=3" in body["next"] and "page_size=3" in body["previous"] and "page=1" not in body["previous"]
    assert client.get(API, {"box": "mine", "page": 9}).status_code == 404
    # A filter still goes through the filter set: an unknown status is a 400, a known one narrows the list.
    assert client.get(API, {"box": "mine", "status": "nonsense"}).status_code == 400
    drafts = client.get(API, {"box": "mine", "status": Status.DRAFT}).json()
    assert [r["id"] for r in drafts["results"]] == [requests_of[0][5].pk]
