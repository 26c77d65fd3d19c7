from decimal import Decimal

from django import forms

from .models import RepairRequest


class RepairRequestForm(forms.ModelForm):
    class Meta:
        model = RepairRequest
        fields = ["location", "category", "description", "urgent", "estimated_cost", "contact_phone"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RepairOutcomeForm(forms.Form):
    cost = forms.DecimalField(label="维修费用（元）", min_value=Decimal("0"), max_digits=12, decimal_places=2)
    parts = forms.CharField(label="更换配件", required=False, max_length=500)
    result = forms.CharField(label="处理结果", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
