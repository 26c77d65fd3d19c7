"""The access request registered on the portal engine.

无条件共享: the data authority's compliance check (the data steward at the top of the provider's tree), then
granted. 有条件共享: the check, then the provider's own data steward decides; a refusal needs a reason (the
engine asks for a comment to reject). 不予共享 entries cannot be requested (the form and the detail refuse them).
The grant is created when the last step approves (on_approved), so it works at once; the handler then records
how it was delivered.

纠错 (data_correction): a consumer reports a wrong value; the provider's data steward checks it and answers
(agreeing means it is corrected, refusing needs the reason it is not wrong); the reporter's unit's data steward
then confirms the result and closes it. Open ones are listed on the entry's catalog page (datahub.catalog.hooks)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from datahub.catalog import rules, services
from datahub.catalog.hooks import read_open_corrections
from datahub.models import OrgUnit
from datahub.roles import Role
from portal.models import TicketStep
from portal.registry import RequestKind, Step, register

from . import rules as sharing_rules
from . import selectors as sharing_selectors
from . import services as sharing_services
from .forms import CorrectionCheckForm, DataAccessRequestForm, DataCorrectionForm, DeliveryForm
from .models import DataAccessRequest, DataCorrection

KIND = sharing_rules.ACCESS_KIND
# The engine's one limit per ticket is set on the working calendar (deadline=selectors.ticket_deadline: the
# chain's working days); the hours below are only what the kinds API shows as a rough figure. Each step's own
# limit in working days is kept by datasharing.services.step_clocks_run.
SLA_HOURS = (rules.CHECK_WORKING_DAYS + rules.PROVIDER_WORKING_DAYS + 4) * 24
# 纠错: the provider's working days, two more for the reporter's steward to confirm, and the weekends between.
CORRECTION_SLA_HOURS = (sharing_rules.CORRECTION_WORKING_DAYS + 2 + 5) * 24


def _authority(detail):
    provider = detail.dataset.provider
    return OrgUnit.objects.get(path=provider.path[: OrgUnit.steplen])


def _conditional(detail) -> bool:
    return detail.dataset.share_type == rules.ShareType.CONDITIONAL


def on_approved(ticket, detail) -> None:
    last = (
        TicketStep.objects.filter(ticket=ticket, round=ticket.round, decision=TicketStep.Decision.APPROVED)
        .select_related("decided_by")
        .order_by("-index")
        .first()
    )
    grant = services.grant_create(
        actor=last.decided_by if last else None,
        dataset=detail.dataset,
        consumer_unit=ticket.org_unit,
        user=None if detail.application_id else ticket.requester,
        application=detail.application,
        items=detail.items,
        row_scope=detail.row_scope,
        row_unit=detail.row_unit,
        valid_from=detail.valid_from,
        valid_to=detail.valid_to,
        purpose=detail.purpose,
        ticket_id=ticket.pk,
    )
    detail.grant = grant
    detail.save(update_fields=["grant"])


def record_delivery(ticket, detail, actor, outcome) -> None:
    """The grant exists since approval; the delivery note is kept on the ticket's timeline by the engine."""


def _provider(detail):
    return detail.dataset.provider


def register_kind() -> None:
    register(
        RequestKind(
            code=KIND,
            label=_("数据共享申请"),
            domain=_("数据共享"),
            description=_("申请使用政务数据资源目录中的信息资源（无条件共享、有条件共享）；不予共享的资源不能申请"),
            detail_model=DataAccessRequest,
            form_class=DataAccessRequestForm,
            chain=(
                Step(gettext_noop("数据主管部门合规审查"), Role.DATA_STEWARD, unit=_authority),
                Step(
                    gettext_noop("提供方数据管理员审核"),
                    Role.DATA_STEWARD,
                    when=_conditional,
                    unit=lambda d: d.dataset.provider,
                ),
            ),
            handler_role=Role.DATA_STEWARD,
            sla_hours=SLA_HOURS,
            sla_working_days=rules.CHECK_WORKING_DAYS + rules.PROVIDER_WORKING_DAYS,
            deadline=sharing_selectors.ticket_deadline,
            outcome_form=DeliveryForm,
            record_outcome=record_delivery,
            on_approved=on_approved,
        )
    )
    register(
        RequestKind(
            code=sharing_rules.CORRECTION_KIND,
            label=_("数据纠错"),
            domain=_("数据共享"),
            description=_("发现共享数据有误时向提供方报告；提供方核实答复，本单位数据管理员核验更正结果"),
            detail_model=DataCorrection,
            form_class=DataCorrectionForm,
            chain=(Step(gettext_noop("提供方数据管理员核实"), Role.DATA_STEWARD, unit=_provider),),
            handler_role=Role.DATA_STEWARD,
            sla_hours=CORRECTION_SLA_HOURS,
            sla_working_days=sharing_rules.CORRECTION_WORKING_DAYS + 2,
            deadline=sharing_selectors.ticket_deadline,
            outcome_form=CorrectionCheckForm,
            record_outcome=sharing_services.correction_record,
        )
    )
    read_open_corrections(sharing_selectors.open_corrections)
