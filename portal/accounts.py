"""The portal's own request kinds, which the 一件事 bundles need and no domain owns: the platform
account (opened on arrival, closed on the last day) and the hand-back of what a leaver holds."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from datahub.models import User
from datahub.roles import Role

from .models import AccountRequest, HandoverRequest
from .registry import RequestKind, Step, register

HANDOVER_LEDGERS = {
    "office_handover": (_("退还办公用房"), Role.SPACE_ADMIN),
    "asset_handover": (_("交还资产"), Role.ASSET_ADMIN),
    "duty_handover": (_("解除驾驶员/调度职责"), Role.VEHICLE_DISPATCHER),
}


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.username}）"


class AccountRequestForm(forms.ModelForm):
    takes_requester = True
    person = PersonField(label=_("人员"), queryset=User.objects.none())

    class Meta:
        model = AccountRequest
        fields = ["person", "action", "roles", "effective_on", "note"]
        widgets = {"effective_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, requester=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_of(requester)


class HandoverRequestForm(forms.ModelForm):
    takes_requester = True
    person = PersonField(label=_("人员"), queryset=User.objects.none())

    class Meta:
        model = HandoverRequest
        fields = ["person", "holdings", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, requester=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_of(requester)


def people_of(requester) -> "forms.QuerySet":
    """The colleagues a requester may file for: the active people of their own unit and below."""
    if requester is None or requester.org_unit_id is None:
        return User.objects.none()
    return User.objects.filter(org_unit__path__startswith=requester.org_unit.path).order_by("name")


class DoneForm(forms.Form):
    result = forms.CharField(label=_("办理结果"), max_length=1000)


def _record(*, ticket, detail, actor, outcome):
    """The outcome is the note on the timeline; the account and the ledgers are changed on their own pages."""


def register_kinds() -> None:
    register(
        RequestKind(
            code="account",
            label=_("账号与角色"),
            domain=_("服务门户"),
            description=_("为新同事开通平台账号与角色，或在最后工作日注销账号"),
            detail_model=AccountRequest,
            form_class=AccountRequestForm,
            chain=(Step(gettext_noop("处室负责人审批"), Role.APPROVER),),
            handler_role=Role.BUREAU_ADMIN,
            sla_hours=24,
            outcome_form=DoneForm,
            record_outcome=_record,
        )
    )
    for code, (label, role) in HANDOVER_LEDGERS.items():
        register(
            RequestKind(
                code=code,
                label=label,
                domain=_("服务门户"),
                description=_("人员离岗时交回其持有的事项"),
                detail_model=HandoverRequest,
                form_class=HandoverRequestForm,
                chain=(),
                handler_role=role,
                sla_hours=24 * 30,
                outcome_form=DoneForm,
                record_outcome=_record,
            )
        )
