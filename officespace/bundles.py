"""The 一件事 bundles that start from office space, declared as data for the portal's engine: which
request kinds each files, how the bundle form's fields fill theirs, which waits for which.

The person's unit, rank and post are read from their directory entry, never typed again. The 会议一件事
books a 会议室 from the office-space ledger (no double booking), guests' cars and the items needed."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from datahub.keyed import Keyed
from portal.accounts import people_of
from portal.registry import BundleKind, Member, holdings_of

from . import rules
from .meeting_forms import DT, MeetingRoomField, MeetingWindowMixin

# A newcomer's seat is asked for at the general staff standard; the space administrator applies the
# person's own standard (from their rank) when assigning the room.
NEWCOMER_SEAT_AREA = Decimal("9.00")
OFFICE_LEDGER, ASSET_LEDGER, DUTY_LEDGER = "办公用房", "资产", "车辆"


class _PersonForm(forms.Form):
    """A colleague of the requester's own unit (or below), picked from the directory."""

    person = forms.ModelChoiceField(label=_("人员"), queryset=None)

    def __init__(self, *args, requester=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_of(requester)
        self.fields["person"].label_from_instance = lambda u: f"{u.name}（{u.org_unit.name if u.org_unit else ''}）"


class OnboardingForm(_PersonForm):
    start_on = forms.DateField(label=_("到岗日期"), widget=forms.DateInput(attrs={"type": "date"}))
    roles = forms.CharField(
        label=_("需要的平台角色"), max_length=200, required=False, help_text=_("如：处室负责人；可不填。")
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def clean_start_on(self):
        day = self.cleaned_data["start_on"]
        if day < timezone.localdate():
            raise ValidationError(_("到岗日期不能早于今天。"))
        return day


class LeavingForm(_PersonForm):
    last_day = forms.DateField(label=_("最后工作日"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(
        label=_("离岗原因"),
        choices=[("retire", _("退休")), ("transfer", _("调离")), ("deactivated", _("在组织目录中停用"))],
    )

    def clean(self):
        data = super().clean()
        person = data.get("person")
        if person is not None:
            # What the person holds, from the ledgers (rooms, asset cards, duties) — not typed by anyone.
            data["holdings"] = holdings_of(person)
        return data


# What a bundle writes into its member requests is written as the requester would have typed it: in the language
# they file in (the request's), so an English filer's seat request reads "New hire: …", a Chinese one 新人入职：….
def _who(person) -> str:
    values = {
        "name": person.name,
        "unit": person.org_unit.name if person.org_unit else "",
        "rank": person.get_rank_display() if person.rank else person.get_post_level_display(),
        "title": person.job_title,
    }
    if person.job_title:
        return gettext("%(name)s（%(unit)s，%(rank)s，%(title)s）") % values
    return gettext("%(name)s（%(unit)s，%(rank)s）") % values


def _lines(data, ledger) -> str:
    return "\n".join(data.get("holdings", {}).get(ledger, []))


ONBOARDING = BundleKind(
    code="onboarding",
    label=_("新人入职一件事"),
    description=_("一次申请：办公座位、计算机及办公设备、平台账号与角色"),
    form_class=OnboardingForm,
    title=lambda *, data: Keyed(gettext_noop("新人入职：%(name)s"), {"name": data["person"].name}),
    members=(
        Member(
            key="seat",
            kind="space_adjustment",
            label=_("办公座位"),
            fields=lambda *, data, requester: {
                "purpose": "more",
                "requested_area": NEWCOMER_SEAT_AREA,
                "headcount": 1,
                "reason": gettext("新人入职：%(who)s，%(day)s到岗。%(note)s")
                % {"who": _who(data["person"]), "day": f"{data['start_on']:%Y-%m-%d}", "note": data.get("note", "")},
            },
        ),
        Member(
            key="equipment",
            kind="asset_requisition",
            label=_("计算机及办公设备"),
            after="seat",
            fields=lambda *, data, requester: {
                "item_name": "台式计算机",
                "category": "A020101",  # GB/T 14885 计算机
                "quantity": 1,
                "purpose": gettext("新人入职：%(who)s（按配置标准）") % {"who": _who(data["person"])},
                "needed_by": data["start_on"],
            },
        ),
        Member(
            key="account",
            kind="account",
            label=_("平台账号与角色"),
            fields=lambda *, data, requester: {
                "person": data["person"],
                "action": "open",
                "roles": data.get("roles", ""),
                "effective_on": data["start_on"],
                "note": gettext("新人入职：%(who)s") % {"who": _who(data["person"])},
            },
        ),
    ),
)


def _handover(key, kind, label, ledger, due):
    return Member(
        key=key,
        kind=kind,
        label=label,
        when=lambda *, data: bool(data.get("holdings", {}).get(ledger)),
        fields=lambda *, data, requester: {
            "person": data["person"],
            "holdings": _lines(data, ledger),
            "due_on": due(data["last_day"]),
        },
    )


LEAVING = BundleKind(
    code="leaving",
    label=_("人员离岗一件事"),
    description=_("退休或调离：交回办公用房（一个月内）、交还资产、解除驾驶职责、最后工作日注销账号"),
    form_class=LeavingForm,
    title=lambda *, data: Keyed(gettext_noop("人员离岗：%(name)s"), {"name": data["person"].name}),
    # A deactivation or a move in the directory files it by itself.
    on_leaving=lambda *, person, reason, last_day: {"person": person.pk, "reason": reason, "last_day": last_day},
    members=(
        _handover(
            "office",
            "office_handover",
            _("退还办公用房"),
            OFFICE_LEDGER,
            # A leaver's office is handed back within one month.
            lambda day: rules.add_months(day, rules.LEAVER_RETURN_MONTHS),
        ),
        _handover("assets", "asset_handover", _("交还资产"), ASSET_LEDGER, lambda day: day),
        _handover("duties", "duty_handover", _("解除驾驶员职责"), DUTY_LEDGER, lambda day: day),
        Member(
            key="account",
            kind="account",
            label=_("注销平台账号"),
            fields=lambda *, data, requester: {
                "person": data["person"],
                "action": "close",
                "effective_on": data["last_day"],
                "note": gettext("%(reason)s，最后工作日注销。")
                % {"reason": dict(LeavingForm.base_fields["reason"].choices)[data["reason"]]},
            },
        ),
    ),
)


# What a meeting may ask the asset administrator for, by GB/T 14885 category (the requisition's field).
MEETING_ITEM_CATEGORIES = (
    ("A0202", _("办公设备（投影仪、电子白板等）")),
    ("A0209", _("广播、电视、电影设备（音响、话筒等）")),
    ("A0201", _("信息化设备（笔记本电脑等）")),
    ("A05010303", _("会议椅")),
)


class MeetingForm(MeetingWindowMixin, forms.Form):
    """会议一件事: the room and window once; guests' cars and items only when needed."""

    topic = forms.CharField(label=_("会议名称"), max_length=200, error_messages={"required": _("会议名称：请填写。")})
    room = MeetingRoomField()
    starts_at = forms.DateTimeField(
        label=_("会议开始"),
        widget=DT,
        error_messages={"required": _("会议开始：请填写。"), "invalid": _("会议开始：请填写正确的日期时间。")},
    )
    ends_at = forms.DateTimeField(
        label=_("会议结束"),
        widget=DT,
        error_messages={"required": _("会议结束：请填写。"), "invalid": _("会议结束：请填写正确的日期时间。")},
    )
    attendees = forms.IntegerField(
        label=_("参会人数"),
        min_value=1,
        max_value=rules.MEETING_MAX_ATTENDEES,
        error_messages={
            "required": _("参会人数：请填写。"),
            "invalid": _("参会人数：请填写整数。"),
            "min_value": _("参会人数：至少为1。"),
            "max_value": _("参会人数：不能超过%(limit_value)s。"),
        },
    )
    guests = forms.CharField(
        label=_("需接送的来宾"),
        max_length=200,
        required=False,
        help_text=_("如“王某（某厅）”，多人用逗号分隔；不需用车可不填。"),
    )
    pickup_from = forms.CharField(
        label=_("来宾接送地点"), max_length=100, required=False, help_text=_("填写来宾时必填。")
    )
    items = forms.CharField(
        label=_("所需物品"), max_length=100, required=False, help_text=_("如“投影仪”；不需要可不填。")
    )
    item_category = forms.ChoiceField(
        label=_("物品分类"), choices=(("", "—"), *MEETING_ITEM_CATEGORIES), required=False
    )
    item_quantity = forms.IntegerField(
        label=_("物品数量"), min_value=1, required=False, error_messages={"min_value": _("物品数量：至少为1。")}
    )

    def __init__(self, *args, requester=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_room(requester)

    def clean(self):
        data = super().clean()
        self._check_window(data)
        if (data.get("guests") or "").strip() and not (data.get("pickup_from") or "").strip():
            self.add_error("pickup_from", _("来宾接送地点：填写了需接送的来宾时必填。"))
        if (data.get("items") or "").strip():
            if not data.get("item_category"):
                self.add_error("item_category", _("物品分类：填写了所需物品时必选。"))
            if not data.get("item_quantity"):
                self.add_error("item_quantity", _("物品数量：填写了所需物品时必填。"))
        return data


def _margin():
    return timedelta(hours=rules.GUEST_CAR_MARGIN_HOURS)


MEETING = BundleKind(
    code="meeting",
    label=_("会议一件事"),
    description=_("一次申请：会议室（不重复预订）、来宾用车、会议所需物品"),
    form_class=MeetingForm,
    title=lambda *, data: Keyed(gettext_noop("会议：%(topic)s"), {"topic": data["topic"]}),
    members=(
        Member(
            key="room",
            kind="meeting_room",
            label=_("会议室"),
            fields=lambda *, data, requester: {
                "topic": data["topic"],
                "room": data["room"],
                "starts_at": data["starts_at"],
                "ends_at": data["ends_at"],
                "attendees": data["attendees"],
            },
        ),
        Member(
            key="cars",
            kind="vehicle_trip",
            label=_("来宾用车"),
            after="room",
            when=lambda *, data: bool((data.get("guests") or "").strip()),
            fields=lambda *, data, requester: {
                "starts_at": data["starts_at"] - _margin(),
                "ends_at": data["ends_at"] + _margin(),
                "origin": data["pickup_from"],
                "destinations": gettext("%(building)s（%(address)s）")
                % {"building": data["room"].building.name, "address": data["room"].building.address},
                "riders": "",
                "guests": data["guests"],
                "purpose": gettext("会议来宾接送：%(topic)s") % {"topic": data["topic"]},
                "category": "other",
                "needs_driver": True,
            },
        ),
        Member(
            key="items",
            kind="asset_requisition",
            label=_("会议所需物品"),
            after="room",
            when=lambda *, data: bool((data.get("items") or "").strip()),
            fields=lambda *, data, requester: {
                "item_name": data["items"],
                "category": data["item_category"],
                "quantity": data["item_quantity"],
                "purpose": gettext("会议：%(topic)s（%(at)s）")
                % {"topic": data["topic"], "at": f"{timezone.localtime(data['starts_at']):%Y-%m-%d %H:%M}"},
                "needed_by": timezone.localdate(data["starts_at"]),
            },
        ),
    ),
)

BUNDLES = (ONBOARDING, LEAVING, MEETING)
