"""Who sees which ticket, through pages and the API: requester, approver, handler, bureau administrator."""

import pytest
from django.urls import reverse

from portal import services
from portal.models import Ticket
from portal.workflow import Status

API = "/api/v1/portal/tickets/"


@pytest.fixture
def tickets(staff, tree, repair_ticket):
    from tests.factories import UserFactory

    clerk_a1_bis = UserFactory(username="clerk2_a1", org_unit=tree.a1)
    return {
        "mine": repair_ticket(),
        "colleague": repair_ticket(requester=clerk_a1_bis),
        "other_agency": repair_ticket(requester=staff.clerk_b1),
    }


def ids(response):
    return {t["id"] for t in response.json()["results"]}


def test_a_requester_sees_only_their_own_tickets(api, staff, tickets):
    assert ids(api(staff.clerk_a1).get(API)) == {tickets["mine"].pk}
    assert api(staff.clerk_a1).get(f"{API}{tickets['colleague'].pk}/").status_code == 404


def test_an_approver_sees_what_is_routed_to_them_and_nothing_of_b(api, staff, tickets):
    assert ids(api(staff.head_a1).get(API, {"box": "inbox"})) == {tickets["mine"].pk, tickets["colleague"].pk}
    assert api(staff.head_a1).get(f"{API}{tickets['other_agency'].pk}/").status_code == 404


def test_a_bureau_administrator_sees_every_ticket_in_their_subtree_only(api, staff, tickets):
    assert ids(api(staff.admin_a).get(API)) == {tickets["mine"].pk, tickets["colleague"].pk}
    assert ids(api(staff.admin_b).get(API)) == {tickets["other_agency"].pk}


def test_a_leader_on_the_root_sees_them_all(api, staff, tickets):
    assert ids(api(staff.leader).get(API)) == {t.pk for t in tickets.values()}


def test_a_handler_sees_approved_tickets_of_their_kind_in_their_subtree(api, staff, tickets):
    ticket = tickets["mine"]
    services.decide(actor=staff.head_a1, ticket=ticket, step_id=ticket.current_step_id, decision="approved")
    assert ids(api(staff.space_a).get(API, {"box": "handling"})) == {ticket.pk}
    assert ids(api(staff.asset_a).get(API, {"box": "handling"})) == set()


def test_the_admin_of_b_cannot_act_on_a_ticket_of_a(api, staff, tickets):
    ticket = tickets["mine"]
    response = api(staff.admin_b).post(
        f"{API}{ticket.pk}/decide/", {"step_id": ticket.current_step_id, "decision": "approved"}, format="json"
    )
    assert response.status_code == 404
    assert Ticket.objects.get(pk=ticket.pk).status == Status.IN_REVIEW


def test_ticket_page_of_another_requester_is_404(client, staff, tickets):
    client.force_login(staff.clerk_a1)
    assert client.get(reverse("portal:ticket", args=[tickets["colleague"].pk])).status_code == 404
    assert client.get(reverse("portal:ticket", args=[tickets["mine"].pk])).status_code == 200


def test_inbox_page_lists_only_the_approvers_work(client, staff, tickets):
    client.force_login(staff.head_a1)
    html = client.get(reverse("portal:inbox")).content.decode()
    assert f"#{tickets['mine'].pk}" in html and f"#{tickets['other_agency'].pk}" not in html


def test_anonymous_sees_nothing(api, client, tickets):
    assert api().get(API).status_code == 401
    assert client.get(reverse("portal:mine")).status_code == 302


@pytest.mark.parametrize("action", ["decide", "hand-on", "rate", "comment"])
def test_an_api_action_on_another_units_ticket_is_a_404_whatever_the_body(api, staff, tickets, action):
    # An empty body used to be refused (400) before the ticket was looked up.
    response = api(staff.admin_a).post(f"{API}{tickets['other_agency'].pk}/{action}/", {}, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize("action", ["decide", "rate"])
def test_a_page_action_on_another_units_ticket_is_a_404_whatever_the_form(client, staff, tickets, action):
    # An invalid form used to redirect to the ticket page before the ticket was looked up.
    client.force_login(staff.admin_a)
    response = client.post(reverse(f"portal:{action}", args=[tickets["other_agency"].pk]), {})
    assert response.status_code == 404
