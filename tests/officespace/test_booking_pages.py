"""The 会议室预订台账 page: the space administrator sees the bookings of the rooms they manage (a fixed
number of queries however many), cancels one with a reason; another agency's administrator sees none
and cannot cancel; a 会议室's page lists its coming bookings."""

import pytest

from officespace.models import RoomBooking

from .test_meetings import book


@pytest.fixture
def meeting_room(room):
    return room("会议室301", 60, category="service", subtype="meeting")


def test_the_booking_list_uses_a_fixed_number_of_queries(login, staff, meeting_room, django_assert_num_queries):
    for hour in (8, 9, 10):
        book(staff.clerk_a1, meeting_room, hour, hour + 1)
    client = login(staff.space_a)
    client.get("/officespace/bookings/")  # warm the session and the role lookups
    with django_assert_num_queries(
        7
    ) as few:  # 12 before sessions were renewed once a minute, 9 before the grants were read once (#17)
        page = client.get("/officespace/bookings/")
    assert page.status_code == 200 and page.content.decode().count("季度工作会") == 3
    for hour in (11, 12, 13, 14, 15):
        book(staff.clerk_a1, meeting_room, hour, hour + 1)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get("/officespace/bookings/")
    assert page.content.decode().count("季度工作会") == 8


def test_the_space_administrator_cancels_from_the_page_and_another_agency_cannot(login, staff, meeting_room, space_b):
    ticket = book(staff.clerk_a1, meeting_room)
    booking = RoomBooking.objects.get(ticket=ticket)
    other = login(space_b)
    assert "季度工作会" not in other.get("/officespace/bookings/").content.decode()
    assert other.post(f"/officespace/bookings/{booking.pk}/cancel/", {"reason": "试图取消"}).status_code == 404
    booking.refresh_from_db()
    assert booking.status == RoomBooking.Status.HELD

    client = login(staff.space_a)
    response = client.post(f"/officespace/bookings/{booking.pk}/cancel/", {"reason": ""}, follow=True)
    assert "取消原因：请填写" in response.content.decode()
    client.post(f"/officespace/bookings/{booking.pk}/cancel/", {"reason": "会议室临时维修"})
    booking.refresh_from_db()
    assert (booking.status, booking.cancel_reason) == (RoomBooking.Status.CANCELLED, "会议室临时维修")


def test_a_meeting_rooms_page_lists_its_coming_bookings(login, staff, meeting_room):
    book(staff.clerk_a1, meeting_room)
    page = login(staff.space_a).get(f"/officespace/rooms/{meeting_room.pk}/").content.decode()
    assert "会议室预订" in page and "季度工作会" in page and "待确认" in page
