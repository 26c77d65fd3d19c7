"""The ticket lists' rows written in one pass (portal.list_rows) and 待我审批 read by one compiled statement
(portal.inbox_page): people's text escaped in every cell, the labels in the reader's language, and the inbox's
rows, totals and pages the same as the queryset they stand for, the approver's own only."""

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from portal import inbox_page, selectors
from portal.models import Supervision, Ticket, TicketStep
from portal.workflow import Status
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MARKUP = "<script>alert(1)</script> & \"引号\" 'x'"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;引号&quot; &#x27;x&#x27;"


@pytest.fixture
def waiting(staff, tree, repair_ticket):
    """Six requests waiting at head_a1's step: four of clerk_a1 (one under 督办, one overdue with markup in its
    place, one a legacy row whose stored title carries markup), two of a requester whose name does; one of
    clerk_b1 elsewhere."""
    marked = UserFactory(username="marked", name="<i>李</i> & 王", org_unit=tree.a1)
    places = ["0号会议室", "<b>仓库</b> & 库房", "2号会议室", "3号会议室"]
    made = [repair_ticket(location=place) for place in places]
    made += [repair_ticket(requester=marked, location=f"{i}号车库") for i in range(2)]
    Ticket.objects.filter(pk=made[0].pk).update(title=MARKUP, title_key="", title_values={})
    Ticket.objects.filter(pk=made[1].pk).update(due_at=timezone.now() - timedelta(hours=1))
    watch = Supervision.objects.create(
        ticket=made[2], supervisor=staff.leader, note="快办", deadline=timezone.now() + timedelta(days=1)
    )
    watch.supervised.add(staff.clerk_a1, staff.head_a1)  # the mark is the reader's own
    elsewhere = repair_ticket(requester=staff.clerk_b1, location="乙")
    return made, elsewhere


def _row_of(html: str, pk: int) -> str:
    start = html.index(f"<td>#{pk}</td>")
    return html[html.rindex("<tr>", 0, start) : html.index("</tr>", start)]


def test_peoples_text_in_a_row_is_escaped_on_every_list(client, staff, waiting):
    made, _ = waiting
    TicketStep.objects.filter(pk=made[3].current_step_id).update(name="<b>审批</b> & 复核")
    client.force_login(staff.head_a1)
    inbox = client.get(reverse("portal:inbox")).content.decode()
    client.force_login(staff.clerk_a1)
    mine = client.get(reverse("portal:mine")).content.decode()
    for html in (inbox, mine):
        assert ESCAPED in _row_of(html, made[0].pk) and "<script>" not in html
        assert "&lt;b&gt;审批&lt;/b&gt; &amp; 复核" in _row_of(html, made[3].pk) and "<b>审批" not in html
    assert "&lt;i&gt;李&lt;/i&gt; &amp; 王" in _row_of(inbox, made[4].pk) and "<i>李" not in inbox


def test_a_row_shows_its_marks_and_links(client, staff, waiting):
    made, _ = waiting
    client.force_login(staff.head_a1)
    html = client.get(reverse("portal:inbox")).content.decode()
    overdue, supervised, plain = (_row_of(html, t.pk) for t in made[1:4])
    assert '<span class="overdue">' in overdue and '<span class="overdue">' not in plain
    assert 'class="tag supervised"' in supervised and 'class="tag supervised"' not in plain
    assert f'<a href="{reverse("portal:ticket", args=[made[3].pk])}">' in plain
    assert f'action="{reverse("portal:decide", args=[made[3].pk])}"' in plain
    assert f'name="step_id" value="{made[3].current_step_id}"' in plain
    assert '<span class="tag status-in_review">审批中</span>' in plain


def test_the_english_lists_show_the_rows_labels_in_english(client, staff, waiting):
    client.force_login(staff.head_a1)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for name in ("portal:inbox", "portal:mine"):
        html = client.get(reverse(name)).content.decode()
        assert "Under approval" in html and "审批中" not in html
    assert ">Approve</button>" in client.get(reverse("portal:inbox")).content.decode()


def _without(rows, *names):
    return [{k: v for k, v in row.items() if k not in names} for row in rows]


@pytest.mark.parametrize("filters", [{}, {"kind": "repair"}, {"kind": "nosuchkind"}])
def test_the_inbox_statement_reads_the_rows_and_total_the_queryset_reads(staff, waiting, filters):
    head = staff.head_a1
    tickets = selectors.approval_inbox(head, with_parts=False, **filters)
    expected = selectors.list_rows(selectors.with_supervised(tickets, head))
    assert len(expected) == (0 if filters.get("kind") == "nosuchkind" else 6)
    assert any(row["supervised"] for row in expected) or filters
    columns = (*selectors.ROW_COLUMNS, "unit_parent_name")
    # Pages of two asked without a kind (the statement's default), pages of four with the form's empty one.
    for limit, asked, offsets in ((2, {}, (0, 2, 4, 6)), (4, {"kind": ""}, (0, 4, 8))):
        for offset in offsets:
            total, rows = inbox_page.PAGE.page({"user": head.pk, **asked, **filters}, limit=limit, offset=offset)
            assert _without(rows, "unread") == expected[offset : offset + limit]
            assert [{k: row[k] for k in columns} for row in rows] == expected[offset : offset + limit]
            assert total == (tickets.count() if rows or offset == 0 else None)
            assert all(row["unread"] == selectors.unread_count(head) for row in rows)


def test_an_approver_reads_only_what_waits_for_them(staff, waiting):
    made, elsewhere = waiting
    assert inbox_page.PAGE.page({"user": staff.clerk_a1.pk}, limit=30, offset=0) == (0, [])
    _, rows = inbox_page.PAGE.page({"user": staff.head_a1.pk}, limit=30, offset=0)
    assert {row["pk"] for row in rows} == {t.pk for t in made}
    assert elsewhere.pk not in {row["pk"] for row in rows}


@pytest.mark.parametrize("asked", ["", "1", "2", "3", "4", "0", "-1", "abc", "2.0", "99999999999999999999999"])
def test_the_inbox_shows_the_same_page_as_over_the_queryset(staff, waiting, asked):
    head = staff.head_a1
    queryset = selectors.with_supervised(selectors.approval_inbox(head, with_parts=False), head)
    over_queryset = Paginator(queryset, 4).get_page(asked)
    over_statement = Paginator(inbox_page.inbox_page(head, size=4, page=asked), 4).get_page(asked)
    assert over_statement.number == over_queryset.number
    assert over_statement.paginator.count == over_queryset.paginator.count == 6
    assert [r["pk"] for r in over_statement.object_list] == [t.pk for t in over_queryset.object_list]


def test_an_inbox_page_is_one_statement_and_one_more_past_the_end(staff, waiting, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert Paginator(inbox_page.inbox_page(staff.head_a1, size=4, page="2"), 4).get_page("2").number == 2
    with django_assert_num_queries(3):  # the page asked (nothing), the total, the last page
        assert Paginator(inbox_page.inbox_page(staff.head_a1, size=4, page="9"), 4).get_page("9").number == 2


def test_the_inbox_pager_and_a_search(client, staff, waiting):
    made, elsewhere = waiting
    client.force_login(staff.head_a1)
    html = client.get(reverse("portal:inbox")).content.decode()
    assert all(f"<td>#{t.pk}</td>" in html for t in made) and f"<td>#{elsewhere.pk}</td>" not in html
    assert html.count('class="tag supervised"') == 1
    assert "&lt;b&gt;仓库&lt;/b&gt; &amp; 库房" in html and "<b>仓库" not in html
    last = client.get(reverse("portal:inbox"), {"page": "99"}).content.decode()
    assert "共 6 条" in last and last.count("<td>#") == 6  # one page of 30 holds them all
    found = client.get(reverse("portal:inbox"), {"q": "车库"}).content.decode()
    assert found.count("<td>#") == 2 and f"<td>#{made[4].pk}</td>" in found
    found = client.get(reverse("portal:inbox"), {"q": "仓库"}).content.decode()
    assert f"<td>#{made[1].pk}</td>" in found and "共 1 条" in found


def test_a_decided_request_leaves_the_inbox_at_once(client, staff, waiting):
    made, _ = waiting
    client.force_login(staff.head_a1)
    client.post(
        reverse("portal:decide", args=[made[3].pk]), {"step_id": made[3].current_step_id, "decision": "approved"}
    )
    assert Ticket.objects.get(pk=made[3].pk).status == Status.APPROVED
    html = client.get(reverse("portal:inbox")).content.decode()
    assert f"<td>#{made[3].pk}</td>" not in html and "共 5 条" in html
