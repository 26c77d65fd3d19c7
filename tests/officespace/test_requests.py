"""The two office-space request kinds on the portal's engine: 维修报修 (with the room's repair
history and the 大中修 approval step) and 用房调整申请 (second office, supply order, no leasing out)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from datahub import services as directory
from datahub.roles import Role
from officespace import selectors
from officespace.models import AdjustmentRecord, Assessment, Occupancy, RepairRecord
from portal import services as portal
from portal.models import Ticket
from portal.workflow import Status
from tests.factories import SidePostFactory, UserFactory, grant

REPAIR = {
    "location": "甲厅1号楼 501室",
    "category": "air_conditioning",
    "description": "空调不制冷",
    "estimated_cost": Decimal("300"),
    "contact_phone": "13800000001",
}


def approve_all(ticket):
    """Approve every step in turn, each by one of its assignees."""
    ticket.refresh_from_db()
    while ticket.status == Status.IN_REVIEW:
        step = ticket.current_step
        for part in step.parts.all() or [None]:
            signer = part.assignees.first() if part else step.assignees.first()
            ticket = portal.decide(
                actor=signer,
                ticket=ticket,
                step_id=step.pk,
                decision="approved",
                comment="同意",
                part_id=part.pk if part else None,
            )
        ticket.refresh_from_db()
    return ticket


@pytest.fixture
def bureau_a(staff, tree):
    return grant(UserFactory(username="bureau_a", org_unit=tree.a), Role.BUREAU_ADMIN, tree.a)


def test_repair_of_a_room_lands_in_that_rooms_repair_history(staff, room):
    r = room("501", 12)
    ticket = portal.file_request(requester=staff.clerk_a1, kind_code="repair", detail_fields={**REPAIR, "room": r})
    assert [s.name for s in ticket.steps.all()] == ["处室负责人审批"]
    ticket = approve_all(ticket)
    portal.start_handling(actor=staff.space_a, ticket=ticket)
    portal.complete(actor=staff.space_a, ticket=ticket, outcome={"cost": Decimal("260"), "result": "加氟", "parts": ""})
    history = list(selectors.repair_history(r))
    assert [(h.cost, h.result, h.ticket_id) for h in history] == [(Decimal("260.00"), "加氟", ticket.pk)]


def test_major_repair_is_countersigned_by_space_admin_asset_admin_and_bureau(staff, room, bureau_a):
    ticket = portal.file_request(
        requester=staff.clerk_a1,
        kind_code="repair",
        detail_fields={**REPAIR, "room": room("501", 12), "is_major": True},
    )
    assert [s.name for s in ticket.steps.order_by("index")] == ["处室负责人审批", "大中修会签"]
    countersign = ticket.steps.get(index=2)
    assert [(p.name, [u.username for u in p.assignees.all()]) for p in countersign.parts.order_by("index")] == [
        ("房产管理员", ["space_a"]),
        ("资产财务（资产管理员）", ["asset_a"]),
        ("机关事务管理局", ["admin_a", "bureau_a"]),
    ]
    assert ticket.title.startswith("维修报修：大中修")
    ticket = approve_all(ticket)
    assert ticket.status == Status.APPROVED
    portal.start_handling(actor=staff.space_a, ticket=ticket)
    portal.complete(actor=staff.space_a, ticket=ticket, outcome={"cost": Decimal("80000"), "result": "屋面翻修"})
    assert RepairRecord.objects.get(ticket=ticket).is_major


def test_a_room_of_another_agency_cannot_be_reported(staff, b_room):
    with pytest.raises(ValidationError) as err:
        portal.file_request(requester=staff.clerk_a1, kind_code="repair", detail_fields={**REPAIR, "room": b_room})
    assert "只能报修本单位使用的房间" in err.value.message_dict["room"][0]
    assert not Ticket.objects.exists()


def second_office_fields(person, post=None):
    """A second-office request for ``person``'s 兼职 post as the directory holds it."""
    return {
        "purpose": "second_office",
        "requested_area": Decimal("12"),
        "headcount": 1,
        "reason": "兼任乙厅下属中心主任，每周到岗三天",
        "side_post": post or SidePostFactory(person=person, title="某中心主任"),
    }


def test_second_office_through_the_engine_seats_the_requester_with_the_approval(staff, tree, room, seat, bureau_a):
    from datahub.rules import PostLevel

    chief = UserFactory(org_unit=tree.a1, post_level=PostLevel.DIVISION_PRINCIPAL, name="兼职处长")
    seat(room("501", 18), chief)
    small = room("502", 9)
    ticket = portal.file_request(
        requester=chief, kind_code="space_adjustment", detail_fields=second_office_fields(chief)
    )
    assert [s.role for s in ticket.steps.order_by("index")] == ["approver", "space_admin", "bureau_admin"]
    ticket = approve_all(ticket)
    portal.start_handling(actor=staff.space_a, ticket=ticket)
    portal.complete(
        actor=staff.space_a, ticket=ticket, outcome={"supply": "reallocate", "room": small, "result": "调剂502室"}
    )
    second = Occupancy.objects.get(person=chief, is_main=False)
    assert second.approval_ticket_id == ticket.pk and second.room == small
    assert AdjustmentRecord.objects.get(ticket=ticket).supply == "reallocate"


def test_second_office_not_smaller_than_the_standard_is_refused_and_the_ticket_stays_open(
    staff, tree, room, seat, bureau_a
):
    from datahub.rules import PostLevel

    chief = UserFactory(org_unit=tree.a1, post_level=PostLevel.DIVISION_PRINCIPAL)
    seat(room("501", 18), chief)
    big = room("502", 18)
    ticket = approve_all(
        portal.file_request(requester=chief, kind_code="space_adjustment", detail_fields=second_office_fields(chief))
    )
    portal.start_handling(actor=staff.space_a, ticket=ticket)
    with pytest.raises(ValidationError) as err:
        portal.complete(
            actor=staff.space_a, ticket=ticket, outcome={"supply": "reallocate", "room": big, "result": "x"}
        )
    assert "第二办公室应小于本人标准" in err.value.message_dict["room"][0]
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    assert not Occupancy.objects.filter(is_main=False).exists()


def test_second_office_is_flagged_two_months_after_the_directory_ends_the_side_post(staff, tree, room, seat, bureau_a):
    """兼职结束 is a directory change (the person's page), not a typed form in office space."""
    from datetime import date

    from officespace import check

    person = UserFactory(org_unit=tree.a1, post_level="131")
    post = SidePostFactory(person=person, org_unit=tree.b, title="乙厅下属中心主任")
    seat(room("501", 18), person)
    ticket = approve_all(
        portal.file_request(
            requester=person, kind_code="space_adjustment", detail_fields=second_office_fields(person, post)
        )
    )
    second_office = seat(room("502", 9), person, is_main=False, approval_ticket=ticket)
    directory.end_side_post(actor=staff.admin_a, post=post, ended_on=date(2026, 4, 30))
    second_office.refresh_from_db()
    assert (second_office.post_ended_on, second_office.post_end_reason) == (
        date(2026, 4, 30),
        Occupancy.PostEnd.SIDE_POST_ENDED,
    )
    main = Occupancy.objects.get(person=person, is_main=True)
    assert main.post_ended_on is None  # the main post goes on
    check.run_check(today=date(2026, 6, 30))
    assert Assessment.objects.get(occupancy=second_office).flag == ""
    check.run_check(today=date(2026, 7, 1))
    a = Assessment.objects.get(occupancy=second_office)
    assert (a.flag, a.return_due) == (Assessment.Flag.SECOND_RETURN_DUE, date(2026, 6, 30))


def test_ending_another_side_post_leaves_the_second_office_of_a_post_still_held(staff, tree, room, seat, bureau_a):
    from datetime import date

    person = UserFactory(org_unit=tree.a1, post_level="131")
    held = SidePostFactory(person=person, org_unit=tree.b, title="乙厅下属中心主任")
    other = SidePostFactory(person=person, org_unit=tree.r, title="省某协会理事")
    seat(room("501", 18), person)
    ticket = approve_all(
        portal.file_request(
            requester=person, kind_code="space_adjustment", detail_fields=second_office_fields(person, held)
        )
    )
    second_office = seat(room("502", 9), person, is_main=False, approval_ticket=ticket)
    directory.end_side_post(actor=staff.admin_a, post=other, ended_on=date(2026, 4, 30))
    second_office.refresh_from_db()
    assert second_office.post_ended_on is None


def test_ending_a_side_post_is_refused_to_another_agency_and_twice(staff, tree):
    from datetime import date

    from django.core.exceptions import PermissionDenied

    post = SidePostFactory(person=UserFactory(org_unit=tree.a1))
    with pytest.raises(PermissionDenied):
        directory.end_side_post(actor=staff.admin_b, post=post, ended_on=date(2026, 4, 30))
    with pytest.raises(ValidationError) as err:
        directory.end_side_post(actor=staff.admin_a, post=post, ended_on=date(2025, 12, 31))
    assert "结束日期：不能早于起始日期" in err.value.message_dict["ended_on"][0]
    directory.end_side_post(actor=staff.admin_a, post=post, ended_on=date(2026, 4, 30))
    with pytest.raises(ValidationError) as err:
        directory.end_side_post(actor=staff.admin_a, post=post, ended_on=date(2026, 5, 30))
    assert "已于2026-04-30结束" in err.value.message_dict["ended_on"][0]
    post.refresh_from_db()
    assert post.ended_on == date(2026, 4, 30)


def test_a_second_office_for_someone_elses_or_an_ended_side_post_is_refused(staff, tree):
    from datetime import date

    requester = UserFactory(org_unit=tree.a1)
    theirs = SidePostFactory(person=UserFactory(org_unit=tree.a1))
    with pytest.raises(ValidationError) as err:
        portal.file_request(
            requester=requester, kind_code="space_adjustment", detail_fields=second_office_fields(requester, theirs)
        )
    assert "只能选择申请人本人的兼职岗位" in err.value.message_dict["side_post"][0]
    mine = SidePostFactory(person=requester)
    directory.end_side_post(actor=staff.admin_a, post=mine, ended_on=date(2026, 2, 1))
    mine.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        portal.file_request(
            requester=requester, kind_code="space_adjustment", detail_fields=second_office_fields(requester, mine)
        )
    assert "已于2026-02-01结束" in err.value.message_dict["side_post"][0]
    assert not Ticket.objects.filter(requester=requester).exists()


def test_leasing_out_is_refused_for_party_and_government_units(staff):
    with pytest.raises(ValidationError) as err:
        portal.file_request(
            requester=staff.clerk_a1,
            kind_code="space_adjustment",
            detail_fields={"purpose": "lease_out", "requested_area": Decimal("50"), "reason": "出租给企业"},
        )
    assert "一律不得出租、出借" in err.value.message_dict["lease_exception"][0]
    assert not Ticket.objects.exists()


def test_leasing_with_an_approved_exception_may_be_filed(staff):
    ticket = portal.file_request(
        requester=staff.clerk_a1,
        kind_code="space_adjustment",
        detail_fields={
            "purpose": "lease_out",
            "requested_area": Decimal("50"),
            "reason": "原有租约到期前",
            "lease_exception": "浙机管〔2026〕1号",
        },
    )
    assert ticket.status == Status.IN_REVIEW


def test_renting_or_building_only_after_reallocation_is_ruled_out(staff, bureau_a):
    ticket = approve_all(
        portal.file_request(
            requester=staff.clerk_a1,
            kind_code="space_adjustment",
            detail_fields={"purpose": "more", "requested_area": Decimal("60"), "headcount": 4, "reason": "新增编制"},
        )
    )
    portal.start_handling(actor=staff.space_a, ticket=ticket)
    with pytest.raises(ValidationError) as err:
        portal.complete(actor=staff.space_a, ticket=ticket, outcome={"supply": "lease", "result": "租用"})
    assert "供给顺序" in err.value.message_dict["why_not_reallocate"][0]
    portal.complete(
        actor=staff.space_a,
        ticket=ticket,
        outcome={"supply": "lease", "why_not_reallocate": "本系统内无空置用房", "result": "租用"},
    )
    assert AdjustmentRecord.objects.get(ticket=ticket).supply == "lease"


def test_reallocating_a_vacant_room_moves_it_to_the_requesting_unit(staff, tree, room, bureau_a):
    vacant = room("509", 15, unit=tree.a)
    ticket = approve_all(
        portal.file_request(
            requester=staff.clerk_a1,
            kind_code="space_adjustment",
            detail_fields={"purpose": "more", "requested_area": Decimal("15"), "reason": "增加一人"},
        )
    )
    portal.start_handling(actor=staff.space_a, ticket=ticket)
    portal.complete(
        actor=staff.space_a, ticket=ticket, outcome={"supply": "reallocate", "room": vacant, "result": "调剂"}
    )
    vacant.refresh_from_db()
    assert vacant.org_unit == tree.a1


def test_someone_elses_approval_does_not_grant_a_second_office(staff, tree, room, seat, bureau_a):
    first = UserFactory(org_unit=tree.a1, post_level="131")
    other = UserFactory(org_unit=tree.a1, post_level="131")
    seat(room("501", 18), other)
    ticket = approve_all(
        portal.file_request(requester=first, kind_code="space_adjustment", detail_fields=second_office_fields(first))
    )
    with pytest.raises(ValidationError) as err:
        seat(room("502", 9), other, is_main=False, approval_ticket=ticket)
    assert "不是" in err.value.message_dict["approval_ticket"][0]
    assert not Occupancy.objects.filter(is_main=False).exists()
