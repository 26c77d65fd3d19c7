"""The ticket's own life: file, submit, decide, hand on, withdraw, handle, complete, rate, comment.

Every write of the workflow engine. One transaction per action; each checks who may act,
moves the ticket through the transition table (workflow.move), writes the timeline, and
queues notifications. A refused action raises ValidationError / PermissionDenied and
leaves the database as it was."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from datahub import formatting, keyed
from datahub.keyed import Keyed, label, listed
from datahub.labels import stored
from datahub.models import User
from datahub.roles import Role
from datahub.selectors import nearest_holders

from .. import chains, registry, rules, selectors
from ..models import Notification, StepPart, Ticket, TicketStep, TimelineEntry
from ..signals import bundle_member_moved
from ..workflow import Action, Status, move
from ._base import _title
from ._base import detail as _detail
from ._base import handlers as _handlers
from ._base import locked as _locked
from ._base import log as _log
from ._base import open_assists as _open_assists
from ._base import send as _notify
from .countersign import sign_part

# Files attached while filing (more may be added on the ticket afterwards).
MAX_FILING_ATTACHMENTS = 5


@transaction.atomic
def notify(*, users, ticket: Ticket, key: str, message) -> None:
    """Tell ``users`` about ``ticket`` in the app and by e-mail, once per ``key`` (a rerun sends nothing).
    ``message`` is best a ``datahub.keyed.Keyed`` message, so each reader sees it in their language."""
    _notify(users=users, ticket=ticket, key=key, message=message)


def _set_title(ticket: Ticket, detail) -> None:
    """The detail's summary as the ticket's title: a ``Keyed`` summary is kept as its message and values, so
    the title reads in the reader's language; a plain one as text."""
    ticket.title, ticket.title_key, ticket.title_values = keyed.split(detail.summary(), 200)


def _split_links(model, fields: dict) -> tuple[dict, dict]:
    """A detail's plain fields and its many-to-many links (e.g. a trip's riders), which are set after the save."""
    many = {f.name for f in model._meta.many_to_many}
    return (
        {k: v for k, v in fields.items() if k not in many},
        {k: v for k, v in fields.items() if k in many},
    )


@transaction.atomic
def file_request(
    *, requester: User, kind_code: str, detail_fields: dict, submit: bool = True, attachments=()
) -> Ticket:
    """Create a ticket of ``kind_code`` with its detail; submit it unless ``submit`` is False (a draft).
    ``attachments`` (uploaded files, at most MAX_FILING_ATTACHMENTS) go on the ticket's timeline as it is
    filed; a file of a refused type or size refuses the whole filing (nothing is created)."""
    if len(attachments) > MAX_FILING_ATTACHMENTS:
        raise ValidationError(
            {
                "attachment": _("申请时最多上传%(MAX_FILING_ATTACHMENTS)s个附件，其余可在提交后补充。")
                % {"MAX_FILING_ATTACHMENTS": MAX_FILING_ATTACHMENTS}
            }
        )
    kind = registry.get(kind_code)
    if requester.org_unit_id is None:
        raise ValidationError(gettext_lazy("您尚未分配所在单位，请联系本单位管理员。"))
    ticket = Ticket(kind=kind.code, requester=requester, org_unit=requester.org_unit, title=stored(kind.label))
    ticket.save()
    plain, links = _split_links(kind.detail_model, detail_fields)
    detail = kind.detail_model(ticket=ticket, **plain)
    detail.full_clean()
    detail.save()
    for name, rows in links.items():
        getattr(detail, name).set(rows)
    # The title reads the stored figures (18.00m², as the database keeps them), so a resubmission that
    # changes nothing does not rewrite it.
    detail.refresh_from_db()
    _set_title(ticket, detail)
    ticket.save(update_fields=["title", "title_key", "title_values"])
    _log(ticket=ticket, actor=requester, action=Action.CREATE, to=Status.DRAFT)
    for attachment in attachments:
        _log(
            ticket=ticket,
            actor=requester,
            action=Action.COMMENT,
            comment=Keyed(gettext_noop("申请时上传的附件")),
            attachment=attachment,
        )
    if submit:
        return submit_ticket(actor=requester, ticket=ticket)
    return ticket


@transaction.atomic
def update_draft(*, actor: User, ticket: Ticket, detail_fields: dict) -> Ticket:
    """The requester may change the detail while the ticket is a draft or returned for changes."""
    ticket = _locked(ticket=ticket)
    if actor.pk != ticket.requester_id:
        raise PermissionDenied(_("只有申请人可以修改申请内容。"))
    if ticket.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(gettext_lazy("申请已提交，不能再修改；如需修改请先撤回。"))
    detail = _detail(ticket=ticket)
    plain, links = _split_links(type(detail), detail_fields)
    for name, value in plain.items():
        setattr(detail, name, value)
    detail.full_clean()
    detail.save()
    for name, rows in links.items():
        getattr(detail, name).set(rows)
    # The title reads the stored figures (18.00m², as the database keeps them), so a resubmission that
    # changes nothing does not rewrite it.
    detail.refresh_from_db()
    _set_title(ticket, detail)
    ticket.save(update_fields=["title", "title_key", "title_values", "updated_at"])
    return ticket


@transaction.atomic
def submit_ticket(*, actor: User, ticket: Ticket) -> Ticket:
    """Submit (or resubmit after a return): resolve the approval chain for this round and start it."""
    ticket = _locked(ticket=ticket)
    if actor.pk != ticket.requester_id:
        raise PermissionDenied(_("只有申请人可以提交申请。"))
    kind = registry.get(ticket.kind)
    frm, to = move(ticket, Action.SUBMIT)
    now = timezone.now()
    ticket.round += 1
    # 提交时间 is the first submission's; a resubmission after a return is in the timeline, not here.
    ticket.submitted_at = ticket.submitted_at or now
    detail = _detail(ticket=ticket)
    if kind.deadline is not None:
        ticket.due_at = kind.deadline(ticket=ticket, detail=detail, start=now)
    else:
        ticket.due_at = now + timedelta(hours=kind.sla_hours)
    ticket.overdue_notified_at = None
    ticket.save()
    _log(ticket=ticket, actor=actor, action=Action.SUBMIT, frm=frm, to=to)

    if kind.on_submitted is not None:
        kind.on_submitted(ticket=ticket, detail=detail)
    steps = []
    for index, resolved in enumerate(chains.resolve_chain(kind, detail, ticket.org_unit, ticket.requester), start=1):
        step = TicketStep.objects.create(
            ticket=ticket,
            round=ticket.round,
            index=index,
            name=resolved.name,
            role=resolved.role,
            assigned_unit=resolved.unit,
            rule=resolved.rule,
            **keyed.columns("fallback_note", resolved.fallback_note, 200),
            quorum=resolved.quorum,
        )
        step.assignees.set(resolved.assignees)
        for part_index, signer in enumerate(resolved.parts, start=1):
            part = StepPart.objects.create(
                step=step,
                index=part_index,
                name=signer.name,
                role=signer.role,
                assigned_unit=signer.unit,
                fallback_note=keyed.split(signer.fallback_note, 200)[0],
            )
            part.assignees.set(signer.assignees)
        steps.append((step, resolved))
    if not steps:
        _approve(ticket, kind, actor=None, comment=Keyed(gettext_noop("该申请无需审批。")))
        return ticket
    frm, to = move(ticket, Action.START_REVIEW)
    ticket.current_step = steps[0][0]
    ticket.save()
    _log(
        ticket=ticket,
        actor=None,
        action=Action.START_REVIEW,
        frm=frm,
        to=to,
        comment=Keyed(gettext_noop("第1步：%(step)s"), {"step": Keyed(steps[0][0].name)}),
    )
    for step, resolved in steps:
        if resolved.fallback_note:
            _log(
                ticket=ticket,
                actor=None,
                action=Action.COMMENT,
                comment=Keyed(
                    gettext_noop("%(step)s：%(note)s"), {"step": Keyed(step.name), "note": resolved.fallback_note}
                ),
            )
        for signer in resolved.parts:
            if signer.fallback_note:
                _log(
                    ticket=ticket,
                    actor=None,
                    action=Action.COMMENT,
                    comment=Keyed(
                        gettext_noop("%(step)s·%(part)s：%(note)s"),
                        {"step": Keyed(step.name), "part": Keyed(signer.name), "note": signer.fallback_note},
                    ),
                )
    _ask(ticket, steps[0][0])
    return ticket


def _ask(ticket: Ticket, step: TicketStep) -> None:
    text = (
        gettext_noop("待您会签：%(title)s（%(requester)s）")
        if step.is_countersign
        else gettext_noop("待您审批：%(title)s（%(requester)s）")
    )
    _notify(
        users=step.assignees.all(),
        ticket=ticket,
        key=f"r{ticket.round}s{step.index}:ask",
        message=Keyed(text, {"title": _title(ticket), "requester": ticket.requester.name}),
    )


def _approve(ticket: Ticket, kind, *, actor, comment="") -> None:
    frm, to = move(ticket, Action.APPROVE)
    ticket.current_step = None
    ticket.save()
    _log(ticket=ticket, actor=actor, action=Action.APPROVE, frm=frm, to=to, comment=comment)
    if kind.on_approved is not None:
        kind.on_approved(ticket=ticket, detail=_detail(ticket=ticket))
    if kind.done_on_approval:
        frm, to = move(ticket, Action.CLOSE_ON_APPROVAL)
        ticket.closed_at = timezone.now()
        ticket.save()
        _log(ticket=ticket, actor=None, action=Action.CLOSE_ON_APPROVAL, frm=frm, to=to)
        _notify(
            users=[ticket.requester],
            ticket=ticket,
            key=f"r{ticket.round}:approved",
            message=Keyed(gettext_noop("您的申请已审核通过：%(title)s"), {"title": _title(ticket)}),
        )
    else:
        _notify(
            users=[ticket.requester],
            ticket=ticket,
            key=f"r{ticket.round}:approved",
            message=Keyed(gettext_noop("您的申请已批准，等待办理：%(title)s"), {"title": _title(ticket)}),
        )
        _notify(
            users=_handlers(ticket=ticket),
            ticket=ticket,
            key=f"r{ticket.round}:handle",
            message=Keyed(gettext_noop("待您办理：%(title)s"), {"title": _title(ticket)}),
        )
    if ticket.bundle_id:
        bundle_member_moved.send(sender=Ticket, ticket=ticket)


@transaction.atomic
def decide(
    *, actor: User, ticket: Ticket, step_id: int, decision: str, comment: "str | Keyed" = "", part_id: int | None = None
) -> Ticket:
    """Record one approver's decision on the step they saw.

    Exactly one decision counts per step: the ticket row is locked and the step is updated
    only while it is still pending, so a second approver gets "already decided". On a
    countersign step (会签) the decision is the actor's part; the step is decided when its
    rule is met (portal.rules.countersign_result), under the same lock, so simultaneous
    signers are counted one after the other and the ticket moves on exactly once.
    """
    ticket = _locked(ticket=ticket)
    if decision not in (TicketStep.Decision.APPROVED, TicketStep.Decision.REJECTED, TicketStep.Decision.RETURNED):
        raise ValidationError({"decision": _("请选择同意、不同意或退回修改。")})
    if decision != TicketStep.Decision.APPROVED and not str(comment).strip():
        raise ValidationError({"comment": _("不同意或退回修改时，请填写意见。")})
    step = TicketStep.objects.filter(pk=step_id, ticket=ticket).first()
    if step is None:
        raise ValidationError({"step_id": _("审批步骤不存在。")})
    if not step.assignees.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("您不是该步骤的审批人。"))
    if step.is_countersign:
        outcome = sign_part(ticket=ticket, step=step, actor=actor, decision=decision, comment=comment, part_id=part_id)
        if outcome == rules.PENDING:
            return ticket
        return _after_step(ticket, step, actor=actor, decision=outcome, comment=step.comment_message)
    claimed = ticket.current_step_id == step.pk and TicketStep.objects.filter(
        pk=step.pk, decision=TicketStep.Decision.PENDING
    ).update(decision=decision, decided_by=actor, decided_at=timezone.now(), **keyed.columns("comment", comment, 1000))
    if not claimed:
        step.refresh_from_db()
        if step.decision == TicketStep.Decision.PENDING:
            raise ValidationError(gettext_lazy("该步骤尚未轮到审批。"), code="not_current")
        who = step.decided_by.name if step.decided_by else _("他人")
        raise ValidationError(
            _("该步骤已由%(who)s处理（%(decision)s），无需重复审批。")
            % {"who": who, "decision": step.get_decision_display()},
            code="already_decided",
        )
    return _after_step(ticket, step, actor=actor, decision=decision, comment=comment)


def _after_step(ticket: Ticket, step: TicketStep, *, actor: User, decision: str, comment: str) -> Ticket:
    """A decided step moves the ticket: to the next step, approved, refused, or back to the requester."""
    kind = registry.get(ticket.kind)
    if decision == TicketStep.Decision.APPROVED:
        following = ticket.steps.filter(round=ticket.round, index__gt=step.index).order_by("index").first()
        if following is None:
            _approve(ticket, kind, actor=actor, comment=comment)
        else:
            frm, to = move(ticket, Action.APPROVE_STEP)
            ticket.current_step = following
            ticket.save()
            _log(
                ticket=ticket,
                actor=actor,
                action=Action.APPROVE_STEP,
                frm=frm,
                to=to,
                comment=comment or Keyed(gettext_noop("转第%(index)s步"), {"index": following.index}),
            )
            _ask(ticket, following)
        return ticket

    action = Action.REJECT if decision == TicketStep.Decision.REJECTED else Action.RETURN
    frm, to = move(ticket, action)
    ticket.current_step = None
    if action == Action.REJECT:
        ticket.closed_at = timezone.now()
    ticket.save()
    _cancel_pending_steps(ticket)
    _ended(ticket, kind)
    _log(ticket=ticket, actor=actor, action=action, frm=frm, to=to, comment=comment)
    text = (
        gettext_noop("您的申请未获批准：%(title)s。意见：%(comment)s")
        if action == Action.REJECT
        else gettext_noop("您的申请被退回修改：%(title)s。意见：%(comment)s")
    )
    _notify(
        users=[ticket.requester],
        ticket=ticket,
        key=f"r{ticket.round}:{action}",
        message=Keyed(text, {"title": _title(ticket), "comment": comment}),
    )
    if ticket.bundle_id:
        bundle_member_moved.send(sender=Ticket, ticket=ticket)
    return ticket


def _ended(ticket: Ticket, kind) -> None:
    """A refused, withdrawn or returned ticket lets go of what its kind held on submission."""
    if kind.on_ended is not None:
        kind.on_ended(ticket=ticket, detail=_detail(ticket=ticket))


def _cancel_pending_steps(ticket: Ticket) -> None:
    pending = TicketStep.Decision.PENDING
    StepPart.objects.filter(step__ticket=ticket, decision=pending).update(decision=TicketStep.Decision.CANCELLED)
    ticket.steps.filter(decision=pending).update(decision=TicketStep.Decision.CANCELLED)


@transaction.atomic
def hand_on(*, actor: User, ticket: Ticket, step_id: int, to_user: User, comment: str = "") -> Ticket:
    """An approver passes their step to a colleague in their own unit (or below it)."""
    ticket = _locked(ticket=ticket)
    step = TicketStep.objects.filter(pk=step_id, ticket=ticket, decision=TicketStep.Decision.PENDING).first()
    if step is None or ticket.current_step_id != step_id:
        raise ValidationError(gettext_lazy("该步骤已处理，不能转交。"))
    if not step.assignees.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("您不是该步骤的审批人。"))
    if step.is_countersign:
        raise ValidationError(gettext_lazy("会签步骤由各会签方分别决定，不能整体转交。"))
    move(ticket, Action.HAND_ON)
    if not to_user.is_active or to_user.pk in (actor.pk, ticket.requester_id):
        raise ValidationError({"to_user": _("请选择一位在岗的其他同事（不能是申请人）。")})
    if not to_user.has_usable_password():
        raise ValidationError({"to_user": _("%(name)s尚未开通登录账号，转交后无人能审批。") % {"name": to_user.name}})
    if not (actor.org_unit and to_user.org_unit and to_user.org_unit.path.startswith(actor.org_unit.path)):
        raise ValidationError({"to_user": _("只能转交给本单位（含下级）的同事。")})
    step.assignees.set([to_user])
    _log(
        ticket=ticket,
        actor=actor,
        action=Action.HAND_ON,
        comment=_with_remark(gettext_noop("转交给%(name)s。"), {"name": to_user.name}, comment),
    )
    _notify(
        users=[to_user],
        ticket=ticket,
        key=f"r{ticket.round}s{step.index}:handon:{to_user.pk}",
        message=Keyed(gettext_noop("%(name)s转交您审批：%(title)s"), {"name": actor.name, "title": _title(ticket)}),
    )
    return ticket


@transaction.atomic
def withdraw(*, actor: User, ticket: Ticket, comment: str = "") -> Ticket:
    """The requester takes the request back before it is decided."""
    ticket = _locked(ticket=ticket)
    if actor.pk != ticket.requester_id:
        raise PermissionDenied(_("只有申请人可以撤回申请。"))
    frm, to = move(ticket, Action.WITHDRAW)
    ticket.current_step = None
    ticket.closed_at = timezone.now()
    ticket.save()
    _cancel_pending_steps(ticket)
    _ended(ticket, registry.get(ticket.kind))
    _log(ticket=ticket, actor=actor, action=Action.WITHDRAW, frm=frm, to=to, comment=comment)
    if ticket.bundle_id:
        bundle_member_moved.send(sender=Ticket, ticket=ticket)
    return ticket


@transaction.atomic
def start_handling(*, actor: User, ticket: Ticket) -> Ticket:
    """A holder of the kind's handler role over the requester's unit takes the approved ticket."""
    ticket = _locked(ticket=ticket)
    if not selectors.may_handle(actor, ticket):
        raise PermissionDenied(_("您不是该类申请的办理人。"))
    frm, to = move(ticket, Action.START)
    ticket.handler = actor
    ticket.save()
    _log(ticket=ticket, actor=actor, action=Action.START, frm=frm, to=to)
    _notify(
        users=[ticket.requester],
        ticket=ticket,
        key="start",
        message=Keyed(gettext_noop("%(name)s已开始办理：%(title)s"), {"name": actor.name, "title": _title(ticket)}),
    )
    return ticket


@transaction.atomic
def complete(*, actor: User, ticket: Ticket, outcome: dict, comment: str = "") -> Ticket:
    """The handler records the outcome on the ticket; the kind's service writes it to the domain
    ledger in this same transaction, so nobody enters it a second time."""
    ticket = _locked(ticket=ticket)
    if actor.pk != ticket.handler_id:
        raise PermissionDenied(_("只有本申请的办理人可以办结。"))
    kind = registry.get(ticket.kind)
    frm, to = move(ticket, Action.COMPLETE)
    waiting = _open_assists(ticket=ticket)
    if waiting:
        names = listed(p.unit.name for p in waiting)
        raise ValidationError(
            _("尚有协办事项未完成（%(names)s），全部完成或撤回后才能办结。") % {"names": names}, code="assist_open"
        )
    kind.record_outcome(ticket=ticket, detail=_detail(ticket=ticket), actor=actor, outcome=outcome)
    ticket.closed_at = timezone.now()
    ticket.save()
    _log(
        ticket=ticket,
        actor=actor,
        action=Action.COMPLETE,
        frm=frm,
        to=to,
        comment=_outcome_summary(kind, outcome, comment),
    )
    _notify(
        users=[ticket.requester],
        ticket=ticket,
        key="done",
        message=Keyed(gettext_noop("您的申请已办结，欢迎评价：%(title)s"), {"title": _title(ticket)}),
    )
    if ticket.bundle_id:
        bundle_member_moved.send(sender=Ticket, ticket=ticket)
    return ticket


def _with_remark(text: str, values: dict, remark: str) -> Keyed:
    """A system sentence followed by what the person typed (kept as typed), or the sentence alone."""
    if not remark:
        return Keyed(text, values)
    return Keyed(gettext_noop("%(said)s%(remark)s"), {"said": Keyed(text, values), "remark": remark})


def _outcome_summary(kind, outcome: dict, comment) -> Keyed:
    """The outcome as the requester reads it on the ticket's timeline (the ledger holds the row): each
    field's label in the reader's language, the values and the handler's remark as given."""
    parts = [
        Keyed(
            gettext_noop("%(label)s：%(value)s"),
            {"label": label(field.label), "value": formatting.readable(outcome[name])},
        )
        for name, field in kind.outcome_form.base_fields.items()
        if outcome.get(name) not in (None, "")
    ]
    if comment:
        parts.append(comment)
    return Keyed(gettext_noop("%(parts)s"), {"parts": parts})


@transaction.atomic
def rate(*, actor: User, ticket: Ticket, rating: int, comment: str = "") -> Ticket:
    """The requester rates a finished request once, 1 to 5."""
    ticket = _locked(ticket=ticket)
    if actor.pk != ticket.requester_id:
        raise PermissionDenied(_("只有申请人可以评价。"))
    move(ticket, Action.RATE)
    if ticket.rating is not None:
        raise ValidationError(gettext_lazy("该申请已评价过。"))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("评价请选择1到5分。")})
    ticket.rating = rating
    ticket.rating_comment = comment[:500]
    ticket.save()
    _log(
        ticket=ticket,
        actor=actor,
        action=Action.RATE,
        comment=_with_remark(gettext_noop("%(rating)s分。"), {"rating": rating}, comment),
    )
    if ticket.handler_id:
        _notify(
            users=[ticket.handler],
            ticket=ticket,
            key="rated",
            message=Keyed(
                gettext_noop("申请人评价了您的办理：%(rating)s分（%(title)s）"),
                {"rating": rating, "title": _title(ticket)},
            ),
        )
    return ticket


@transaction.atomic
def add_comment(*, actor: User, ticket: Ticket, comment: str, attachment=None) -> TimelineEntry:
    """Anyone who can see the ticket may add a note or a file to its timeline."""
    if not str(comment).strip() and not attachment:
        raise ValidationError({"comment": _("请填写留言或选择附件。")})
    ticket = _locked(ticket=ticket)
    return _log(ticket=ticket, actor=actor, action=Action.COMMENT, comment=comment, attachment=attachment)


@transaction.atomic
def mark_read(*, user: User, ids: list[int] | None = None, ticket: Ticket | None = None) -> int:
    """Mark the user's notifications read: all, the given ones, or those about one ticket (opened)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    if ticket is not None:
        qs = qs.filter(ticket=ticket)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def escalate_overdue(*, now=None) -> int:
    """Flag tickets past their service-level time once, and tell the next level up:
    the holders of the waiting role above the unit it sits on, or else the nearest bureau
    administrators."""
    now = now or timezone.now()
    flagged = 0
    overdue = Ticket.objects.filter(
        status__in=[Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED, Status.IN_PROGRESS],
        due_at__lt=now,
        overdue_notified_at__isnull=True,
    )
    for ticket_id in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            ticket = (
                Ticket.objects.select_for_update(of=("self",))
                .select_related("current_step__assigned_unit", "org_unit")
                .get(pk=ticket_id)
            )
            if ticket.overdue_notified_at is not None:
                continue
            step = ticket.current_step
            above: list[User] = []
            if step is not None and step.assigned_unit is not None and step.assigned_unit.depth > 1:
                parent = step.assigned_unit.__class__.objects.get_parent(step.assigned_unit)
                above, _ = nearest_holders(step.role, parent)
            if not above:
                above, _ = nearest_holders(Role.BUREAU_ADMIN, ticket.org_unit)
            ticket.overdue_notified_at = now
            ticket.save(update_fields=["overdue_notified_at"])
            waiting = Keyed(step.name) if step else Status(ticket.status).label
            _log(
                ticket=ticket,
                actor=None,
                action=Action.OVERDUE,
                comment=Keyed(gettext_noop("已超过办结时限（%(waiting)s），已提醒上一级。"), {"waiting": waiting}),
            )
            _notify(
                users=above,
                ticket=ticket,
                key=f"r{ticket.round}:overdue",
                message=Keyed(
                    gettext_noop("超时未办：%(title)s（%(waiting)s）"), {"title": _title(ticket), "waiting": waiting}
                ),
            )
            flagged += 1
    return flagged
