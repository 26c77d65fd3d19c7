"""Forms of the meeting-room booking: the 会议室预订 request (alone or inside the 会议一件事) and the space
administrator's cancellation. Every error names its field in Chinese; the same rules are checked again
by officespace.meetings.book_room when the request is submitted."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import meetings, rules
from .meeting_models import MeetingRoomRequest
from .models import Room
from .selectors import meetings as meeting_selectors

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingRoomField(forms.ModelChoiceField):
    """A 会议室 on the requester's unit line. A room the requester cannot see is "not found" (never
    described); a room they can see that is not a meeting room is named as such."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Room.objects.none())
        kwargs.setdefault("label", _("会议室"))
        kwargs.setdefault("help_text", _("本单位（含上级单位）的会议室。"))
        super().__init__(*args, **kwargs)
        self.requester = None

    def label_from_instance(self, obj):
        return f"{obj.building.name} {obj.number}（{obj.use_area}m²）"

    def to_python(self, value):
        if value in self.empty_values:
            return None
        room, is_meeting = meeting_selectors.bookable_room_of(self.requester, value)
        if room is None:
            raise forms.ValidationError(_("会议室：没有这个会议室，或不属于本单位（含上级单位），不能预订。"))
        if not is_meeting:
            raise forms.ValidationError(_("会议室：%(room)s不是在用的会议室。") % {"room": room})
        return room

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(_("会议室：请选择。"))


class MeetingWindowMixin:
    """room + starts_at + ends_at checked together: the window is in the future, ends after it starts, is
    not longer than one sitting, not too far ahead, and no live booking of the room overlaps it."""

    def _setup_room(self, requester):
        self.requester = requester
        field = self.fields["room"]
        field.requester = requester
        field.queryset = meeting_selectors.meeting_rooms_for(requester)

    def _check_window(self, data):
        room, start, end = data.get("room"), data.get("starts_at"), data.get("ends_at")
        if not (start and end):
            return
        now = timezone.now()
        if end <= start:
            self.add_error("ends_at", _("会议结束：必须晚于会议开始时间。"))
        elif start < now:
            self.add_error("starts_at", _("会议开始：不能早于现在。"))
        elif start > now + timedelta(days=rules.MEETING_BOOK_DAYS_AHEAD):
            self.add_error(
                "starts_at", _("会议开始：最多可提前%(days)s天预订。") % {"days": rules.MEETING_BOOK_DAYS_AHEAD}
            )
        elif end - start > timedelta(hours=rules.MEETING_MAX_HOURS):
            self.add_error(
                "ends_at",
                _("会议结束：一次预订最长%(hours)s小时，跨天会议请分段预订。") % {"hours": rules.MEETING_MAX_HOURS},
            )
        elif room is not None:
            try:
                meetings.check_window(room=room, starts_at=start, ends_at=end)
            except forms.ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        self.add_error(field, message)


class MeetingRoomRequestForm(MeetingWindowMixin, forms.ModelForm):
    takes_requester = True
    room = MeetingRoomField()

    def __init__(self, *args, requester=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_room(requester)

    def clean(self):
        data = super().clean()
        self._check_window(data)
        return data

    class Meta:
        model = MeetingRoomRequest
        fields = ["topic", "room", "starts_at", "ends_at", "attendees"]
        widgets = {"starts_at": DT, "ends_at": DT}
        error_messages = {
            "topic": {"required": _("会议名称：请填写。")},
            "starts_at": {"required": _("会议开始：请填写。"), "invalid": _("会议开始：请填写正确的日期时间。")},
            "ends_at": {"required": _("会议结束：请填写。"), "invalid": _("会议结束：请填写正确的日期时间。")},
            "attendees": {"invalid": _("参会人数：请填写整数。")},
        }


class MeetingOutcomeForm(forms.Form):
    """A 会议室预订 is done on approval; nothing is recorded by a handler."""


class CancelBookingForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, error_messages={"required": _("取消原因：请填写。")})
