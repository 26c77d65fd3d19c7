from django import forms
from django.utils.translation import gettext_lazy as _

from .. import scoping
from ..forms import UnitChoiceField
from ..models import Dataset
from .services import STEWARDS


class ExternalDatasetForm(forms.ModelForm):
    """A steward registers an external dataset (a file or an outside API) with the guide's metadata."""

    items_text = forms.CharField(
        label=_("信息项"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        help_text=_(
            "每行一个：标识|名称|数据类型[|是否个人信息]，如 plate|号牌号码|字符型|否。数据类型：字符型、数值型、日期型、日期时间型、布尔型。"
        ),
    )

    class Meta:
        model = Dataset
        fields = [
            "code",
            "name",
            "provider",
            "summary",
            "format",
            "share_type",
            "share_condition",
            "share_method",
            "legal_basis",
            "open_attr",
            "update_cycle",
            "related_codes",
            "external_url",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}
        # Many departments share a name (办公室): the picker names each with its agency.
        field_classes = {"provider": UnitChoiceField}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = scoping.visible_units(actor, roles=STEWARDS)

    def _post_clean(self):
        # The service validates the whole row (and writes nothing on a broken rule).
        pass


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=300)
