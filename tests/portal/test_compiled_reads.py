"""The home page's two panels and the ticket page's ticket and steps read by statements compiled once per
process (portal.home, portal.statements over datahub.compiled, #17): the same instances and related rows as
the querysets they stand for, each reader's own only. The approval inbox's statement (portal.inbox_page) is
tested with its list's rows in test_list_rows.py."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from datahub.compiled import InstanceStatement
from portal import home, selectors, statements
from portal.models import Supervision, Ticket, TicketStep

from .conftest import REPAIR


@pytest.fixture
def inbox_of(staff, repair_ticket):
    """Five requests of clerk_a1 waiting for head_a1 (one with a < in its place, one under 督办 with the head
    supervised), two of clerk_b1 waiting for someone else: the home page's panels read them."""
    made = [repair_ticket(location=f"{i}号会议室") for i in range(3)]
    made.append(repair_ticket(location="<b>仓库</b> & 车库"))
    made.append(repair_ticket(location="督办的"))
    watch = Supervision.objects.create(
        ticket=made[-1], supervisor=staff.leader, note="快办", deadline=timezone.now() + timedelta(days=1)
    )
    watch.supervised.add(staff.head_a1)
    others = [repair_ticket(requester=staff.clerk_b1, location=f"乙{i}") for i in range(2)]
    return made, others


def _same_instances(read, expected, related):
    assert [t.pk for t in read] == [t.pk for t in expected]
    for got, want in zip(read, expected, strict=True):
        assert {f.attname: getattr(got, f.attname) for f in type(got)._meta.concrete_fields} == {
            f.attname: getattr(want, f.attname) for f in type(want)._meta.concrete_fields
        }
        for name in related:
            assert getattr(got, name) == getattr(want, name)


def test_the_home_panels_read_the_instances_their_querysets_read(staff, inbox_of, django_assert_num_queries):
    head, clerk = staff.head_a1, staff.clerk_a1
    expected = list(selectors.approval_inbox(head)[: home.ROWS])
    with django_assert_num_queries(2):  # the rows with their related rows, the steps' parts (none: no assignees)
        read = home.INBOX_ROWS.rows({"user": head.pk})
    _same_instances(read, expected, ("requester", "org_unit", "current_step", "handler", "unit_parent_name"))
    assert [list(t.current_step.parts.all()) for t in read] == [list(t.current_step.parts.all()) for t in expected]
    expected = list(selectors.my_open_requests(clerk)[: home.ROWS])
    read = home.MINE_ROWS.rows({"user": clerk.pk})
    _same_instances(read, expected, ("requester", "org_unit", "current_step", "handler"))
    with django_assert_num_queries(0):  # the current steps' assignees came with the rows
        assert [[u.pk for u in t.current_step.assignees.all()] for t in read] == [
            [u.pk for u in t.current_step.assignees.all()] for t in expected
        ]
    assert home.MINE_ROWS.rows({"user": staff.leader.pk}) == []


def test_the_ticket_and_its_steps_are_read_as_their_querysets_read_them(
    staff, repair_ticket, django_assert_num_queries
):
    ticket = repair_ticket()
    expected = Ticket.objects.select_related(*selectors.LIST_RELATED).get(pk=ticket.pk)
    read = statements.ticket(ticket.pk)
    _same_instances([read], [expected], ("requester", "org_unit", "current_step", "handler"))
    assert statements.ticket(str(ticket.pk)).pk == ticket.pk
    assert statements.ticket(ticket.pk + 1000) is None
    steps = statements.steps(read)
    _same_instances(steps, list(ticket.steps.all()), ("decided_by", "assigned_unit"))
    with django_assert_num_queries(0):  # the assignees prefetched, each step's ticket the one read
        assert all(step.ticket is read for step in steps)
        assert [u.pk for u in steps[0].assignees.all()] == [staff.head_a1.pk]
    entries = statements.timeline(read)
    _same_instances(entries, list(ticket.timeline.all()), ("actor",))
    with django_assert_num_queries(0):
        assert all(entry.ticket is read for entry in entries) and entries[0].actor == staff.clerk_a1


def test_who_may_not_see_a_ticket_still_gets_none(staff, repair_ticket):
    ticket = repair_ticket()
    assert selectors.ticket_for(staff.clerk_b1, ticket.pk) is None
    assert selectors.ticket_for(staff.clerk_a1, ticket.pk) == ticket


def test_an_instance_statement_whose_marker_the_orm_does_not_bind_is_refused():
    statement = InstanceStatement(TicketStep, lambda pk: TicketStep.objects.all()[:1], {"pk": -7})
    with pytest.raises(RuntimeError):
        statement.rows({"pk": 1})


def test_a_draft_on_the_home_page_is_the_requesters_to_finish(client, staff):
    from portal import services

    draft = services.file_request(requester=staff.clerk_a1, kind_code="repair", detail_fields=REPAIR, submit=False)
    client.force_login(staff.clerk_a1)
    panel = client.get(reverse("home")).content.decode().split('id="home-mine"')[1]
    assert f"#{draft.pk} " in panel and "本人（草稿）" in panel
