"""Writes of the meeting-room bookings (会议室预订台账), called by the portal's engine through the
会议室预订 kind's hooks (officespace/apps.py) inside the engine's transaction.

- ``book_room``: on submission the room is held for [starts_at, ends_at) — refused if the room is not an
  active 会议室, the meeting has started, or a live booking overlaps (checked under the room's row
  lock; on PostgreSQL the exclusion constraint ``booking_room_no_overlap`` holds it under any race).
- ``confirm_booking``: the room's space administrator approved the request.
- ``release_booking``: the request was refused, withdrawn or returned for changes — the room is free.
- ``cancel_booking``: the space administrator cancels a booking (the room is needed otherwise).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from datahub import scoping
from datahub.keyed import Keyed, listed
from datahub.roles import Role
from portal import services as portal

from .meeting_models import CANCEL_BY_STATUS, CANCEL_RESUBMITTED, MeetingRoomRequest, RoomBooking
from .models import Room, RoomSubtype
from .selectors.meetings import overlapping_bookings

BOOKING_EDITORS = (Role.SPACE_ADMIN, Role.BUREAU_ADMIN)


def _taken(room: Room, starts_at, ends_at) -> str:
    local = timezone.localtime
    rows = overlapping_bookings(room, starts_at, ends_at).order_by("starts_at")[:3]
    spans = listed(f"{local(b.starts_at):%m-%d %H:%M}–{local(b.ends_at):%H:%M}" for b in rows)
    return _("会议室：%(room)s在该时段已被预订（%(spans)s），请另选时间或会议室。") % {"room": room, "spans": spans}


def check_window(*, room: Room, starts_at, ends_at) -> None:
    """The rules a booking must meet, as field errors: a 会议室 in use, a window that ends after it starts
    and has not begun, and no live booking of the room overlapping it."""
    errors = {}
    if room.subtype != RoomSubtype.MEETING or not room.is_active:
        errors["room"] = _("会议室：%(room)s不是在用的会议室。") % {"room": room}
    if ends_at <= starts_at:
        errors["ends_at"] = _("会议结束：必须晚于会议开始时间。")
    elif starts_at < timezone.now():
        errors["starts_at"] = _("会议开始：不能早于现在。")
    elif "room" not in errors and overlapping_bookings(room, starts_at, ends_at).exists():
        errors["room"] = _taken(room, starts_at, ends_at)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def book_room(*, ticket, detail: MeetingRoomRequest) -> RoomBooking:
    """Hold the room for the request's window (the kind's on_submitted). The room's row is locked, so two
    requests for one room are checked one after the other; a race past the check on PostgreSQL is
    stopped by the exclusion constraint and answered with the same message."""
    room = Room.objects.select_for_update().select_related("building").get(pk=detail.room_id)
    RoomBooking.objects.filter(ticket=ticket).exclude(status=RoomBooking.Status.CANCELLED).update(
        status=RoomBooking.Status.CANCELLED, cancelled_at=timezone.now(), cancel_reason=CANCEL_RESUBMITTED
    )
    check_window(room=room, starts_at=detail.starts_at, ends_at=detail.ends_at)
    try:
        with transaction.atomic():
            return RoomBooking.objects.create(
                room=room,
                ticket=ticket,
                org_unit=ticket.org_unit,
                booked_by=ticket.requester,
                topic=detail.topic,
                starts_at=detail.starts_at,
                ends_at=detail.ends_at,
            )
    except IntegrityError as exc:
        raise ValidationError({"room": _taken(room, detail.starts_at, detail.ends_at)}) from exc


@transaction.atomic
def confirm_booking(*, ticket, detail: MeetingRoomRequest) -> int:
    """The request is approved (the kind's on_approved): its held booking is confirmed."""
    return RoomBooking.objects.filter(ticket=ticket, status=RoomBooking.Status.HELD).update(
        status=RoomBooking.Status.CONFIRMED
    )


@transaction.atomic
def release_booking(*, ticket, detail: MeetingRoomRequest) -> int:
    """The request is refused, withdrawn or returned (the kind's on_ended): the room is free again."""
    reason = CANCEL_BY_STATUS.get(ticket.status, "")
    return (
        RoomBooking.objects.filter(ticket=ticket)
        .exclude(status=RoomBooking.Status.CANCELLED)
        .update(status=RoomBooking.Status.CANCELLED, cancelled_at=timezone.now(), cancel_reason=reason)
    )


@transaction.atomic
def cancel_booking(*, actor, booking: RoomBooking, reason: str) -> RoomBooking:
    """The space administrator over the room cancels a live booking, with a reason the requester reads on
    the request's timeline."""
    booking = RoomBooking.objects.select_for_update().select_related("room__org_unit").get(pk=booking.pk)
    if not scoping.covers(actor, booking.room.org_unit, roles=BOOKING_EDITORS):
        raise PermissionDenied(_("您不是该会议室所属单位的房产管理员。"))
    if not reason.strip():
        raise ValidationError({"reason": _("取消原因：请填写。")})
    if booking.status == RoomBooking.Status.CANCELLED:
        raise ValidationError({"reason": _("该预订已取消。")})
    booking.status = RoomBooking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.cancel_reason = reason.strip()[:200]
    booking.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    message = Keyed(
        gettext_noop("会议室预订已由%(name)s取消：%(reason)s"), {"name": actor.name, "reason": booking.cancel_reason}
    )
    portal.add_comment(actor=actor, ticket=booking.ticket, comment=message)
    portal.notify(
        users=[booking.booked_by], ticket=booking.ticket, key=f"booking{booking.pk}:cancelled", message=message
    )
    return booking


@transaction.atomic
def meeting_record_outcome(*, ticket, detail, actor, outcome: dict) -> None:
    """A 会议室预订 is done on approval (the booking is the outcome): nothing to record."""
    return None
