from decimal import Decimal

from django import forms

from datahub import scoping
from datahub.forms import PersonLookupField, editable_units
from datahub.models import User
from portal.models import Ticket

from . import selectors, services
from .models import AdjustmentRequest, Assessment, Building, Occupancy, RepairRequest, Room, Supply
from .selectors import SPACE_READERS


class RepairRequestForm(forms.ModelForm):
    takes_requester = True  # the portal passes the requester: only their unit line's rooms are offered
    room = forms.ModelChoiceField(
        queryset=Room.objects.none(),
        required=False,
        label="房间",
        help_text="本单位使用的房间（可不选，在“报修地点”中说明即可）。",
    )

    def __init__(self, *args, requester=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = selectors.repair_rooms_for(requester)

    class Meta:
        model = RepairRequest
        fields = [
            "location",
            "room",
            "category",
            "description",
            "urgent",
            "is_major",
            "estimated_cost",
            "contact_phone",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RepairOutcomeForm(forms.Form):
    cost = forms.DecimalField(label="维修费用（元）", min_value=Decimal("0"), max_digits=12, decimal_places=2)
    parts = forms.CharField(label="更换配件", required=False, max_length=500)
    result = forms.CharField(label="处理结果", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class AdjustmentRequestForm(forms.ModelForm):
    class Meta:
        model = AdjustmentRequest
        fields = ["purpose", "requested_area", "headcount", "reason", "side_post", "lease_exception"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}


class AdjustmentOutcomeForm(forms.Form):
    supply = forms.ChoiceField(label="解决方式", choices=Supply.choices, help_text="供给顺序：调剂→置换→租用→建设。")
    room = forms.ModelChoiceField(
        queryset=Room.objects.filter(is_active=True),
        required=False,
        widget=forms.NumberInput,
        label="房间编号",
        help_text="调剂给申请单位或作为第二办公室的房间（房间页面上的编号）。",
    )
    why_not_reallocate = forms.CharField(label="未能调剂、置换的原因", required=False, max_length=500)
    result = forms.CharField(label="办理结果", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class BuildingForm(forms.ModelForm):
    class Meta:
        model = Building
        fields = list(services.BUILDING_FIELDS)  # the fields the service accepts, as in the admin

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = editable_units(actor, services.SPACE_EDITORS)

    def _post_clean(self):
        pass  # the service validates the whole row (and knows the rooms)


class FloorForm(forms.Form):
    number = forms.IntegerField(label="楼层", help_text="地下层用负数。")
    use_area = forms.DecimalField(label="本层使用面积（m²）", required=False, max_digits=12, decimal_places=2)


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = list(services.ROOM_FIELDS)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = editable_units(actor, services.SPACE_EDITORS)

    def _post_clean(self):
        pass


class OccupancyForm(forms.Form):
    person = PersonLookupField(label="人员")
    start_date = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_main = forms.BooleanField(label="主办公室", required=False, initial=True)
    approval_ticket = forms.ModelChoiceField(
        queryset=Ticket.objects.filter(kind="space_adjustment"),
        required=False,
        widget=forms.NumberInput,
        label="批准的申请编号",
        help_text="第二办公室须填写已批准的用房调整申请编号。",
    )
    note = forms.CharField(label="备注", required=False, max_length=300)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = scoping.scope(User.objects.all(), actor, roles=SPACE_READERS)


class EndOccupancyForm(forms.Form):
    end_date = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="说明", required=False, max_length=300)


class PostEndForm(forms.Form):
    ended_on = forms.DateField(label="离岗/兼职结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(label="原因", choices=Occupancy.PostEnd.choices)


class HandleForm(forms.Form):
    status = forms.ChoiceField(label="整改状态", choices=Assessment.Status.choices)
    remedy = forms.ChoiceField(label="整改方式", choices=Assessment.Remedy.choices, required=False)
    reason = forms.CharField(label="整改说明/备案理由", required=False, max_length=500)
    attachment = forms.FileField(label="备案附件", required=False)
