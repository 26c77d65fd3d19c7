"""A database cursor whose statements PostgreSQL keeps prepared on the connection.

Django's cursors bind parameters on the client (psycopg's ClientCursor), so PostgreSQL parses and plans every
statement again. The exchange runs the same few statements on every call (the grant of a token, a page with its
trail row); planning the grant's joins cost more than executing them. A server-side-binding cursor lets psycopg
prepare a statement once it has run ``prepare_threshold`` times on the connection (settings: the PostgreSQL
``OPTIONS``), after which PostgreSQL reuses its plan. Statements still go through Django's cursor wrapper, so
query logging and counting see them. Elsewhere (SQLite) it is the ordinary cursor.

Its instants (timestamptz) are read by psycopg's own loader, in C, when the connection works in UTC (Django's
session time zone with ``USE_TZ`` and no database ``TIME_ZONE``): Django registers a Python subclass of it on
every connection to stamp each value with the connection's zone, ~8 µs a value against 0.4 µs, the largest part of
reading a list page's thirty rows (#17). In UTC both give the same value with the same ``datetime.timezone.utc``.
"""

from datetime import UTC
from types import SimpleNamespace

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.base import ServerBindingCursor
from psycopg.types.datetime import TimestamptzLoader


class _PreparingCursor(ServerBindingCursor):
    def execute(self, query, params=None, **kwargs):
        result = super().execute(query, params, **kwargs)
        if self._query is None:
            # psycopg keeps no text for a prepared statement's run; Django's query log reads it from here
            # (DatabaseOperations.last_executed_query), so it would log None.
            self._query = SimpleNamespace(query=query.encode() if isinstance(query, str) else query)
        return result


def cursor(using: str = DEFAULT_DB_ALIAS):
    """A cursor on the connection ``using`` (the default database unless a router chose another)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return connection.cursor()
    # As Django's own cursor() does, with a server-binding cursor in place of create_cursor()'s client one
    # (_prepare_cursor adds the debug wrapper when queries are logged).
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = _PreparingCursor(connection.connection)
        if connection.timezone is UTC:
            cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        return connection._prepare_cursor(cursor)
