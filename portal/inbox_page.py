"""待我审批 (an approver's inbox) read by one compiled statement per page (datahub.compiled, #17), as 我的申请 is
(portal.mine_page): the inbox's rows, their total and the top bar's unread count in one round trip.

The inbox's queryset (``selectors.approval_inbox``) depends on the reader only by their id and on the kind filter,
so its statement is the same for every approver: building and compiling it, its count and its rows' annotations
(督办, the unit's parent) was most of the page's CPU. A search (matched by the reader's language and the titles'
messages) goes through the queryset as before.
"""

from datahub.compiled import PagedStatement, PageStatement, counted, page_number

from . import selectors
from .models import Notification, Ticket

# Markers no approver id or kind is.
_MARKERS = {"user": -917_263_548_239, "kind": "\x00kind\x00"}


def _page_rows(user, kind=""):
    tickets = selectors.approval_inbox(user, kind=kind, with_parts=False)
    unread = counted(Notification.objects.filter(user=user, read_at__isnull=True))
    rows = selectors.with_supervised(tickets, user).annotate(unread=unread)
    return tickets, rows.values(*selectors.ROW_COLUMNS, "unit_parent_name", "unread")


PAGE = PageStatement(Ticket, _page_rows, _MARKERS)


def inbox_page(user, *, kind: str = "", size: int, page: str = "") -> PagedStatement:
    """The inbox as its paginator reads it: rows of ``selectors.ROW_COLUMNS``, ``unit_parent_name`` and
    ``unread``, the unread count handed to the top bar (``selectors.keep_unread``) with the first rows read."""

    def keep_unread(rows):
        selectors.keep_unread(user, rows[0]["unread"])

    values = {"user": user.pk, "kind": kind}
    return PagedStatement(PAGE, values, size=size, wanted=page_number(page), on_rows=keep_unread)
