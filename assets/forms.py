from django import forms

from .models import AssetRequisition


class AssetRequisitionForm(forms.ModelForm):
    class Meta:
        model = AssetRequisition
        fields = ["item_name", "category", "quantity", "purpose", "needed_by"]
        widgets = {"needed_by": forms.DateInput(attrs={"type": "date"})}


class AssetIssueForm(forms.Form):
    quantity = forms.IntegerField(label="发放数量", min_value=1)
    asset_codes = forms.CharField(label="资产编号", required=False, max_length=500, help_text="多个编号用逗号分隔")
