"""A list's page read by one statement compiled once: its rows and their total, for a list whose queryset has the
same shape for every reader and differs only by values (the reader, a filter's value) (#17).

Building and compiling a list's count and page querysets was a large part of a small list's CPU, and the count and
the page were two round trips. ``PageStatement`` builds the list's own queryset once per process, database and
shape (which of the optional values are set), with a marker in place of each value, compiles it with its total as an
uncorrelated subquery (``SELECT COUNT(…)`` run once for the statement: a window count would join every row of the
list to count them), and keeps the SQL, what each parameter stands for, the columns' names and the ORM's converters.
A page then binds the values, LIMIT and OFFSET and runs it on a cursor PostgreSQL keeps prepared
(``datahub.catalog.prepared``): no ORM work, no planning after its fifth run on a connection. The rows are the dicts
``values()`` gives for the same queryset, the ORM's own converters applied (JSON, booleans and datetimes on SQLite).

``PagedStatement`` is what a ``Paginator`` pages through (``count()`` and a slice): the statement run once for the
page asked, its total kept. ``InstanceStatement`` is the same for a short list of model instances (its related rows
joined by ``select_related``, its annotations, its prefetches), as a page's panel reads them.
"""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import F, Func, QuerySet, Subquery, prefetch_related_objects
from django.db.models.query import get_related_populators

from . import scoping
from .catalog import prepared

TOTAL = "paged_total"


def counted(qs: QuerySet) -> Subquery:
    """``qs``'s row count as a one-value subquery (``SELECT COUNT(id) FROM …``, uncorrelated)."""
    return Subquery(qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))


class _Compiled:
    """One shape on one database: SQL with placeholders (LIMIT and OFFSET last), what each parameter is, the
    result's column names and the ORM's converters for them."""

    def __init__(self, alias: str, rows: QuerySet, markers: dict):
        query = rows.query
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        self.sql = f"{sql} LIMIT %s OFFSET %s"
        self.params = _bindings(params, markers, rows.model)
        # As QuerySet.values() names a row's columns.
        self.names = tuple(query.selected or (*query.extra_select, *query.values_select, *query.annotation_select))
        self.width = compiler.col_count
        fields = [expression for expression, _, _ in compiler.select[: self.width]]
        self.converters = tuple((pos, tuple(fs), expr) for pos, (fs, expr) in compiler.get_converters(fields).items())

    def run(self, alias: str, values: dict, limit: int, offset: int) -> list[dict]:
        connection = connections[alias]
        bound = _bound(self.params, values, connection)
        with prepared.cursor(alias) as cursor:
            cursor.execute(self.sql, [*bound, limit, offset])
            fetched = cursor.fetchall()
        names, width, converters = self.names, self.width, self.converters
        rows = []
        for row in fetched:
            rows.append(dict(zip(names, _converted(list(row[:width]), converters, connection), strict=True)))
        return rows


# A parameter that is a marker with LIKE's "any rest" after it: the value is a prefix (``__startswith``, the scope's
# ``path__startswith``), bound escaped as the ORM escapes it.
PREFIX = object()
# A parameter that is a date marker (a count's day: insurance expiring by today, idle since a cutoff).
DATE = object()


def _bindings(params, markers: dict, model) -> tuple:
    """What each parameter of a statement compiled with ``markers`` stands for: (a marker's name, None), (a
    marker's name, PREFIX) or (None, a constant); refused when the ORM bound a marker some other way."""
    by_marker = {marker: (name, None) for name, marker in markers.items()}
    by_marker.update({f"{marker}%": (name, PREFIX) for name, marker in markers.items() if isinstance(marker, str)})
    # A date marker is bound as the backend adapts a date (a date on PostgreSQL, its ISO text on SQLite).
    by_marker.update({m: (n, DATE) for n, m in markers.items() if isinstance(m, date)})
    by_marker.update({m.isoformat(): (n, DATE) for n, m in markers.items() if isinstance(m, date)})
    bindings = tuple(by_marker.get(p, (None, p)) if isinstance(p, str | int | date) else (None, p) for p in params)
    bound = {name for name, _ in bindings if name}
    if bound != set(markers):  # the ORM bound a value some other way: the statement would not be the list's
        raise RuntimeError(f"{model.__name__}: the statement binds {sorted(bound)}, not {sorted(markers)}")
    if any(isinstance(p, str) and any(m in p for m in markers.values() if isinstance(m, str)) for _n, p in bindings):
        raise RuntimeError(f"{model.__name__}: a marker is bound inside another value")
    return bindings


def _bound(bindings: tuple, values: dict, connection) -> list:
    return [_value(values[name], constant, connection) if name else constant for name, constant in bindings]


def _value(value, kind, connection):
    if kind is PREFIX:
        return f"{connection.ops.prep_for_like_query(value)}%"
    if kind is DATE:
        return connection.ops.adapt_datefield_value(value)
    return value


def _converted(row: list, converters, connection) -> list:
    for pos, functions, expression in converters:
        value = row[pos]
        for convert in functions:
            value = convert(value, expression, connection)
        row[pos] = value
    return row


class _CompiledInstances:
    """One shape of a model-instance queryset on one database: its SQL and bindings, and what Django's
    ModelIterable derives from the compiler to make each row an instance (the model's columns, the joined rows'
    populators, the annotations' positions), kept; the queryset's prefetch lookups, applied after each read."""

    def __init__(self, alias: str, qs: QuerySet, markers: dict):
        compiler = qs.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        self.sql, self.params = sql, _bindings(params, markers, qs.model)
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, alias)
        self.annotations = tuple(compiler.annotation_col_map.items())
        columns = [expression for expression, _, _ in select[: compiler.col_count]]
        self.converters = tuple((pos, tuple(fs), e) for pos, (fs, e) in compiler.get_converters(columns).items())
        self.prefetch = qs._prefetch_related_lookups

    def run(self, alias: str, values: dict) -> list:
        connection = connections[alias]
        bound = _bound(self.params, values, connection)
        with prepared.cursor(alias) as cursor:
            cursor.execute(self.sql, bound)
            fetched = cursor.fetchall()
        objects = []
        for row in fetched:
            row = _converted(list(row), self.converters, connection) if self.converters else row
            obj = self.model.from_db(alias, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, pos in self.annotations:
                setattr(obj, name, row[pos])
            objects.append(obj)
        if objects and self.prefetch:
            prefetch_related_objects(objects, *self.prefetch)
        return objects


class InstanceStatement:
    """A short list of model instances read by one statement compiled once per process and database (#17).
    ``build(**markers)`` gives the queryset (sliced, ordered, with its ``select_related`` and prefetches) for
    the values' markers — one shape: every value is bound. ``rows(values)`` gives what ``list(build(**values))``
    gives, without the ORM building and compiling it."""

    def __init__(self, model, build: Callable[..., QuerySet], markers: dict):
        self.model, self.build, self.markers = model, build, markers
        self._compiled: dict[tuple, _CompiledInstances] = {}

    def rows(self, values: dict) -> list:
        alias = router.db_for_read(self.model)
        key = (alias, connections[alias].vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = _CompiledInstances(alias, self.build(**self.markers), self.markers)
        return compiled.run(alias, values)


class PageStatement:
    """A list's page statement. ``build(**values)`` gives ``(base, rows)`` for the values set: ``base`` the list's
    filtered queryset of ``model`` (what its total counts), ``rows`` the page's ``values()`` queryset, ordered.
    ``markers``: for each value, a marker of its type that no real value is (a negative id, a string with NUL
    bytes); a value that is empty ("" or None) is left out of ``build``'s arguments and makes another shape."""

    def __init__(self, model, build: Callable[..., tuple[QuerySet, QuerySet]], markers: dict):
        self.model = model
        self.build = build
        self.markers = markers
        self._compiled: dict[tuple, _Compiled] = {}

    def _statement(self, alias: str, shape: tuple[str, ...]) -> _Compiled:
        key = (alias, connections[alias].vendor, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            markers = {name: self.markers[name] for name in shape}
            base, rows = self.build(**markers)
            compiled = self._compiled[key] = _Compiled(alias, rows.annotate(**{TOTAL: counted(base)}), markers)
        return compiled

    def page(self, values: dict, *, limit: int, offset: int) -> tuple[int | None, list[dict]]:
        """(total, rows) of the page at ``offset``; the total is None when the page has no row (past the end)."""
        shape = tuple(name for name in self.markers if values.get(name) not in ("", None))
        alias = router.db_for_read(self.model)  # a read replica inside replica_reads(), as the queryset would
        rows = self._statement(alias, shape).run(alias, values, limit, offset)
        total = None
        for row in rows:
            total = row.pop(TOTAL)
        if total is None and offset == 0:
            total = 0
        return total, rows


class PagedStatement:
    """A list as a ``Paginator`` reads it (``count()`` and a slice), read by ``statement``: once for the page asked
    (``wanted``, the page number the request names, when it is one), its total and rows kept; ``on_rows`` sees each
    read's rows. A slice at another offset (a page past the end: the paginator then shows the last one) reads
    again; a count with no row to carry it reads the first page."""

    ordered = True

    def __init__(self, statement: PageStatement, values: dict, *, size: int, wanted: int = 1, on_rows=None):
        self.statement, self.values, self.size = statement, values, size
        self.wanted = max(wanted, 1)
        self.on_rows = on_rows
        self.total: int | None = None
        self.read: dict[int, list[dict]] = {}

    def _read(self, offset: int) -> list[dict]:
        total, rows = self.statement.page(self.values, limit=self.size, offset=offset)
        self.read[offset] = rows
        if total is not None:
            self.total = total
        if rows and self.on_rows is not None:
            self.on_rows(rows)
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


def page_number(raw) -> int:
    """The page a request's ``?page=`` names, as the statement's first read guesses it (1 when it names none or
    one beyond any list; the paginator still decides which page is shown)."""
    number = int(raw) if isinstance(raw, str) and raw.isdigit() else 1
    return number if number <= 10**9 else 1


# A scoped list's statement binds one prefix per subtree the reader was granted (datahub.scoping.scope ORs them):
# a shape per count of subtrees, up to this many; a reader granted more reads through the queryset.
SCOPE_PATHS_MAX = 8
SCOPE_MARKERS = {f"p{i}": f"\x00path{i}\x00" for i in range(SCOPE_PATHS_MAX)}


def scope_values(user, roles) -> dict | None:
    """The reader's scope as a scoped statement binds it: nothing for a superuser (every row), else the granted
    subtrees' paths (``p0``, ``p1``, …, as datahub.scoping.granted_paths gives them); None when the statement does
    not apply and the list's queryset reads (nobody signed in, an inactive account, no grant: an empty list; more
    subtrees than markers)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return {}
    paths = scoping.granted_paths(user, roles)
    if not paths or len(paths) > SCOPE_PATHS_MAX:
        return None
    return {f"p{i}": path for i, path in enumerate(paths)}


class ScopeReader:
    """The reader as a scoped list's selector sees it while its statement is built: signed in, active, holding
    ``roles`` on the subtrees whose paths are the markers given (a superuser without any), so that the selector's
    own ``scoping.scope()`` call writes the filter the statement binds. Its id is refused: a selector that reads
    the reader by id needs that id as a marker of its own."""

    is_authenticated = True
    is_anonymous = False
    is_active = True

    def __init__(self, roles, paths: dict):
        self.is_superuser = not paths
        self.__dict__["_scope_paths_cache"] = {tuple(roles): [paths[name] for name in sorted(paths)]}

    @property
    def pk(self):
        raise RuntimeError("a scoped statement's reader has no id")

    id = pk


class CompiledCount:
    """One shape of a count on one database: ``SELECT COUNT(*)`` over the queryset's rows (its ids, as
    ``QuerySet.count()`` counts a grouped or distinct queryset), and what each parameter stands for. Used by
    CountStatement, and directly by a count whose reader is not a scope of one role tuple (the portal's handling
    count: a scope per role)."""

    def __init__(self, alias: str, qs: QuerySet, markers: dict, *, optional=frozenset()):
        try:
            sql, params = qs.order_by().values("pk").query.get_compiler(using=alias).as_sql()
        except EmptyResultSet:  # nothing to count in this shape, whatever the values (a reader with no role)
            self.sql, self.params = None, ()
            return
        self.sql = f"SELECT COUNT(*) FROM ({sql}) counted"
        # ``optional``: markers the queryset may leave out (a role that scopes one of a count's two statements).
        unused = {n for n in optional if markers[n] not in params and f"{markers[n]}%" not in params}
        self.params = _bindings(params, {n: m for n, m in markers.items() if n not in unused}, qs.model)
        if any(isinstance(p, str) and any(str(markers[n]) in p for n in unused) for p in params):
            raise RuntimeError(f"{qs.model.__name__}: a marker is bound inside another value")

    def run(self, alias: str, values: dict) -> int:
        if self.sql is None:
            return 0
        bound = _bound(self.params, values, connections[alias])
        with prepared.cursor(alias) as cursor:
            cursor.execute(self.sql, bound)
            return cursor.fetchone()[0]


class CountStatement:
    """A home-page count read by one statement compiled once per process, database and scope shape (#17): the
    home page asks a dozen counts, and building and compiling their querysets was most of a recount's CPU.

    ``build(reader, **values)`` gives the count's queryset: made with ``roles``, the reader's scope is the
    selector's own ``scoping.scope()`` filter, built for a ``ScopeReader`` whose subtrees are markers (the count's
    roles must be those its selector scopes by: another role tuple asks the stand-in for its id and is refused);
    without ``roles`` the reader is None. ``markers``: a marker for each other value the count binds (the reader's
    id, a day), of its type (a negative id, a date no row has). ``count(user, **values)`` gives what
    ``build(user, **values).count()`` gives; a reader whose scope has no statement (no grant, an inactive account,
    more subtrees than markers) is counted by that queryset. ``model`` (for the database router) may be None: the
    queryset's, found on first use."""

    def __init__(self, model, build: Callable[..., QuerySet], *, roles=None, markers: dict | None = None):
        self.model, self.build = model, build
        self.roles = tuple(roles) if roles is not None else None
        self.markers = markers or {}
        self._compiled: dict[tuple, CompiledCount] = {}

    def count(self, user, /, **values) -> int:
        scope = {}
        if self.roles is not None:
            scope = scope_values(user, self.roles)
            if scope is None:
                return self.build(user, **values).count()
        if self.model is None:  # an app that may not import the model: the queryset names it
            reader = ScopeReader(self.roles, {}) if self.roles is not None else None
            self.model = self.build(reader, **self.markers).model
        alias = router.db_for_read(self.model)
        key = (alias, connections[alias].vendor, len(scope))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(alias, len(scope))
        return compiled.run(alias, {**scope, **values})

    def _compile(self, alias: str, paths: int) -> CompiledCount:
        scope = {f"p{i}": SCOPE_MARKERS[f"p{i}"] for i in range(paths)}
        reader = ScopeReader(self.roles, scope) if self.roles is not None else None
        return CompiledCount(alias, self.build(reader, **self.markers), {**scope, **self.markers})
