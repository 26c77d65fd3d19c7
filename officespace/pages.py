"""The meeting-room booking ledger pages (会议室预订台账) for the space administrator: every booking of the
rooms they manage (soonest first, past ones on request), and cancelling one with a reason. Reads go
through officespace.selectors.meetings (scoped by the room's unit), writes through officespace.meetings."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from datahub import scoping
from datahub.generic_views import Choice, Column, Flag, ObjectActionView, ObjectListView, Search

from . import meetings
from .meeting_forms import CancelBookingForm
from .meeting_models import RoomBooking
from .selectors import SPACE_READERS
from .selectors import meetings as meeting_selectors
from .views import PAGES


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


class Bookings(ObjectListView):
    pages = PAGES
    readers = SPACE_READERS
    template_name = "officespace/bookings.html"
    filters = {"q": Search(), "status": Choice(RoomBooking.Status.choices), "past": Flag()}
    export_filename = "会议室预订台账.xlsx"
    export_columns = (
        Column(_("会议室"), lambda b: str(b.room)),
        Column(_("开始"), lambda b: _local(b.starts_at)),
        Column(_("结束"), lambda b: _local(b.ends_at)),
        Column(_("会议名称"), "topic"),
        Column(_("预订单位"), "org_unit.name"),
        Column(_("预订人"), "booked_by.name"),
        Column(_("状态"), "get_status_display"),
        Column(_("取消原因"), "shown_cancel_reason"),
    )

    def get_queryset(self):
        f = self.filter_values
        return meeting_selectors.bookings_for(
            self.request.user, status=f["status"], upcoming=not f["past"], search=f["q"]
        )

    def get_context_data(self, **kwargs):
        return {"statuses": RoomBooking.Status.choices}

    def on_page(self, page):
        for booking in page:
            booking.can_cancel = booking.status != RoomBooking.Status.CANCELLED and scoping.covers(
                self.request.user, booking.room.org_unit, roles=meetings.BOOKING_EDITORS
            )


class BookingCancel(ObjectActionView):
    form_class = CancelBookingForm
    invalid_message = _("取消原因：请填写。")
    success_message = _("已取消该预订，预订人已收到通知。")

    def get_scoped_queryset(self):
        return meeting_selectors.bookings_for(self.request.user, upcoming=False)

    def perform(self, booking, data):
        meetings.cancel_booking(actor=self.request.user, booking=booking, reason=data["reason"])

    def get_success_url(self, booking):
        return reverse("officespace:bookings")
