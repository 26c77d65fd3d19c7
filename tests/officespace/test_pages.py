"""Office-space pages: scoping (A's space administrator never sees or changes B's rooms),
filters, exports, bad input shown on the form, and fixed query counts on the lists."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from datahub.rules import PostLevel
from officespace.models import Building, Occupancy, Room
from tests.factories import UserFactory
from tests.unit_paths import shown

from .conftest import START


def test_space_admin_of_a_sees_only_a_rooms_in_the_list(login, staff, room, b_room):
    room("甲501", 12)
    html = login(staff.space_a).get(reverse("officespace:room-list")).content.decode()
    assert "甲501" in html and "乙201" not in html


def test_space_admin_of_a_gets_404_on_b_room_and_building(login, staff, b_room):
    client = login(staff.space_a)
    assert client.get(reverse("officespace:room-detail", args=[b_room.pk])).status_code == 404
    assert client.get(reverse("officespace:building-detail", args=[b_room.building_id])).status_code == 404
    response = client.post(
        reverse("officespace:room-seat", args=[b_room.pk]),
        {"person": staff.clerk_a1.username, "start_date": "2026-01-05"},
    )
    assert response.status_code == 404
    assert not Occupancy.objects.exists()


def test_space_admin_of_a_cannot_edit_b_room(login, staff, b_room):
    response = login(staff.space_a).post(
        reverse("officespace:room-update", args=[b_room.pk]), {"number": "X", "use_area": "1", "category": "office"}
    )
    assert response.status_code == 404
    b_room.refresh_from_db()
    assert b_room.number == "乙201"


def test_civil_servant_cannot_open_the_ledger(login, staff):
    assert login(staff.clerk_a1).get(reverse("officespace:room-list")).status_code == 403


def test_building_form_shows_the_area_error_and_writes_nothing(login, staff, tree):
    data = {
        "code": "A-9",
        "name": "新楼",
        "address": "某路",
        "org_unit": tree.a.pk,
        "title_status": "registered",
        "structure": "frame",
        "building_area": "100",
        "use_area": "150",
        "is_active": "on",
    }
    response = login(staff.space_a).post(reverse("officespace:building-create"), data)
    assert response.status_code == 200
    assert "不能大于总建筑面积" in response.content.decode()
    assert not Building.objects.filter(code="A-9").exists()


def test_room_form_refuses_zero_area(login, staff, building, tree):
    url = reverse("officespace:room-create") + f"?floor={building.floor.pk}"
    response = login(staff.space_a).post(
        url, {"number": "509", "use_area": "0", "category": "office", "org_unit": tree.a1.pk, "is_active": "on"}
    )
    assert "面积必须大于0" in response.content.decode()
    assert not Room.objects.exists()


def test_seating_a_second_main_office_shows_the_reason(login, staff, room, seat):
    seat(room("501", 9), staff.clerk_a1)
    other = room("502", 9)
    client = login(staff.space_a)
    response = client.post(
        reverse("officespace:room-seat", args=[other.pk]),
        {"person": staff.clerk_a1.username, "start_date": "2026-02-01", "is_main": "on"},
        follow=True,
    )
    assert "一人只能有一处主办公室" in response.content.decode()
    assert Occupancy.objects.filter(person=staff.clerk_a1).count() == 1


def test_room_page_shows_occupants_standard_and_history(login, staff, room, seat, tree):
    chief = UserFactory(org_unit=tree.a1, name="王处长", post_level=PostLevel.DIVISION_PRINCIPAL)
    r = room("501", 24)
    seat(r, chief)
    html = login(staff.space_a).get(reverse("officespace:room-detail", args=[r.pk])).content.decode()
    assert "王处长" in html and "18.00" in html and "6.00" in html


def test_over_standard_report_lists_the_excess_and_exports(login, staff, room, seat, tree):
    chief = UserFactory(org_unit=tree.a1, name="王处长", post_level=PostLevel.DIVISION_PRINCIPAL)
    seat(room("501", 24), chief)
    seat(room("502", 9), staff.clerk_a1)
    client = login(staff.space_a)
    seat(room("503", 9), UserFactory(org_unit=tree.a1, name="李科员"))
    html = client.get(reverse("officespace:over-standard")).content.decode()
    assert "王处长" in html and "李科员" not in html
    export = client.get(reverse("officespace:over-standard"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    units = client.get(reverse("officespace:unit-report")).content.decode()
    assert "甲厅办公室" in units and "6.00" in units


def test_disclosure_list_shows_who_uses_which_office_to_the_units_staff(login, staff, room, seat, tree):
    chief = UserFactory(org_unit=tree.a1, name="王处长", post_level=PostLevel.DIVISION_PRINCIPAL)
    colleague = UserFactory(org_unit=tree.a1, name="李科员", post_level=PostLevel.CLERK)
    seat(room("501", 18), chief)
    seat(room("502", 9), colleague)
    html = login(staff.clerk_a1).get(reverse("officespace:disclosure")).content.decode()
    assert "<td>王处长</td>" in html and "<td>李科员</td>" in html
    assert "<td>18.00</td>" in html and "<td>9.00</td>" in html
    filing = login(staff.clerk_a1).get(reverse("officespace:leader-filing")).content.decode()
    assert "王处长" in filing and "李科员" not in filing
    export = login(staff.clerk_a1).get(reverse("officespace:disclosure"), {"export": "xlsx"})
    assert export.status_code == 200


def test_clerk_of_b_cannot_read_a_disclosure(login, staff, tree):
    assert login(staff.clerk_b1).get(reverse("officespace:disclosure"), {"unit": tree.a1.pk}).status_code == 404


def test_vacancy_list_offers_empty_offices(login, staff, room, seat):
    seat(room("501", 9), staff.clerk_a1)
    room("502", 12)
    html = login(staff.space_a).get(reverse("officespace:room-list"), {"vacant": "1"}).content.decode()
    assert "502" in html and ">501<" not in html


def test_statistics_and_standards_pages(login, staff, room, seat):
    seat(room("501", 9), staff.clerk_a1)
    room("502", 12)
    client = login(staff.space_a)
    stats = client.get(reverse("officespace:statistics")).content.decode()
    assert "50.0%" in stats  # percentages with one decimal (issue #19)
    standards = client.get(reverse("officespace:standards")).content.decode()
    assert "正厅（局）级" in standards and "一级巡视员" in standards


def test_handling_an_excess_from_the_page(login, staff, room, seat, tree):
    from officespace.models import Assessment

    chief = UserFactory(org_unit=tree.a1, post_level=PostLevel.DIVISION_PRINCIPAL)
    occ = seat(room("501", 24), chief)
    a = Assessment.objects.get(occupancy=occ)
    client = login(staff.space_a)
    bad = client.post(reverse("officespace:assessment-handle", args=[a.pk]), {"status": "fixed"})
    assert "请选择整改方式" in bad.content.decode()
    client.post(reverse("officespace:assessment-handle", args=[a.pk]), {"status": "in_progress", "remedy": "partition"})
    a.refresh_from_db()
    assert (a.status, a.remedy) == ("in_progress", "partition")


# Baselines with 30 rows on the page: session, user, grants (read roles), count, own unit (header),
# unread count, nav roles, units for the filter, the page (rooms with their occupant count in one
# subquery; results with person, unit, room and building joined); the building and
# room lists also ask whether the user may add or import (edit roles).
@pytest.mark.parametrize(("url_name", "queries"), [("room-list", 8), ("over-standard", 8), ("building-list", 8)])
def test_list_pages_use_a_fixed_number_of_queries(
    login, staff, building, seat, url_name, queries, django_assert_num_queries
):
    from officespace import services

    for i in range(30):
        r = services.create_room(
            actor=staff.space_a,
            floor=building.floor,
            number=f"R{i}",
            use_area=Decimal("12"),
            org_unit=staff.clerk_a1.org_unit,
        )
        seat(r, UserFactory(org_unit=staff.clerk_a1.org_unit), start_date=START)
    client = login(staff.space_a)
    client.get(reverse(f"officespace:{url_name}"))  # warm the session
    with django_assert_num_queries(queries):
        response = client.get(reverse(f"officespace:{url_name}"))
    assert response.status_code == 200
    body = response.content.decode()
    department = staff.clerk_a1.org_unit
    if url_name == "building-list":  # areas read with their unit and two decimals
        assert re.search(r"<td>\d{1,3}(,\d{3})*\.\d{2} m²</td>", body)
    else:  # the department named with its agency (read in the same queries)
        assert f"<td>{shown(department)}</td>" in body
    if url_name == "room-list":
        assert "<td>12.00</td>" in body  # the use area under 使用面积（m²）, never 12 or 12.0000


def test_a_person_is_seated_by_name_and_an_unknown_name_is_explained(login, staff, room):
    r = room("503", 12)
    client = login(staff.space_a)
    response = client.post(
        reverse("officespace:room-seat", args=[r.pk]), {"person": "没有这个人", "start_date": "2026-02-01"}, follow=True
    )
    assert "找不到“没有这个人”" in response.content.decode()
    client.post(
        reverse("officespace:room-seat", args=[r.pk]),
        {"person": staff.clerk_a1.name, "start_date": "2026-02-01", "is_main": "on"},
    )
    assert Occupancy.objects.filter(person=staff.clerk_a1, room=r).exists()


def test_the_repair_form_offers_only_the_requesters_own_rooms(login, staff, room, tree):
    from datahub.models import User
    from officespace import services as space

    mine = room("504", 12)
    root = User.objects.get(is_superuser=True)
    b_building = space.create_building(
        actor=root,
        code="B-1",
        name="乙厅楼",
        address="某路2号",
        org_unit=tree.b,
        building_area=Decimal("500"),
        use_area=Decimal("400"),
    )
    b_floor = space.create_floor(actor=root, building=b_building, number=1, use_area=Decimal("300"))
    theirs = space.create_room(
        actor=root, floor=b_floor, number="101", use_area=Decimal("12"), category="office", org_unit=tree.b
    )
    html = login(staff.clerk_a1).get(reverse("portal:new", args=["repair"])).content.decode()
    assert f'value="{mine.pk}"' in html and f'value="{theirs.pk}"' not in html


def test_new_room_without_a_numeric_floor_is_404_not_a_server_error(login, staff):
    assert login(staff.space_a).get(reverse("officespace:room-create") + "?floor=abc").status_code == 404


def test_standards_page_says_whether_a_rank_raises_the_standard(login, staff, settings):
    client = login(staff.space_a)
    assert "不提高面积标准" in client.get(reverse("officespace:standards")).content.decode()
    settings.OFFICESPACE_RANK_RAISES_STANDARD = True
    assert "取职务级别与职级二者中较高者" in client.get(reverse("officespace:standards")).content.decode()
