"""Energy reports on the portal's one workflow engine: a quarterly or annual report is a request of kind
``energy_report`` (registered in ``energy.kinds``). The engine keeps the status, the reviewer's inbox, the
notifications (returned, approved) and the timeline; energy keeps what is its own — the review warnings,
the published figures, the versions, and which months a report locks.

Months of a period whose latest version is submitted, in review or approved are locked. A correction
after approval is a new version (a draft request with its reason) that unlocks the months; the approved
version stays published until the correction is approved, then it is superseded.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from datahub.models import OrgUnit
from portal import services as portal
from portal.workflow import Status

from .. import review, rules
from ..models import ConsumptionRecord, InstitutionProfile, ReportingPeriod, Submission
from ._base import _require_institution, require_editor
from .profiles import profile_refresh
from .records import sync_vehicle_fuel

KIND = "energy_report"
# A report in one of these states holds its period: a new submission waits for a correction.
HELD = (Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED, Status.IN_PROGRESS, Status.DONE)


@transaction.atomic
def period_of(*, year: int, quarter: int) -> ReportingPeriod:
    """The reporting period (a year's quarter 1–4, or 0 for the annual report), made on first use."""
    if quarter not in range(0, 5):
        raise ValidationError({"quarter": _("季度应为1–4，年报为0。")})
    period, _created = ReportingPeriod.objects.get_or_create(year=year, quarter=quarter)
    return period


def _latest(unit: OrgUnit, period: ReportingPeriod) -> Submission | None:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("ticket")
        .filter(org_unit=unit, period=period)
        .order_by("-version")
        .first()
    )


@transaction.atomic
def submit(*, actor, org_unit: OrgUnit, period: ReportingPeriod) -> Submission:
    """The reporter submits the period (or submits again after a return, or a correction): the period must
    be over; the base data and vehicle fuel are brought up to date, the review rules run and their warnings
    go to the reviewer with the request, which enters the reviewer's one inbox; the months lock."""

    require_editor(actor=actor, unit=org_unit)
    _require_institution(org_unit)
    if not rules.period_ended(period.year, period.quarter, timezone.localdate()):
        raise ValidationError(
            {"period": _("%(period)s尚未结束，不能报送（期末之后才能报送本期数据）。") % {"period": period}}
        )
    OrgUnit.objects.select_for_update().filter(pk=org_unit.pk).first()  # one submission at a time per unit
    latest = _latest(org_unit, period)
    if latest is not None and latest.ticket.status in HELD:
        raise ValidationError(
            {
                "status": _("%(period)s已报送（%(status)s），如需修改请申请更正。")
                % {"period": period, "status": latest.ticket.get_status_display()}
            }
        )
    if not ConsumptionRecord.objects.filter(org_unit=org_unit, year=period.year, month__in=period.months).exists():
        raise ValidationError({"period": _("%(period)s没有任何能耗数据，不能报送。") % {"period": period}})
    profile_refresh(unit_ids=[org_unit.pk], years=[period.year])
    if not InstitutionProfile.objects.filter(org_unit=org_unit, year=period.year).exists():
        raise ValidationError(
            {"period": _("请先生成%(year)s年度的公共机构基本信息（建筑面积、用能人数等）。") % {"year": period.year}}
        )
    sync_vehicle_fuel(unit_ids=[org_unit.pk], year=period.year)
    warnings = review.review_warnings(org_unit, period)
    if latest is not None and latest.ticket.status in (Status.DRAFT, Status.RETURNED):
        if latest.ticket.requester_id != actor.pk:
            raise PermissionDenied(
                _("该报送由%(name)s填报，请由其本人重新提交。") % {"name": latest.ticket.requester.name}
            )
        latest.warnings, latest.acknowledged = warnings, False
        latest.save(update_fields=["warnings", "acknowledged"])
        portal.submit_ticket(actor=actor, ticket=latest.ticket)
        return Submission.objects.select_related("ticket").get(pk=latest.pk)
    ticket = portal.file_request(
        requester=actor,
        kind_code=KIND,
        detail_fields={
            "period": period,
            "org_unit": org_unit,
            "version": latest.version + 1 if latest else 1,
            "warnings": warnings,
        },
    )
    return Submission.objects.select_related("ticket").get(ticket=ticket)


@transaction.atomic
def report_approved(*, ticket, detail: Submission) -> None:
    """The last reviewer approved (approval acknowledges the warnings shown with the request): the period's
    figures are frozen into the report with the coefficient versions used, and an earlier approved
    version of the period is superseded."""
    detail.acknowledged = bool(detail.warnings)
    detail.figures = review.period_snapshot(detail.org_unit, detail.period)
    detail.save(update_fields=["acknowledged", "figures"])
    Submission.objects.filter(org_unit=detail.org_unit, period=detail.period, version__lt=detail.version).update(
        superseded=True
    )


def report_outcome(*, ticket, detail, actor, outcome) -> None:
    """A report is done when approved (the kind closes on approval): there is nothing to hand over."""


@transaction.atomic
def open_correction(*, actor, submission: Submission, reason: str) -> Submission:
    """A correction after approval is a new version — a draft request with the reason — that unlocks the
    months; the approved version stays published until the correction is approved."""
    submission = Submission.objects.select_for_update(of=("self",)).select_related("ticket").get(pk=submission.pk)
    require_editor(actor=actor, unit=submission.org_unit)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写更正原因。")})
    latest = _latest(submission.org_unit, submission.period)
    if latest.pk != submission.pk:
        raise ValidationError({"status": _("该报送已有更新的版本，请在最新版本上操作。")})
    if submission.ticket.status != Status.DONE:
        raise ValidationError(
            {
                "status": _("当前状态为“%(status)s”，审核通过后才能申请更正。")
                % {"status": submission.ticket.get_status_display()}
            }
        )
    ticket = portal.file_request(
        requester=actor,
        kind_code=KIND,
        detail_fields={
            "period": submission.period,
            "org_unit": submission.org_unit,
            "version": submission.version + 1,
            "correction_reason": reason.strip(),
        },
        submit=False,
    )
    return Submission.objects.select_related("ticket").get(ticket=ticket)
