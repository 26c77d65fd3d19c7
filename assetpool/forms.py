from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets import selectors as asset_selectors
from datahub import scoping
from datahub.forms import PickInput
from officespace.selectors import active_rooms

from . import selectors
from .models import Condition, PoolMode, PoolRequest, RequestWay
from .selectors import POOL_EDITORS


def rooms_managed_by(user):
    """Rooms a physical pool item may be stored in: the active rooms of the units the user manages."""
    return scoping.scope(active_rooms(), user, roles=POOL_EDITORS).order_by("building__name", "number")


class ListingForm(forms.Form):
    mode = forms.ChoiceField(label=_("入仓方式"), choices=PoolMode.choices, initial=PoolMode.VIRTUAL)
    store_room = forms.ModelChoiceField(
        label=_("存放房间"),
        queryset=None,
        required=False,
        help_text=_("实体仓：选择存放的房间，或在下面填写仓库名称。"),
    )
    store_text = forms.CharField(label=_("存放仓库"), max_length=200, required=False)
    condition = forms.ChoiceField(label=_("成色"), choices=Condition.choices, initial=Condition.GOOD)
    description = forms.CharField(
        label=_("说明"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store_room"].queryset = rooms_managed_by(user)


class PublishForm(ListingForm):
    asset_number = forms.CharField(
        label=_("资产编号"),
        max_length=40,
        widget=PickInput("assets:pick", {"for": "pool"}),
        help_text=_("输入编号、名称或分类，从您管理的在用、闲置资产中选择。"),
        error_messages={"required": _("资产编号：请从搜索结果中选择一项资产。")},
    )
    field_order = ["asset_number", "mode", "store_room", "store_text", "condition", "description"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.user = user

    def clean_asset_number(self):
        number = self.cleaned_data["asset_number"].strip()
        # The same selector the suggestions come from: what is offered is what is accepted.
        asset = asset_selectors.picked_card(self.user, number, purpose="pool")
        if asset is None:
            raise forms.ValidationError(
                _("资产编号：找不到在用或闲置的资产“%(number)s”，或它不在您管理的单位，请从搜索结果中选择。")
                % {"number": number}
            )
        self.cleaned_data["asset"] = asset
        return number


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=200, required=False)


class PoolRequestForm(forms.ModelForm):
    """What the requester fills in: the pool item is picked by search (its number on the pool page, the card's
    number or name, its category) among the listed items; a number that is not listed is refused."""

    takes_requester = True
    listing = forms.CharField(
        label=_("公物仓资产"),
        max_length=40,
        widget=PickInput("assetpool:pick"),
        help_text=_("输入公物仓编号、资产编号、名称或分类搜索并选择。"),
    )

    def __init__(self, *args, requester=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.requester = requester
        if self.instance.pk and self.instance.listing_id:
            self.initial["listing"] = str(self.instance.listing_id)

    def clean_listing(self):
        text = self.cleaned_data["listing"].strip()
        listing = selectors.picked_listing(self.requester, text)
        if listing is None:
            raise forms.ValidationError(
                _("公物仓中没有编号为“%(text)s”的可申领资产，请从搜索结果中选择。") % {"text": text}
            )
        return listing

    class Meta:
        model = PoolRequest
        fields = ["listing", "way", "return_date", "purpose"]
        widgets = {"return_date": forms.DateInput(attrs={"type": "date"}), "purpose": forms.Textarea(attrs={"rows": 2})}


class RequestItemForm(forms.Form):
    """The same request, filed from the listing's own page (the listing is the page's)."""

    way = forms.ChoiceField(label=_("申领方式"), choices=RequestWay.choices, initial=RequestWay.TRANSFER)
    return_date = forms.DateField(
        label=_("归还日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("借用时填写。")
    )
    purpose = forms.CharField(label=_("用途"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["return_date"].widget.attrs["min"] = (timezone.localdate() + timedelta(days=1)).isoformat()


class PoolOutcomeForm(forms.Form):
    note = forms.CharField(label=_("办理说明"), max_length=300, required=False, help_text=_("如交接时间、地点。"))


class CategoryPickForm(forms.Form):
    category = forms.ModelChoiceField(label=_("资产分类"), queryset=None, empty_label=_("请选择要购置的资产分类"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = asset_selectors.category_choices()
