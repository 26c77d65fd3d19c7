from decimal import Decimal

from django import forms
from django.utils import timezone

from datahub import scoping
from datahub.forms import PersonLookupField, UnitChoiceField, editable_units
from datahub.models import User

from . import rules, services
from .models import CostRecord, Disposal, Driver, TripRequest, Vehicle
from .selectors import FLEET_EDITORS

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
D = forms.DateInput(attrs={"type": "date"})


class TripRequestForm(forms.ModelForm):
    class Meta:
        model = TripRequest
        fields = [
            "starts_at",
            "ends_at",
            "origin",
            "destinations",
            "passengers",
            "passenger_names",
            "purpose",
            "category",
            "needs_driver",
            "out_of_city",
            "emergency",
        ]
        widgets = {"starts_at": DT, "ends_at": DT, "purpose": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "out_of_city": "出本市行政区域的用车须增加一级审批。",
            "emergency": "紧急用车直接转调度派车，事后由处室负责人审核。",
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end:
            if end <= start:
                self.add_error("ends_at", "用车结束时间必须晚于开始时间。")
            now = timezone.now()
            if not data.get("emergency") and start < now:
                self.add_error("starts_at", "用车开始时间不能早于现在（紧急用车除外）。")
            if start > now + timezone.timedelta(days=rules.BOOKING_MAX_DAYS_AHEAD):
                self.add_error("starts_at", f"最多可提前{rules.BOOKING_MAX_DAYS_AHEAD}天预约用车。")
        return data


class TripReturnForm(forms.Form):
    """What the dispatcher records when the vehicle comes back; it closes the ticket."""

    returned_at = forms.DateTimeField(label="归还时间", widget=DT, required=False, help_text="留空为现在。")
    odometer_in = forms.IntegerField(label="归还里程表读数（公里）", min_value=0)
    fuel_litres = forms.DecimalField(label="途中加油（升）", required=False, min_value=Decimal("0"), decimal_places=2)
    fuel_cost = forms.DecimalField(label="加油金额（元）", required=False, min_value=Decimal("0"), decimal_places=2)
    toll_cost = forms.DecimalField(label="通行费（元）", required=False, min_value=Decimal("0"), decimal_places=2)
    parking_cost = forms.DecimalField(label="停车费（元）", required=False, min_value=Decimal("0"), decimal_places=2)
    notes = forms.CharField(label="备注", required=False, max_length=500)


class VehicleForm(forms.ModelForm):
    class Meta:
        model = Vehicle
        fields = services.VEHICLE_FIELDS
        widgets = {"purchase_date": D}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"] = UnitChoiceField(label="所属单位", queryset=editable_units(actor, FLEET_EDITORS))

    def _post_clean(self):
        pass  # the service validates the whole row (plate, VIN, caps, quota)


class DriverForm(forms.ModelForm):
    person = PersonLookupField(label="人员")

    class Meta:
        model = Driver
        # The unit is the person's (directory), derived by the service.
        fields = [f for f in services.DRIVER_FIELDS if f != "org_unit"]
        widgets = {"licence_expires": D}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = scoping.scope(User.objects.all(), actor, roles=FLEET_EDITORS)
        self.fields["person"].help_text = "填写人员名录中的用户名或姓名；所属单位取自人员名录。"
        if self.instance.pk:
            self.initial["person"] = self.instance.person.username

    def _post_clean(self):
        pass


class RecordForm(forms.ModelForm):
    class Meta:
        model = CostRecord
        fields = services.RECORD_FIELDS
        widgets = {"date": D, "valid_until": D}
        help_texts = {"fuel": "加油/充电记录：燃料取自车辆的能源类型，插电混动、增程式车辆须选择本次加的是油还是电。"}

    def _post_clean(self):
        pass


class DisposalForm(forms.ModelForm):
    class Meta:
        model = Disposal
        fields = ["method", "date", "proceeds", "document", "note"]
        widgets = {"date": D}

    def _post_clean(self):
        pass


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="状态",
        choices=[
            (s.value, s.label)
            for s in (rules.VehicleStatus.AVAILABLE, rules.VehicleStatus.MAINTENANCE, rules.VehicleStatus.SEALED)
        ],
    )


class DepartForm(forms.Form):
    odometer_km = forms.IntegerField(label="出车里程表读数（公里）", min_value=0)


class ReviewForm(forms.Form):
    comment = forms.CharField(label="事后审核意见", max_length=300)


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel文件（.xlsx）")


class PurchaseCheckForm(forms.Form):
    """采购前核对: would this purchase fit the caps and the unit's quota?"""

    org_unit = UnitChoiceField(label="购置单位", queryset=None)
    category = forms.ChoiceField(label="车辆类别", choices=rules.Category.choices)
    energy_type = forms.ChoiceField(label="能源类型", choices=rules.EnergyType.choices)
    price = forms.DecimalField(label="预计购置价格（元）", min_value=Decimal("0"), max_digits=12, decimal_places=2)
    displacement = forms.DecimalField(
        label="排量（升）", required=False, min_value=Decimal("0"), max_digits=3, decimal_places=1
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = editable_units(actor, FLEET_EDITORS)
