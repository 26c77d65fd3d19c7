"""协办 (co-handling): the lead handler of an approved ticket asks other units to do a part.

Parts are handled in parallel, each by the holders of its role over its unit; each outcome goes
on the ticket's timeline; a part may be declined (wrong unit) with a reason, which goes back to
the lead handler; the lead closes the ticket only when no part is still open. Every action
locks the ticket row, so a part cannot be answered while the ticket is being closed."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from datahub import scoping
from datahub.keyed import Keyed
from datahub.models import OrgUnit, User
from datahub.roles import Role
from datahub.selectors import nearest_holders

from ..models import AssistPart, Ticket
from ..workflow import Action, Status, move
from ._base import locked, log
from ._base import send as notify


@transaction.atomic
def assist_ask(
    *, actor: User, ticket: Ticket, unit: OrgUnit, role: str, description: str, due_at: datetime
) -> AssistPart:
    """Only the lead handler of a ticket in progress asks; the unit must have someone holding the role
    (else the part would wait for nobody); the due time is in the future."""
    ticket = locked(ticket=ticket)
    if actor.pk != ticket.handler_id:
        raise PermissionDenied(_("只有本申请的主办人可以发起协办。"))
    if ticket.status != Status.IN_PROGRESS:
        raise ValidationError(gettext_lazy("只有办理中的申请可以发起协办。"))
    errors = {}
    if role not in Role.values:
        errors["role"] = _("请选择协办角色。")
    if not (description or "").strip():
        errors["description"] = _("请填写协办内容。")
    if due_at is None or due_at <= timezone.now():
        errors["due_at"] = _("协办时限须晚于现在。")
    if unit is None or not unit.is_active:
        errors["unit"] = _("请选择在用的协办单位。")
    if errors:
        raise ValidationError(errors)
    holders, _nearest = nearest_holders(role, unit, exclude=actor)
    if not holders:
        raise ValidationError(
            {
                "unit": _("%(name)s及其上级均无人担任“%(label)s”，无人能协办。")
                % {"name": unit.name, "label": Role(role).label}
            }
        )
    move(ticket, Action.ASSIST_ASK)
    part = AssistPart.objects.create(
        ticket=ticket, unit=unit, role=role, description=description.strip(), due_at=due_at, asked_by=actor
    )
    log(
        ticket=ticket,
        actor=actor,
        action=Action.ASSIST_ASK,
        comment=Keyed(
            gettext_noop("请%(unit)s（%(role)s）协办：%(description)s；时限%(due)s"),
            {
                "unit": unit.name,
                "role": Role(role).label,
                "description": part.description,
                "due": f"{timezone.localtime(due_at):%m-%d %H:%M}",
            },
        ),
    )
    notify(
        users=holders,
        ticket=ticket,
        key=f"assist{part.pk}:ask",
        message=Keyed(
            gettext_noop("待您协办：%(title)s（%(description)s）"),
            {"title": ticket.title_message, "description": part.description[:60]},
        ),
    )
    return part


def _part_for_helper(actor: User, part: AssistPart) -> tuple[Ticket, AssistPart]:
    ticket = locked(ticket=part.ticket)
    part = AssistPart.objects.select_related("unit").get(pk=part.pk)
    if not scoping.covers(actor, part.unit, roles=[part.role]):
        raise PermissionDenied(_("您不是该协办事项的办理人。"))
    if part.state != AssistPart.State.OPEN:
        raise ValidationError(
            _("该协办事项%(state)s，不能再办理。") % {"state": part.get_state_display()}, code="assist_closed"
        )
    return ticket, part


def _close(part: AssistPart, actor: User, state: str, text: str) -> None:
    part.state = state
    part.handled_by = actor
    part.handled_at = timezone.now()
    part.outcome = text
    part.save(update_fields=["state", "handled_by", "handled_at", "outcome"])


@transaction.atomic
def assist_complete(*, actor: User, part: AssistPart, outcome: str) -> AssistPart:
    """A holder of the part's role over its unit records the part's outcome; it goes on the timeline."""
    if not (outcome or "").strip():
        raise ValidationError({"outcome": _("请填写协办结果。")})
    ticket, part = _part_for_helper(actor, part)
    move(ticket, Action.ASSIST_DONE)
    _close(part, actor, AssistPart.State.DONE, outcome.strip())
    log(
        ticket=ticket,
        actor=actor,
        action=Action.ASSIST_DONE,
        comment=Keyed(gettext_noop("%(unit)s：%(outcome)s"), {"unit": part.unit.name, "outcome": part.outcome}),
    )
    notify(
        users=[ticket.handler],
        ticket=ticket,
        key=f"assist{part.pk}:done",
        message=Keyed(
            gettext_noop("%(unit)s已完成协办：%(title)s"), {"unit": part.unit.name, "title": ticket.title_message}
        ),
    )
    return part


@transaction.atomic
def assist_decline(*, actor: User, part: AssistPart, reason: str) -> AssistPart:
    """The asked unit sends the part back (e.g. not theirs) with a reason; the lead handler decides what next."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("退回协办时请填写理由。")})
    ticket, part = _part_for_helper(actor, part)
    move(ticket, Action.ASSIST_DECLINE)
    _close(part, actor, AssistPart.State.DECLINED, reason.strip())
    log(
        ticket=ticket,
        actor=actor,
        action=Action.ASSIST_DECLINE,
        comment=Keyed(gettext_noop("%(unit)s退回协办：%(outcome)s"), {"unit": part.unit.name, "outcome": part.outcome}),
    )
    notify(
        users=[ticket.handler],
        ticket=ticket,
        key=f"assist{part.pk}:declined",
        message=Keyed(
            gettext_noop("%(unit)s退回了协办：%(outcome)s"), {"unit": part.unit.name, "outcome": part.outcome[:80]}
        ),
    )
    return part


@transaction.atomic
def assist_withdraw(*, actor: User, part: AssistPart, reason: str) -> AssistPart:
    """The lead handler takes back a part that is still open, with a reason."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("撤回协办时请填写理由。")})
    ticket = locked(ticket=part.ticket)
    part = AssistPart.objects.select_related("unit").get(pk=part.pk)
    if actor.pk != ticket.handler_id:
        raise PermissionDenied(_("只有本申请的主办人可以撤回协办。"))
    if part.state != AssistPart.State.OPEN:
        raise ValidationError(
            _("该协办事项%(state)s，不能撤回。") % {"state": part.get_state_display()}, code="assist_closed"
        )
    move(ticket, Action.ASSIST_WITHDRAW)
    _close(part, actor, AssistPart.State.WITHDRAWN, reason.strip())
    log(
        ticket=ticket,
        actor=actor,
        action=Action.ASSIST_WITHDRAW,
        comment=Keyed(
            gettext_noop("撤回%(unit)s的协办：%(outcome)s"), {"unit": part.unit.name, "outcome": part.outcome}
        ),
    )
    return part
