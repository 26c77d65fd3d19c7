"""The portal's panels on the home page ("what do I need to do"), registered in ``PortalConfig.ready()``:

- the approval inbox, first for an approver: the soonest due first, near (``rules.NEAR_LIMIT``) or past the
  time limit marked, simple kinds selectable together (select all) for bulk approval;
- the user's own requests under way: where each stands (step, who holds it, due), and a button to file one.

Reads through the portal's selectors only; each returns None when it has nothing to show the user. The two
panels' rows are the selectors' querysets read by statements compiled once per process (datahub.compiled): the
same queryset for every reader but the reader's id, and building and compiling them was about half the CPU of a
home page whose counts are kept (#17).
"""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from datahub.compiled import CountStatement, InstanceStatement
from datahub.keyed import listed
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
            count_once("portal.handling", selectors.handling_count),
        )
    )
