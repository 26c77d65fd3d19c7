import re
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from datahub import scoping
from datahub.forms import PersonLookupField, UnitChoiceField, editable_units
from datahub.keyed import listed
from datahub.models import OrgUnit, User
from datahub.selectors import institution_id_of

from . import rules, services
from .models import CostRecord, Driver, TripRequest, Vehicle
from .selectors import FLEET_EDITORS

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
D = forms.DateInput(attrs={"type": "date"})


def _names(text: str) -> list[str]:
    return [n for n in re.split(r"[,，、;；\s]+", text or "") if n]


class TripRequestForm(forms.ModelForm):
    """用车申请: the passengers are picked from the directory (people of the requester's 机关/单位); only guests
    from outside are typed. 乘车人 and 乘车人数 are derived from the two."""

    takes_requester = True
    riders = forms.CharField(
        label=_("乘车人"),
        required=False,
        max_length=300,
        help_text=_("填写本单位人员名录中的用户名或姓名，多人用逗号分隔；留空为申请人本人。"),
    )
    guests = forms.CharField(
        label=_("外单位来宾"),
        required=False,
        max_length=200,
        help_text=_("仅填写人员名录以外的来宾，如“王某（某公司）”，多人用逗号分隔。"),
    )
    field_order = ["starts_at", "ends_at", "origin", "destinations", "riders", "guests"]

    def __init__(self, *args, requester=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.requester = requester
        if self.instance.pk:
            self.initial.setdefault("riders", "，".join(p.username for p in self.instance.riders.all()))
            self.initial.setdefault("guests", "，".join(_names(self.instance.guest_names)))

    def clean_riders(self):
        names = list(dict.fromkeys(_names(self.cleaned_data.get("riders"))))
        if not names:
            return [self.requester] if self.requester is not None else []
        unit_id = institution_id_of(getattr(self.requester, "org_unit_id", None))
        pool = User.objects.filter(is_active=True, org_unit__isnull=False)
        pool = pool.filter(org_unit__path__startswith=OrgUnit.objects.get(pk=unit_id).path) if unit_id else pool.none()
        people, errors = [], []
        for name in names:
            found = list(pool.filter(Q(username=name) | Q(name=name)).order_by("username")[:5])
            if not found:
                errors.append(
                    _("乘车人：“%(name)s”不在本单位人员名录中，外单位来宾请填在“外单位来宾”中。") % {"name": name}
                )
            elif len(found) > 1:
                errors.append(
                    _("乘车人：有多人叫“%(name)s”，请改填用户名（%(usernames)s）。")
                    % {"name": name, "usernames": listed(u.username for u in found)}
                )
            else:
                people.append(found[0])
        if errors:
            raise forms.ValidationError(errors)
        return list(dict.fromkeys(people))

    def clean(self):
        data = super().clean()
        people, guests = data.get("riders"), _names(data.pop("guests", ""))
        if people is not None:
            # Links to the directory's people (the M2M ``riders``, set by the portal after the save); only
            # guests are kept as text.
            guest_text = "、".join(dict.fromkeys(guests))
            if len(guest_text) > 200:
                self.add_error("guests", _("外单位来宾过多：姓名合计不能超过200字。"))
            data["passengers"] = max(1, len(people) + len(dict.fromkeys(guests)))
            data["guest_names"] = guest_text
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end:
            if end <= start:
                self.add_error("ends_at", _("用车结束时间必须晚于开始时间。"))
            now = timezone.now()
            if not data.get("emergency") and start < now:
                self.add_error("starts_at", _("用车开始时间不能早于现在（紧急用车除外）。"))
            if start > now + timezone.timedelta(days=rules.BOOKING_MAX_DAYS_AHEAD):
                self.add_error(
                    "starts_at",
                    _("最多可提前%(days)s天预约用车。") % {"days": rules.BOOKING_MAX_DAYS_AHEAD},
                )
        return data

    def _post_clean(self):
        for name in ("passengers", "guest_names"):
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()

    class Meta:
        model = TripRequest
        fields = [
            "starts_at",
            "ends_at",
            "origin",
            "destinations",
            "purpose",
            "category",
            "needs_driver",
            "out_of_city",
            "emergency",
        ]
        widgets = {"starts_at": DT, "ends_at": DT, "purpose": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "out_of_city": _("出本市行政区域的用车须增加一级审批。"),
            "emergency": _("紧急用车直接转调度派车，事后由处室负责人审核。"),
        }


class TripReturnForm(forms.Form):
    """What the dispatcher records when the vehicle comes back; it closes the ticket."""

    returned_at = forms.DateTimeField(label=_("归还时间"), widget=DT, required=False, help_text=_("留空为现在。"))
    odometer_in = forms.IntegerField(label=_("归还里程表读数（公里）"), min_value=0)
    fuel_litres = forms.DecimalField(
        label=_("途中加油（升）"), required=False, min_value=Decimal("0"), decimal_places=2
    )
    fuel_cost = forms.DecimalField(label=_("加油金额（元）"), required=False, min_value=Decimal("0"), decimal_places=2)
    toll_cost = forms.DecimalField(label=_("通行费（元）"), required=False, min_value=Decimal("0"), decimal_places=2)
    parking_cost = forms.DecimalField(label=_("停车费（元）"), required=False, min_value=Decimal("0"), decimal_places=2)
    notes = forms.CharField(label=_("备注"), required=False, max_length=500)


class VehicleForm(forms.ModelForm):
    """A new vehicle brings its asset card: the purchase price and date (a card is booked from them) or
    the number of the card that holds them. Afterwards they are the card's and are not edited here."""

    purchase_price = forms.DecimalField(
        label=_("购置价格（元）"), required=False, min_value=Decimal("0"), max_digits=12, decimal_places=2
    )
    purchase_date = forms.DateField(label=_("购置日期"), required=False, widget=D)
    asset_number = forms.CharField(
        label=_("已有资产卡片编号"),
        required=False,
        max_length=40,
        help_text=_(
            "车辆已在资产管理中建卡的，填写卡片编号（购置价格、日期以卡片为准，不必再填）；否则按上面两项建卡入账。"
        ),
    )

    class Meta:
        model = Vehicle
        fields = services.VEHICLE_FIELDS

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"] = UnitChoiceField(label=_("所属单位"), queryset=editable_units(actor, FLEET_EDITORS))
        if self.instance.pk:
            for name in services.CARD_FIELDS:
                del self.fields[name]

    def _post_clean(self):
        pass  # the service validates the whole row (plate, VIN, caps, quota)


class DriverForm(forms.ModelForm):
    person = PersonLookupField(label=_("人员"))

    class Meta:
        model = Driver
        # The unit is the person's (directory), derived by the service.
        fields = [f for f in services.DRIVER_FIELDS if f != "org_unit"]
        widgets = {"licence_expires": D}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = scoping.scope(User.objects.all(), actor, roles=FLEET_EDITORS)
        self.fields["person"].help_text = _("填写人员名录中的用户名或姓名；所属单位取自人员名录。")
        if self.instance.pk:
            self.initial["person"] = self.instance.person.username

    def _post_clean(self):
        pass


class RecordForm(forms.ModelForm):
    class Meta:
        model = CostRecord
        fields = services.RECORD_FIELDS
        widgets = {"date": D, "valid_until": D}
        help_texts = {
            "fuel": _("加油/充电记录：燃料取自车辆的能源类型，插电混动、增程式车辆须选择本次加的是油还是电。")
        }

    def _post_clean(self):
        pass


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[
            (s.value, s.label)
            for s in (rules.VehicleStatus.AVAILABLE, rules.VehicleStatus.MAINTENANCE, rules.VehicleStatus.SEALED)
        ],
    )


class DepartForm(forms.Form):
    odometer_km = forms.IntegerField(label=_("出车里程表读数（公里）"), min_value=0)


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("事后审核意见"), max_length=300)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel文件（.xlsx）"))


class PurchaseCheckForm(forms.Form):
    """采购前核对: would this purchase fit the caps and the unit's quota?"""

    org_unit = UnitChoiceField(label=_("购置单位"), queryset=None)
    category = forms.ChoiceField(label=_("车辆类别"), choices=rules.Category.choices)
    energy_type = forms.ChoiceField(label=_("能源类型"), choices=rules.EnergyType.choices)
    body_type = forms.ChoiceField(label=_("车型"), choices=rules.BodyType.choices, required=False)
    use_scope = forms.ChoiceField(label=_("使用范围"), choices=rules.UseScope.choices, required=False)
    price = forms.DecimalField(label=_("预计购置价格（元）"), min_value=Decimal("0"), max_digits=12, decimal_places=2)
    displacement = forms.DecimalField(
        label=_("排量（升）"), required=False, min_value=Decimal("0"), max_digits=3, decimal_places=1
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = editable_units(actor, FLEET_EDITORS)
