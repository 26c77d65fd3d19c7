from django import forms
from django.utils.translation import gettext_lazy as _

from datahub import scoping
from datahub.forms import UnitChoiceField

from . import selectors
from .rules import AlertKind, DayKind


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(
        label=_("处理意见"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写处理意见。"), "max_length": _("处理意见不超过500字。")},
    )


class VehicleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.plate} · {obj.org_unit.name}"


class TerminalCreateForm(forms.Form):
    """登记车载终端: the vehicle is picked from the ledger the dispatcher keeps (its plate is the vehicles
    app's fact, never retyped here)."""

    vehicle = VehicleChoiceField(
        label=_("车辆"),
        queryset=None,  # the dispatcher's vehicles, set per user
        error_messages={
            "required": _("车辆：请选择要安装终端的车辆。"),
            "invalid_choice": _("车辆：所选车辆不存在或不在您的管理范围内。"),
        },
    )
    serial = forms.CharField(label=_("终端编号"), max_length=40, error_messages={"required": _("请填写终端编号。")})
    model_name = forms.CharField(label=_("终端型号"), max_length=60, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["vehicle"].queryset = selectors.vehicles_for(user, roles=selectors.MONITOR_EDITORS).select_related(
            "org_unit"
        )


class TerminalEditForm(forms.Form):
    serial = forms.CharField(label=_("终端编号"), max_length=40, error_messages={"required": _("请填写终端编号。")})
    model_name = forms.CharField(label=_("终端型号"), max_length=60, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False)


class CalendarDayForm(forms.Form):
    date = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}), error_messages={"required": _("请填写日期。")}
    )
    kind = forms.ChoiceField(
        label=_("类型"), choices=DayKind.choices, error_messages={"required": _("请选择日期类型。")}
    )
    name = forms.CharField(label=_("说明"), max_length=40, required=False)
    work_start = forms.TimeField(
        label=_("上班时间"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": _("上班时间格式不正确（时:分）。")},
    )
    work_end = forms.TimeField(
        label=_("下班时间"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": _("下班时间格式不正确（时:分）。")},
    )


class GeofenceForm(forms.Form):
    org_unit = UnitChoiceField(label=_("单位"), queryset=None, error_messages={"required": _("请选择单位。")})
    name = forms.CharField(label=_("名称"), max_length=60, error_messages={"required": _("请填写围栏名称。")})
    polygon_text = forms.CharField(
        label=_("顶点"),
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": "120.10,30.20\n120.30,30.20\n120.30,30.35"}),
        help_text=_("每行一个顶点“经度,纬度”（WGS-84），按边界顺序填写，至少3行。"),
        error_messages={"required": _("请填写围栏顶点。")},
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = scoping.visible_units(user, roles=selectors.MONITOR_EDITORS).exclude(
            level="department"
        )


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("规则"), choices=AlertKind.choices, error_messages={"required": _("请选择规则。")})
    org_unit = UnitChoiceField(label=_("适用单位"), queryset=None, error_messages={"required": _("请选择适用单位。")})
    enabled = forms.BooleanField(label=_("启用"), required=False, initial=True)
    threshold = forms.FloatField(
        label=_("阈值"),
        min_value=0,
        help_text=_("超速：限速 km/h；离线：小时；非工作时间用车、无单出车：视为行驶的最低速度 km/h。"),
        error_messages={
            "required": _("请填写阈值。"),
            "invalid": _("阈值应为数字。"),
            "min_value": _("阈值不能为负数。"),
        },
    )
    gap_minutes = forms.IntegerField(
        label=_("合并间隔（分钟）"),
        min_value=0,
        max_value=1440,
        initial=30,
        error_messages={
            "required": _("请填写合并间隔。"),
            "invalid": _("合并间隔应为整数。"),
            "min_value": _("合并间隔不能为负数。"),
            "max_value": _("合并间隔不超过1440分钟。"),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = scoping.visible_units(user, roles=selectors.MONITOR_EDITORS).exclude(
            level="department"
        )
