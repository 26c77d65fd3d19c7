"""维修报修 picks, not types (issue #15): the room is picked — the requester's own office first, then the
rooms of the building they sit in, then the rest of their unit line's — the 报修地点 is derived from the
room, and the contact phone starts as the directory's."""

from decimal import Decimal

import pytest
from django.urls import reverse

from datahub import services as directory
from officespace import services
from portal.registry import detail_form, get

pytestmark = pytest.mark.django_db


def repair_form(requester, **data):
    fields = {"category": "air_conditioning", "description": "空调不制冷", "estimated_cost": "300", **data}
    return detail_form(get("repair"), requester, fields)


@pytest.fixture
def other_building(staff, tree):
    b = services.create_building(
        actor=staff.space_a,
        code="A-2",
        name="甲厅2号楼",
        address="杭州市某路2号",
        org_unit=tree.a,
        building_area=Decimal("800"),
        use_area=Decimal("600"),
    )
    return services.create_floor(actor=staff.space_a, building=b, number=1, use_area=Decimal("200"))


def test_own_office_first_then_its_buildings_rooms_then_the_rest(staff, room, seat, other_building):
    elsewhere = services.create_room(actor=staff.space_a, floor=other_building, number="101", use_area=Decimal("20"))
    neighbour = room("502", 12)
    mine = room("509", 12)
    seat(mine, staff.clerk_a1)
    offered = list(repair_form(staff.clerk_a1).fields["room"].queryset)
    assert offered.index(mine) < offered.index(neighbour) < offered.index(elsewhere)
    assert "（我的办公室）" in repair_form(staff.clerk_a1).fields["room"].label_from_instance(offered[0])


def test_location_is_derived_from_the_picked_room_not_typed(staff, room):
    r = room("501", 12)
    form = repair_form(staff.clerk_a1, room=r.pk, location="随便写的地点", contact_phone="13800000001")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["location"] == "甲厅1号楼 501室"


def test_location_follows_the_room_after_it_is_renumbered(staff, room):
    r = room("501", 12)
    services.update_room(actor=staff.space_a, room=r, number="601")
    form = repair_form(staff.clerk_a1, room=r.pk, contact_phone="13800000001")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["location"] == "甲厅1号楼 601室"


def test_a_place_that_is_not_a_room_is_typed_and_neither_is_refused(staff):
    typed = repair_form(staff.clerk_a1, location="1号楼东侧走廊", contact_phone="13800000001")
    assert typed.is_valid(), typed.errors
    assert typed.cleaned_data["location"] == "1号楼东侧走廊"
    neither = repair_form(staff.clerk_a1, contact_phone="13800000001")
    assert not neither.is_valid()
    assert "请选择房间" in neither.errors["location"][0]


def test_contact_phone_starts_as_the_directorys_and_follows_it(staff, tree):
    directory.update_user(actor=staff.admin_a, user=staff.clerk_a1, phone="13900000002")
    staff.clerk_a1.refresh_from_db()
    assert repair_form(staff.clerk_a1).initial["contact_phone"] == "13900000002"
    blank = repair_form(staff.clerk_a1, location="走廊", contact_phone="")
    assert blank.is_valid(), blank.errors
    assert blank.cleaned_data["contact_phone"] == "13900000002"
    directory.update_user(actor=staff.admin_a, user=staff.clerk_a1, phone="13900000003")
    staff.clerk_a1.refresh_from_db()
    assert repair_form(staff.clerk_a1).initial["contact_phone"] == "13900000003"


def test_no_phone_anywhere_is_refused_in_chinese(staff, tree):
    directory.update_user(actor=staff.admin_a, user=staff.clerk_a1, phone="")
    staff.clerk_a1.refresh_from_db()
    form = repair_form(staff.clerk_a1, location="走廊", contact_phone="")
    assert not form.is_valid()
    assert "人员名录中没有您的电话" in form.errors["contact_phone"][0]


def test_another_units_room_cannot_be_picked_form_or_page(client, staff, room):
    r = room("501", 12)
    form = repair_form(staff.clerk_b1, room=r.pk, contact_phone="13800000001")
    assert not form.is_valid() and "room" in form.errors
    client.force_login(staff.clerk_b1)
    page = client.get(reverse("portal:new", args=["repair"])).content.decode()
    assert "甲厅1号楼 501室" not in page
    client.force_login(staff.clerk_a1)
    assert "甲厅1号楼 501室" in client.get(reverse("portal:new", args=["repair"])).content.decode()
