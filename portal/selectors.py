"""Read queries of the portal: who sees which ticket, the inboxes, the unread count.

A ticket is visible to its requester, to anyone assigned a step of it, to holders of its
kind's handler role over the requester's unit, and to bureau administrators and leaders
over that unit.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from datahub import scoping
from datahub.roles import Role

from . import registry
from .models import Notification, Ticket, TicketStep
from .workflow import Status

OVERSEERS = (Role.BUREAU_ADMIN, Role.LEADER)
LIST_RELATED = ("requester", "org_unit", "current_step", "handler")


def _handler_q(user) -> Q:
    q = Q(pk__in=[])
    roles = sorted({k.handler_role for k in registry.all_kinds()})
    for role, paths in scoping.granted_paths_by_role(user, roles).items():
        if paths:
            q |= Q(kind__in=registry.kinds_handled_by(role)) & scoping.subtree_q(paths, "org_unit")
    return q


def visible_tickets(user) -> QuerySet:
    if not user or not user.is_authenticated or not user.is_active:
        return Ticket.objects.none()
    qs = Ticket.objects.select_related(*LIST_RELATED)
    if user.is_superuser:
        return qs
    assigned = TicketStep.objects.filter(ticket=OuterRef("pk"), assignees=user)
    q = Q(requester=user) | Exists(assigned) | _handler_q(user)
    paths = scoping.granted_paths(user, OVERSEERS)
    if paths:
        q |= scoping.subtree_q(paths, "org_unit")
    return qs.filter(q)


def my_tickets(user, *, status: str = "", kind: str = "", search: str = "") -> QuerySet:
    qs = Ticket.objects.filter(requester=user).select_related(*LIST_RELATED)
    return _filter(qs, status=status, kind=kind, search=search)


def overseen_tickets(user, *, status: str = "", kind: str = "", search: str = "") -> QuerySet:
    """Tickets of the units below a bureau administrator's or leader's grants, newest first."""
    qs = scoping.scope(Ticket.objects.select_related(*LIST_RELATED), user, roles=OVERSEERS)
    return _filter(qs, status=status, kind=kind, search=search).order_by("-created_at")


def approval_inbox(user, *, kind: str = "", search: str = "") -> QuerySet:
    """Tickets whose current step waits for this user."""
    qs = Ticket.objects.filter(
        status=Status.IN_REVIEW,
        current_step__decision=TicketStep.Decision.PENDING,
        current_step__assignees=user,
    ).select_related(*LIST_RELATED)
    return _filter(qs, kind=kind, search=search).order_by("due_at", "pk")


def handling_queue(user, *, kind: str = "", search: str = "") -> QuerySet:
    """Approved tickets this user may take, and the ones they are handling."""
    mine = Q(status=Status.IN_PROGRESS, handler=user)
    waiting = Q(status=Status.APPROVED) & _handler_q(user)
    qs = Ticket.objects.filter(mine | waiting).select_related(*LIST_RELATED)
    return _filter(qs, kind=kind, search=search).order_by("due_at", "pk")


def _filter(qs: QuerySet, *, status: str = "", kind: str = "", search: str = "") -> QuerySet:
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(requester__name__icontains=search) | Q(pk=_int(search)))
    return qs


def _int(value: str) -> int:
    value = value.lstrip("#")
    return int(value) if value.isdigit() else 0


def ticket_for(user, pk) -> Ticket | None:
    return visible_tickets(user).filter(pk=pk).first()


def steps_of(ticket: Ticket) -> QuerySet:
    return ticket.steps.select_related("decided_by", "assigned_unit").prefetch_related("assignees")


def timeline_of(ticket: Ticket) -> QuerySet:
    return ticket.timeline.select_related("actor")


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user) -> QuerySet:
    return Notification.objects.filter(user=user).select_related("ticket")


def counts_for(user) -> dict:
    return {
        "inbox": approval_inbox(user).count(),
        "handling": handling_queue(user).count(),
        "open": my_tickets(user).exclude(status__in=[Status.DONE, Status.REJECTED, Status.WITHDRAWN]).count(),
    }
