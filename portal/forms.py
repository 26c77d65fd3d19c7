from django import forms

from datahub.models import User

from .models import ATTACHMENT_EXTENSIONS, TicketStep


class DecisionForm(forms.Form):
    step_id = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="审批结果",
        choices=[
            (TicketStep.Decision.APPROVED, "同意"),
            (TicketStep.Decision.REJECTED, "不同意"),
            (TicketStep.Decision.RETURNED, "退回修改"),
        ],
    )
    comment = forms.CharField(label="意见", required=False, max_length=1000, widget=forms.TextInput)


class HandOnForm(forms.Form):
    step_id = forms.IntegerField(widget=forms.HiddenInput)
    to_user = forms.ModelChoiceField(label="转交给", queryset=User.objects.none())
    comment = forms.CharField(label="说明", required=False, max_length=500)

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
    comment = forms.CharField(label="留言", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    attachment = forms.FileField(
        label="附件",
        required=False,
        help_text="支持 {}，不超过10MB。".format("、".join(ATTACHMENT_EXTENSIONS)),
    )


class RatingForm(forms.Form):
    prefix = "rating"

    rating = forms.TypedChoiceField(
        label="评分", coerce=int, choices=[(i, f"{i}分") for i in range(5, 0, -1)], widget=forms.RadioSelect
    )
    comment = forms.CharField(label="评价意见", required=False, max_length=500)
