"""一件事 bundles: one application files several requests (its members) and follows them as one.

Filing validates every member with its own kind's form first and creates nothing unless all are
valid (one transaction); members that wait for another are kept as drafts and submitted when it
is approved; the bundle's state follows its members (portal.rules.bundle_state)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from datahub import keyed
from datahub.keyed import Keyed, label
from datahub.models import User

from .. import registry, rules
from ..models import Bundle, Ticket
from ..workflow import Status
from ._base import send as notify
from .tickets import file_request, submit_ticket, withdraw

NOT_STARTED = (Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.RETURNED)


def _form_data(fields: dict) -> dict:
    return {k: (v.pk if isinstance(v, models.Model) else v) for k, v in fields.items()}


@transaction.atomic
def bundle_file(*, requester: User, bundle_code: str, data: dict) -> Bundle:
    """File every member of the bundle from ``data`` (the bundle form's cleaned data).

    All members are checked with their own forms before anything is written; one invalid member
    refuses the whole bundle with its errors, named by member, and nothing is created."""
    bundle_kind = registry.get_bundle(bundle_code)
    if requester.org_unit_id is None:
        raise ValidationError(gettext_lazy("您尚未分配所在单位，请联系本单位管理员。"))
    planned, errors = [], {}
    for member in bundle_kind.members:
        if member.when is not None and not member.when(data=data):
            continue
        kind = registry.get(member.kind)
        form = registry.detail_form(kind, requester, data=_form_data(member.fields(data=data, requester=requester)))
        if not form.is_valid():
            for field, msgs in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                errors.setdefault("__all__", []).extend(
                    _("%(member)s·%(field)s：%(message)s")
                    % {"member": member.label, "field": label or _("整体"), "message": m}
                    for m in msgs
                )
            continue
        planned.append((member, form.cleaned_data))
    if errors:
        raise ValidationError(errors)
    if not planned:
        raise ValidationError(gettext_lazy("该一件事没有需要办理的事项。"))
    # The title is kept as its message and values, so each reader sees it in their language (issue #19).
    title = bundle_kind.title(data=data) if bundle_kind.title else label(bundle_kind.label)
    stored = {k: (str(v.pk) if isinstance(v, models.Model) else str(v)) for k, v in data.items()}
    bundle = Bundle.objects.create(
        kind=bundle_kind.code,
        requester=requester,
        org_unit=requester.org_unit,
        data=stored,
        **keyed.columns("title", title, 200),
    )
    for member, fields in planned:
        ticket = file_request(requester=requester, kind_code=member.kind, detail_fields=fields, submit=False)
        Ticket.objects.filter(pk=ticket.pk).update(bundle=bundle, bundle_member=member.key)
    for member, _fields in planned:
        if member.after is None or member.after not in {m.key for m, _ in planned}:
            _submit_member(bundle, member.key)
    _refresh(bundle)
    return bundle


def _submit_member(bundle: Bundle, key: str) -> None:
    ticket = bundle.members.filter(bundle_member=key, status=Status.DRAFT).first()
    if ticket is not None:
        submit_ticket(actor=bundle.requester, ticket=ticket)


def _refresh(bundle: Bundle) -> None:
    states = list(Ticket.objects.filter(bundle=bundle).values_list("status", flat=True))
    state = rules.bundle_state(states)
    closed = timezone.now() if state in (Bundle.State.DONE, Bundle.State.WITHDRAWN) else None
    Bundle.objects.filter(pk=bundle.pk).update(state=state, closed_at=closed)
    bundle.state, bundle.closed_at = state, closed


def member_moved(*, ticket: Ticket, **signal) -> None:
    """Receiver of portal.signals.bundle_member_moved (inside the engine's transaction), sent when a member
    ticket is approved, refused, withdrawn or done: start the members that waited for it, or withdraw them if it was refused,
    then recompute the bundle's state and tell the requester which member was refused and why."""
    bundle = Bundle.objects.select_for_update().get(pk=ticket.bundle_id)
    kind = registry.get_bundle(bundle.kind)
    waiting = [m.key for m in kind.members if m.after == ticket.bundle_member]
    # A kind done on approval (e.g. 会议室预订) arrives here already done: its waiting members start too.
    if ticket.status in (Status.APPROVED, Status.DONE):
        for key in waiting:
            _submit_member(bundle, key)
    elif ticket.status in (Status.REJECTED, Status.WITHDRAWN):
        for member in bundle.members.filter(bundle_member__in=waiting, status=Status.DRAFT):
            withdraw(
                actor=bundle.requester,
                ticket=member,
                comment=Keyed(gettext_noop("所依赖的“%(kind)s”未办理。"), {"kind": label(registry.label(ticket.kind))}),
            )
    before = bundle.state
    _refresh(bundle)
    if ticket.status == Status.REJECTED:
        reason = ticket.timeline.filter(action="reject").order_by("-at").values_list("comment", flat=True).first()
        notify(
            users=[bundle.requester],
            ticket=None,
            key=f"bundle{bundle.pk}:{ticket.pk}:rejected",
            message=Keyed(
                gettext_noop("%(bundle)s：“%(kind)s”未获批准（%(reason)s），其余事项继续办理。"),
                {
                    "bundle": bundle.title_message,
                    "kind": label(registry.label(ticket.kind)),
                    "reason": reason or Keyed(gettext_noop("未说明理由")),
                },
            ),
        )
    if bundle.state == Bundle.State.DONE and before != Bundle.State.DONE:
        notify(
            users=[bundle.requester],
            ticket=None,
            key=f"bundle{bundle.pk}:done",
            message=Keyed(gettext_noop("%(bundle)s已全部办结。"), {"bundle": bundle.title_message}),
        )


@transaction.atomic
def bundle_withdraw(*, actor: User, bundle: Bundle, comment: str = "") -> Bundle:
    """The requester withdraws the bundle: its members not yet approved are withdrawn; those already
    approved or being handled go on (their handlers have started)."""
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    if actor.pk != bundle.requester_id:
        raise PermissionDenied(_("只有申请人可以撤回一件事。"))
    members = list(bundle.members.filter(status__in=NOT_STARTED))
    if not members:
        raise ValidationError(gettext_lazy("各事项均已批准或办结，没有可以撤回的事项。"))
    for ticket in members:
        # Withdrawing one member may already have withdrawn the drafts that waited for it.
        if Ticket.objects.filter(pk=ticket.pk, status__in=NOT_STARTED).exists():
            withdraw(actor=actor, ticket=ticket, comment=comment or Keyed(gettext_noop("随一件事撤回")))
    bundle.refresh_from_db()
    return bundle


@transaction.atomic
def bundle_file_for_leaver(*, actor: User, person: User, reason: str, last_day) -> list[Bundle]:
    """File every bundle declared ``on_leaving`` for a person the directory deactivates or moves, with the
    directory editor as requester; what the person holds comes from the ledgers (the bundle's form).

    A person with such a bundle still open gets no second one (moved, then deactivated). A bundle that
    cannot be filed (the editor's own unit does not cover the person, a member invalid) creates nothing
    and never refuses the directory change: the editor is told why, to file it from the portal."""
    filed = []
    for kind in registry.leaving_bundles():
        open_one = Bundle.objects.filter(
            kind=kind.code,
            data__person=str(person.pk),
            state__in=(Bundle.State.IN_PROGRESS, Bundle.State.PARTLY_REFUSED),
        )
        if open_one.exists():
            continue
        form = kind.form_class(data=kind.on_leaving(person=person, reason=reason, last_day=last_day), requester=actor)
        try:
            if not form.is_valid():
                raise ValidationError(
                    [
                        _("%(label)s：%(value)s") % {"label": f, "value": m}
                        for f, msgs in form.errors.items()
                        for m in msgs
                    ]
                )
            with transaction.atomic():
                filed.append(bundle_file(requester=actor, bundle_code=kind.code, data=form.cleaned_data))
        except (ValidationError, PermissionDenied) as exc:
            why = keyed.joined(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            notify(
                users=[actor],
                ticket=None,
                key=f"leaving:{kind.code}:{person.pk}:{last_day:%Y%m%d}",
                message=Keyed(
                    gettext_noop(
                        "%(person)s已在组织目录中离岗，但“%(kind)s”未能自动发起（%(why)s），请在服务门户中发起。"
                    ),
                    {"person": person.name, "kind": label(kind.label), "why": why},
                ),
            )
    return filed


def on_person_leaving(*, actor, person, reason, last_day, **signal) -> None:
    """Receiver of datahub.signals.person_leaving (connected in PortalConfig.ready)."""
    if actor is None or not actor.is_authenticated:
        return
    bundle_file_for_leaver(actor=actor, person=person, reason=reason, last_day=last_day)
