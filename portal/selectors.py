"""Read queries of the portal: who sees which ticket, the inboxes, the unread count.

A ticket is visible to its requester, to anyone assigned a step of it, to holders of its
kind's handler role over the requester's unit, and to bureau administrators and leaders
over that unit.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connections, router
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum, prefetch_related_objects
from django.utils import timezone, translation

from datahub import figures, keyed, scoping
from datahub.models import OrgUnit
from datahub.roles import Role
from datahub.selectors import with_unit_parent_name

from . import registry, rules, statements
from .models import AssistPart, Bundle, Notification, StepPart, Supervision, Ticket, TicketStep, TimelineEntry
from .statements import LIST_RELATED
from .workflow import OPEN_STATES, Action, Status

OVERSEERS = (Role.BUREAU_ADMIN, Role.LEADER)


# Every role a grant can carry (the implicit civil-servant role is nobody's grant): one query for
# the handler, co-handling and overseer filters of a request together.
GRANTED_ROLES = tuple(r for r in Role.values if r != Role.CIVIL_SERVANT)


def _paths(user) -> dict[str, list[str]]:
    return scoping.granted_paths_by_role(user, GRANTED_ROLES)


def _handler_q(user) -> Q:
    q = Q(pk__in=[])
    roles = registry.handler_roles()
    for role, paths in _paths(user).items():
        if paths and role in roles:
            q |= Q(kind__in=registry.kinds_handled_by(role)) & scoping.subtree_q(paths, "org_unit")
    return q


def _assist_q(user) -> Q:
    """协办 parts this user may handle: their role granted over the part's unit."""
    q = Q(pk__in=[])
    for role, paths in _paths(user).items():
        if paths:
            q |= Q(role=role) & scoping.subtree_q(paths, "unit")
    return q


def visible_tickets(user) -> QuerySet:
    if not user or not user.is_authenticated or not user.is_active:
        return Ticket.objects.none()
    qs = Ticket.objects.select_related(*LIST_RELATED)
    if user.is_superuser:
        return qs
    assigned = TicketStep.objects.filter(ticket=OuterRef("pk"), assignees=user)
    assisting = AssistPart.objects.filter(_assist_q(user), ticket=OuterRef("pk"))
    supervised = Supervision.objects.filter(Q(supervisor=user) | Q(supervised=user), ticket=OuterRef("pk"))
    q = Q(requester=user) | Exists(assigned) | _handler_q(user) | Exists(assisting) | Exists(supervised)
    for provider in registry.viewer_providers():
        q |= Q(pk__in=provider(user))
    paths = [p for role in OVERSEERS for p in _paths(user).get(role, [])]
    if paths:
        q |= scoping.subtree_q(paths, "org_unit")
    return qs.filter(q)


def my_tickets(user, *, status: str = "", kind: str = "", search: str = "") -> QuerySet:
    qs = Ticket.objects.filter(requester=user).select_related(*LIST_RELATED)
    return _filter(qs, status=status, kind=kind, search=search)


def overseen_tickets(
    user,
    *,
    status: str = "",
    kind: str = "",
    search: str = "",
    unit: int = 0,
    since=None,
    until=None,
    closed_since=None,
    closed_until=None,
    overdue: bool = False,
    open: bool = False,
) -> QuerySet:
    """Tickets of the units below a bureau administrator's or leader's grants, newest first. Narrowed (the
    command center's links) to a unit's subtree (``unit``: an id; one out of scope lists nothing), to the
    days submitted or closed (inclusive, local dates), or to those overdue now (open and past their time
    limit, as ``overdue_tickets`` counts them) or to those still open (submitted and not finished)."""
    qs = scoping.scope(Ticket.objects.select_related(*LIST_RELATED), user, roles=OVERSEERS)
    if unit:
        path = OrgUnit.objects.filter(pk=unit).values_list("path", flat=True).first()
        qs = qs.filter(org_unit__path__startswith=path) if path else qs.none()
    if since:
        qs = qs.filter(submitted_at__gte=figures.local_midnight(since))
    if until:
        qs = qs.filter(submitted_at__lt=figures.local_midnight(until + timedelta(days=1)))
    if closed_since:
        qs = qs.filter(closed_at__gte=figures.local_midnight(closed_since))
    if closed_until:
        qs = qs.filter(closed_at__lt=figures.local_midnight(closed_until + timedelta(days=1)))
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_at__lt=timezone.now())
    if open:
        qs = qs.filter(status__in=OPEN_STATUSES)
    return with_unit_parent_name(_filter(qs, status=status, kind=kind, search=search)).order_by("-created_at")


def step_parts(through: str = "parts") -> Prefetch:
    """A countersign step's parts as the inbox shows them: who signed, who has not."""
    return Prefetch(
        through, queryset=StepPart.objects.select_related("decided_by", "assigned_unit").prefetch_related("assignees")
    )


def approval_inbox(user, *, kind: str = "", search: str = "", with_parts: bool = True) -> QuerySet:
    """Tickets whose current step waits for this user: a single step they are assigned, or a
    countersign step with a part of theirs still unsigned (once signed, it leaves their inbox).
    Each row carries the current step's parts (who signed, who has not) for the list to show; a page that
    reads them only for its own countersign rows (the inbox page) asks ``with_parts=False``."""
    my_part = StepPart.objects.filter(
        step=OuterRef("current_step"), decision=TicketStep.Decision.PENDING, assignees=user
    )
    my_step = TicketStep.assignees.through.objects.filter(ticketstep_id=OuterRef("current_step"), user=user)
    single = Q(current_step__rule=TicketStep.Rule.SINGLE) & Exists(my_step)
    qs = (
        Ticket.objects.filter(status=Status.IN_REVIEW, current_step__decision=TicketStep.Decision.PENDING)
        .filter(single | Exists(my_part))
        .select_related(*LIST_RELATED)
        .prefetch_related(*([step_parts("current_step__parts")] if with_parts else []))
    )
    return with_unit_parent_name(_filter(qs, kind=kind, search=search)).order_by("due_at", "pk")


def handling_queue(user, *, kind: str = "", search: str = "") -> QuerySet:
    """Approved tickets this user may take, and the ones they are handling."""
    mine = Q(status=Status.IN_PROGRESS, handler=user)
    waiting = Q(status=Status.APPROVED) & _handler_q(user)
    qs = Ticket.objects.filter(mine | waiting).select_related(*LIST_RELATED)
    return with_unit_parent_name(_filter(qs, kind=kind, search=search)).order_by("due_at", "pk")


def _filter(qs: QuerySet, *, status: str = "", kind: str = "", search: str = "") -> QuerySet:
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(_title_q(search) | Q(requester__name__icontains=search) | Q(pk=_int(search)))
    return qs


def _title_q(search: str, prefix: str = "") -> Q:
    """A title matches a search by its stored text (the platform's language, with what was typed into it: a
    place, a topic, a plate) or, for a reader of another language, by the words of its message as that
    reader sees them (an English reader finds 用车：… by "vehicle"); see datahub.keyed.keys_matching."""
    q = Q(**{f"{prefix}title__icontains": search})
    if translation.get_language() != settings.LANGUAGE_CODE:
        keys = Ticket.objects.exclude(title_key="").order_by().values_list("title_key", flat=True).distinct()
        matching = keyed.keys_matching(keys, search)
        if matching:
            q |= Q(**{f"{prefix}title_key__in": matching})
    return q


def _int(value: str) -> int:
    value = value.lstrip("#")
    return int(value) if value.isdigit() else 0


def assist_queue(user, *, search: str = "", limit: int | None = None) -> QuerySet:
    """Open 协办 parts this user may handle (their role over the part's unit), with the ticket's context."""
    if not user or not user.is_authenticated:
        return AssistPart.objects.none()
    qs = AssistPart.objects.filter(_assist_q(user), state=AssistPart.State.OPEN).select_related(
        "ticket__requester", "ticket__org_unit", "ticket__handler", "unit", "asked_by"
    )
    if search:
        qs = qs.filter(_title_q(search, "ticket__") | Q(description__icontains=search))
    # The asked unit and the requester's department named with their agencies, in the same query.
    qs = with_unit_parent_name(with_unit_parent_name(qs, "unit"), "ticket__org_unit", "requester_parent_name")
    qs = qs.order_by("due_at", "pk")
    return qs[:limit] if limit else qs


def handling_count(user) -> int:
    """What waits for this user to handle: approved tickets they may take or are handling, and open 协办 parts."""
    return handling_queue(user).count() + assist_queue(user).count()


def assists_of(ticket: Ticket) -> QuerySet:
    return with_unit_parent_name(ticket.assists.select_related("unit", "asked_by", "handled_by"), "unit")


def may_assist(user, part: AssistPart) -> bool:
    return part.state == AssistPart.State.OPEN and scoping.covers(user, part.unit, roles=[part.role])


def inbox_tickets(user, ids) -> QuerySet:
    """Those of ``ids`` that wait for this user (an id not in the inbox is simply left out)."""
    return approval_inbox(user).filter(pk__in=ids)


def may_handle(user, ticket: Ticket) -> bool:
    return scoping.covers(user, ticket.org_unit, roles=[registry.get(ticket.kind).handler_role])


def detail_of(ticket: Ticket):
    return registry.get(ticket.kind).detail_model.objects.get(ticket=ticket)


def may_supervise(user, ticket: Ticket) -> bool:
    return ticket.status in OPEN_STATES and scoping.covers(user, ticket.org_unit, roles=OVERSEERS)


def has_assists_and_supervisions(ticket: Ticket) -> tuple[bool, bool]:
    """Whether the ticket has 协办 parts and 督办 entries, in one short statement: most tickets have neither, and
    then the page builds neither query (with a unit's parent name and the supervised people, the two cost ten
    times this one's CPU, #17)."""
    connection = connections[router.db_for_read(AssistPart)]
    quote = connection.ops.quote_name
    exists = [
        f"EXISTS(SELECT 1 FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.get_field('ticket').column)} = %s)"
        for model in (AssistPart, Supervision)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(exists)}", [ticket.pk, ticket.pk])
        assists, supervisions = cursor.fetchone()
    return bool(assists), bool(supervisions)


def supervisions_of(ticket: Ticket) -> QuerySet:
    return ticket.supervisions.select_related("supervisor").prefetch_related("supervised")


def supervision_list(user, *, state: str = "") -> list[Supervision]:
    """A supervisor's list with each row's standing (open / on time / late), newest deadline last."""
    qs = (
        Supervision.objects.filter(supervisor=user)
        .select_related("ticket__requester", "ticket__org_unit")
        .prefetch_related("supervised")
        .order_by("deadline", "pk")
    )
    now = timezone.now()
    rows = []
    for sup in qs:
        sup.standing = rules.supervision_state(deadline=sup.deadline, closed_at=sup.ticket.closed_at, now=now)
        if not state or sup.standing == state:
            rows.append(sup)
    return rows


def attention_count(user) -> int:
    """How many supervised tickets need attention (the portal home's figure)."""
    return needs_attention(user).count()


def is_step_assignee(user, step: TicketStep | None) -> bool:
    """Is ``step`` pending with ``user`` among its assignees?"""
    return (
        step is not None and step.decision == TicketStep.Decision.PENDING and step.assignees.filter(pk=user.pk).exists()
    )


def assignee_among(user, step: TicketStep | None, steps: list[TicketStep]) -> bool:
    """is_step_assignee answered from the ticket's steps as steps_of read them (their assignees prefetched), when
    ``step`` is among them: the ticket page reads them anyway, so the check costs no query of its own."""
    if step is None:
        return False
    read = next((s for s in steps if s.pk == step.pk), None)
    if read is None:
        return is_step_assignee(user, step)
    return read.decision == TicketStep.Decision.PENDING and any(a.pk == user.pk for a in read.assignees.all())


def open_parts_of(user, step: TicketStep) -> list[StepPart]:
    """The parts of a countersign step still pending with ``user`` among their signers (usually one)."""
    return [p for p in parts_of(step) if p.decision == "pending" and user in p.assignees.all()]


def needs_attention(user) -> QuerySet:
    """Supervised tickets past their deadline and still open, for whoever oversees the requester's unit
    (the command center's "needs attention" list) or supervised them."""
    qs = Supervision.objects.filter(escalated_at__isnull=False, ticket__status__in=OPEN_STATES)
    if not user.is_superuser:
        paths = scoping.granted_paths(user, OVERSEERS)
        qs = qs.filter(Q(supervisor=user) | scoping.subtree_q(paths, "ticket__org_unit"))
    return qs.select_related("ticket__requester", "ticket__org_unit", "supervisor").order_by("deadline")


# What a ticket list's row shows, read as values() (the unit's parent name too, where the selector reads it).
ROW_COLUMNS = (
    "pk",
    "kind",
    "title",
    "title_key",
    "title_values",
    "supervised",
    "requester__name",
    "org_unit__name",
    "org_unit__level",
    "status",
    "current_step_id",
    "current_step__name",
    "current_step__rule",
    "due_at",
    "closed_at",
)


def list_rows(page) -> list[dict]:
    """A ticket list page's rows (a slice of one of the lists above, ``with_supervised``) as the columns the
    list shows, the unit's parent name where the list's selector reads it (#17)."""
    annotated = ("unit_parent_name",) if "unit_parent_name" in page.query.annotations else ()
    return list(page.values(*ROW_COLUMNS, *annotated))


def with_supervised(tickets: QuerySet, user) -> QuerySet:
    """Tickets each annotated ``supervised``: the user is supervised on it and it is still open (the lists'
    督办 mark), read in the rows' own query."""
    mark = Supervision.objects.filter(supervised=user, ticket=OuterRef("pk"), ticket__status__in=OPEN_STATES)
    return tickets.annotate(supervised=Exists(mark))


def supervised_ids(user, ticket_ids) -> set[int]:
    """Which of these tickets the user is supervised on (open), so lists can mark them."""
    return set(
        Supervision.objects.filter(supervised=user, ticket_id__in=ticket_ids, ticket__status__in=OPEN_STATES)
        .values_list("ticket_id", flat=True)
        .distinct()
    )


def my_bundles(user) -> QuerySet:
    return Bundle.objects.filter(requester=user).select_related("org_unit").prefetch_related("members")


def bundle_for(user, pk) -> Bundle | None:
    """A bundle is seen by its requester and by those who oversee the requester's unit."""
    if not user.is_authenticated:
        return None
    qs = Bundle.objects.select_related("requester", "org_unit")
    if not user.is_superuser:
        paths = scoping.granted_paths(user, OVERSEERS)
        qs = qs.filter(Q(requester=user) | scoping.subtree_q(paths, "org_unit"))
    return qs.filter(pk=pk).first()


def bundle_members(bundle: Bundle) -> QuerySet:
    return bundle.members.select_related("current_step", "handler").order_by("pk")


def bundle_timeline(bundle: Bundle) -> QuerySet:
    return TimelineEntry.objects.filter(ticket__bundle=bundle).select_related("actor", "ticket").order_by("at", "pk")


def ticket_for(user, pk) -> Ticket | None:
    """The ticket ``pk`` if ``user`` may see it (the rule of visible_tickets), else None.

    The two common readers are decided on the fetched row, each by one of visible_tickets' own conditions:
    the requester, and who oversees the ticket's unit. Anyone else goes through the whole filter (assignees,
    handlers, helpers, supervisors, the apps' viewers), which is several times the CPU to build."""
    if not user or not user.is_authenticated or not user.is_active:
        return None
    ticket = statements.ticket(pk)
    if ticket is None:
        return None
    if user.is_superuser or ticket.requester_id == user.pk:
        return ticket
    overseen = [p for role in OVERSEERS for p in _paths(user).get(role, [])]
    if any(ticket.org_unit.path.startswith(path) for path in overseen):
        return ticket
    return visible_tickets(user).filter(pk=pk).first()


def steps_of(ticket: Ticket) -> list[TicketStep]:
    """The ticket's steps in order, with their assignees, and their parts where they are countersigns (the only
    steps whose parts the page shows: a ticket without one reads no parts)."""
    steps = statements.steps(ticket)
    countersigns = [step for step in steps if step.is_countersign]
    if countersigns:
        prefetch_related_objects(countersigns, "parts__decided_by", "parts__assignees")
    return steps


def parts_by_step(step_ids, user) -> dict[int, list[StepPart]]:
    """The parts of these countersign steps, by step id, in order, as the inbox shows them beside its rows (who
    signed, who has not; ``mine``: a part still waiting for ``user``). One query for the parts, one for their
    assignees."""
    by_step: dict[int, list[StepPart]] = {pk: [] for pk in step_ids}
    parts = StepPart.objects.filter(step_id__in=step_ids).select_related("decided_by").prefetch_related("assignees")
    for part in parts.order_by("step_id", "index"):
        part.mine = any(u.pk == user.pk for u in part.assignees.all())
        by_step[part.step_id].append(part)
    return by_step


def parts_of(step: TicketStep) -> list[StepPart]:
    return list(step.parts.select_related("decided_by", "assigned_unit").prefetch_related("assignees"))


def timeline_of(ticket: Ticket) -> list[TimelineEntry]:
    return statements.timeline(ticket)


def unread_count(user) -> int:
    """The user's unread notifications, counted once per request (kept on the request's user object; marking
    them read in the request calls forget_unread): the request page asks before marking, the top bar shows it."""
    if not user.is_authenticated:
        return 0
    counted = getattr(user, "_unread_count", None)
    if counted is None:
        counted = _count_unread(user.pk)
        user._unread_count = counted
    return counted


def _count_unread(user_id: int) -> int:
    """``Notification.objects.filter(user=user, read_at__isnull=True).count()`` as its one statement: the top
    bar asks it on every page, and building and compiling the queryset was four times the CPU of the round trip
    (0.43 against 0.10 ms, #17)."""
    meta = Notification._meta
    # The database the ORM would have read it from (a replica inside replica_reads, as before).
    connection = connections[router.db_for_read(Notification)]
    quote = connection.ops.quote_name
    table, user, read_at = (
        quote(meta.db_table),
        quote(meta.get_field("user").column),
        quote(meta.get_field("read_at").column),
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {user} = %s AND {read_at} IS NULL", [user_id])
        return cursor.fetchone()[0]


def keep_unread(user, counted: int) -> None:
    """The unread count read by another statement of this request (我的申请's page statement carries it): the top
    bar's unread_count() asks no more."""
    user._unread_count = counted


def forget_unread(user) -> None:
    """After marking notifications read in this request: the next unread_count() counts again."""
    for holder in (user, getattr(user, "_wrapped", None)):  # request.user's lazy wrapper and the user inside
        getattr(holder, "__dict__", {}).pop("_unread_count", None)


def notifications_for(user) -> QuerySet:
    return Notification.objects.filter(user=user).select_related("ticket")


def assist_part(pk) -> AssistPart | None:
    """A 协办 part by id, unscoped: the caller checks the user may see its ticket."""
    return AssistPart.objects.filter(pk=pk).select_related("ticket").first()


def notification_for(user, pk) -> Notification | None:
    """One of the user's own notifications (None for anyone else's)."""
    return Notification.objects.filter(user=user, pk=pk).first()


def attachment_of(ticket: Ticket, entry_id) -> TimelineEntry | None:
    """The timeline entry of ``ticket`` carrying a file (the caller has checked the ticket is visible)."""
    return ticket.timeline.filter(pk=entry_id).exclude(attachment="").first()


def last_return(ticket: Ticket) -> TimelineEntry | None:
    """The latest 退回修改 of ``ticket``, whose comment the requester reads while correcting it."""
    return ticket.timeline.filter(action=Action.RETURN).order_by("-at").first()


def my_open_requests(user) -> QuerySet:
    """The user's own requests still under way (drafts and returned ones included: they wait for the user),
    the soonest due first, each with the current step's assignees loaded (who holds it now)."""
    return (
        Ticket.objects.filter(requester=user)
        .exclude(status__in=[Status.DONE, Status.REJECTED, Status.WITHDRAWN])
        .select_related(*LIST_RELATED)
        .prefetch_related("current_step__assignees")
        .order_by(F("due_at").asc(nulls_last=True), "-pk")
    )


def counts_for(user) -> dict:
    return {
        "inbox": approval_inbox(user).count(),
        "handling": handling_queue(user).count() + assist_queue(user).count(),
        "open": my_tickets(user).exclude(status__in=[Status.DONE, Status.REJECTED, Status.WITHDRAWN]).count(),
    }


# --- Monthly figures per unit (the command center's roll-up; unscoped: the reader scopes the roll-up) ----

OPEN_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED, Status.IN_PROGRESS)


def monthly_service_figures(*, start, end, unit_ids=None) -> figures.MonthlyFigures:
    """``monthly_service_figure_queries`` read as {(unit, month): {key: value}}."""
    return figures.collect(monthly_service_figure_queries(start=start, end=end, unit_ids=unit_ids))


def monthly_service_figure_queries(*, start, end, unit_ids=None) -> figures.FigureQueries:
    """Per requesting unit and month in [start, end): requests filed (submitted), finished (已办结), finished
    within their time limit, hours from submission to finish, ratings (sum and count), and the requests
    overdue at the month's end (for the current month: now) — submitted, past due and not closed by then.
    Grouped queries: the filed, the finished, and the overdue at each month's end."""
    lo, hi = figures.local_midnight(start), figures.local_midnight(end)
    base = Ticket.objects.all() if unit_ids is None else Ticket.objects.filter(org_unit_id__in=list(unit_ids))
    rated = Q(rating__gt=0)
    queries = [
        figures.grouped(
            base.filter(submitted_at__gte=lo, submitted_at__lt=hi),
            unit="org_unit_id",
            month=figures.month_trunc("submitted_at"),
            tickets_filed=Count("pk"),
        ),
        figures.grouped(
            base.filter(status=Status.DONE, closed_at__gte=lo, closed_at__lt=hi),
            unit="org_unit_id",
            month=figures.month_trunc("closed_at"),
            tickets_done=Count("pk"),
            tickets_on_time=Count("pk", filter=Q(due_at__isnull=True) | Q(closed_at__lte=F("due_at"))),
            handling_hours=Sum(figures.HoursBetween("closed_at", "submitted_at")),
            rating_sum=Sum("rating", filter=rated),
            rating_count=Count("pk", filter=rated),
        ),
    ]
    timed = base.filter(due_at__isnull=False).exclude(status__in=(Status.DRAFT, Status.WITHDRAWN, Status.RETURNED))
    now = timezone.now()
    for month in figures.months_between(start, end):
        # Overdue at the month's end (now, for the current month): submitted and due before it, not closed by then.
        point = min(figures.local_midnight(figures.next_month(month)), now)
        overdue = timed.filter(
            Q(closed_at__isnull=True) | Q(closed_at__gte=point), submitted_at__lt=point, due_at__lt=point
        )
        queries.append(figures.grouped(overdue, unit="org_unit_id", month=month, tickets_overdue=Count("pk")))
    return queries


def monthly_kind_figure_queries(*, start, end, unit_ids=None) -> figures.FigureQueries:
    """Per requesting unit and month in [start, end), for each request kind: requests finished (已办结) and the
    hours from submission to finish, keyed ``kind_done_<kind>`` and ``kind_hours_<kind>`` — the average
    handling time by kind, counted as ``monthly_service_figure_queries`` counts ``tickets_done`` and
    ``handling_hours``. One grouped query, two columns per registered kind finished in the span (none: no
    query), after one read of those kinds."""
    lo, hi = figures.local_midnight(start), figures.local_midnight(end)
    qs = Ticket.objects.filter(status=Status.DONE, closed_at__gte=lo, closed_at__lt=hi)
    if unit_ids is not None:
        qs = qs.filter(org_unit_id__in=list(unit_ids))
    hours = figures.HoursBetween("closed_at", "submitted_at")
    # Only the kinds finished in the span get columns: each column is one more pass over the grouped rows
    # when the roll-up unpivots them (16 kinds registered, a few finished in most months).
    finished = set(qs.order_by().values_list("kind", flat=True).distinct())
    keys = {}
    for kind in sorted(k.code for k in registry.all_kinds() if k.code in finished):
        keys[f"kind_done_{kind}"] = Count("pk", filter=Q(kind=kind))
        keys[f"kind_hours_{kind}"] = Sum(hours, filter=Q(kind=kind))
    if not keys:
        return []
    return [figures.grouped(qs, unit="org_unit_id", month=figures.month_trunc("closed_at"), **keys)]


def monthly_kind_figures(*, start, end, unit_ids=None) -> figures.MonthlyFigures:
    return figures.collect(monthly_kind_figure_queries(start=start, end=end, unit_ids=unit_ids))


def kind_labels() -> dict[str, str]:
    """Each request kind's code and the name people know it by (维修报修)."""
    return {k.code: k.label for k in registry.all_kinds()}


def open_requests(user, *, within, kind: str = "") -> QuerySet:
    """Requests of ``within``'s subtree still open (submitted, not finished), of the units the user oversees;
    optionally of one kind (the command center's 未办结报修)."""
    qs = scoping.scope(Ticket.objects.all(), user, roles=OVERSEERS).filter(
        status__in=OPEN_STATUSES, org_unit__path__startswith=within.path
    )
    return qs.filter(kind=kind) if kind else qs


def overdue_tickets(user, *, within=None) -> QuerySet:
    """Open requests past their time limit now, of the units the user oversees (optionally one subtree)."""
    qs = scoping.scope(Ticket.objects.select_related(*LIST_RELATED), user, roles=OVERSEERS).filter(
        status__in=OPEN_STATUSES, due_at__lt=timezone.now()
    )
    if within is not None:
        qs = qs.filter(org_unit__path__startswith=within.path)
    return qs.order_by("due_at")
