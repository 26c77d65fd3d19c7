from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from . import formatting, personal_data, scoping, selectors
from .keyed import listed
from .models import OrgUnit, SidePost, User
from .roles import DIRECTORY_EDITORS, Role
from .services import ORG_UNIT_FIELDS


class UnitChoiceField(forms.ModelChoiceField):
    """Units labelled with their parents ("浙江省财政厅 › 办公室"): many departments share a name."""

    def _set_queryset(self, queryset):
        # Each unit comes with its parent's name (same query), for a department whose parent is not itself
        # a choice: a civil servant picking among the departments they see still reads 财政厅 › 办公室.
        if queryset is not None and "parent_name" not in queryset.query.annotations:
            queryset = selectors.with_parent_name(queryset)
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, obj):
        names = getattr(self, "_names", None)
        if names is None:
            names = self._names = dict(self.queryset.values_list("path", "name"))
        step = OrgUnit.steplen
        chain = [names[obj.path[:end]] for end in range(step, len(obj.path) + 1, step) if obj.path[:end] in names]
        if len(chain) < 2:
            return formatting.unit_label(obj)
        # The region level adds nothing when an agency is named; show at most the last three.
        return " › ".join(chain[-3:])


class PersonLookupField(forms.CharField):
    """A person typed by user name or full name, found within ``queryset``.

    For lists too long for a drop-down (a province has tens of thousands of people).
    """

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("help_text", _("填写人员名录中的用户名或姓名。"))
        super().__init__(**kwargs)
        self.queryset = queryset if queryset is not None else User.objects.none()

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        matches = list(self.queryset.filter(Q(username=text) | Q(name=text)).order_by("username")[:5])
        if not matches:
            raise ValidationError(_("找不到“%(text)s”：请填写您管理范围内人员的用户名或姓名。") % {"text": text})
        if len(matches) > 1:
            names = listed(m.username for m in matches)
            raise ValidationError(_("有多人叫“%(text)s”，请改填用户名（%(names)s）。") % {"text": text, "names": names})
        return matches[0]


class PickInput(forms.TextInput):
    """A text box that suggests as you type: HTMX asks ``url_name`` (with ``params``) for ``<option>``s of
    what the user may pick and fills a ``<datalist>``. Without JavaScript it is a plain text box; the form
    field checks the typed value against the same selector the suggestions come from."""

    def __init__(self, url_name: str, params: dict | None = None, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name
        self.params = params or {}

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or 'id_' + name}-options"
        url = reverse(self.url_name)
        if self.params:
            url = f"{url}?{urlencode(self.params)}"
        attrs.update(
            {
                "list": list_id,
                "autocomplete": "off",
                "hx-get": url,
                "hx-trigger": "input changed delay:300ms, focus once",
                "hx-target": f"#{list_id}",
                "hx-swap": "innerHTML",
            }
        )
        box = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', box, list_id)


def pick_query(request) -> str:
    """The text a PickInput sent: HTMX names it after the form field, so take the one non-option value."""
    options = {"for", "ticket", "category", "field"}
    return next((v for k, v in request.GET.items() if k not in options), "").strip()[:100]


def editable_units(user, roles, *, active_only: bool = False):
    """The units a form's unit field offers: those the user holds one of ``roles`` over (active ones only
    where a new row may not go to a closed unit)."""
    units = scoping.visible_units(user, roles=roles)
    return units.filter(is_active=True) if active_only else units


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


class OrgUnitForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = list(ORG_UNIT_FIELDS)  # the fields the service accepts (and the API), typed once

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].required = False
        self.fields["region_code"].help_text = _("内设机构留空则沿用上级的区划代码。")

    def _post_clean(self):
        # Validation is the service's job (it also knows the parent); skip the
        # ModelForm's own instance.full_clean so errors are not reported twice.
        pass


class PersonForm(forms.ModelForm):
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("至少10位，不能全为数字或过于常见。"),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "name",
            "email",
            "org_unit",
            "post_level",
            "rank",
            "is_main_post",
            "job_title",
            "phone",
            "id_number",
            "staffing_seats",
            "is_active",
        ]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"] = UnitChoiceField(
            label=_("所在单位/部门"), queryset=scoping.visible_units(actor, roles=DIRECTORY_EDITORS)
        )
        if self.instance.pk:
            # An editor who may not see a person's full 身份证号 or phone cannot overwrite it either.
            view = personal_data.PersonView(actor)
            for field in personal_data.MASKED_FIELDS:
                if not view.unmasks(field, self.instance):
                    del self.fields[field]
            self.fields["password"].label = _("重置密码")
            self.fields["password"].help_text = _("留空则不修改密码。")
        else:
            self.fields["password"].required = True

    def _post_clean(self):
        pass


class SidePostForm(forms.Form):
    """登记兼职岗位 on the person's page: the directory holds 兼职 posts, other apps pick them."""

    org_unit = UnitChoiceField(
        label=_("兼职单位/部门"),
        queryset=OrgUnit.objects.none(),
        error_messages={
            "required": _("兼职单位/部门：请选择。"),
            "invalid_choice": _("兼职单位/部门：没有这个在用的单位。"),
        },
    )
    title = forms.CharField(
        label=_("兼职岗位"), max_length=200, error_messages={"required": _("兼职岗位：请填写岗位名称。")}
    )
    started_on = forms.DateField(
        label=_("起始日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("起始日期：请填写。"), "invalid": _("起始日期：日期格式不对（YYYY-MM-DD）。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = OrgUnit.objects.filter(is_active=True)


class SidePostEndForm(forms.Form):
    """结束兼职: one of the person's open 兼职 posts and the day it ended."""

    post = forms.ModelChoiceField(
        queryset=SidePost.objects.none(),
        error_messages={
            "required": _("兼职岗位：请选择。"),
            "invalid_choice": _("兼职岗位：该人员没有这个在任的兼职。"),
        },
    )
    ended_on = forms.DateField(
        label=_("结束日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("结束日期：请填写。"), "invalid": _("结束日期：日期格式不对（YYYY-MM-DD）。")},
    )

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    unit = UnitChoiceField(label=_("授权范围（含下级）"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scoping.visible_units(actor, roles=DIRECTORY_EDITORS)
