"""Reads of the meeting-room bookings: which rooms a requester may book, what overlaps a window, and
the booking ledger a space administrator sees (scoped by the room's unit)."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from datahub import scoping
from datahub.models import OrgUnit
from datahub.roles import Role
from datahub.selectors import with_unit_parent_name

from ..models import MeetingRoomRequest, Room, RoomBooking, RoomSubtype

BOOKING_READERS = (Role.SPACE_ADMIN, Role.BUREAU_ADMIN, Role.LEADER)


def _unit_line(unit: OrgUnit) -> Q:
    """Rooms of the unit, of the units above it (an agency's shared rooms) and of the units below it."""
    path, step = unit.path, OrgUnit.steplen
    return Q(org_unit__path__in=[path[:end] for end in range(step, len(path) + 1, step)]) | Q(
        org_unit__path__startswith=path
    )


def meeting_rooms_for(requester) -> QuerySet:
    """Active rooms of category 会议室 a requester may book: on their unit's line (own, above, below)."""
    if requester is None or not getattr(requester, "org_unit_id", None):
        return Room.objects.none()
    return (
        Room.objects.filter(_unit_line(requester.org_unit), is_active=True, subtype=RoomSubtype.MEETING)
        .select_related("building")
        .order_by("building__name", "number")
    )


def bookable_room_of(requester, pk) -> tuple[Room | None, bool]:
    """The room ``pk`` if the requester may see it on their unit's line, and whether it is a 会议室 —
    for the form's field-level error (a room out of scope is "not found", never described)."""
    if requester is None or not getattr(requester, "org_unit_id", None) or not str(pk).isdigit():
        return None, False
    room = Room.objects.filter(_unit_line(requester.org_unit), pk=pk).first()
    return room, bool(room and room.subtype == RoomSubtype.MEETING and room.is_active)


def overlapping_bookings(room: Room, starts_at: datetime, ends_at: datetime) -> QuerySet:
    """The live bookings of ``room`` that overlap [starts_at, ends_at)."""
    return RoomBooking.objects.filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at).exclude(
        status=RoomBooking.Status.CANCELLED
    )


def bookings_for(
    user, *, room: Room | None = None, status: str = "", upcoming: bool = True, search: str = ""
) -> QuerySet:
    """The booking ledger of the rooms in the user's space scope (space or bureau administrator, leader),
    soonest first; ``upcoming`` keeps the bookings that have not ended yet."""
    qs = scoping.scope(
        RoomBooking.objects.select_related("room__building", "room__org_unit", "org_unit", "booked_by"),
        user,
        roles=BOOKING_READERS,
        unit_field="room__org_unit",
    )
    if room is not None:
        qs = qs.filter(room=room)
    if status:
        qs = qs.filter(status=status)
    if upcoming:
        qs = qs.filter(ends_at__gt=timezone.now())
    if search:
        qs = qs.filter(Q(topic__icontains=search) | Q(room__number__icontains=search))
    # The booking unit named with its agency (财政厅 › 办公室), in the same query.
    return with_unit_parent_name(qs).order_by("starts_at", "pk")


def room_bookings(room: Room, *, limit: int | None = None) -> QuerySet:
    """A room's live bookings that have not ended (the room page; the caller checked the room's scope)."""
    qs = (
        RoomBooking.objects.filter(room=room, ends_at__gt=timezone.now())
        .exclude(status=RoomBooking.Status.CANCELLED)
        .select_related("org_unit", "booked_by")
        .order_by("starts_at", "pk")
    )
    qs = with_unit_parent_name(qs)  # the booking unit named with its agency (财政厅 › 办公室)
    return qs[:limit] if limit else qs


def live_booking_of(ticket) -> RoomBooking | None:
    return RoomBooking.objects.filter(ticket=ticket).exclude(status=RoomBooking.Status.CANCELLED).first()


def meeting_request_of(ticket) -> MeetingRoomRequest | None:
    return MeetingRoomRequest.objects.select_related("room__building").filter(ticket=ticket).first()
