"""会议一件事 through the portal: one form books a 会议室 (no double booking), asks cars for the guests
and the items needed; one bundle, one status; withdrawing or refusing lets the room go."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from officespace import services as space
from officespace.models import RoomBooking
from portal import selectors, services
from portal.models import Bundle, Ticket
from portal.workflow import Status

from .test_bundles import approve_all, handle


def at(hour, days=4):
    day = timezone.localtime() + timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def meeting_room(staff, tree):
    building = space.create_building(
        actor=staff.space_a,
        code="A-M",
        name="甲厅会议楼",
        address="杭州市某路9号",
        org_unit=tree.a,
        building_area=Decimal("900"),
        use_area=Decimal("700"),
    )
    floor = space.create_floor(actor=staff.space_a, building=building, number=3)
    return space.create_room(
        actor=staff.space_a, floor=floor, number="301", use_area=Decimal("80"), category="service", subtype="meeting"
    )


def form(room, start=9, end=11, **extra):
    data = {
        "topic": "全省机关事务工作会",
        "room": room.pk,
        "starts_at": at(start).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": at(end).strftime("%Y-%m-%dT%H:%M"),
        "attendees": 40,
        "guests": "王某（乙厅），李某（丙局）",
        "pickup_from": "杭州东站",
        "items": "投影仪",
        "item_category": "A0202",
        "item_quantity": 2,
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def file_by_web(client, user, data):
    client.force_login(user)
    return client.post("/portal/bundles/new/meeting/", data)


def test_the_meeting_bundle_end_to_end_through_the_portal(client, staff, meeting_room):
    response = file_by_web(client, staff.clerk_a1, form(meeting_room))
    assert response.status_code == 302, response.content.decode()[:2000]
    bundle = Bundle.objects.get(kind="meeting")
    members = {t.bundle_member: t for t in bundle.members.all()}
    assert set(members) == {"room", "cars", "items"}
    # The room is held from the start; the cars and the items wait for it.
    booking = RoomBooking.objects.get(ticket=members["room"])
    assert booking.status == RoomBooking.Status.HELD and booking.starts_at == at(9)
    assert members["cars"].status == Status.DRAFT and members["items"].status == Status.DRAFT
    trip = selectors.detail_of(members["cars"])
    assert trip.origin == "杭州东站" and "王某（乙厅）" in trip.guest_names and trip.starts_at == at(8)
    assert "甲厅会议楼" in trip.destinations
    assert selectors.detail_of(members["items"]).needed_by == at(9).date()

    # The room's space administrator confirms through the portal: the room is booked, the others start.
    client.force_login(staff.space_a)
    room_ticket = members["room"]
    client.post(
        f"/portal/tickets/{room_ticket.pk}/decide/", {"step_id": room_ticket.current_step_id, "decision": "approved"}
    )
    booking.refresh_from_db()
    assert booking.status == RoomBooking.Status.CONFIRMED
    for key in ("cars", "items"):
        members[key].refresh_from_db()
        assert members[key].status == Status.IN_REVIEW

    # One application, one status: the items are handled, the cars refused → 部分未批准, on the bundle's page.
    handle(approve_all(members["items"]), staff)
    cars = members["cars"]
    cars.refresh_from_db()
    services.decide(
        actor=cars.current_step.assignees.first(),
        ticket=cars,
        step_id=cars.current_step_id,
        decision="rejected",
        comment="来宾自行前往",
    )
    bundle.refresh_from_db()
    assert bundle.state == Bundle.State.PARTLY_REFUSED
    client.force_login(staff.clerk_a1)
    page = client.get(f"/portal/bundles/{bundle.pk}/").content.decode()
    assert "部分未批准" in page and "会议室" in page and "来宾用车" in page


def test_without_guests_or_items_the_bundle_is_the_room_alone_and_done_when_confirmed(client, staff, meeting_room):
    file_by_web(client, staff.clerk_a1, form(meeting_room, guests="", pickup_from="", items="", item_category=""))
    bundle = Bundle.objects.get(kind="meeting")
    (room_ticket,) = bundle.members.all()
    approve_all(room_ticket)
    bundle.refresh_from_db()
    assert bundle.state == Bundle.State.DONE


def test_a_double_booked_room_files_nothing_and_says_so_on_the_room_field(client, staff, meeting_room):
    assert file_by_web(client, staff.clerk_a1, form(meeting_room)).status_code == 302
    before = (Bundle.objects.count(), Ticket.objects.count(), RoomBooking.objects.count())
    response = file_by_web(client, staff.head_a1, form(meeting_room, start=10, end=12))
    assert response.status_code == 400
    assert "已被预订" in response.context["form"].errors["room"][0]
    assert (Bundle.objects.count(), Ticket.objects.count(), RoomBooking.objects.count()) == before


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"starts_at": None}, "starts_at", "请填写"),
        ({"items": "投影仪", "item_category": ""}, "item_category", "必选"),
        ({"guests": "王某", "pickup_from": ""}, "pickup_from", "必填"),
        ({"attendees": 0}, "attendees", "至少为1"),
    ],
)
def test_bad_meeting_input_is_answered_by_field_and_files_nothing(client, staff, meeting_room, change, field, words):
    response = file_by_web(client, staff.clerk_a1, form(meeting_room, **change))
    assert response.status_code == 400
    assert words in response.context["form"].errors[field][0]
    assert not Bundle.objects.exists() and not RoomBooking.objects.exists()


def test_one_invalid_member_files_nothing_not_even_the_room(client, staff, meeting_room):
    """The meeting starts in 30 minutes: the guests' car would leave an hour before, in the past."""
    soon = timezone.localtime() + timedelta(minutes=30)
    data = form(meeting_room, starts_at=soon.strftime("%Y-%m-%dT%H:%M"))
    data["ends_at"] = (soon + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = file_by_web(client, staff.clerk_a1, data)
    assert response.status_code == 400
    assert any(e.startswith("来宾用车") for e in response.context["form"].non_field_errors())
    assert not Bundle.objects.exists() and not Ticket.objects.exists() and not RoomBooking.objects.exists()


def test_the_bundle_api_answers_bad_meeting_input_by_field(api, staff, meeting_room):
    data = form(meeting_room, start=11, end=9)
    response = api(staff.clerk_a1).post("/api/v1/portal/bundles/", {"kind": "meeting", "data": data}, format="json")
    assert response.status_code == 400
    assert "晚于" in response.json()["fields"]["ends_at"][0]
    assert not Bundle.objects.exists() and not RoomBooking.objects.exists()
    ok = api(staff.clerk_a1).post(
        "/api/v1/portal/bundles/", {"kind": "meeting", "data": form(meeting_room)}, format="json"
    )
    assert ok.status_code == 201 and ok.json()["state"] == "in_progress"


def test_withdrawing_the_bundle_lets_the_room_go(client, staff, meeting_room):
    file_by_web(client, staff.clerk_a1, form(meeting_room))
    bundle = Bundle.objects.get(kind="meeting")
    services.bundle_withdraw(actor=staff.clerk_a1, bundle=bundle)
    booking = RoomBooking.objects.get(ticket__bundle=bundle)
    assert booking.status == RoomBooking.Status.CANCELLED
    assert set(bundle.members.values_list("status", flat=True)) == {Status.WITHDRAWN}
    # The window is free again.
    assert file_by_web(client, staff.head_a1, form(meeting_room)).status_code == 302


def test_a_refused_room_withdraws_the_cars_and_items_and_lets_the_room_go(staff, meeting_room, client):
    file_by_web(client, staff.clerk_a1, form(meeting_room))
    bundle = Bundle.objects.get(kind="meeting")
    room_ticket = bundle.members.get(bundle_member="room")
    services.decide(
        actor=staff.space_a,
        ticket=room_ticket,
        step_id=room_ticket.current_step_id,
        decision="rejected",
        comment="已占用",
    )
    assert RoomBooking.objects.get(ticket=room_ticket).status == RoomBooking.Status.CANCELLED
    states = dict(bundle.members.values_list("bundle_member", "status"))
    assert states == {"room": "rejected", "cars": "withdrawn", "items": "withdrawn"}
