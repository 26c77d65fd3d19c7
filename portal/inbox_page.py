"""待我审批 (the approval inbox) read by one compiled statement per page (datahub.compiled, #17), as 我的申请 is
(portal.mine_page): the page's rows, their total and the top bar's unread count in one round trip where the
queryset made two or three, and no queryset built and compiled per request. A search (matched by the reader's
language and the titles' messages) still goes through the queryset.
"""

from datahub.compiled import PagedStatement, PageStatement, counted, page_number

from . import selectors
from .mine_page import _MARKERS
from .models import Notification, Ticket


def _page_rows(user, kind=""):
    tickets = selectors.approval_inbox(user, kind=kind, with_parts=False)
    unread = counted(Notification.objects.filter(user=user, read_at__isnull=True))
    rows = selectors.with_supervised(tickets, user).annotate(unread=unread)
    return tickets, rows.values(*selectors.ROW_COLUMNS, "unit_parent_name", "unread")


PAGE = PageStatement(Ticket, _page_rows, {"user": _MARKERS["user"], "kind": _MARKERS["kind"]})


def inbox_page(user, *, kind: str = "", size: int, page: str = "") -> PagedStatement:
    """The inbox as its paginator reads it: rows of ``selectors.ROW_COLUMNS`` with ``unit_parent_name`` (and
    ``unread``, handed to the top bar with the first rows read), the soonest due first."""

    def keep_unread(rows):
        selectors.keep_unread(user, rows[0]["unread"])

    values = {"user": user.pk, "kind": kind}
    return PagedStatement(PAGE, values, size=size, wanted=page_number(page), on_rows=keep_unread)
