from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from assets.selectors import category_choices
from datahub import scoping
from datahub.forms import PersonLookupField, UnitChoiceField
from datahub.models import User
from officespace.selectors import active_rooms, all_buildings

from .models import ScopeKind
from .selectors import STOCKTAKE_EDITORS, STOCKTAKE_READERS


def rooms_of(unit):
    return active_rooms(within=unit)


class OpenForm(forms.Form):
    title = forms.CharField(label=_("盘点名称"), max_length=100)
    org_unit = UnitChoiceField(label=_("盘点单位"), queryset=None)
    scope_kind = forms.ChoiceField(label=_("盘点范围"), choices=ScopeKind.choices, initial=ScopeKind.UNIT)
    building = forms.ModelChoiceField(label=_("楼宇"), queryset=None, required=False)
    room = forms.ModelChoiceField(label=_("房间"), queryset=None, required=False)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = scoping.visible_units(user, roles=STOCKTAKE_EDITORS).order_by("path")
        self.fields["building"].queryset = scoping.scope(all_buildings(), user, roles=STOCKTAKE_EDITORS)
        self.fields["room"].queryset = scoping.scope(active_rooms(), user, roles=STOCKTAKE_EDITORS)


class ScanForm(forms.Form):
    code = forms.CharField(
        label=_("资产编号"),
        max_length=300,  # a label's QR code holds the card's URL; the number in it is at most 100
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "enterkeyhint": "done",
                "class": "scan-input",
                "placeholder": _("扫描标签或输入资产编号"),
            }
        ),
    )
    room = forms.ModelChoiceField(label=_("实际存放地点"), queryset=None, required=False)
    custodian = PersonLookupField(label=_("实际使用人"), required=False)
    surplus = forms.BooleanField(label=_("盘盈登记（账外实物）"), required=False)
    surplus_name = forms.CharField(label=_("盘盈实物名称"), max_length=200, required=False)

    def __init__(self, *args, stocktake=None, **kwargs):
        super().__init__(*args, **kwargs)
        rooms = rooms_of(stocktake.org_unit)
        if stocktake.building_id:
            rooms = rooms.filter(building=stocktake.building_id)
        if stocktake.room_id:
            rooms = rooms.filter(pk=stocktake.room_id)
        self.fields["room"].queryset = rooms.order_by("building__name", "number")
        self.fields["custodian"].queryset = User.objects.filter(
            is_active=True, org_unit__path__startswith=stocktake.org_unit.path
        )


class SurplusForm(forms.Form):
    name = forms.CharField(label=_("盘盈资产名称"), max_length=200)
    category = forms.ModelChoiceField(label=_("资产分类"), queryset=None)
    value = forms.DecimalField(label=_("估值（元）"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_choices()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("盘点表（.xlsx）"), allow_empty_file=True)  # the reader names the fault


__all__ = ["STOCKTAKE_READERS", "ImportForm", "OpenForm", "ScanForm", "SurplusForm"]
