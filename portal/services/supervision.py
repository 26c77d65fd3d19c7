"""督办 (supervision): a leader or bureau administrator over the requester's unit watches a ticket
until a deadline. The supervised see it marked and are reminded before the deadline; past it with
the ticket still open, the supervisor is told and it shows among the items needing attention."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from datahub import scoping
from datahub.keyed import Keyed, Names
from datahub.models import User
from datahub.roles import Role

from .. import rules
from ..models import Supervision, Ticket, TicketStep
from ..workflow import OPEN_STATES, Action, Status, move
from ._base import handlers, locked, log
from ._base import send as notify

SUPERVISORS = (Role.LEADER, Role.BUREAU_ADMIN)


def _default_supervised(ticket: Ticket) -> list[User]:
    """Whoever the ticket waits for now: the pending approvers, the handler, or the handler role's holders."""
    if ticket.status == Status.IN_PROGRESS and ticket.handler_id:
        return [ticket.handler]
    if ticket.status == Status.APPROVED:
        return handlers(ticket=ticket)
    step = ticket.current_step
    if step is not None and step.decision == TicketStep.Decision.PENDING:
        if step.is_countersign:
            return list(User.objects.filter(assigned_parts__step=step, assigned_parts__decision="pending").distinct())
        return list(step.assignees.all())
    return []


@transaction.atomic
def supervision_open(
    *, actor: User, ticket: Ticket, note: str, deadline: datetime, supervised: list[User] | None = None
) -> Supervision:
    """Only a leader or bureau administrator over the requester's unit may supervise an open ticket;
    the deadline is in the future and somebody is supervised."""
    ticket = locked(ticket=ticket)
    if not scoping.covers(actor, ticket.org_unit, roles=SUPERVISORS):
        raise PermissionDenied(_("只有领导或机关事务管理局管理员可以督办本单位及下级的申请。"))
    if ticket.status not in OPEN_STATES:
        raise ValidationError(_("申请%(label)s，不能督办。") % {"label": Status(ticket.status).label})
    errors = {}
    if not (note or "").strip():
        errors["note"] = _("请填写督办事项。")
    if deadline is None or deadline <= timezone.now():
        errors["deadline"] = _("督办时限须晚于现在。")
    people = [u for u in (supervised or _default_supervised(ticket)) if u.is_active]
    if not people and "deadline" not in errors:
        errors["supervised"] = _("该申请当前无人办理，请选择被督办人。")
    if errors:
        raise ValidationError(errors)
    move(ticket, Action.SUPERVISE)
    sup = Supervision.objects.create(ticket=ticket, supervisor=actor, note=note.strip(), deadline=deadline)
    sup.supervised.set(people)
    when = f"{timezone.localtime(deadline):%Y-%m-%d %H:%M}"
    names = Names(u.name for u in people)
    log(
        ticket=ticket,
        actor=actor,
        action=Action.SUPERVISE,
        comment=Keyed(
            gettext_noop("督办（%(names)s）：%(note)s；时限%(when)s"), {"names": names, "note": sup.note, "when": when}
        ),
    )
    notify(
        users=people,
        ticket=ticket,
        key=f"sup{sup.pk}:open",
        message=Keyed(
            gettext_noop("【督办】%(title)s：%(note)s，请于%(when)s前办结"),
            {"title": ticket.title_message, "note": sup.note[:80], "when": when},
        ),
    )
    return sup


@transaction.atomic
def supervision_sweep(*, now: datetime | None = None) -> dict:
    """The beat task's body: remind the supervised once before the deadline; once past it with the ticket
    still open, tell the supervisor and note it on the ticket. Rows are claimed under a lock and the
    marks are set once, so reruns and two workers send nothing twice."""
    now = now or timezone.now()
    reminded = escalated = 0
    due = (
        Supervision.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(ticket__status__in=OPEN_STATES)
        .filter(reminded_at__isnull=True, deadline__gt=now, deadline__lte=now + rules.SUPERVISION_REMIND_BEFORE)
        .select_related("ticket")
        .prefetch_related("supervised")
    )
    for sup in due:
        sup.reminded_at = now
        sup.save(update_fields=["reminded_at"])
        when = f"{timezone.localtime(sup.deadline):%m-%d %H:%M}"
        notify(
            users=sup.supervised.all(),
            ticket=sup.ticket,
            key=f"sup{sup.pk}:remind",
            message=Keyed(
                gettext_noop("【督办提醒】%(title)s将于%(when)s到期"), {"title": sup.ticket.title_message, "when": when}
            ),
        )
        reminded += 1
    late = (
        Supervision.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(ticket__status__in=OPEN_STATES, escalated_at__isnull=True, deadline__lte=now)
        .select_related("ticket", "supervisor")
    )
    for sup in late:
        sup.escalated_at = now
        sup.save(update_fields=["escalated_at"])
        log(
            ticket=sup.ticket,
            actor=None,
            action=Action.SUPERVISE_LATE,
            comment=Keyed(
                gettext_noop("督办已逾期：%(note)s，已报督办人%(supervisor)s"),
                {"note": sup.note, "supervisor": sup.supervisor.name},
            ),
        )
        notify(
            users=[sup.supervisor],
            ticket=sup.ticket,
            key=f"sup{sup.pk}:late",
            message=Keyed(gettext_noop("【督办逾期】%(title)s仍未办结"), {"title": sup.ticket.title_message}),
        )
        escalated += 1
    return {"reminded": reminded, "escalated": escalated}
