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


def test_space_administrator_sees_only_their_subtrees_buildings_in_the_admin(client, staff, tree, building, b_room):
    client.force_login(staff.space_a)
    html = client.get(reverse("admin:officespace_building_changelist")).content.decode()
    assert "甲厅1号楼" in html and "乙厅大楼" not in html
    assert client.get(reverse("admin:officespace_building_change", args=[b_room.building_id])).status_code in (302, 404)


def test_admin_building_change_obeys_the_area_rule(client, staff, tree, building, room):
    room("501", 300)
    client.force_login(staff.space_a)
    b = building.building
    response = client.post(
        reverse("admin:officespace_building_change", args=[b.pk]),
        {
            "code": b.code,
            "name": b.name,
            "address": b.address,
            "org_unit": tree.a.pk,
            "title_status": "registered",
            "structure": "frame",
            "building_area": "2000",
            "use_area": "200",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "总使用面积不能小于它" in response.content.decode()
    b.refresh_from_db()
    assert b.use_area == Decimal("1500")


def test_space_administrator_cannot_edit_the_standard_but_bureau_admin_can(client, staff, people):
    from officespace.models import AreaStandard

    row = AreaStandard.objects.get(admin_class="provincial", grade="131")
    client.force_login(staff.space_a)
    assert client.get(reverse("admin:officespace_areastandard_change", args=[row.pk])).status_code in (200, 403)
    client.post(reverse("admin:officespace_areastandard_change", args=[row.pk]), {"label": "正处级", "area": "99"})
    row.refresh_from_db()
    assert row.area == Decimal("18")
    client.force_login(people.admin_a)
    client.post(reverse("admin:officespace_areastandard_change", args=[row.pk]), {"label": "正处级", "area": "20"})
    row.refresh_from_db()
    assert row.area == Decimal("20")
