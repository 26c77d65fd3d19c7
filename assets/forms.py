from decimal import Decimal

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from datahub import scoping
from datahub.forms import PersonLookupField, PickInput, UnitChoiceField, editable_units
from datahub.models import OrgUnit, User

from . import rules, selectors
from .models import AssetRequisition, Category, DisposalRequest, PurchaseRequest, TransferRequest


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class PoolAlternativesSelect(forms.Select):
    """先仓后购 as the user picks a category: HTMX (static/vendor, no inline code) asks
    ``assets:pool-alternatives`` for the pool's items of that category the user may take — own
    institution's first — and shows them under the select, on change and when the form is shown again
    with a category chosen. Without JavaScript the form's check still says it on submit."""

    def __init__(self, *, by: str = "pk", attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.by = by

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        box_id = f"{attrs.get('id') or 'id_' + name}-pool"
        url = reverse("assets:pool-alternatives") + ("?by=code" if self.by == "code" else "")
        attrs.update({"hx-get": url, "hx-trigger": "change, load", "hx-target": f"#{box_id}", "hx-swap": "innerHTML"})
        select = super().render(name, value, attrs, renderer)
        return format_html('{}<div id="{}" class="pool-alternatives" aria-live="polite"></div>', select, box_id)


class AssetRequisitionForm(forms.ModelForm):
    """资产领用: the category is one of GB/T 14885 (the cards' classification), chosen by its code."""

    category = CategoryChoiceField(
        queryset=Category.objects.none(),
        to_field_name="code",
        label=_("资产分类"),
        widget=PoolAlternativesSelect(by="code"),
        help_text=_(
            "按《固定资产等资产基础分类与代码》（GB/T 14885-2022）选择；公物仓有同类资产时即时提示（先仓后购）。"
        ),
        error_messages={"invalid_choice": _("资产分类：没有这个 GB/T 14885 分类代码。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.category_choices()

    class Meta:
        model = AssetRequisition
        fields = ["item_name", "category", "quantity", "purpose", "needed_by"]
        widgets = {"needed_by": forms.DateInput(attrs={"type": "date"})}


class AssetIssueForm(forms.Form):
    quantity = forms.IntegerField(label=_("发放数量"), min_value=1)
    asset_codes = forms.CharField(
        label=_("资产编号"),
        required=False,
        max_length=500,
        widget=PickInput("assets:pick", {"for": "issue"}),
        help_text=_("输入编号、名称或分类搜索本单位在用、闲置的资产；多个编号用逗号分隔，卡片将领用给申请人。"),
    )


# --- Request kinds ---------------------------------------------------------------------------------


class DisposalRequestForm(forms.ModelForm):
    """资产处置申请: the requester picks one of their unit's cards by its number."""

    takes_requester = True
    asset = forms.CharField(
        label=_("资产编号"),
        max_length=40,
        widget=PickInput("assets:pick", {"for": "disposal"}),
        help_text=_("输入编号、名称或分类，从本单位的资产中选择。"),
    )

    def __init__(self, *args, requester=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.requester = requester
        if self.instance.pk and self.instance.asset_id:
            self.initial["asset"] = self.instance.asset.asset_number

    class Meta:
        model = DisposalRequest
        fields = ["asset", "way", "reason", "early"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def clean_asset(self):
        number = self.cleaned_data["asset"].strip()
        if getattr(self.requester, "org_unit", None) is None:
            raise forms.ValidationError(_("您尚未分配所在单位。"))
        asset = selectors.picked_card(self.requester, number, purpose="disposal")
        if asset is None:
            raise forms.ValidationError(
                _("本单位没有编号为“%(number)s”的可处置资产，请从搜索结果中选择。") % {"number": number}
            )
        return asset


class DisposalOutcomeForm(forms.Form):
    disposed_on = forms.DateField(label=_("处置日期"), widget=forms.DateInput(attrs={"type": "date"}))
    income = forms.DecimalField(
        label=_("处置收入（元）"), required=False, min_value=Decimal("0"), max_digits=14, decimal_places=2
    )
    note = forms.CharField(label=_("处置说明"), required=False, max_length=500)


class TransferRequestForm(forms.ModelForm):
    """资产调拨申请: one of the requester's institution's cards, picked by its number, to another institution."""

    takes_requester = True
    asset = forms.CharField(
        label=_("资产编号"),
        max_length=40,
        widget=PickInput("assets:pick", {"for": "transfer"}),
        help_text=_("输入编号、名称或分类，从本单位在用、闲置的资产中选择。"),
        error_messages={"required": _("资产编号：请填写。")},
    )
    to_unit = UnitChoiceField(
        queryset=OrgUnit.objects.none(),
        label=_("调入单位"),
        error_messages={
            "required": _("调入单位：请选择。"),
            "invalid_choice": _("调入单位：请选择本单位以外的在用单位。"),
        },
    )

    def __init__(self, *args, requester=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.requester = requester
        self.fields["to_unit"].queryset = selectors.transfer_target_units(requester)
        if self.instance.pk and self.instance.asset_id:
            self.initial["asset"] = self.instance.asset.asset_number

    class Meta:
        model = TransferRequest
        fields = ["asset", "to_unit", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"reason": {"required": _("调拨理由：请填写。")}}

    def clean_asset(self):
        number = self.cleaned_data["asset"].strip()
        asset = selectors.picked_card(self.requester, number, purpose="transfer")
        if asset is None:
            raise forms.ValidationError(
                _("资产编号：本单位没有编号为“%(number)s”的可调拨资产，请从搜索结果中选择。") % {"number": number}
            )
        return asset


class TransferOutcomeForm(forms.Form):
    note = forms.CharField(label=_("办理说明"), required=False, max_length=500)


class PurchaseRequestForm(forms.ModelForm):
    """资产配置申请: checked against the configuration standard on filing (rule named on refusal)."""

    takes_requester = True
    category = CategoryChoiceField(
        queryset=Category.objects.filter(depreciates=True).order_by("code"),
        label=_("资产分类"),
        widget=PoolAlternativesSelect(),
    )
    replaces = forms.CharField(label=_("更新替换的资产编号"), max_length=40, required=False)
    pool_checked = forms.BooleanField(
        label=_("已查看公物仓同类资产，仍需购置"),
        required=False,
        help_text=_("先仓后购：公物仓中有同类资产时，须先考虑申领；仍需购置请在配置理由中说明并勾选。"),
    )

    def __init__(self, *args, requester=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.requester = requester
        if self.instance.pk and self.instance.replaces_id:
            self.initial["replaces"] = self.instance.replaces.asset_number
        category = self.instance.category if self.instance.pk else None
        self.alternatives = selectors.purchase_alternatives(category, requester) if category else []
        self._show_alternatives()

    def _show_alternatives(self):
        if self.alternatives:
            self.fields["pool_checked"].help_text = _("公物仓中有同类资产可申领（先仓后购）：%(items)s。") % {
                "items": selectors.describe_alternatives(self.alternatives)
            }

    def clean(self):
        data = super().clean()
        category = data.get("category")
        if category is not None and self.requester is not None:
            self.alternatives = selectors.purchase_alternatives(category, self.requester)
            self._show_alternatives()
            if self.alternatives and not data.get("pool_checked"):
                self.add_error(
                    "pool_checked",
                    _(
                        "先仓后购：公物仓中有同类资产可申领（%(items)s），请先到公物仓申领；"
                        "确需购置的，请在配置理由中说明并勾选此项。"
                    )
                    % {"items": selectors.describe_alternatives(self.alternatives)},
                )
        # A confirmation, not a fact of the request: the ticket shows the pool's items again when decided.
        data.pop("pool_checked", None)
        return data

    class Meta:
        model = PurchaseRequest
        fields = [
            "category",
            "item_name",
            "quantity",
            "unit_price",
            "reason",
            "replaces",
            "early_renewal",
            "classified",
        ]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def clean_replaces(self):
        number = (self.cleaned_data.get("replaces") or "").strip()
        if not number:
            return None
        asset = selectors.replaceable_card(self.requester, number)
        if asset is None:
            raise forms.ValidationError(_("本单位没有编号为“%(number)s”的资产。") % {"number": number})
        return asset


class PurchaseOutcomeForm(forms.Form):
    booked_quantity = forms.IntegerField(label=_("验收入账数量"), min_value=1)
    unit_price = forms.DecimalField(
        label=_("实际单价（元）"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    acquired_on = forms.DateField(label=_("取得日期"), widget=forms.DateInput(attrs={"type": "date"}))
    spec = forms.CharField(label=_("规格型号"), required=False, max_length=200)


# --- Card forms --------------------------------------------------------------------------------------


def _people(user):
    return scoping.scope(User.objects.filter(is_active=True), user, roles=selectors.ASSET_EDITORS)


class CardForm(forms.Form):
    """入账 (booking) of a new card."""

    org_unit = UnitChoiceField(queryset=OrgUnit.objects.none(), label=_("所属单位"))
    category = CategoryChoiceField(queryset=Category.objects.order_by("code"), label=_("资产分类"))
    name = forms.CharField(label=_("资产名称"), max_length=100)
    spec = forms.CharField(label=_("规格型号"), max_length=200, required=False)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, initial=1)
    unit_of_measure = forms.CharField(label=_("计量单位"), max_length=10, initial="台")
    original_value = forms.DecimalField(
        label=_("原值（元）"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    acquired_on = forms.DateField(label=_("取得日期"), widget=forms.DateInput(attrs={"type": "date"}))
    acquisition_way = forms.ChoiceField(label=_("取得方式"), choices=rules.AcquisitionWay.choices)
    funding_source = forms.ChoiceField(label=_("经费来源"), choices=rules.FundingSource.choices)
    booked_on = forms.DateField(label=_("入账日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    useful_life_months = forms.IntegerField(
        label=_("折旧年限（月）"), required=False, min_value=1, help_text=_("留空取分类的最低折旧年限。")
    )
    custodian = PersonLookupField(label=_("使用人/保管人"), required=False)
    location = forms.ModelChoiceField(queryset=None, label=_("存放地点"), required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = editable_units(actor, selectors.ASSET_EDITORS, active_only=True)
        self.fields["custodian"].queryset = _people(actor)
        self.fields["location"].queryset = selectors.room_choices(actor)


class IssueForm(forms.Form):
    to_person = PersonLookupField(label=_("领用人"))
    room = forms.ModelChoiceField(queryset=None, label=_("存放地点"), required=False)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, actor, asset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_person"].queryset = _people(actor)
        self.fields["room"].queryset = selectors.room_choices(actor, asset.org_unit)


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class TransferForm(forms.Form):
    to_unit = UnitChoiceField(queryset=OrgUnit.objects.none(), label=_("调入单位"))
    reason = forms.CharField(label=_("调拨理由"), max_length=500)

    def __init__(self, *args, actor, asset, **kwargs):
        super().__init__(*args, **kwargs)
        # The bureau administrator sees the whole province; a unit's administrator transfers within what it covers.
        self.fields["to_unit"].queryset = (
            scoping.visible_units(actor, roles=(*selectors.ASSET_EDITORS, *selectors.ASSET_READERS))
            .filter(is_active=True, level__in=[OrgUnit.Level.INSTITUTION, OrgUnit.Level.DEPARTMENT])
            .exclude(pk=asset.org_unit_id)
        )


class LendForm(forms.Form):
    to_unit = UnitChoiceField(queryset=OrgUnit.objects.none(), label=_("借用单位"), required=False)
    party = forms.CharField(label=_("或：外部承租/借用方"), max_length=100, required=False)
    until = forms.DateField(label=_("到期日"), widget=forms.DateInput(attrs={"type": "date"}))
    income = forms.DecimalField(
        label=_("租金/收入（元）"), required=False, min_value=Decimal("0"), max_digits=14, decimal_places=2
    )
    ticket = forms.IntegerField(
        label=_("批准的申请编号"), required=False, help_text=_("行政单位出租出借须附已批准的申请。")
    )
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, actor, asset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = OrgUnit.objects.filter(is_active=True).exclude(pk=asset.org_unit_id)
        self.fields["to_unit"].widget = forms.NumberInput()
        self.fields["to_unit"].help_text = _("平台内单位的编号（可不填，改填外部承租/借用方）。")

    def clean(self):
        data = super().clean()
        if not data.get("to_unit") and not (data.get("party") or "").strip():
            self.add_error("party", _("请选择借用单位或填写外部承租/借用方。"))
        return data


class ReturnLentForm(forms.Form):
    income = forms.DecimalField(
        label=_("收回时收入（元）"), required=False, min_value=Decimal("0"), max_digits=14, decimal_places=2
    )
    to_status = forms.ChoiceField(
        label=_("收回后状态"), choices=[(s.value, s.label) for s in rules.MOVABLE], initial=rules.AssetStatus.IN_USE
    )
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class RepairForm(forms.Form):
    cost = forms.DecimalField(
        label=_("维修费用（元）"), required=False, min_value=Decimal("0"), max_digits=14, decimal_places=2
    )
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class DisposeForm(forms.Form):
    way = forms.ChoiceField(label=_("处置方式"), choices=rules.DisposalWay.choices)
    on = forms.DateField(label=_("处置日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    income = forms.DecimalField(
        label=_("处置收入（元）"), required=False, min_value=Decimal("0"), max_digits=14, decimal_places=2
    )
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class RelocateForm(forms.Form):
    room = forms.ModelChoiceField(queryset=None, label=_("新存放地点"), required=False)
    custodian = PersonLookupField(label=_("新保管人"), required=False)
    reason = forms.CharField(label=_("变更理由"), max_length=500)

    def __init__(self, *args, actor, asset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = selectors.room_choices(actor, asset.org_unit)
        self.fields["custodian"].queryset = _people(actor)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=[(s.value, s.label) for s in rules.SETTABLE_STATUSES])
    reason = forms.CharField(label=_("变更理由"), max_length=500)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class BuildingCardForm(forms.Form):
    """房屋建卡: the building is picked from office space's ledger (name, unit, area, structure come from
    there; the useful life follows the structure); only what that ledger does not hold is entered."""

    building = forms.ModelChoiceField(queryset=None, label=_("楼宇"), help_text=_("办公用房台账中尚未建卡的楼宇。"))
    original_value = forms.DecimalField(
        label=_("原值（元）"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    acquired_on = forms.DateField(label=_("取得日期"), widget=forms.DateInput(attrs={"type": "date"}))
    acquisition_way = forms.ChoiceField(label=_("取得方式"), choices=rules.AcquisitionWay.choices)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = selectors.buildings_to_book(actor)


class VehicleCardLinkForm(forms.Form):
    asset_number = forms.CharField(
        label=_("资产卡片编号"), max_length=40, help_text=_("分类为车辆（A0203）的本单位卡片。")
    )
