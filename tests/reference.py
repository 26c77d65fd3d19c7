"""After a transactional test: empty what it wrote, keep the reference rows the migrations made.

Django ends a transactional test with ``flush``: on PostgreSQL one TRUNCATE of every table (~170, each
table and index a new file: 0.7 s of the server's CPU), after which ``serialized_rollback``
loads the reference rows (standards, categories, coefficients, role groups, permissions) back through the
ORM, one ``save()`` per row — in this suite twice per transactional test (before the next one, and right
after the flush so that a plain test after it finds them). That was most of a transactional test's cost.
Truncating only the tables a test wrote does not help on PostgreSQL: nearly every table references a user
or a unit, so TRUNCATE … CASCADE of those reaches them all.

Instead, right after the test database is created (``snapshot``), the contents of every table that holds
rows are kept (PostgreSQL: the table's COPY text; other databases: its rows). After a transactional test
(``reset``), each table that differs from the snapshot is emptied with DELETE (a few rows; foreign keys are
deferred, so the order does not matter) — or TRUNCATE where a trigger refuses DELETE (the append-only
trail and audit log) — and the snapshot's tables among them are loaded back as they were. Tables nobody
touched are left alone. The database ends exactly as the migrations left it, on the real schema
(partitions and triggers included), as Django's flush and deserialization would leave it.

The same snapshot tells whether a database is still as the migrations left it (``untouched``), and the same
table-by-table reading and writing keep and copy back the demo's rows (``contents``, ``load``: tests/demo.py).
"""

from django.core.management.color import no_style
from django.db import connections, transaction

_snapshots: dict[str, dict[str, object]] = {}
_protected: dict[str, set[str]] = {}  # tables with a trigger of their own (it may refuse DELETE)


def _tables(connection) -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _filled(cursor, connection, tables) -> set[str]:
    """The tables that hold at least one row, in one statement."""
    if not tables:
        return set()
    qn = connection.ops.quote_name
    cursor.execute(" UNION ALL ".join(f"SELECT {i} WHERE EXISTS (SELECT 1 FROM {qn(t)})" for i, t in enumerate(tables)))
    return {tables[i] for (i,) in cursor.fetchall()}


def _read(cursor, connection, table):
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        # COPY (SELECT …): a partitioned table cannot be copied from directly.
        with cursor.cursor.copy(f"COPY (SELECT * FROM {qn(table)}) TO STDOUT") as copy:
            return b"".join(bytes(block) for block in copy)
    cursor.execute(f"SELECT * FROM {qn(table)}")
    return [col[0] for col in cursor.description], cursor.fetchall()


def _write(cursor, connection, table, content) -> None:
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {qn(table)} FROM STDIN") as copy:
            copy.write(content)
        return
    columns, rows = content
    if rows:
        names = ", ".join(qn(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})", rows)


def snapshot(alias: str = "default") -> None:
    """Keep the contents of every table that holds rows (called once the test database exists)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = _tables(connection)
        _snapshots[alias] = {t: _read(cursor, connection, t) for t in sorted(_filled(cursor, connection, tables))}
        _protected[alias] = set()
        if connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal")
            _protected[alias] = {name.strip('"') for (name,) in cursor.fetchall()} & set(tables)


def _changed(cursor, connection, kept) -> list[str]:
    """The tables whose rows are not the snapshot's."""
    tables = _tables(connection)
    filled = _filled(cursor, connection, tables)
    changed = [t for t in tables if t in filled and t not in kept]
    return changed + [t for t in kept if t in tables and _read(cursor, connection, t) != kept[t]]


def _empty(cursor, connection, alias, tables) -> None:
    """DELETE (foreign keys are deferred, so the order does not matter), or TRUNCATE where a trigger refuses it."""
    for table in tables:
        if table not in _protected[alias]:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
    protected = [t for t in tables if t in _protected[alias]]
    if protected:
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), protected))


def untouched(alias: str = "default") -> bool:
    """Does the database hold exactly the reference rows (as the migrations left it)?"""
    connection = connections[alias]
    with connection.cursor() as cursor:
        return not _changed(cursor, connection, _snapshots[alias])


def contents(alias: str = "default") -> dict[str, object]:
    """The rows of every table that holds any, in the form ``load`` takes back."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        return {t: _read(cursor, connection, t) for t in sorted(_filled(cursor, connection, _tables(connection)))}


def load(rows: dict[str, object], alias: str = "default") -> None:
    """Make an untouched database hold ``rows`` (what ``contents`` read): the reference tables that differ are
    emptied and written again, the others written. One transaction, so the deferred foreign keys are checked once
    every table is in."""
    connection = connections[alias]
    kept = _snapshots[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        _empty(cursor, connection, alias, [t for t in kept if rows.get(t) != kept[t]])
        for table, content in rows.items():
            if content != kept.get(table):
                _write(cursor, connection, table, content)


def reset(alias: str = "default") -> None:
    """Bring the database back to the snapshot: empty the tables that differ, load the snapshot's back."""
    connection = connections[alias]
    kept = _snapshots[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        changed = _changed(cursor, connection, kept)
        if not changed:
            return
        _empty(cursor, connection, alias, changed)
        still = _filled(cursor, connection, list(kept))
        for table, content in kept.items():
            if table not in still:
                _write(cursor, connection, table, content)


def install() -> None:
    """End every transactional test with ``reset`` instead of Django's flush, where a snapshot was taken."""
    from django.test import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        aliases = list(self._databases_names(include_mirrors=False))
        if not all(a in _snapshots for a in aliases):
            return flush(self)
        for alias in aliases:
            reset(alias)

    TransactionTestCase._fixture_teardown = _fixture_teardown
