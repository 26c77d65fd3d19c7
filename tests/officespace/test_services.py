"""The ledger's rules and the over-standard check, as the regulation states them."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from datahub.rules import PostLevel, Rank
from officespace import check, services
from officespace.models import Assessment, Building, Occupancy, Room, UnitClass
from tests.factories import UserFactory

from .conftest import START, assessment_of


def division_chief(unit, **kw):
    return UserFactory(org_unit=unit, post_level=PostLevel.DIVISION_PRINCIPAL, rank=Rank.RESEARCHER_2, **kw)


def clerk(unit, **kw):
    return UserFactory(org_unit=unit, post_level=PostLevel.CLERK, rank=Rank.STAFF_1, **kw)


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("area", ["0", "-5"])
def test_zero_or_negative_room_area_is_refused_and_nothing_written(staff, building, area):
    with pytest.raises(ValidationError) as err:
        services.create_room(actor=staff.space_a, floor=building.floor, number="501", use_area=Decimal(area))
    assert "面积必须大于0" in str(err.value.message_dict["use_area"])
    assert not Room.objects.exists()


def test_room_larger_than_what_is_left_of_its_floor_is_refused(staff, building, room):
    room("501", 300)
    with pytest.raises(ValidationError) as err:
        room("502", 150)
    assert "超过该层使用面积400" in err.value.message_dict["use_area"][0]
    assert Room.objects.count() == 1


def test_rooms_may_not_exceed_the_building_use_area(staff, building):
    top = services.create_floor(actor=staff.space_a, building=building.building, number=6)
    services.create_room(actor=staff.space_a, floor=top, number="601", use_area=Decimal("1400"))
    with pytest.raises(ValidationError) as err:
        services.create_room(actor=staff.space_a, floor=top, number="602", use_area=Decimal("200"))
    assert "超过楼宇总使用面积1500" in err.value.message_dict["use_area"][0]


def test_building_use_area_above_building_area_is_refused(staff, tree):
    with pytest.raises(ValidationError) as err:
        services.create_building(
            actor=staff.space_a,
            code="X",
            name="X楼",
            address="某路",
            org_unit=tree.a,
            building_area=Decimal("100"),
            use_area=Decimal("120"),
        )
    assert "不能大于总建筑面积" in err.value.message_dict["use_area"][0]
    assert not Building.objects.filter(code="X").exists()


def test_filed_title_needs_a_reason(staff, tree):
    with pytest.raises(ValidationError) as err:
        services.create_building(
            actor=staff.space_a,
            code="X",
            name="X楼",
            address="某路",
            org_unit=tree.a,
            title_status=Building.Title.FILED,
            building_area=Decimal("100"),
            use_area=Decimal("80"),
        )
    assert "title_reason" in err.value.message_dict


def test_a_person_cannot_have_two_main_offices(staff, tree, room, seat):
    person = clerk(tree.a1)
    seat(room("501", 9), person)
    with pytest.raises(ValidationError) as err:
        seat(room("502", 9), person)
    assert "一人只能有一处主办公室" in err.value.message_dict["person"][0]
    assert Occupancy.objects.filter(person=person).count() == 1


def test_space_admin_of_b_cannot_build_or_seat_in_a(staff, tree, room):
    from datahub.roles import Role
    from tests.factories import grant

    space_b = grant(UserFactory(org_unit=tree.b), Role.SPACE_ADMIN, tree.b)
    r = room("501", 9)
    with pytest.raises(PermissionDenied):
        services.assign_occupancy(actor=space_b, room=r, person=clerk(tree.a1), start_date=START)
    with pytest.raises(PermissionDenied):
        services.create_room(actor=space_b, floor=r.floor, number="509", use_area=Decimal("9"))


# --- the over-standard check ------------------------------------------------------------------


def test_room_over_standard_for_division_chief(staff, tree, room, seat):
    # 省级 正处级: 18 m². A 24 m² single office is 6 m² over.
    a = assessment_of(seat(room("501", 24), division_chief(tree.a1)))
    assert (a.standard, a.share, a.excess, a.is_over, a.is_leader) == (
        Decimal("18.00"),
        Decimal("24.00"),
        Decimal("6.00"),
        True,
        True,
    )
    assert a.status == Assessment.Status.OPEN


def test_room_within_standard_for_a_clerk(staff, tree, room, seat):
    a = assessment_of(seat(room("501", 9), clerk(tree.a1)))
    assert (a.standard, a.excess, a.is_over) == (Decimal("9.00"), Decimal("0.00"), False)


def test_shared_room_compares_each_share_with_the_standard(staff, tree, room, seat):
    r = room("501", 20)
    first = seat(r, clerk(tree.a1))
    assert assessment_of(first).is_over  # 20 m² for one 科员
    second = seat(r, clerk(tree.a1))
    for occ in (first, second):
        a = assessment_of(occ)
        assert (a.share, a.occupants, a.excess) == (Decimal("10.00"), 2, Decimal("1.00"))
    # 合并 fixed... not quite: a third person brings each share under 9.
    third = seat(r, clerk(tree.a1))
    a = assessment_of(first)
    assert not a.is_over and a.status == Assessment.Status.FIXED
    assert assessment_of(third).share == Decimal("6.67")


def test_mixed_rank_room_compares_the_area_with_the_sum_of_standards(staff, tree, room, seat):
    r = room("501", 36)
    chief = seat(r, division_chief(tree.a1))  # 18
    staff_member = seat(r, clerk(tree.a1))  # 9
    a, b = assessment_of(chief), assessment_of(staff_member)
    assert a.share == b.share == Decimal("18.00")
    assert (a.excess, b.excess) == (Decimal("6.00"), Decimal("3.00"))


def test_mixed_rank_room_within_the_sum_is_not_over(staff, tree, room, seat):
    r = room("501", 27)
    a = assessment_of(seat(r, division_chief(tree.a1)))
    b = assessment_of(seat(r, clerk(tree.a1)))
    a.refresh_from_db()
    assert not a.is_over and not b.is_over


def test_unit_class_override_changes_the_standard(staff, tree, room, seat, people):
    # Declared a 县级 unit: 正处 = 县级正职 30 m², so 24 m² is within.
    UnitClass.objects.create(org_unit=tree.a, admin_class="county")
    a = assessment_of(seat(room("501", 24), division_chief(tree.a1)))
    assert (a.admin_class, a.standard, a.is_over) == ("county", Decimal("30.00"), False)


def test_ended_occupancy_closes_its_assessment_and_marks_the_excess_fixed(
    staff, tree, room, seat, django_capture_on_commit_callbacks
):
    occ = seat(room("501", 24), division_chief(tree.a1))
    with django_capture_on_commit_callbacks(execute=True):
        services.end_occupancy(actor=staff.space_a, occupancy=occ, end_date=date(2026, 3, 1))
    a = assessment_of(occ)
    assert not a.is_current and a.status == Assessment.Status.FIXED


def test_full_check_is_idempotent_and_keeps_handling_status(staff, tree, room, seat):
    occ = seat(room("501", 24), division_chief(tree.a1))
    services.handle_assessment(
        actor=staff.space_a, assessment=assessment_of(occ), status="in_progress", remedy="partition"
    )
    first = check.run_check()
    again = check.run_check()
    assert first["over"] == again["over"] == 1
    assert again["created"] == again["updated"] == 0
    a = assessment_of(occ)
    assert (a.status, a.remedy) == ("in_progress", "partition")


@pytest.mark.parametrize("rooms", [2, 12])
def test_check_uses_a_fixed_number_of_queries(staff, tree, room, seat, rooms, django_assert_max_num_queries):
    for i in range(rooms):
        seat(room(f"5{i:02d}", 12), clerk(tree.a1))
    check.run_check()
    # standards, mapping, unit classes, occupancies, results, closing (3), roll-up (3), and on
    # PostgreSQL the advisory lock: whatever the rooms.
    with django_assert_max_num_queries(14):
        check.run_check()


def test_filing_an_excess_needs_a_reason_and_an_attachment(staff, tree, room, seat):
    a = assessment_of(seat(room("501", 24), division_chief(tree.a1)))
    with pytest.raises(ValidationError) as err:
        services.handle_assessment(actor=staff.space_a, assessment=a, status="filed")
    assert set(err.value.message_dict) == {"reason", "attachment"}
    a.refresh_from_db()
    assert a.status == Assessment.Status.OPEN


def test_a_filing_attachment_is_checked_by_content(staff, tree, room, seat, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.badfiles import EXE

    settings.MEDIA_ROOT = tmp_path
    a = assessment_of(seat(room("501", 24), division_chief(tree.a1)))
    fake = SimpleUploadedFile("批复.pdf", EXE, content_type="application/pdf")
    with pytest.raises(ValidationError) as err:
        services.handle_assessment(actor=staff.space_a, assessment=a, status="filed", reason="经批准", attachment=fake)
    assert "内容不是PDF文档" in err.value.message_dict["attachment"][0]
    a.refresh_from_db()
    assert a.status == Assessment.Status.OPEN and not a.attachment


# --- second office and leavers ------------------------------------------------------------------


def test_second_office_needs_an_approved_request(staff, tree, room, seat):
    person = division_chief(tree.a1)
    seat(room("501", 18), person)
    with pytest.raises(ValidationError) as err:
        seat(room("502", 9), person, is_main=False)
    assert "第二办公室须经批准" in err.value.message_dict["approval_ticket"][0]


def test_leaver_is_flagged_one_month_after_transfer(staff, tree, room, seat):
    occ = seat(room("501", 9), clerk(tree.a1))
    services.occupancy_post_end_from_directory(person=occ.person, reason="transfer", last_day=date(2026, 2, 10))
    check.run_check(today=date(2026, 3, 10))
    assert assessment_of(occ).flag == ""
    check.run_check(today=date(2026, 3, 11))
    a = assessment_of(occ)
    assert (a.flag, a.return_due) == (Assessment.Flag.LEAVER_RETURN_DUE, date(2026, 3, 10))


def test_deactivated_person_still_seated_is_flagged(staff, tree, room, seat):
    person = clerk(tree.a1)
    occ = seat(room("501", 9), person)
    person.is_active = False
    person.save()
    check.run_check()
    assert assessment_of(occ).flag == Assessment.Flag.LEAVER_RETURN_DUE


# --- standards as data ------------------------------------------------------------------------


def test_only_bureau_admin_edits_the_standard_and_township_is_capped(staff, people):
    from officespace.models import AreaStandard

    row = AreaStandard.objects.get(admin_class="township", grade="141")
    with pytest.raises(PermissionDenied):
        services.area_standard_update(actor=staff.space_a, row=row, area=Decimal("20"))
    with pytest.raises(ValidationError) as err:
        services.area_standard_update(actor=people.admin_a, row=row, area=Decimal("30"))
    assert "不超过县级副职" in err.value.message_dict["area"][0]
    services.area_standard_update(actor=people.admin_a, row=row, area=Decimal("20"))
    row.refresh_from_db()
    assert row.area == Decimal("20.00")


def test_the_database_itself_refuses_a_second_current_main_office(staff, tree, room, seat):
    from django.db import IntegrityError, transaction

    person = clerk(tree.a1)
    seat(room("501", 9), person)
    other = room("502", 9)
    with pytest.raises(IntegrityError), transaction.atomic():
        Occupancy.objects.create(room=other, person=person, start_date=START)


def test_an_occupied_office_cannot_become_a_meeting_room(staff, tree, room, seat):
    r = room("501", 30)
    seat(r, clerk(tree.a1))
    with pytest.raises(ValidationError) as err:
        services.update_room(actor=staff.space_a, room=r, category="service", subtype="meeting")
    assert "仍有人使用" in err.value.message_dict["category"][0]
    r.refresh_from_db()
    assert r.category == "office"


def test_occupancy_cannot_end_before_it_starts(staff, tree, room, seat):
    occ = seat(room("501", 9), clerk(tree.a1))
    with pytest.raises(ValidationError) as err:
        services.end_occupancy(actor=staff.space_a, occupancy=occ, end_date=date(2025, 1, 1))
    assert "不能早于起始日期" in err.value.message_dict["end_date"][0]
    occ.refresh_from_db()
    assert occ.end_date is None
