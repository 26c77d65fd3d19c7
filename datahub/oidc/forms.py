"""The registration form of a department's system (validation of substance is in services._clean)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import scoping
from ..forms import UnitChoiceField
from . import rules

SCOPE_CHOICES = [(k, f"{v}（{k}）") for k, v in rules.ALL_SCOPES.items()]


class SystemForm(forms.Form):
    org_unit = UnitChoiceField(
        label=_("所属单位"), queryset=None, help_text=_("系统的建设或使用单位；由该单位及上级的管理员管理。")
    )
    name = forms.CharField(label=_("系统名称"), max_length=100, error_messages={"required": _("请填写系统名称。")})
    kind = forms.ChoiceField(label=_("接入方式"), choices=rules.SystemKind.choices)
    scopes = forms.MultipleChoiceField(
        label=_("可申请的授权范围"), choices=SCOPE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    redirect_uris = forms.CharField(
        label=_("登录回调地址"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("每行一个，须与系统发起登录时的 redirect_uri 完全一致；生产环境须为 https。"),
    )
    post_logout_redirect_uris = forms.CharField(
        label=_("退出后返回地址"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("每行一个，可不填。"),
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50, error_messages={"required": _("请填写联系人。")})
    contact_phone = forms.CharField(label=_("联系电话"), max_length=24, required=False)
    contact_email = forms.EmailField(label=_("联系邮箱"), required=False)
    description = forms.CharField(
        label=_("用途说明"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    skip_consent = forms.BooleanField(
        label=_("内部系统（登录时不再询问授权）"),
        required=False,
        help_text=_("仅机关事务管理局管理员可设置：本局自建、已审查的系统。"),
    )

    def __init__(self, *args, user, units, system=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units
        if system is not None:
            # A system stays with the unit that registered it.
            del self.fields["org_unit"]
        if not scoping.holds_any(user, rules.CONSENT_SKIPPERS):
            del self.fields["skip_consent"]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("org_unit", None)
        return data


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("停用原因"), max_length=200, error_messages={"required": _("请填写停用原因。")})
