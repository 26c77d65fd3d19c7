"""The 一件事 bundles that start from office space, declared as data for the portal's engine: which
request kinds each files, how the bundle form's fields fill theirs, which waits for which.

The person's unit, rank and post are read from their directory entry, never typed again."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.accounts import people_of
from portal.registry import BundleKind, Member, holdings_of

from . import rules

# A newcomer's seat is asked for at the general staff standard; the space administrator applies the
# person's own standard (from their rank) when assigning the room.
NEWCOMER_SEAT_AREA = Decimal("9.00")
OFFICE_LEDGER, ASSET_LEDGER, DUTY_LEDGER = "办公用房", "资产", "车辆"


class _PersonForm(forms.Form):
    """A colleague of the requester's own unit (or below), picked from the directory."""

    person = forms.ModelChoiceField(label="人员", queryset=None)

    def __init__(self, *args, requester=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_of(requester)
        self.fields["person"].label_from_instance = lambda u: f"{u.name}（{u.org_unit.name if u.org_unit else ''}）"


class OnboardingForm(_PersonForm):
    start_on = forms.DateField(label="到岗日期", widget=forms.DateInput(attrs={"type": "date"}))
    roles = forms.CharField(
        label="需要的平台角色", max_length=200, required=False, help_text="如：处室负责人；可不填。"
    )
    note = forms.CharField(label="说明", max_length=300, required=False)

    def clean_start_on(self):
        day = self.cleaned_data["start_on"]
        if day < timezone.localdate():
            raise ValidationError("到岗日期不能早于今天。")
        return day


class LeavingForm(_PersonForm):
    last_day = forms.DateField(label="最后工作日", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(
        label="离岗原因",
        choices=[("retire", "退休"), ("transfer", "调离"), ("deactivated", "在组织目录中停用")],
    )

    def clean(self):
        data = super().clean()
        person = data.get("person")
        if person is not None:
            # What the person holds, from the ledgers (rooms, asset cards, duties) — not typed by anyone.
            data["holdings"] = holdings_of(person)
        return data


def _who(person) -> str:
    rank = person.get_rank_display() if person.rank else person.get_post_level_display()
    return f"{person.name}（{person.org_unit.name if person.org_unit else ''}，{rank}{'，' + person.job_title if person.job_title else ''}）"


def _lines(data, ledger) -> str:
    return "\n".join(data.get("holdings", {}).get(ledger, []))


ONBOARDING = BundleKind(
    code="onboarding",
    label="新人入职一件事",
    description="一次申请：办公座位、计算机及办公设备、平台账号与角色",
    form_class=OnboardingForm,
    title=lambda *, data: f"新人入职：{data['person'].name}",
    members=(
        Member(
            key="seat",
            kind="space_adjustment",
            label="办公座位",
            fields=lambda *, data, requester: {
                "purpose": "more",
                "requested_area": NEWCOMER_SEAT_AREA,
                "headcount": 1,
                "reason": f"新人入职：{_who(data['person'])}，{data['start_on']:%Y-%m-%d}到岗。{data.get('note', '')}",
            },
        ),
        Member(
            key="equipment",
            kind="asset_requisition",
            label="计算机及办公设备",
            after="seat",
            fields=lambda *, data, requester: {
                "item_name": "台式计算机",
                "category": "A020101",  # GB/T 14885 计算机
                "quantity": 1,
                "purpose": f"新人入职：{_who(data['person'])}（按配置标准）",
                "needed_by": data["start_on"],
            },
        ),
        Member(
            key="account",
            kind="account",
            label="平台账号与角色",
            fields=lambda *, data, requester: {
                "person": data["person"],
                "action": "open",
                "roles": data.get("roles", ""),
                "effective_on": data["start_on"],
                "note": f"新人入职：{_who(data['person'])}",
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
    label="人员离岗一件事",
    description="退休或调离：交回办公用房（一个月内）、交还资产、解除驾驶职责、最后工作日注销账号",
    form_class=LeavingForm,
    title=lambda *, data: f"人员离岗：{data['person'].name}",
    # A deactivation or a move in the directory files it by itself.
    on_leaving=lambda *, person, reason, last_day: {"person": person.pk, "reason": reason, "last_day": last_day},
    members=(
        _handover(
            "office",
            "office_handover",
            "退还办公用房",
            OFFICE_LEDGER,
            # A leaver's office is handed back within one month.
            lambda day: rules.add_months(day, rules.LEAVER_RETURN_MONTHS),
        ),
        _handover("assets", "asset_handover", "交还资产", ASSET_LEDGER, lambda day: day),
        _handover("duties", "duty_handover", "解除驾驶员职责", DUTY_LEDGER, lambda day: day),
        Member(
            key="account",
            kind="account",
            label="注销平台账号",
            fields=lambda *, data, requester: {
                "person": data["person"],
                "action": "close",
                "effective_on": data["last_day"],
                "note": f"{dict(LeavingForm.base_fields['reason'].choices)[data['reason']]}，最后工作日注销。",
            },
        ),
    ),
)

BUNDLES = (ONBOARDING, LEAVING)
