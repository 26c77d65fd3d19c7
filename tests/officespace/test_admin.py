"""The repair ledger in the admin site: a space administrator sees their own subtree's repairs only."""

from decimal import Decimal

from django.urls import reverse

from datahub.roles import Role
from portal import services
from tests.factories import UserFactory, grant
from tests.portal.conftest import REPAIR


def finish_repair(requester, head, handler, location):
    ticket = services.file_request(
        requester=requester, kind_code="repair", detail_fields={**REPAIR, "location": location}
    )
    services.decide(actor=head, ticket=ticket, step_id=ticket.current_step_id, decision="approved")
    services.start_handling(actor=handler, ticket=ticket)
    services.complete(actor=handler, ticket=ticket, outcome={"cost": Decimal("10"), "parts": "", "result": "修好"})


def test_space_administrator_sees_only_their_subtrees_repairs_in_the_admin(client, staff, tree):
    head_b1 = grant(UserFactory(org_unit=tree.b1), Role.APPROVER, tree.b1)
    space_b = grant(UserFactory(org_unit=tree.b), Role.SPACE_ADMIN, tree.b)
    finish_repair(staff.clerk_a1, staff.head_a1, staff.space_a, "甲楼101")
    finish_repair(staff.clerk_b1, head_b1, space_b, "乙楼202")
    client.force_login(staff.space_a)
    html = client.get(reverse("admin:officespace_repairrecord_changelist")).content.decode()
    assert "甲楼101" in html and "乙楼202" not in html
