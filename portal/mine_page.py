"""我的申请 (a requester's own requests) read as one statement per page: the page's rows, their total and the top
bar's unread count (#17).

The list's queryset (``with_supervised(my_tickets(...))``) has the same shape for every requester; only the values
differ. Building and compiling it, its count and the rows' ``values()`` was about half of the page's own CPU, and
the count, the rows and the unread count were three round trips where the floor of the page (bench_pages) makes two.
So the statement is compiled from that very queryset once per process and shape (which filters are set, which
database), with markers in place of the requester, the status and the kind; each page then binds the values and
runs it on a cursor PostgreSQL keeps prepared (``datahub.catalog.prepared``): no ORM work, no planning after its
fifth run on a connection. The total and the unread count are uncorrelated subqueries of the same statement, run
once for it (not a window count: that would join every row of the requester's list to count them).

A search (whose match depends on the reader's language and the titles' messages) goes through the queryset as
before. The rows are dicts of ``selectors.ROW_COLUMNS`` with the values the ORM's ``values()`` gives (its own
converters: JSON, booleans and datetimes on SQLite).
"""

from django.db import connections, router
from django.db.models import F, Func, Subquery

from datahub.catalog import prepared

from . import selectors
from .models import Notification, Ticket

# Markers no requester id, status or kind is: the compiled statement's parameters that stand for them.
_USER = -917_263_548_237
_STATUS = "\x00status\x00"
_KIND = "\x00kind\x00"


def _counted(qs):
    """``qs``'s row count as a one-value subquery (``SELECT COUNT(id) FROM …``, uncorrelated)."""
    return Subquery(qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))


class _Statement:
    """The page statement of one shape on one database: SQL with placeholders (LIMIT and OFFSET last), what each
    parameter is, the result's column names and the ORM's converters for them."""

    def __init__(self, alias: str, status: bool, kind: bool):
        tickets = selectors.my_tickets(_USER, status=_STATUS if status else "", kind=_KIND if kind else "")
        unread = Notification.objects.filter(user=_USER, read_at__isnull=True)
        qs = selectors.with_supervised(tickets, _USER).annotate(
            total=_counted(tickets),
            unread=_counted(unread),
        )
        qs = qs.values(*selectors.ROW_COLUMNS, "total", "unread")
        query = qs.query
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        self.sql = f"{sql} LIMIT %s OFFSET %s"
        markers = {_USER: "user", _STATUS: "status", _KIND: "kind"}
        self.params = tuple((markers.get(p), p) for p in params)
        found = {name for name, _ in self.params if name}
        wanted = {"user", *(["status"] if status else []), *(["kind"] if kind else [])}
        if found != wanted:  # the ORM bound a value some other way: the statement would not be this list's
            raise RuntimeError(f"我的申请: compiled statement binds {sorted(found)}, not {sorted(wanted)}")
        # As QuerySet.values() names a row's columns.
        self.names = tuple(query.selected or (*query.extra_select, *query.values_select, *query.annotation_select))
        self.width = compiler.col_count
        fields = [expression for expression, _, _ in compiler.select[: self.width]]
        self.converters = tuple(
            (pos, tuple(funcs), expr) for pos, (funcs, expr) in compiler.get_converters(fields).items()
        )

    def run(self, alias: str, values: dict, limit: int, offset: int) -> list[dict]:
        bound = [values[name] if name else constant for name, constant in self.params]
        connection = connections[alias]
        with prepared.cursor(alias) as cursor:
            cursor.execute(self.sql, [*bound, limit, offset])
            rows = cursor.fetchall()
        names, width, converters = self.names, self.width, self.converters
        out = []
        for row in rows:
            row = list(row[:width])
            for pos, funcs, expr in converters:
                value = row[pos]
                for convert in funcs:
                    value = convert(value, expr, connection)
                row[pos] = value
            out.append(dict(zip(names, row, strict=True)))
        return out


_STATEMENTS: dict[tuple, _Statement] = {}


def _statement(alias: str, status: bool, kind: bool) -> _Statement:
    key = (alias, connections[alias].vendor, status, kind)
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = _Statement(alias, status, kind)
    return statement


class MyRequestsPage:
    """The requester's list as the paginator reads it (``count()`` and a slice): the statement run once for the
    page asked (``wanted``, the ``?page=`` number when it is one), its total and rows kept, the unread count handed
    to the top bar (``selectors.keep_unread``). A slice at another offset (a page number past the end: the paginator
    then shows the last page) runs it again for that offset; a count with no row to carry it reads the first page."""

    ordered = True

    def __init__(self, user, *, status: str = "", kind: str = "", size: int, wanted: int = 1):
        self.user, self.size = user, size
        self.values = {"user": user.pk, "status": status, "kind": kind}
        self.shape = (bool(status), bool(kind))
        self.wanted = max(wanted, 1)
        self.total: int | None = None
        self.read: dict[int, list[dict]] = {}

    def _read(self, offset: int) -> list[dict]:
        alias = router.db_for_read(Ticket)
        rows = _statement(alias, *self.shape).run(alias, self.values, self.size, offset)
        self.read[offset] = rows
        if rows:
            self.total = rows[0]["total"]
            selectors.keep_unread(self.user, rows[0]["unread"])
        elif offset == 0:
            self.total = 0
        return rows

    def count(self) -> int:
        if self.total is None:
            self._read((self.wanted - 1) * self.size)
        if self.total is None:  # past the last page
            self._read(0)
        return self.total

    def __getitem__(self, key: slice) -> list[dict]:
        start = key.start or 0
        rows = self.read.get(start)
        if rows is None:
            rows = self._read(start)
        return rows[: key.stop - start] if key.stop is not None else rows
