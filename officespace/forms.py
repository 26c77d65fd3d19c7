from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from datahub import scoping
from datahub import selectors as directory
from datahub.forms import PersonLookupField, UnitChoiceField, editable_units
from datahub.models import User
from portal.models import Ticket

from . import selectors, services
from .models import AdjustmentRequest, Assessment, Building, RepairRequest, Room, Supply
from .selectors import SPACE_READERS


class RoomPickField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        mine = _("（我的办公室）") if getattr(obj, "rank", None) == 0 else ""
        return f"{selectors.repair_location(obj)}{mine}"


class RepairRequestForm(forms.ModelForm):
    """维修报修: the room is picked (the requester's own rooms first, then their building's) and the 报修地点
    is derived from it; the contact phone starts as the directory's. Only a place that is not a room
    (a corridor, the yard) is typed."""

    takes_requester = True  # the portal passes the requester: only their unit line's rooms are offered
    room = RoomPickField(
        queryset=Room.objects.none(),
        required=False,
        label=_("房间"),
        empty_label=_("（不是房间：在“报修地点”中填写）"),
        help_text=_("您的办公室排在最前，其次是您所在楼宇的房间；选择房间后报修地点自动取自房间。"),
    )

    def __init__(self, *args, requester=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.requester = requester
        self.fields["room"].queryset = selectors.repair_rooms_for(requester)
        self.fields["location"].required = False
        self.fields["location"].help_text = _("仅在报修位置不是房间（如走廊、院内）时填写。")
        self.fields["contact_phone"].required = False
        self.fields["contact_phone"].help_text = _("默认取人员名录中您的电话，可改为现场联系人的电话。")
        if not self.instance.pk and requester is not None and requester.phone:
            self.initial.setdefault("contact_phone", requester.phone)

    def clean(self):
        data = super().clean()
        room = data.get("room")
        if room is not None:
            data["location"] = selectors.repair_location(room)
        elif not (data.get("location") or "").strip() and "room" not in self.errors:
            self.add_error("location", _("报修地点：请选择房间，或填写不是房间的报修位置。"))
        if not (data.get("contact_phone") or "").strip() and "contact_phone" not in self.errors:
            phone = getattr(self.requester, "phone", "") or ""
            if phone:
                data["contact_phone"] = phone
            else:
                self.add_error("contact_phone", _("联系电话：人员名录中没有您的电话，请填写。"))
        return data

    class Meta:
        model = RepairRequest
        fields = [
            "room",
            "location",
            "category",
            "description",
            "urgent",
            "is_major",
            "estimated_cost",
            "contact_phone",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RepairOutcomeForm(forms.Form):
    cost = forms.DecimalField(label=_("维修费用（元）"), min_value=Decimal("0"), max_digits=12, decimal_places=2)
    parts = forms.CharField(label=_("更换配件"), required=False, max_length=500)
    result = forms.CharField(label=_("处理结果"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class AdjustmentRequestForm(forms.ModelForm):
    """用房调整申请: 涉及人数 is not typed — it is the directory's headcount of the requester's unit (one person
    for a second office), shown on the form and stored with the request as it was when filed."""

    takes_requester = True
    side_post = forms.ModelChoiceField(
        queryset=directory.side_posts_of(None),
        required=False,
        label=_("兼职岗位"),
        help_text=_("申请第二办公室时选择；兼职岗位由人事部门在人员名录中登记，此处不再填写。"),
        error_messages={"invalid_choice": _("兼职岗位：人员名录中没有您的这个在任兼职岗位。")},
    )

    def __init__(self, *args, requester=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.requester = requester
        self.fields["side_post"].queryset = directory.side_posts_of(requester, active_only=True)
        self.unit_headcount = selectors.unit_headcount(getattr(requester, "org_unit", None))
        unit = getattr(getattr(requester, "org_unit", None), "name", _("本部门"))
        self.fields["requested_area"].help_text = _(
            "涉及人数取自人员名录：%(unit)s现有 %(n)s 人（申请第二办公室按 1 人）。"
        ) % {
            "unit": unit,
            "n": self.unit_headcount,
        }

    def clean(self):
        data = super().clean()
        if getattr(self.requester, "org_unit", None) is None:
            raise forms.ValidationError(_("您尚未分配所在单位，无法申请用房调整。"))
        second = data.get("purpose") == AdjustmentRequest.Purpose.SECOND_OFFICE
        data["headcount"] = 1 if second else self.unit_headcount
        return data

    def _post_clean(self):
        self.instance.headcount = self.cleaned_data.get("headcount", self.instance.headcount)
        super()._post_clean()

    class Meta:
        model = AdjustmentRequest
        fields = ["purpose", "requested_area", "reason", "side_post", "lease_exception"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}


class AdjustmentOutcomeForm(forms.Form):
    supply = forms.ChoiceField(
        label=_("解决方式"), choices=Supply.choices, help_text=_("供给顺序：调剂→置换→租用→建设。")
    )
    room = forms.ModelChoiceField(
        queryset=Room.objects.filter(is_active=True),
        required=False,
        widget=forms.NumberInput,
        label=_("房间编号"),
        help_text=_("调剂给申请单位或作为第二办公室的房间（房间页面上的编号）。"),
    )
    why_not_reallocate = forms.CharField(label=_("未能调剂、置换的原因"), required=False, max_length=500)
    result = forms.CharField(label=_("办理结果"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class BuildingForm(forms.ModelForm):
    class Meta:
        model = Building
        fields = list(services.BUILDING_FIELDS)  # the fields the service accepts, as in the admin
        field_classes = {"org_unit": UnitChoiceField}  # 财政厅 › 办公室: many departments share a name

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = editable_units(actor, services.SPACE_EDITORS)

    def _post_clean(self):
        pass  # the service validates the whole row (and knows the rooms)


class FloorForm(forms.Form):
    number = forms.IntegerField(label=_("楼层"), help_text=_("地下层用负数。"))
    use_area = forms.DecimalField(label=_("本层使用面积（m²）"), required=False, max_digits=12, decimal_places=2)


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = list(services.ROOM_FIELDS)
        field_classes = {"org_unit": UnitChoiceField}  # 财政厅 › 办公室: many departments share a name

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = editable_units(actor, services.SPACE_EDITORS)

    def _post_clean(self):
        pass


class OccupancyForm(forms.Form):
    person = PersonLookupField(label=_("人员"))
    start_date = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    is_main = forms.BooleanField(label=_("主办公室"), required=False, initial=True)
    approval_ticket = forms.ModelChoiceField(
        queryset=Ticket.objects.filter(kind="space_adjustment"),
        required=False,
        widget=forms.NumberInput,
        label=_("批准的申请编号"),
        help_text=_("第二办公室须填写已批准的用房调整申请编号。"),
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=300)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = scoping.scope(User.objects.all(), actor, roles=SPACE_READERS)


class EndOccupancyForm(forms.Form):
    end_date = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明"), required=False, max_length=300)


class HandleForm(forms.Form):
    status = forms.ChoiceField(label=_("整改状态"), choices=Assessment.Status.choices)
    remedy = forms.ChoiceField(label=_("整改方式"), choices=Assessment.Remedy.choices, required=False)
    reason = forms.CharField(label=_("整改说明/备案理由"), required=False, max_length=500)
    attachment = forms.FileField(label=_("备案附件"), required=False)
