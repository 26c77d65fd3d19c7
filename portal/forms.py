from django import forms
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from datahub.forms import UnitChoiceField
from datahub.keyed import listed
from datahub.models import OrgUnit, User
from datahub.roles import Role

from .models import ATTACHMENT_EXTENSIONS, TicketStep


class DecisionForm(forms.Form):
    step_id = forms.IntegerField(widget=forms.HiddenInput)
    part_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(
        label=_("审批结果"),
        choices=[
            (TicketStep.Decision.APPROVED, _("同意")),
            (TicketStep.Decision.REJECTED, _("不同意")),
            (TicketStep.Decision.RETURNED, _("退回修改")),
        ],
    )
    comment = forms.CharField(label=_("意见"), required=False, max_length=1000, widget=forms.TextInput)


class HandOnForm(forms.Form):
    step_id = forms.IntegerField(widget=forms.HiddenInput)
    to_user = forms.ModelChoiceField(label=_("转交给"), queryset=User.objects.none())
    comment = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args, actor, requester_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if actor.org_unit_id:
            # Colleagues who can sign in (directory-only entries have an unusable password, "!…").
            self.fields["to_user"].queryset = (
                User.objects.filter(is_active=True, org_unit__path__startswith=actor.org_unit.path)
                .exclude(pk__in=[actor.pk, requester_id])
                .exclude(password__startswith="!")
                .select_related("org_unit")
                .order_by("org_unit__path", "name")
            )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("留言"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachment = forms.FileField(
        label=_("附件"),
        required=False,
        help_text=format_lazy(_("支持 {}，不超过10MB。"), lazy(listed, str)(ATTACHMENT_EXTENSIONS)),
    )


class RatingForm(forms.Form):
    prefix = "rating"

    rating = forms.TypedChoiceField(
        label=_("评分"),
        coerce=int,
        choices=[(i, format_lazy(_("{}分"), i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("评价意见"), required=False, max_length=500)


class AssistForm(forms.Form):
    """协办: which unit, which of its roles, what to do, by when."""

    prefix = "assist"

    unit = UnitChoiceField(label=_("协办单位"), queryset=OrgUnit.objects.none())
    role = forms.ChoiceField(label=_("协办角色"), choices=[])
    description = forms.CharField(label=_("协办内容"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    due_at = forms.DateTimeField(
        label=_("协办时限"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any active unit: co-handling is exactly the case of asking a unit outside one's own line.
        self.fields["unit"].queryset = OrgUnit.objects.filter(is_active=True).order_by("path")
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r not in (Role.CIVIL_SERVANT, Role.AUDITOR)]


class AssistAnswerForm(forms.Form):
    text = forms.CharField(label=_("协办结果或理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class SupervisionForm(forms.Form):
    prefix = "supervise"

    note = forms.CharField(label=_("督办事项"), max_length=500)
    deadline = forms.DateTimeField(
        label=_("督办时限"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
