from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datahub.forms import UnitChoiceField
from datahub.models import OrgUnit

from . import rules
from .models import Framework, Indicator, Round
from .rules import INDEX


class RoundForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    framework = forms.ModelChoiceField(
        label=gettext_lazy("指标框架"), queryset=Framework.objects.filter(is_active=True)
    )
    org_unit = UnitChoiceField(label=gettext_lazy("评估范围"), queryset=OrgUnit.objects.none())
    case_level = forms.ChoiceField(
        label=gettext_lazy("评估对象层级"), choices=OrgUnit.Level.choices, initial="institution"
    )
    external = forms.BooleanField(
        label=gettext_lazy("外部研究案例"),
        required=False,
        help_text=gettext_lazy("评估对象为研究样本中的外部案例（如省级区域比较），由本单位维护，不进入组织机构目录。"),
    )
    note = forms.CharField(label=gettext_lazy("说明"), max_length=300, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["org_unit"].queryset = units


class ValuesForm(forms.Form):
    """One number and one optional evidence file per entered indicator; checked by the service."""

    def __init__(self, *args, indicators: list[Indicator], initial_values: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_values = initial_values or {}
        self.indicators = indicators
        for ind in indicators:
            label = f"{ind.code} {ind.name}" + (f"（{ind.unit}）" if ind.unit else "")
            self.fields[f"v_{ind.code}"] = forms.CharField(
                label=label,
                required=False,
                help_text=ind.definition,
                initial=initial_values.get(ind.code, ""),
            )
            self.fields[f"f_{ind.code}"] = forms.FileField(label=gettext_lazy("佐证材料"), required=False)

    def values(self) -> dict:
        return {ind.code: self.cleaned_data.get(f"v_{ind.code}") for ind in self.indicators}

    def evidence_files(self) -> dict:
        return {
            ind.code: self.cleaned_data[f"f_{ind.code}"]
            for ind in self.indicators
            if self.cleaned_data.get(f"f_{ind.code}")
        }

    def pairs(self):
        for ind in self.indicators:
            yield ind, self[f"v_{ind.code}"], self[f"f_{ind.code}"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel（.xlsx）或CSV文件"), allow_empty_file=True
    )  # the reader names the fault


def variable_choices(round_: Round) -> list[tuple[str, str]]:
    rows = [(i.code, f"{i.code} {i.name}") for i in round_.framework.indicators.order_by("order", "code")]
    return [*rows, (INDEX, _("成熟度指数"))]


class AnalysisForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("分析名称"), max_length=100)
    outcome = forms.ChoiceField(label=gettext_lazy("结果变量"))
    negate = forms.BooleanField(label=gettext_lazy("分析结果不出现（~Y）"), required=False)
    conditions = forms.MultipleChoiceField(label=gettext_lazy("条件变量"), widget=forms.CheckboxSelectMultiple)
    incl_cut = forms.FloatField(label=gettext_lazy("一致性阈值"), initial=0.8, min_value=0, max_value=1)
    n_cut = forms.IntegerField(label=gettext_lazy("案例频数阈值"), initial=1, min_value=1)
    pri_cut = forms.FloatField(label=gettext_lazy("PRI阈值"), initial=0.0, min_value=0, max_value=1)
    expectations = forms.CharField(
        label=gettext_lazy("方向性预期（可选）"),
        required=False,
        help_text=gettext_lazy(
            "用于中间解，例如“T1, T2, ~E1”；留空表示各条件出现均有利于结果（研究的设定）；填“-”表示不设预期（采用复杂解）。"
        ),
    )
    anchors = forms.CharField(
        label=gettext_lazy("明确锚点（可选）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "每行一个变量：编码=完全不隶属,交叉点,完全隶属（例如 T1=60,75,90）；未列出的变量按 5%/50%/95% 分位数校准。"
        ),
    )

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        choices = variable_choices(round_)
        self.fields["outcome"].choices = choices
        self.fields["conditions"].choices = [c for c in choices if c[0] != INDEX]
        outcome = next((c for c, _ in choices if c == "Y"), None)
        if outcome:
            self.fields["outcome"].initial = outcome
            self.fields["conditions"].initial = [
                c
                for c, _ in choices
                if c not in ("Y", INDEX) and round_.framework.indicators.filter(code=c).exclude(dimension="Y").exists()
            ]

    def clean_expectations(self) -> list[str] | None:
        text = self.cleaned_data["expectations"].strip()
        if not text:
            return None
        if text == "-":
            return []
        return [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]

    def clean_anchors(self) -> dict:
        out = {}
        for n, line in enumerate(self.cleaned_data["anchors"].splitlines(), start=1):
            if not line.strip():
                continue
            code, sep, rest = line.partition("=")
            parts = [p.strip() for p in rest.replace("，", ",").split(",")]
            if not sep or len(parts) != 3:
                raise forms.ValidationError(_("第%(n)s行应为“编码=完全不隶属,交叉点,完全隶属”。") % {"n": n})
            out[code.strip()] = {"method": "explicit", "anchors": parts}
        return out


class RenamePathsForm(forms.Form):
    def __init__(self, *args, paths: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.paths = paths
        for i, p in enumerate(paths):
            self.fields[f"p{i}"] = forms.CharField(label=p["expression"], initial=p["name"], max_length=40)

    def names(self) -> dict:
        return {p["expression"]: self.cleaned_data[f"p{i}"] for i, p in enumerate(self.paths)}


DIMENSION_LABELS = dict(rules.Dimension.choices)
