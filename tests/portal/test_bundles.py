"""一件事 bundles: one application files several requests and follows them as one."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from datahub.rules import Rank
from officespace import services as space
from portal import rules, selectors, services
from portal.models import Bundle, Notification, Ticket
from portal.workflow import Status
from tests.factories import UserFactory

OUTCOMES = {
    "space_adjustment": {"supply": "reallocate", "room": None, "why_not_reallocate": "", "result": "已调剂座位"},
    "asset_requisition": {"quantity": 1, "asset_codes": ""},
    "account": {"result": "已开通"},
    "office_handover": {"result": "已交回"},
    "asset_handover": {"result": "已交还"},
    "duty_handover": {"result": "已解除"},
}


@pytest.fixture
def newcomer(tree):
    return UserFactory(username="newbie", name="新同事", org_unit=tree.a1, rank=Rank.STAFF_1, job_title="科员")


def approve_all(ticket):
    ticket.refresh_from_db()
    while ticket.status == Status.IN_REVIEW:
        ticket = services.decide(
            actor=ticket.current_step.assignees.first(),
            ticket=ticket,
            step_id=ticket.current_step_id,
            decision="approved",
        )
        ticket.refresh_from_db()
    return ticket


def handle(ticket, staff):
    handler = next(u for u in (staff.space_a, staff.asset_a, staff.admin_a) if selectors.may_handle(u, ticket))
    services.start_handling(actor=handler, ticket=ticket)
    return services.complete(actor=handler, ticket=ticket, outcome=OUTCOMES[ticket.kind])


def onboard(staff, newcomer, **extra):
    data = {"person": newcomer, "start_on": timezone.localdate() + timedelta(days=7), "roles": "", "note": ""}
    return services.bundle_file(requester=staff.clerk_a1, bundle_code="onboarding", data={**data, **extra})


def test_onboarding_files_seat_equipment_and_account_and_is_done_when_all_are(staff, newcomer):
    bundle = onboard(staff, newcomer)
    members = {t.bundle_member: t for t in bundle.members.all()}
    assert set(members) == {"seat", "equipment", "account"}
    # The equipment waits for the seat: a draft until the seat is approved.
    assert members["equipment"].status == Status.DRAFT
    assert members["seat"].status == Status.IN_REVIEW and members["account"].status == Status.IN_REVIEW
    assert "新同事（甲厅办公室，" in selectors.detail_of(members["seat"]).reason  # from the directory entry
    assert bundle.state == Bundle.State.IN_PROGRESS

    approve_all(members["seat"])
    members["equipment"].refresh_from_db()
    assert members["equipment"].status == Status.IN_REVIEW
    for key in ("account", "equipment"):
        approve_all(members[key])
    for ticket in Ticket.objects.filter(bundle=bundle):
        handle(ticket, staff)
    bundle.refresh_from_db()
    assert bundle.state == Bundle.State.DONE and bundle.closed_at is not None
    assert Notification.objects.filter(user=staff.clerk_a1, message__contains="已全部办结").exists()
    assert selectors.bundle_timeline(bundle).filter(action="complete").count() == 3


def test_a_bundle_writes_its_members_texts_in_the_language_it_is_filed_in(staff, newcomer):
    with translation.override("en"):
        english = {t.bundle_member: t for t in onboard(staff, newcomer).members.all()}
    reason = selectors.detail_of(english["seat"]).reason
    assert reason.startswith("New hire: 新同事 (甲厅办公室, ") and "科员)" in reason and "到岗" not in reason
    assert selectors.detail_of(english["equipment"]).purpose.endswith("(per the equipment standard)")
    chinese = {
        t.bundle_member: t for t in onboard(staff, UserFactory(name="另一位", org_unit=newcomer.org_unit)).members.all()
    }
    assert selectors.detail_of(chinese["seat"]).reason.startswith("新人入职：另一位（甲厅办公室，")


def test_a_refused_member_leaves_the_others_running_and_says_which(staff, newcomer):
    bundle = onboard(staff, newcomer)
    seat = bundle.members.get(bundle_member="seat")
    services.decide(
        actor=staff.head_a1, ticket=seat, step_id=seat.current_step_id, decision="rejected", comment="已有空位"
    )
    bundle.refresh_from_db()
    assert bundle.state == Bundle.State.PARTLY_REFUSED
    # The equipment waited for the seat, so it is withdrawn with it; the account goes on.
    assert bundle.members.get(bundle_member="equipment").status == Status.WITHDRAWN
    assert bundle.members.get(bundle_member="account").status == Status.IN_REVIEW
    note = Notification.objects.get(user=staff.clerk_a1, key__contains=f"bundle{bundle.pk}:")
    assert "用房调整申请" in note.message and "已有空位" in note.message


def test_a_bundle_with_one_invalid_member_creates_nothing(staff, newcomer):
    with pytest.raises(ValidationError) as err:
        onboard(staff, newcomer, start_on=date(2020, 1, 1))  # the equipment's 需用日期 is in the past
    assert any(m.startswith("计算机及办公设备") for m in err.value.messages)
    assert not Bundle.objects.exists() and not Ticket.objects.exists()


def test_withdrawing_a_bundle_withdraws_the_members_not_started(staff, newcomer):
    bundle = onboard(staff, newcomer)
    approve_all(bundle.members.get(bundle_member="account"))
    with pytest.raises(PermissionDenied):
        services.bundle_withdraw(actor=staff.head_a1, bundle=bundle)
    services.bundle_withdraw(actor=staff.clerk_a1, bundle=bundle)
    states = dict(bundle.members.values_list("bundle_member", "status"))
    assert states == {"seat": "withdrawn", "equipment": "withdrawn", "account": "approved"}


@pytest.mark.usefixtures("eager_celery")
def test_leaving_derives_what_the_person_holds_from_the_ledgers(staff, tree):
    """Eager Celery: the office-space check queued after seating runs in-process."""
    leaver = UserFactory(username="leaver", name="老同事", org_unit=tree.a1)
    building = space.create_building(
        actor=staff.space_a,
        code="A-1",
        name="甲厅1号楼",
        address="杭州市某路1号",
        org_unit=tree.a,
        building_area=Decimal("2000"),
        use_area=Decimal("1500"),
    )
    floor = space.create_floor(actor=staff.space_a, building=building, number=5, use_area=Decimal("400"))
    room = space.create_room(actor=staff.space_a, floor=floor, number="501", use_area=Decimal("12"))
    space.assign_occupancy(actor=staff.space_a, room=room, person=leaver, start_date=date(2020, 1, 5))
    last_day = timezone.localdate() + timedelta(days=10)
    bundle = services.bundle_file(
        requester=staff.clerk_a1,
        bundle_code="leaving",
        data={"person": leaver, "last_day": last_day, "reason": "retire", "holdings": _holdings(leaver)},
    )
    members = {t.bundle_member: t for t in bundle.members.all()}
    # No asset card and no driver duty: only the office and the account.
    assert set(members) == {"office", "account"}
    office = selectors.detail_of(members["office"])
    assert office.holdings == "甲厅1号楼 501" and office.due_on.month == (last_day.month % 12) + 1
    assert members["office"].status == Status.APPROVED  # no approval chain: straight to the space administrator
    assert selectors.detail_of(members["account"]).action == "close"


def _holdings(person):
    from portal.registry import holdings_of

    return holdings_of(person)


def test_bundle_state_rule():
    assert rules.bundle_state(["done", "done"]) == "done"
    assert rules.bundle_state(["done", "rejected", "in_review"]) == "partly_refused"
    assert rules.bundle_state(["withdrawn", "withdrawn"]) == "withdrawn"
    assert rules.bundle_state(["draft", "approved"]) == "in_progress"
