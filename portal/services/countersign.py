"""会签: one signer's part of a parallel step. Called by services.decide with the ticket row locked,
so the parts of one step are signed one after the other even when the signers press at once."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from datahub import keyed
from datahub.keyed import Keyed, Names
from datahub.models import User

from .. import rules
from ..models import StepPart, Ticket, TicketStep
from ..workflow import Action, move
from ._base import log
from ._base import send as notify

PENDING = TicketStep.Decision.PENDING


def sign_part(
    *, ticket: Ticket, step: TicketStep, actor: User, decision: str, comment: str, part_id: int | None
) -> str:
    """Record the actor's part and return the step's decision under its rule ("pending" while open).

    The caller holds the ticket's row lock. A part is written only while pending; a signer who holds
    several parts (a bureau administrator standing in for two roles) signs them one at a time.
    """
    step.refresh_from_db()
    if ticket.current_step_id != step.pk or step.decision != PENDING:
        if step.decision == PENDING:
            raise ValidationError(gettext_lazy("该会签步骤尚未开始。"), code="not_current")
        raise ValidationError(
            _("该会签步骤已结束（%(decision)s），无需再会签。") % {"decision": step.get_decision_display()},
            code="already_decided",
        )
    mine = StepPart.objects.filter(step=step, assignees=actor)
    if part_id is not None:
        mine = mine.filter(pk=part_id)
    part = mine.filter(decision=PENDING).order_by("index").first()
    if part is None:
        signed = mine.exclude(decision=PENDING).select_related("decided_by").first()
        if signed is None:
            raise PermissionDenied(_("您不是该会签方的会签人。"))
        who = signed.decided_by.name if signed.decided_by else _("他人")
        raise ValidationError(
            _("“%(name)s”已由%(who)s会签（%(decision)s），无需重复会签。")
            % {"name": signed.name, "who": who, "decision": signed.get_decision_display()},
            code="already_decided",
        )
    now = timezone.now()
    # A remark the platform wrote for the signer (批量同意) is a message; the part keeps its text.
    note = comment if isinstance(comment, Keyed) else comment.strip()
    StepPart.objects.filter(pk=part.pk, decision=PENDING).update(
        decision=decision, decided_by=actor, decided_at=now, comment=keyed.split(comment, 1000)[0]
    )
    move(ticket, Action.COUNTERSIGN)
    label = TicketStep.Decision(decision).label
    log(
        ticket=ticket,
        actor=actor,
        action=Action.COUNTERSIGN,
        comment=Keyed(
            gettext_noop("%(step)s·%(part)s：%(decision)s。%(comment)s")
            if note
            else gettext_noop("%(step)s·%(part)s：%(decision)s"),
            {"step": Keyed(step.name), "part": Keyed(part.name), "decision": label, "comment": note},
        ),
    )

    parts = list(StepPart.objects.filter(step=step).order_by("index").values_list("name", "decision"))
    result = rules.countersign_result(step.rule, step.quorum, [d for _, d in parts])
    if result == rules.PENDING:
        waiting = [name for name, d in parts if d == PENDING]
        notify(
            users=[ticket.requester],
            ticket=ticket,
            key=f"r{ticket.round}s{step.index}p{part.index}:signed",
            message=Keyed(
                gettext_noop("%(step)s：%(part)s已会签（%(decision)s），尚待%(waiting)s。"),
                {
                    "step": Keyed(step.name),
                    "part": Keyed(part.name),
                    "decision": label,
                    "waiting": Names(Keyed(n) for n in waiting),
                },
            ),
        )
        return result
    # The result names each signer and their decision, read in the reader's language (会签结果：财务处同意；…).
    summary = [
        Keyed(gettext_noop("%(part)s%(decision)s"), {"part": Keyed(name), "decision": TicketStep.Decision(d).label})
        for name, d in parts
        if d != PENDING
    ]
    StepPart.objects.filter(step=step, decision=PENDING).update(decision=TicketStep.Decision.CANCELLED)
    TicketStep.objects.filter(pk=step.pk, decision=PENDING).update(
        decision=result,
        decided_by=actor,
        decided_at=now,
        **keyed.columns("comment", Keyed(gettext_noop("会签结果：%(parts)s"), {"parts": summary}), 1000),
    )
    step.refresh_from_db()
    return result
