"""An import's rows staged in a temporary table (PostgreSQL), so that they are checked and written set-based.

A large import spent its time building and checking one Python object per row. Staged, its rows are
one COPY away from the database; the importer then finds the failing rows with one query, resolves codes
with joins and writes with ``INSERT … SELECT`` (see energy/imports_sql.py). The cells are staged as the
text the row path reads (``sheets.cell_text``), so both paths see the same values.

A temporary table lives as long as the database session and is seen by that session only; the importer
checks (outside the write transaction) and writes (inside it) on the same connection. ``stage`` replaces
a table of the same name left by an earlier import of the session; ``drop`` removes it when done.
SQLite has no COPY: the importers keep their row path there (``available()`` says which).
"""

from collections.abc import Iterable, Sequence

from django.db import connection

from .sheets import cell_text


def available() -> bool:
    return connection.vendor == "postgresql"


def stage(table: str, columns: Sequence[str], rows: Iterable[tuple[int, Sequence]]) -> int:
    """Temporary ``table`` (``number`` integer key, then ``columns`` as text) holding ``rows``: (row number,
    cells); each cell is staged as ``cell_text`` gives it ('' for an empty one). Returns the rows staged.

    ``rows`` must not use the database while it is iterated (a job heartbeat, a lookup): the connection is
    busy with the COPY until the last row, and such a query would wait for ever."""
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {qn(table)}")
        # No key and no ANALYZE: the importer reads the table once, in order of nothing.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {qn(table)} (number integer NOT NULL, "
            + ", ".join(f"{qn(c)} text NOT NULL" for c in columns)
            + ")"
        )
        with cursor.cursor.copy(f"COPY {qn(table)} (number, {names}) FROM STDIN") as copy:
            write = copy.write_row
            for number, cells in rows:
                # A CSV's cells are text already: only stripped (cell_text's other cases are Excel's types).
                write((number, *[c.strip() if type(c) is str else cell_text(c) for c in cells]))
                count += 1
    return count


def drop(*tables: str) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {qn(table)}")
