from django import forms
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import get_application_model

from datahub import scoping
from datahub.forms import UnitChoiceField
from datahub.models import Dataset
from datahub.roles import DIRECTORY_READERS

from .models import DataAccessRequest, DataCorrection


class DataAccessRequestForm(forms.ModelForm):
    """数据共享申请: only published, shareable entries; only the systems of the requester's own unit tree."""

    takes_requester = True

    items = forms.CharField(
        label=_("申请信息项"),
        max_length=2000,
        help_text=_("填写信息项标识，多个用逗号分隔（见目录页面）；留空表示该资源的全部信息项。"),
        required=False,
    )

    class Meta:
        model = DataAccessRequest
        fields = [
            "dataset",
            "application",
            "items",
            "purpose",
            "scenario",
            "row_scope",
            "row_unit",
            "valid_from",
            "valid_to",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "scenario": forms.Textarea(attrs={"rows": 2}),
        }
        # Many departments share a name (办公室): the picker names each with its agency.
        field_classes = {"row_unit": UnitChoiceField}

    def __init__(self, *args, requester=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = Dataset.objects.filter(status="published").exclude(share_type="not_shared")
        apps = get_application_model().objects.none()
        if requester is not None and requester.org_unit_id:
            apps = get_application_model().objects.filter(user__org_unit__path__startswith=requester.org_unit.path)
        self.fields["application"].queryset = apps
        self.fields["row_unit"].queryset = scoping.visible_units(requester, roles=DIRECTORY_READERS)
        if self.instance.pk and isinstance(self.instance.items, list):
            self.initial["items"] = ",".join(self.instance.items)

    def clean_items(self):
        raw = self.cleaned_data.get("items") or ""
        return [i.strip() for i in raw.replace("，", ",").split(",") if i.strip()]

    def clean(self):
        data = super().clean()
        dataset = data.get("dataset")
        if dataset is not None and not data.get("items"):
            data["items"] = list(dataset.items.values_list("name", flat=True))
            self.instance.items = data["items"]
        return data


class DeliveryForm(forms.Form):
    note = forms.CharField(
        label=_("交付说明"), max_length=500, help_text=_("如接口地址、对接联系人；授权已在批准时生效。")
    )


class DataCorrectionForm(forms.ModelForm):
    """纠错: any published entry (a consumer found a wrong value in data it received or saw)."""

    class Meta:
        model = DataCorrection
        fields = ["dataset", "item", "record", "wrong_value", "correct_value", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = Dataset.objects.filter(status="published")


class CorrectionCheckForm(forms.Form):
    result = forms.ChoiceField(label=_("核验结果"), choices=DataCorrection.Result.choices)
    note = forms.CharField(label=_("核验说明"), max_length=500, required=False)
