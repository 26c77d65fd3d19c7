"""The energy report as a request kind of the portal's one workflow engine.

Reviewed by the level above the institution (an energy reporter there; the engine falls back to the
bureau administrator when nobody holds the role), closed on approval — nothing is handed over after.
Filed from the institution's energy page (``services.submit``), which brings the data up to date and
runs the review rules; the portal's generic filing form refuses it and says where to go."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from datahub.models import OrgUnit
from datahub.roles import Role
from portal.registry import RequestKind, Step, register

from . import services
from .models import Submission


def _level_above(detail: Submission) -> OrgUnit:
    unit = detail.org_unit
    if unit.depth <= 1:
        return unit
    return OrgUnit.objects.get(path=unit.path[: -OrgUnit.steplen])


class ReportFileForm(forms.ModelForm):
    """Not filled here: the report is made from the period's data on the energy page."""

    class Meta:
        model = Submission
        fields = []

    def clean(self):
        raise ValidationError(_("能耗数据请在“公共机构节能 → 机构”页面报送：系统带出本期数据并运行审核规则。"))


class NoOutcomeForm(forms.Form):
    pass


def register_kind() -> None:
    register(
        RequestKind(
            code=services.KIND,
            label=_("能耗数据报送"),
            domain=_("公共机构节能"),
            description=_("公共机构季度、年度能源资源消费数据报送，上一级审核（在公共机构节能页面报送）"),
            detail_model=Submission,
            form_class=ReportFileForm,
            chain=(Step(gettext_noop("上一级能耗审核"), Role.ENERGY_REPORTER, unit=_level_above),),
            handler_role=Role.ENERGY_REPORTER,
            sla_hours=10 * 24,
            outcome_form=NoOutcomeForm,
            record_outcome=services.report_outcome,
            on_approved=services.report_approved,
            done_on_approval=True,
        )
    )
