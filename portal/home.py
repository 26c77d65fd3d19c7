"""The portal's panels on the home page ("what do I need to do"), registered in ``PortalConfig.ready()``:

- the approval inbox, first for an approver: the soonest due first, near (``rules.NEAR_LIMIT``) or past the
  time limit marked, simple kinds selectable together (select all) for bulk approval;
- the user's own requests under way: where each stands (step, who holds it, due), and a button to file one.

Reads through the portal's selectors only; each returns None when it has nothing to show the user. The two
panels' rows are the selectors' querysets read by statements compiled once per process (datahub.compiled): the
same queryset for every reader but the reader's id, and building and compiling them was about half the CPU of a
home page whose counts are kept (#17).
"""

from django.db import connections, router
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from datahub import scoping
from datahub.compiled import CompiledCount, CountStatement, InstanceStatement
from datahub.keyed import listed
from datahub.models import User
from datahub.navigation import (
    HomePanel,
    WorkItem,
    count_once,
    held_roles,
    register_home_panel,
    register_work_item,
)
from datahub.roles import STAFF_ROLES, Role

from . import registry, rules, selectors
from .mine_page import _MARKERS
from .models import Ticket
from .workflow import Status

ROWS = 8
_READER = {"user": _MARKERS["user"]}
INBOX_ROWS = InstanceStatement(Ticket, lambda user: selectors.approval_inbox(user)[:ROWS], _READER)
MINE_ROWS = InstanceStatement(Ticket, lambda user: selectors.my_open_requests(user)[:ROWS], _READER)
# The inbox's count (its panel, its section card): the same queryset for every reader but the reader's id.
INBOX_COUNT = CountStatement(
    Ticket, lambda _reader, user: selectors.approval_inbox(user, with_parts=False), markers=_READER
)


def inbox_count(user) -> int:
    return INBOX_COUNT.count(user, user=user.pk)


# What waits for the reader to handle: the handling queue and the open 协办 parts, scoped per role (each role its
# own subtrees), so a statement per shape: which roles the reader holds on how many subtrees.
HANDLING_PATHS_MAX = 8


class _Handling:
    """The two statements of one shape of the handling count, built by selectors.handling_queue and assist_queue
    for a stand-in reader: an unsaved person whose id and per-role subtrees are markers."""

    def __init__(self, alias: str, shape: tuple[tuple[str, int], ...]):
        user = _MARKERS["user"]
        # Markers of letters and digits only: a prefix's value is escaped for LIKE (an underscore would change it).
        paths = {role: [f"\x00r{r}p{i}\x00" for i in range(n)] for r, (role, n) in enumerate(shape)}
        reader = User(pk=user)
        reader.__dict__["_scope_paths_cache"] = {("by_role", selectors.GRANTED_ROLES): paths}
        markers = {"user": user, **{f"{role}{i}": m for role, ms in paths.items() for i, m in enumerate(ms)}}
        # A role may scope one of the two (a role that handles no kind still co-handles): its markers are optional.
        self.queue = CompiledCount(alias, selectors.handling_queue(reader), markers, optional=frozenset(markers))
        self.assists = CompiledCount(alias, selectors.assist_queue(reader), markers, optional=frozenset(markers))


_HANDLING: dict[tuple, _Handling] = {}


def handling_count(user) -> int:
    """selectors.handling_count by two statements compiled once per process and shape."""
    by_role = scoping.granted_paths_by_role(user, selectors.GRANTED_ROLES)
    shape = tuple((role, len(paths)) for role, paths in by_role.items() if paths)
    if not user.is_authenticated or any(n > HANDLING_PATHS_MAX for _role, n in shape):
        return selectors.handling_count(user)
    alias = router.db_for_read(Ticket)
    key = (alias, connections[alias].vendor, shape)
    statements = _HANDLING.get(key)
    if statements is None:
        statements = _HANDLING[key] = _Handling(alias, shape)
    values = {"user": user.pk, **{f"{role}{i}": p for role, paths in by_role.items() for i, p in enumerate(paths)}}
    return statements.queue.run(alias, values) + statements.assists.run(alias, values)


def _holder(ticket) -> str:
    """Who holds the request now, in words."""
    if ticket.status in (Status.DRAFT, Status.RETURNED):
        return _("本人（待修改提交）") if ticket.status == Status.RETURNED else _("本人（草稿）")
    if ticket.status == Status.IN_PROGRESS and ticket.handler:
        return ticket.handler.name
    if ticket.status == Status.APPROVED:
        return _("待办理人接单")
    step = ticket.current_step
    if step is not None:
        names = [u.name for u in step.assignees.all()]
        return listed(names[:3]) + (gettext("等") if len(names) > 3 else "") if names else gettext(step.name)
    return "—"


def inbox_panel(user) -> dict | None:
    count = count_once("portal.inbox", inbox_count)(user)
    if not count and Role.APPROVER not in held_roles(user):
        return None
    now = timezone.now()
    tickets = INBOX_ROWS.rows({"user": user.pk})
    for t in tickets:
        t.limit_state = rules.limit_state(t.due_at, now)
    bulk = {k.code for k in registry.all_kinds() if k.bulk_approvable}
    return {
        "tickets": tickets,
        "count": count,
        "bulk": bulk,
        "bulk_selectable": any(t.kind in bulk and not t.current_step.is_countersign for t in tickets),
        "near": sum(1 for t in tickets if t.limit_state),
    }


def mine_panel(user) -> dict | None:
    if not user.org_unit_id:
        return None
    now = timezone.now()
    tickets = MINE_ROWS.rows({"user": user.pk})
    for t in tickets:
        t.holder = _holder(t)
        t.limit_state = rules.limit_state(t.due_at, now) if t.status not in (Status.DRAFT, Status.RETURNED) else ""
    return {"tickets": tickets, "more": len(tickets) == ROWS}


def register() -> None:
    everyone = tuple(Role.values)
    register_home_panel(HomePanel("portal-inbox", everyone, "portal/_home_inbox.html", inbox_panel, order=10))
    register_home_panel(HomePanel("portal-mine", everyone, "portal/_home_mine.html", mine_panel, order=30))
    # A domain administrator's queue starts with the approved requests that wait for them to handle.
    register_work_item(
        WorkItem(
            "queue",
            _("待我办理的申请"),
            "portal:handling",
            STAFF_ROLES,
            count_once("portal.handling", handling_count),
        )
    )
