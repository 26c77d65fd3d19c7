"""我的申请 (a requester's own requests) read by one compiled statement per page (datahub.compiled, #17): the page
and the API's ``?box=mine`` list.

The page's statement also carries the top bar's unread count (another uncorrelated subquery), so the page reads
its rows, their total and that count in one round trip where it made three. A search (matched by the reader's
language and the titles' messages) and the API's filters, search and ordering go through the querysets as before.
"""

from datahub.compiled import PagedStatement, PageStatement, counted, page_number

from . import selectors
from .models import Notification, Ticket

# Markers no requester id, status or kind is.
_MARKERS = {"user": -917_263_548_237, "status": "\x00status\x00", "kind": "\x00kind\x00"}


def _page_rows(user, status="", kind=""):
    tickets = selectors.my_tickets(user, status=status, kind=kind)
    unread = counted(Notification.objects.filter(user=user, read_at__isnull=True))
    rows = selectors.with_supervised(tickets, user).annotate(unread=unread)
    return tickets, rows.values(*selectors.ROW_COLUMNS, "unread")


PAGE = PageStatement(Ticket, _page_rows, _MARKERS)


def my_requests_page(user, *, status: str = "", kind: str = "", size: int, page: str = "") -> PagedStatement:
    """我的申请 as its paginator reads it: rows of ``selectors.ROW_COLUMNS`` (and ``unread``), the unread count
    handed to the top bar (``selectors.keep_unread``) with the first rows read."""

    def keep_unread(rows):
        selectors.keep_unread(user, rows[0]["unread"])

    values = {"user": user.pk, "status": status, "kind": kind}
    return PagedStatement(PAGE, values, size=size, wanted=page_number(page), on_rows=keep_unread)


def _api_rows(columns):
    def build(user):
        tickets = selectors.my_tickets(user)
        return tickets, tickets.values(*columns)

    return build


_API: dict[tuple, PageStatement] = {}


def my_requests_api(user, *, columns: tuple[str, ...], size: int, page: str = "") -> PagedStatement:
    """The API's ``?box=mine`` list without filters, search or ordering: ``my_tickets`` as ``values(*columns)``."""
    statement = _API.get(columns)
    if statement is None:
        statement = _API[columns] = PageStatement(Ticket, _api_rows(columns), {"user": _MARKERS["user"]})
    return PagedStatement(statement, {"user": user.pk}, size=size, wanted=page_number(page))
