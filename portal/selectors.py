"""Read queries of the portal: who sees which ticket, the inboxes, the unread count.

A ticket is visible to its requester, to anyone assigned a step of it, to holders of its
kind's handler role over the requester's unit, and to bureau administrators and leaders
over that unit.
"""

from bisect import bisect_right
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from datahub import figures, scoping
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


# --- Monthly figures per unit (the command center's roll-up; unscoped: the reader scopes the roll-up) ----

OPEN_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED, Status.IN_PROGRESS)


def monthly_service_figures(*, start, end, unit_ids=None) -> figures.MonthlyFigures:
    """Per requesting unit and month in [start, end): requests filed (submitted), finished (已办结), finished
    within their time limit, hours from submission to finish, ratings (sum and count), and the requests
    overdue at the month's end (for the current month: now) — submitted, past due and not closed by then.
    Two queries whatever the span."""
    lo, hi = figures.local_midnight(start), figures.local_midnight(end)
    base = Ticket.objects.all() if unit_ids is None else Ticket.objects.filter(org_unit_id__in=list(unit_ids))
    out: figures.MonthlyFigures = {}
    for unit_id, submitted in base.filter(submitted_at__gte=lo, submitted_at__lt=hi).values_list(
        "org_unit_id", "submitted_at"
    ):
        figures.add(out, unit_id, figures.month_of(submitted), "tickets_filed", 1)
    rows = base.filter(Q(closed_at__gte=lo) | Q(closed_at__isnull=True), submitted_at__lt=hi).values_list(
        "org_unit_id", "status", "submitted_at", "due_at", "closed_at", "rating"
    )
    now = timezone.now()
    months = figures.months_between(start, end)
    points = [min(figures.local_midnight(figures.next_month(m)), now) for m in months]
    for unit_id, status, submitted, due, closed, rating in rows:
        if status == Status.DONE and closed and lo <= closed < hi:
            m = figures.month_of(closed)
            figures.add(out, unit_id, m, "tickets_done", 1)
            figures.add(out, unit_id, m, "tickets_on_time", 1 if due is None or closed <= due else 0)
            figures.add(out, unit_id, m, "handling_hours", Decimal((closed - submitted).total_seconds()) / 3600)
            if rating:
                figures.add(out, unit_id, m, "rating_sum", rating)
                figures.add(out, unit_id, m, "rating_count", 1)
        if due is None or status in (Status.DRAFT, Status.WITHDRAWN, Status.RETURNED):
            continue
        # Overdue at the points after both submission and due time, up to and including its closing.
        first = bisect_right(points, max(submitted, due))
        last = len(points) if closed is None else bisect_right(points, closed)
        for i in range(first, last):
            figures.add(out, unit_id, months[i], "tickets_overdue", 1)
    return out


def overdue_tickets(user, *, within=None) -> QuerySet:
    """Open requests past their time limit now, of the units the user oversees (optionally one subtree)."""
    qs = scoping.scope(Ticket.objects.select_related(*LIST_RELATED), user, roles=OVERSEERS).filter(
        status__in=OPEN_STATUSES, due_at__lt=timezone.now()
    )
    if within is not None:
        qs = qs.filter(org_unit__path__startswith=within.path)
    return qs.order_by("due_at")
