"""会议室预订: the request detail a 会议一件事 (or a plain 会议室预订) files, and the booking ledger.

A booking holds a room of category 会议室 for [starts_at, ends_at) from the moment its request is
submitted; it is confirmed when the room's space administrator approves and cancelled when the request
is refused, withdrawn or returned for changes (officespace.meetings, through the portal's hooks).

Invariant held by the database: no two live (held or confirmed) bookings of one room overlap — on
PostgreSQL an exclusion constraint (migration 0010, raw SQL as in vehicles' dispatch: SQLite has no
GiST). The service checks the same rule first under the room's row lock, so SQLite deployments get the
same clear error (without the protection against a race).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from datahub.keyed import Keyed
from datahub.models import OrgUnit
from portal.models import RequestDetail, Ticket

from .rules import MEETING_MAX_ATTENDEES, MEETING_MAX_HOURS

# The reasons the platform itself writes when a request's booking lapses, kept as their Chinese message ids so
# each reader sees them in their own language; a reason a space administrator types is shown as typed.
CANCEL_RESUBMITTED = gettext_noop("重新提交")
CANCEL_BY_STATUS = {
    "rejected": gettext_noop("申请未获批准"),
    "withdrawn": gettext_noop("申请已撤回"),
    "returned": gettext_noop("申请退回修改"),
}
SYSTEM_CANCEL_REASONS = frozenset((CANCEL_RESUBMITTED, *CANCEL_BY_STATUS.values()))


class MeetingRoomRequest(RequestDetail):
    """会议室预订: which meeting room, when, for what."""

    room = models.ForeignKey("officespace.Room", on_delete=models.PROTECT, related_name="+", verbose_name=_("会议室"))
    starts_at = models.DateTimeField(_("会议开始"))
    ends_at = models.DateTimeField(_("会议结束"))
    topic = models.CharField(_("会议名称"), max_length=200)
    attendees = models.PositiveSmallIntegerField(
        _("参会人数"),
        default=1,
        validators=[
            MinValueValidator(1, message=_("参会人数至少为1。")),
            MaxValueValidator(
                MEETING_MAX_ATTENDEES,
                message=lazy(lambda: _("参会人数不能超过%(n)s。") % {"n": MEETING_MAX_ATTENDEES}, str)(),
            ),
        ],
    )

    class Meta:
        verbose_name = _("会议室预订")
        verbose_name_plural = _("会议室预订")

    def summary(self) -> Keyed:
        return Keyed(
            gettext_noop("会议室预订：%(room)s %(starts)s %(topic)s"),
            {"room": str(self.room), "starts": f"{self.starts_at:%m-%d %H:%M}", "topic": self.topic},
        )

    def clean(self):
        if self.starts_at and self.ends_at:
            if self.ends_at <= self.starts_at:
                raise ValidationError({"ends_at": _("会议结束时间必须晚于开始时间。")})
            if (self.ends_at - self.starts_at).total_seconds() > MEETING_MAX_HOURS * 3600:
                raise ValidationError(
                    {"ends_at": _("一次预订最长%(hours)s小时，跨天会议请分段预订。") % {"hours": MEETING_MAX_HOURS}}
                )


class RoomBooking(models.Model):
    """会议室预订台账: one row per submission of a 会议室预订 request."""

    class Status(models.TextChoices):
        HELD = "held", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        CANCELLED = "cancelled", _("已取消")

    room = models.ForeignKey(
        "officespace.Room", on_delete=models.PROTECT, related_name="bookings", verbose_name=_("会议室")
    )
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="+", verbose_name=_("预订申请"))
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("预订单位"))
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("预订人")
    )
    topic = models.CharField(_("会议名称"), max_length=200)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.HELD)
    created_at = models.DateTimeField(_("预订时间"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("会议室预订台账")
        verbose_name_plural = _("会议室预订台账")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["room", "starts_at"]),
            models.Index(fields=["starts_at"], condition=~models.Q(status="cancelled"), name="booking_live_starts"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after"),
            # One live booking per request (a resubmission books again after its first was let go).
            models.UniqueConstraint(
                fields=["ticket"], condition=~models.Q(status="cancelled"), name="booking_one_live_per_ticket"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def shown_cancel_reason(self) -> str:
        if self.cancel_reason in SYSTEM_CANCEL_REASONS:
            return gettext(self.cancel_reason)
        return self.cancel_reason
