"""A request's page is found for exactly the people visible_tickets lets see it, whichever way they see it."""

from datahub.models import OrgUnit, User
from datahub.roles import Role
from portal import selectors
from tests.factories import UserFactory, grant


def _agrees(user, ticket) -> bool:
    found = selectors.ticket_for(user, ticket.pk)
    listed = selectors.visible_tickets(user).filter(pk=ticket.pk).exists()
    assert (found is not None) == listed, user
    return listed


def test_the_requester_the_overseers_and_the_approver_find_it_and_the_other_agency_does_not(staff, tree, repair_ticket):
    ticket = repair_ticket()
    assert _agrees(staff.clerk_a1, ticket)  # the requester
    assert _agrees(staff.admin_a, ticket)  # the bureau administrator over 甲厅
    assert _agrees(staff.leader, ticket)  # the leader over the province
    assert _agrees(staff.head_a1, ticket)  # the approver of the first step (the full filter)
    assert not _agrees(staff.admin_b, ticket)  # 乙厅's administrator
    assert not _agrees(staff.clerk_b1, ticket)
    assert selectors.ticket_for(staff.admin_a, ticket.pk).requester == staff.clerk_a1


def test_a_grant_on_a_closed_unit_or_a_deactivated_account_finds_nothing(staff, tree, repair_ticket):
    ticket = repair_ticket()
    overseer = grant(UserFactory(org_unit=tree.a), Role.BUREAU_ADMIN, tree.a1)
    assert _agrees(overseer, ticket)
    OrgUnit.objects.filter(pk=tree.a1.pk).update(is_active=False)
    overseer = User.objects.get(pk=overseer.pk)  # a new request reads the grants afresh
    assert not _agrees(overseer, ticket)
    User.objects.filter(pk=staff.clerk_a1.pk).update(is_active=False)
    assert selectors.ticket_for(User.objects.get(pk=staff.clerk_a1.pk), ticket.pk) is None


def test_an_unknown_number_finds_nothing(staff):
    assert selectors.ticket_for(staff.admin_a, 987654321) is None
