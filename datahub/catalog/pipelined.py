"""One PostgreSQL statement whose result is read while its commit is being flushed to disk.

Why: an exchange call's page and its trail row are one statement, and the row must be durable before the call
is answered (fsync and synchronous_commit on). Run the ordinary way, the client sees nothing until the commit's
WAL flush is done, and only then builds the response from the page. Here the statement is sent in libpq's
pipeline mode followed by a flush request and the sync that ends its implicit transaction: the server runs the
statement, sends its result at once (the flush request), then commits (the sync). The caller builds its response
while the server waits for the disk, and calls the returned ``wait()`` before it answers: ``wait()`` returns only
once the commit is reported, and raises if it failed. Nothing is answered before the row is durable; the two
waits overlap instead of following each other.

Only what psycopg documents as public is used (``psycopg.pq``, the adapters' dumpers, ``psycopg.errors``); the
connection is out of pipeline mode again when ``wait()`` returns. Inside a transaction (a test, an atomic block)
the sync commits nothing and ``wait()`` returns at once after it; the statement is then not kept prepared. Elsewhere (SQLite, a value psycopg has no text
dumper for) the statement runs on an ordinary prepared cursor and ``wait()`` does nothing.
"""

import functools
import itertools
import select
import time
import weakref
from collections.abc import Callable

import psycopg
from django.db import connection
from psycopg import ProgrammingError, errors, pq
from psycopg.adapt import PyFormat

from . import prepared

# Statement names this module prepared on each psycopg connection, by SQL text (psycopg's own are "_pg3_…").
_PREPARED: "weakref.WeakKeyDictionary[object, dict[bytes, bytes]]" = weakref.WeakKeyDictionary()
_NAMES = itertools.count(1)
# Each connection's text dumper by Python type, made once (making one a value was most of the dumping's time).
_DUMPERS: "weakref.WeakKeyDictionary[object, dict[type, object]]" = weakref.WeakKeyDictionary()
# A connection keeps at most this many (one per page shape: items, size …); further shapes run unprepared.
MAX_PREPARED = 100


def done() -> None:
    """``wait`` when there is nothing to wait for."""


def execute(sql: str, params) -> tuple[tuple, Callable[[], None]]:
    """Run ``sql`` (``%s`` placeholders, ``%%`` for a percent sign) with ``params``: its one row and ``wait``,
    to call before answering (it returns once the statement's transaction is committed)."""
    started = _started(sql, params, deferred=False)
    return _ordinary(sql, params) if started is None else started


def send(sql: str, params) -> Callable[[], tuple]:
    """As execute, but return as soon as the statement is sent: ``finish()`` reads its one row and the commit's
    report, and returns the row once the statement's transaction is committed (it raises if the statement or
    the commit failed). Call it before answering.

    Why: a statement whose result the caller does not need at once (the trail row of a call whose page is
    already read) no longer costs a wait of its own: the statement runs and its commit is flushed while the
    caller builds its answer, and the caller waits once, for both."""
    started = _started(sql, params, deferred=True)
    if started is None:
        row, _done = _ordinary(sql, params)
        return lambda: row
    return started


def _started(sql: str, params, *, deferred: bool):
    """The statement sent in pipeline mode: (row, committed), or with ``deferred`` finish; None
    when it must run on an ordinary cursor (not PostgreSQL, a pipeline or a transaction already under way, a
    value without a text dumper)."""
    if connection.vendor != "postgresql":
        return None
    if not psycopg.Pipeline.is_supported():
        return None
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    conn = connection.connection
    pg = conn.pgconn
    if pg.pipeline_status != pq.PipelineStatus.OFF:
        return None
    if not conn.autocommit and pg.transaction_status == pq.TransactionStatus.IDLE:
        # An atomic block whose transaction psycopg has not begun yet: psycopg's cursor sends the BEGIN first.
        return None
    values = _dumped(conn, params)
    if values is None:
        return None
    query = _placeholders(sql, len(params))
    # Kept prepared only when the statement is its own transaction: psycopg deallocates every prepared statement
    # of the connection after a rollback (its own way to stay safe), and a statement whose name is gone fails;
    # alone in its transaction it is then prepared again and rerun, inside another one it could not be.
    own = conn.autocommit and pg.transaction_status == pq.TransactionStatus.IDLE
    prepare = own and conn.prepare_threshold is not None
    holder = {}

    def run(sql_, params_, many, context):
        try:
            holder["sent"] = _send(conn, query, values, prepare=prepare, deferred=deferred)
        except errors.InvalidSqlStatementName:
            if not prepare:
                raise
            _PREPARED.get(conn, {}).pop(query, None)
            holder["sent"] = _send(conn, query, values, prepare=True, deferred=deferred)

    started = time.monotonic()
    with connection.wrap_database_errors:
        _with_wrappers(run, sql, params)
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql % tuple(params), "time": f"{time.monotonic() - started:.3f}"})
    if not deferred:
        row, wait = holder["sent"]

        def committed() -> None:
            with connection.wrap_database_errors:
                wait()

        return row, committed
    read = holder["sent"]

    def finish() -> tuple:
        with connection.wrap_database_errors:
            try:
                row, wait = read()
            except errors.InvalidSqlStatementName:
                if not prepare:
                    raise
                # Deallocated since it was prepared (a rollback on this connection): prepared again and rerun.
                _PREPARED.get(conn, {}).pop(query, None)
                row, wait = _send(conn, query, values, prepare=True)
            wait()
            return row

    return finish


@functools.lru_cache(maxsize=256)
def _placeholders(sql: str, count: int) -> bytes:
    return (sql % tuple(f"${n}" for n in range(1, count + 1))).encode()


def _ordinary(sql: str, params) -> tuple[tuple, Callable[[], None]]:
    with prepared.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone(), done


def _with_wrappers(run, sql, params) -> None:
    """As Django's CursorWrapper runs a statement through connection.execute_wrapper()s."""
    call = run
    for wrapper in reversed(connection.execute_wrappers):
        call = _bind(wrapper, call)
    call(sql, params, False, {"connection": connection, "cursor": None})


def _bind(wrapper, call):
    return lambda sql, params, many, context: wrapper(call, sql, params, many, context)


def _dumped(conn, params) -> list[bytes | None] | None:
    """Each parameter as PostgreSQL text, by psycopg's own dumpers; None if one has no text dumper. Sent without
    a type: PostgreSQL takes each one's type from where it stands (a column compared, an explicit cast)."""
    values = []
    dumpers = _DUMPERS.get(conn)
    if dumpers is None:
        dumpers = _DUMPERS[conn] = {}
    for value in params:
        if value is None:
            values.append(None)
            continue
        try:
            dumper = dumpers.get(type(value))
            if dumper is None:
                dumper = dumpers[type(value)] = conn.adapters.get_dumper(type(value), PyFormat.TEXT)(type(value), conn)
            dumper = dumper.upgrade(value, PyFormat.TEXT)
        except ProgrammingError:
            return None
        if dumper.format != 0:  # not text
            return None
        dumped = dumper.dump(value)
        values.append(None if dumped is None else bytes(dumped))
    return values


def _send(conn, query: bytes, values, *, prepare: bool, deferred: bool = False):
    """Send the statement and its sync: (row, wait), or with ``deferred`` a function that reads them later and
    returns (row, wait)."""
    pg = conn.pgconn
    names = _PREPARED.setdefault(conn, {})
    name = names.get(query) if prepare else None
    new_name = None
    if prepare and name is None and len(names) < MAX_PREPARED:
        new_name = name = f"yw_exchange_{next(_NAMES)}".encode()
    pg.enter_pipeline_mode()
    synced = False
    try:
        if new_name is not None:
            pg.send_prepare(new_name, query)
        if name is not None:
            pg.send_query_prepared(name, values)
        else:
            pg.send_query_params(query, values)
        pg.send_flush_request()  # the result goes out before the sync's commit waits for the disk
        pg.pipeline_sync()
        synced = True
        _flush(pg)
    except BaseException:
        if pg.status == pq.ConnStatus.OK:
            if not synced:
                pg.pipeline_sync()
                _flush(pg)
            _finish(pg, conn, raise_on_failure=False)
        raise

    def read() -> tuple[tuple, Callable[[], None]]:
        try:
            failure = None
            if new_name is not None:
                prepared_ok = _next(pg)
                _next(pg)
                if prepared_ok.status == pq.ExecStatus.COMMAND_OK:
                    names[query] = new_name
                else:
                    failure = prepared_ok
            result = _next(pg)
            _next(pg)
            if failure is None and result.status != pq.ExecStatus.TUPLES_OK:
                failure = result
        except BaseException:
            if pg.status == pq.ConnStatus.OK:
                _finish(pg, conn, raise_on_failure=False)
            raise
        if failure is not None:
            _finish(pg, conn, raise_on_failure=False)
            raise _error(failure, conn)
        try:
            row = _row(result, conn)
        except BaseException:
            _finish(pg, conn, raise_on_failure=False)
            raise
        return row, lambda: _finish(pg, conn, raise_on_failure=True)

    return read if deferred else read()


def _row(result, conn) -> tuple:
    """The result's one row, each column by psycopg's loader for its type (as a cursor would give it)."""
    if result.ntuples != 1:
        raise ValueError(f"expected one row, got {result.ntuples}")
    row = []
    for n in range(result.nfields):
        data = result.get_value(0, n)
        if data is None:
            row.append(None)
            continue
        oid, fmt = result.ftype(n), result.fformat(n)
        loader = conn.adapters.get_loader(oid, fmt) or conn.adapters.get_loader(0, fmt)
        row.append(loader(oid, conn).load(data))
    return tuple(row)


def _finish(pg, conn, *, raise_on_failure: bool) -> None:
    """Read up to the sync's report (the commit), leave pipeline mode; raise what the commit reported, if asked."""
    failure = None
    try:
        while True:
            result = _next(pg)
            if result is None:
                continue
            if result.status == pq.ExecStatus.PIPELINE_SYNC:
                break
            if result.status == pq.ExecStatus.FATAL_ERROR and failure is None:
                failure = result
    finally:
        if pg.status == pq.ConnStatus.OK:
            pg.exit_pipeline_mode()
    if raise_on_failure and failure is not None:
        raise _error(failure, conn)


def _flush(pg) -> None:
    while pg.flush():
        select.select([], [pg.socket], [])


def _next(pg):
    while True:
        pg.consume_input()
        if not pg.is_busy():
            return pg.get_result()
        select.select([pg.socket], [], [])


def _error(result, conn):
    sqlstate = result.error_field(pq.DiagnosticField.SQLSTATE)
    message = (result.error_message or b"").decode(errors="replace")
    return errors.lookup(sqlstate.decode() if sqlstate else "XX000")(message)
