"""Forms of the energy pages. They only shape input; the services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import CoefficientVersion


class ProfileForm(forms.Form):
    """Only the heated area is entered: the other base data are derived (or corrected with a reason)."""

    heated_area = forms.DecimalField(label=gettext_lazy("采暖面积（m²）"), required=False, min_value=0)


class ProfileCorrectionForm(forms.Form):
    field = forms.ChoiceField(label=gettext_lazy("更正项目"), choices=list(rules.CORRECTABLE.items()))
    value = forms.CharField(
        label=gettext_lazy("更正值"),
        required=False,
        max_length=32,
        help_text=gettext_lazy(
            "机构类型/气候区/电网区域填代码（如 hospital、cold、east），面积填m²，人数填整数；留空为撤销更正。"
        ),
    )
    reason = forms.CharField(label=gettext_lazy("更正原因"), widget=forms.Textarea(attrs={"rows": 3}))
    document = forms.FileField(label=gettext_lazy("依据文件"), help_text=gettext_lazy("批复、测绘报告、人员名册等。"))


class SheetForm(forms.Form):
    """A month's sheet: one line per energy type (quantity, unit, cost, collection)."""

    def __init__(self, *args, derived=(), initial_lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.derived = set(derived)
        initial_lines = initial_lines or {}
        self.lines = []
        for code, label in rules.EnergyType.choices:
            init = initial_lines.get(code, {})
            disabled = code in self.derived
            fields = {
                "quantity": forms.DecimalField(
                    label=_("%(label)s实物量") % {"label": label},
                    required=False,
                    disabled=disabled,
                    initial=init.get("quantity"),
                ),
                "unit": forms.ChoiceField(
                    label=_("%(label)s单位") % {"label": label},
                    choices=[(u, u) for u in rules.UNITS[code]],
                    disabled=disabled,
                    initial=init.get("unit", rules.BASE_UNIT[code]),
                ),
                "cost": forms.DecimalField(
                    label=_("%(label)s金额（元）") % {"label": label},
                    required=False,
                    disabled=disabled,
                    initial=init.get("cost"),
                ),
                "collection": forms.ChoiceField(
                    label=_("%(label)s采集方式") % {"label": label},
                    choices=rules.Collection.choices,
                    disabled=disabled,
                    initial=init.get("collection", rules.Collection.METERED_PAID),
                ),
            }
            for name, field in fields.items():
                self.fields[f"{code}-{name}"] = field
            self.lines.append((code, label, disabled, [self[f"{code}-{n}"] for n in fields]))

    def line_data(self) -> dict[str, dict]:
        return {
            code: {n: self.cleaned_data.get(f"{code}-{n}") for n in ("quantity", "unit", "cost", "collection")}
            for code, *_ in self.lines
            if code not in self.derived
        }


class SubmitForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("报送期"),
        coerce=int,
        choices=[
            (1, gettext_lazy("第一季度")),
            (2, gettext_lazy("第二季度")),
            (3, gettext_lazy("第三季度")),
            (4, gettext_lazy("第四季度")),
            (0, gettext_lazy("年报")),
        ],
    )


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("更正原因"), widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel文件（.xlsx）"), allow_empty_file=True
    )  # the reader names the fault


class RecomputeForm(forms.Form):
    version = forms.ModelChoiceField(label=gettext_lazy("折算系数版本"), queryset=None)
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = CoefficientVersion.objects.all()
