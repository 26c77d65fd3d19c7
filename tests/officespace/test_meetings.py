"""会议室预订: a room of category 会议室 is held for a window from submission, never booked twice for
overlapping times (the service checks, PostgreSQL's exclusion constraint holds), confirmed on approval
and let go when the request is refused, withdrawn or returned."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from officespace import meetings
from officespace.meeting_forms import MeetingRoomRequestForm
from officespace.models import RoomBooking
from portal import services
from portal.models import Ticket
from portal.workflow import Status

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def at(hour, days=3):
    """A time ``days`` from today at ``hour`` o'clock (local)."""
    day = timezone.localtime() + timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def meeting_room(room):
    return room("会议室301", 60, category="service", subtype="meeting")


def fields(room, start=9, end=11, **extra):
    return {"topic": "季度工作会", "room": room, "starts_at": at(start), "ends_at": at(end), "attendees": 12, **extra}


def book(user, room, start=9, end=11, **extra):
    return services.file_request(
        requester=user, kind_code="meeting_room", detail_fields=fields(room, start, end, **extra)
    )


def form_errors(user, room_pk, start=None, end=None):
    data = {"topic": "会", "room": room_pk, "starts_at": start or at(9), "ends_at": end or at(11), "attendees": 5}
    form = MeetingRoomRequestForm(data=data, requester=user)
    assert not form.is_valid()
    return form.errors


def test_submitting_holds_the_room_and_approval_confirms_it(staff, meeting_room):
    ticket = book(staff.clerk_a1, meeting_room)
    booking = RoomBooking.objects.get(ticket=ticket)
    assert booking.status == RoomBooking.Status.HELD and booking.org_unit == staff.clerk_a1.org_unit
    # The room's space administrator confirms; the request is done on approval.
    assert ticket.current_step.assignees.filter(pk=staff.space_a.pk).exists()
    services.decide(actor=staff.space_a, ticket=ticket, step_id=ticket.current_step_id, decision="approved")
    ticket.refresh_from_db()
    booking.refresh_from_db()
    assert ticket.status == Status.DONE and booking.status == RoomBooking.Status.CONFIRMED


def test_a_meeting_room_double_booking_is_refused_in_the_service(staff, people, meeting_room):
    book(staff.clerk_a1, meeting_room, 9, 11)
    tickets = Ticket.objects.count()
    # The service (the kind's on_submitted) refuses an overlap even when no form was used.
    with pytest.raises(ValidationError) as err:
        book(staff.head_a1, meeting_room, 10, 12)
    assert "已被预订" in err.value.message_dict["room"][0]
    assert Ticket.objects.count() == tickets and RoomBooking.objects.filter(room=meeting_room).count() == 1
    # ...and the form says so on the room field.
    assert "已被预订" in form_errors(staff.head_a1, meeting_room.pk, at(10), at(12))["room"][0]
    # Back to back is not an overlap: [9, 11) then [11, 12).
    assert RoomBooking.objects.filter(ticket=book(staff.head_a1, meeting_room, 11, 12)).exists()


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL: the GiST exclusion constraint")
def test_a_meeting_room_double_booking_is_refused_by_the_postgresql_constraint(staff, meeting_room):
    first = RoomBooking.objects.get(ticket=book(staff.clerk_a1, meeting_room, 9, 11))
    row = {
        "room": meeting_room,
        "ticket": Ticket.objects.get(pk=first.ticket_id),
        "org_unit": first.org_unit,
        "booked_by": staff.head_a1,
        "topic": "绕过服务直接写入",
    }
    with pytest.raises(IntegrityError, match="booking_room_no_overlap"), transaction.atomic():
        RoomBooking.objects.create(**row, starts_at=at(10), ends_at=at(12), status=RoomBooking.Status.CONFIRMED)
    # A cancelled booking holds nothing.
    RoomBooking.objects.filter(pk=first.pk).update(status=RoomBooking.Status.CANCELLED)
    assert RoomBooking.objects.create(**row, starts_at=at(10), ends_at=at(12)).pk


def test_a_race_past_the_check_is_answered_with_the_same_message(staff, meeting_room, monkeypatch):
    """The check passes for both (as two simultaneous submissions would); the database stops the second."""
    book(staff.clerk_a1, meeting_room, 9, 11)
    monkeypatch.setattr(meetings, "check_window", lambda **kw: None)
    if ON_POSTGRES:
        with pytest.raises(ValidationError, match="已被预订"):
            book(staff.head_a1, meeting_room, 10, 12)
        assert RoomBooking.objects.filter(room=meeting_room).count() == 1
    else:
        # SQLite has no exclusion constraint: the service's check under the room's lock is the guard.
        book(staff.head_a1, meeting_room, 10, 12)
        assert RoomBooking.objects.filter(room=meeting_room).count() == 2


@pytest.mark.parametrize("how", ["rejected", "withdrawn", "returned"])
def test_the_room_is_let_go_when_the_request_is_refused_withdrawn_or_returned(staff, meeting_room, how):
    ticket = book(staff.clerk_a1, meeting_room)
    if how == "withdrawn":
        services.withdraw(actor=staff.clerk_a1, ticket=ticket)
    else:
        services.decide(
            actor=staff.space_a, ticket=ticket, step_id=ticket.current_step_id, decision=how, comment="另有安排"
        )
    booking = RoomBooking.objects.get(ticket=ticket)
    assert booking.status == RoomBooking.Status.CANCELLED and booking.cancel_reason
    # The window is free for someone else.
    assert RoomBooking.objects.filter(ticket=book(staff.head_a1, meeting_room)).exists()
    if how == "returned":
        # Resubmitting now meets the other booking: refused, and the returned request stays as it was.
        with pytest.raises(ValidationError, match="已被预订"):
            services.submit_ticket(actor=staff.clerk_a1, ticket=ticket)
        ticket.refresh_from_db()
        assert ticket.status == Status.RETURNED


@pytest.mark.parametrize(
    ("how", "zh", "en"),
    [
        ("rejected", "申请未获批准", "Request not approved"),
        ("withdrawn", "申请已撤回", "Request withdrawn"),
        ("returned", "申请退回修改", "Request returned for changes"),
    ],
)
def test_a_lapsed_booking_gives_its_reason_in_the_readers_language(staff, meeting_room, how, zh, en):
    ticket = book(staff.clerk_a1, meeting_room)
    if how == "withdrawn":
        services.withdraw(actor=staff.clerk_a1, ticket=ticket)
    else:
        services.decide(
            actor=staff.space_a, ticket=ticket, step_id=ticket.current_step_id, decision=how, comment="另有安排"
        )
    booking = RoomBooking.objects.get(ticket=ticket)
    with translation.override("zh-hans"):
        assert booking.shown_cancel_reason == zh
    with translation.override("en"):
        assert booking.shown_cancel_reason == en


def test_a_typed_cancel_reason_is_shown_as_typed_in_either_language():
    booking = RoomBooking(cancel_reason="会议改期")
    with translation.override("en"):
        assert booking.shown_cancel_reason == "会议改期"


def test_the_space_administrator_cancels_a_booking_and_the_requester_is_told(staff, people, meeting_room):
    ticket = book(staff.clerk_a1, meeting_room)
    booking = RoomBooking.objects.get(ticket=ticket)
    with pytest.raises(ValidationError):
        meetings.cancel_booking(actor=staff.space_a, booking=booking, reason=" ")
    with pytest.raises(PermissionDenied):
        meetings.cancel_booking(actor=people.admin_b, booking=booking, reason="乙厅不能取消甲厅的预订")
    meetings.cancel_booking(actor=staff.space_a, booking=booking, reason="会议室临时维修")
    booking.refresh_from_db()
    assert booking.status == RoomBooking.Status.CANCELLED
    assert ticket.timeline.filter(comment__contains="会议室临时维修").exists()


# --- Bad input: field-level Chinese errors, nothing written -------------------------------------------


def test_the_meeting_form_names_the_field_and_the_reason(staff, tree, room, meeting_room, b_room):
    office = room("502", 12)
    now = timezone.localtime().replace(second=0, microsecond=0)
    assert "晚于" in form_errors(staff.clerk_a1, meeting_room.pk, at(11), at(9))["ends_at"][0]
    assert "早于现在" in form_errors(staff.clerk_a1, meeting_room.pk, now - timedelta(days=1), now)["starts_at"][0]
    assert "不是在用的会议室" in form_errors(staff.clerk_a1, office.pk)["room"][0]
    # Another agency's room is "not found" for this requester, whatever it is.
    assert "不属于本单位" in form_errors(staff.clerk_a1, b_room.pk)["room"][0]
    assert "不属于本单位" in form_errors(staff.clerk_a1, 999999)["room"][0]
    assert not RoomBooking.objects.exists()


def test_the_ticket_api_answers_bad_meeting_input_by_field(staff, api, meeting_room, b_room):
    before = Ticket.objects.count()
    data = {"topic": "会", "room": b_room.pk, "starts_at": at(11).isoformat(), "ends_at": at(9).isoformat()}
    response = api(staff.clerk_a1).post(
        "/api/v1/portal/tickets/", {"kind": "meeting_room", "data": data}, format="json"
    )
    assert response.status_code == 400, response.content
    fields = response.json()["fields"]
    assert "不属于本单位" in fields["room"][0] and "晚于" in fields["ends_at"][0]
    assert Ticket.objects.count() == before and not RoomBooking.objects.exists()
