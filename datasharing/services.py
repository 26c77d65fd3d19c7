"""Writes of the data-sharing requests beyond the portal engine's own: the per-step time limits and the
纠错's confirmation. Keyword-only, one transaction each."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from datahub.keyed import Keyed
from datahub.roles import Role
from datahub.selectors import nearest_holders
from portal import services as portal
from portal.models import Ticket, TicketStep, TimelineEntry
from portal.workflow import Action, Status

from . import rules, selectors
from .models import DataCorrection, StepClock


def _step_started(step: TicketStep, ticket: Ticket) -> datetime:
    before = (
        TicketStep.objects.filter(ticket=ticket, round=step.round, index__lt=step.index, decided_at__isnull=False)
        .order_by("-index")
        .values_list("decided_at", flat=True)
        .first()
    )
    if before or ticket.round <= 1:
        return before or ticket.submitted_at
    # A later round began when it was resubmitted: 提交时间 stays the first submission's (issue #19).
    resubmitted = TimelineEntry.objects.filter(ticket=ticket, action=Action.SUBMIT).order_by("-at").first()
    return resubmitted.at if resubmitted else ticket.submitted_at


@transaction.atomic
def step_clocks_run(*, now: datetime | None = None) -> int:
    """Every pending step of an open data-sharing ticket gets its time limit in working days (the step's
    rule, the working calendar), once; a step past it is flagged once and its approvers and the holders of
    the same role one level up (or the nearest bureau administrators) are told, as the engine does for a
    ticket past its limit. Returns how many steps were flagged now."""
    now = now or timezone.now()
    flagged = 0
    tickets = (
        Ticket.objects.filter(
            kind__in=(rules.ACCESS_KIND, rules.CORRECTION_KIND), status=Status.IN_REVIEW, current_step__isnull=False
        )
        .select_related("current_step__assigned_unit", "org_unit")
        .order_by("pk")
    )
    for ticket in tickets:
        step = ticket.current_step
        days = rules.STEP_WORKING_DAYS.get(step.name)
        if days is None or step.decision != TicketStep.Decision.PENDING:
            continue
        clock = StepClock.objects.select_for_update().filter(ticket=ticket, round=step.round, index=step.index).first()
        if clock is None:
            started = _step_started(step, ticket)
            due = selectors.due_after_working_days(started, days)
            clock = StepClock.objects.create(
                ticket=ticket,
                round=step.round,
                index=step.index,
                name=step.name,
                started_at=started,
                due_at=due,
                working_days=days,
            )
        if clock.escalated_at is not None or clock.due_at > now:
            continue
        above = []
        if step.assigned_unit is not None and step.assigned_unit.depth > 1:
            parent = step.assigned_unit.get_parent()
            above, _ = nearest_holders(step.role, parent)
        if not above:
            above, _ = nearest_holders(Role.BUREAU_ADMIN, ticket.org_unit)
        message = Keyed(
            gettext_noop("超过%(days)s个工作日未办：%(title)s（%(step)s）"),
            {"days": clock.working_days, "title": ticket.title_message, "step": Keyed(step.name)},
        )
        portal.notify(
            users=list(step.assignees.all()), ticket=ticket, key=f"r{step.round}s{step.index}:late", message=message
        )
        portal.notify(users=above, ticket=ticket, key=f"r{step.round}s{step.index}:escalate", message=message)
        clock.escalated_at = now
        clock.save(update_fields=["escalated_at"])
        flagged += 1
    return flagged


@transaction.atomic
def correction_record(*, ticket, detail: DataCorrection, actor, outcome: dict) -> None:
    """The reporter's data steward confirms the provider's correction (or that it is still wrong) and closes
    the 纠错; called by the engine inside its transaction."""
    detail.result = outcome["result"]
    detail.result_note = (outcome.get("note") or "")[:500]
    detail.save(update_fields=["result", "result_note"])
