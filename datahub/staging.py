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

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from itertools import repeat
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.db.models.expressions import RawSQL

from . import sheets
from .sheets import cell_text

# An importer's test of a row's staged cells: a pattern the row's cells, joined by tabs in its ``cells`` order,
# must match whole (``fullmatch``) for its number cells to be plain ASCII digits that a bare cast reads exactly as
# the row path's Python does. One match of a compiled pattern in the reader's loop costs a fraction of the same
# test in SQL (translate() per cell was most of the energy check's scan) or in Python calls per cell; the check
# then casts such a row's cells directly and takes the careful expressions for the others. It must never match
# where the careful path might say otherwise: not matching only costs time.
Plain = re.Pattern


def available() -> bool:
    return connection.vendor == "postgresql"


def stage(
    table: str,
    columns: Sequence[str],
    rows: Iterable[tuple[int, Mapping]],
    keys: Sequence[str],
    *,
    text: Callable[[object], str] = cell_text,
    plain: Plain | None = None,
) -> int:
    """Temporary ``table`` (``number`` integer, then ``columns`` as text) holding ``rows``: (row number, cells
    by name); column i takes the cell ``keys[i]``, as ``text`` gives it ('' for an empty one; a CSV's cells,
    text already, are only stripped). With ``plain``, a last boolean column ``plain``: whether the row's
    staged cells match it (see Plain). Returns the rows staged.

    The rows are turned into COPY's text first, then sent: ``rows`` may use the database while it is iterated
    (a job heartbeat), which it could not during the COPY."""
    tabs = len(keys)
    lines = []
    for number, raw in rows:
        cells = [v.strip() if type(v) is str else text(v) for v in map(raw.get, keys)]
        lines.append(_line(number, cells, tabs, plain))
    _copy_lines(table, columns, lines, plain is not None)
    return len(lines)


def _line(number: int, cells: list[str], tabs: int, plain: Plain | None = None) -> str:
    line = "\t".join(cells)
    flag = ""
    if plain is not None:
        flag = "\tt" if plain.fullmatch(line) else "\tf"
    # COPY's text format: a backslash, tab, newline or carriage return inside a cell is escaped (rare).
    if line.count("\t") != tabs - 1 or "\\" in line or "\n" in line or "\r" in line:
        line = "\t".join(c.translate(_ESCAPES) for c in cells)
        # A tab inside a cell shifts the cells the pattern saw: a row that needs escaping is never plain.
        flag = flag and "\tf"
    return f"{number}\t{line}{flag}\n"


def _copy_lines(table: str, columns: Sequence[str], lines: list[str], flagged: bool = False) -> None:
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in columns) + (", plain" if flagged else "")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {qn(table)}")
        # No key and no ANALYZE: the importer reads the table once, in order of nothing.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {qn(table)} (number integer NOT NULL, "
            + ", ".join(f"{qn(c)} text NOT NULL" for c in columns)
            + (", plain boolean NOT NULL" if flagged else "")
            + ")"
        )
        with cursor.cursor.copy(f"COPY {qn(table)} (number, {names}) FROM STDIN") as copy:
            for i in range(0, len(lines), 10_000):
                copy.write("".join(lines[i : i + 10_000]))


class StagedSheet(Sequence):
    """A CSV's rows, staged by its reader straight into ``table`` (``stage``'s layout: ``number``, then the
    importer's cells as stripped text) without a Python dict per row — at 50,000 rows the dicts and the
    second pass that staged them were a third of the import. As a sequence it is the reader's usual
    (row number, {column: value}) list, built from the file's text again only when something asks for it
    (the rows that fail, to be worded; the row path, should the importer fall back to it)."""

    def __init__(self, table: str, cells: Mapping[str, str], count: int, reread: Callable[[], list]):
        self.table, self.cells, self.count, self._reread, self._rows = table, dict(cells), count, reread, None

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, i):
        if self._rows is None:
            self._rows = self._reread()
        return self._rows[i]

    def __iter__(self):
        return iter(self[:])

    def close(self) -> None:
        """Drop the staged table (the importer may have done so already): the reader created it before the
        import's transaction, so a refused import's rollback would not take it away."""
        drop(self.table)

    def distinct(self, column: str) -> set[str]:
        """The texts of ``column`` (a header name) in the file, asked of the staged table."""
        key = next(k for k, name in self.cells.items() if name == column)
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT {qn(key)} FROM {qn(self.table)}")
            return {v for (v,) in cursor.fetchall()}


def distinct(rows, column: str) -> set[str]:
    """The texts (``cell_text``) of ``column`` among the rows, whichever way they were read."""
    if isinstance(rows, StagedSheet):
        return rows.distinct(column)
    return {cell_text(r.get(column)) for _, r in rows}


def is_staged(rows, table: str) -> bool:
    """Whether the reader staged ``rows`` into ``table`` already (a CSV read by ``read_csv``)."""
    return isinstance(rows, StagedSheet) and rows.table == table


def read_csv(
    file,
    table: str,
    cells: Mapping[str, str],
    *,
    columns,
    required,
    max_rows: int,
    too_many: str,
    plain: Plain | None = None,
) -> StagedSheet:
    """A CSV upload read as ``sheets.read_table`` reads it — the same pre-check, caps, header, row numbers
    and empty rows skipped, the same messages — but staged into the temporary ``table`` as it is read:
    column ``key`` of ``cells`` takes the cell under the header ``cells[key]`` ('' where the file has no such
    column or the row is short), stripped; ``plain`` as for ``stage``."""
    text = sheets.csv_text(file, max_rows=max_rows)

    def reread() -> list:
        again = sheets.csv_text_rows(text, max_rows=max_rows)
        return sheets.keyed(again, columns, required=required, max_rows=max_rows, too_many=too_many)

    count = _copy_plain_csv(text, table, cells, max_rows, plain, columns=columns, required=required)
    if count is not None:
        return StagedSheet(table, cells, count, reread)
    rows = sheets.csv_text_rows(text, max_rows=max_rows)
    index = sheets.header_index(rows, columns, required=required)
    # A column the file lacks reads the '' appended to every row (index -1); a short row reads the padding.
    positions = [index.get(name, -1) for name in cells.values()]
    padding = ("",) * (max(positions, default=0) + 2)
    pick = _picker(positions)
    tabs, lines = len(positions), []
    for number, values in rows:
        if values.count("") == len(values):  # an empty row (a CSV's cells are never None)
            continue
        lines.append(_line(number, list(map(str.strip, pick(values + padding))), tabs, plain))
        if len(lines) > max_rows:
            rows.close()
            raise ValidationError(too_many.format(max_rows=max_rows))
    _copy_lines(table, list(cells), lines, plain is not None)
    return StagedSheet(table, cells, len(lines), reread)


# Whitespace other than the separators (the readers strip it from either end of a cell).
_SPACE = re.compile(r"[^\S\t\n]")


def _copy_plain_csv(
    text: str, table: str, cells: Mapping[str, str], max_rows: int, plain: Plain | None, *, columns, required
) -> int | None:
    """The usual file (the template's columns in its order, every row plain, nothing to quote, strip or skip)
    staged by one COPY of its own text, which PostgreSQL parses in C: at 50,000 rows the csv module, the per-row
    cells and the COPY lines built in Python were most of the read. Returns the rows staged, or None (nothing
    staged) for any other file, which the loop in ``read_csv`` reads exactly as before.

    Why the staged table is the loop's: with no quote character anywhere and every line break a bare "\n" (or
    "\r\n"), the csv module reads each line as its text split at the commas, and with no empty line row number
    k is line k; every line has exactly the header's cells, none with whitespace at either end (the loop strips
    it), none all empty (the loop skips it), and every row matches ``plain`` (so its staged flag is true)."""
    if plain is None or '"' in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    head, _, body = text.partition("\n")
    names = list(cells.values())
    if len(names) < 2 or "\t" in text or "\\" in text or [h.strip() for h in head.split(",")] != names:
        return None
    if not set(names) <= set(columns) or not set(columns if required is None else required) <= set(names):
        return None
    body = body.removesuffix("\n")
    cap = sheets.limits()
    count = body.count("\n") + 1 if body else 0
    # Beyond a cap, the loop gives the sentence.
    if not count or count > max_rows or count + 1 > cap.row_cap(max_rows) or (count + 1) * len(names) > cap.max_cells:
        return None
    if len(names) > cap.max_columns:
        return None
    tabbed = body.replace(",", "\t")
    lines = tabbed.split("\n")
    width = len(names) - 1
    # Exactly the header's cells on every line, and no line of empty cells only.
    if set(map(str.count, lines, repeat("\t"))) != {width} or "\t" * width in lines:
        return None
    if _SPACE.search(tabbed):
        # Whitespace somewhere (rare in such a file): at either end of a cell, the loop strips it.
        spaces = {c for c in set(tabbed) if c.isspace()} - {"\t", "\n"}
        edges = ("\t", "\n")
        if (
            tabbed[0].isspace()
            or tabbed[-1].isspace()
            or any(f"{e}{c}" in tabbed or f"{c}{e}" in tabbed for c in spaces for e in edges)
        ):
            return None
    if not all(map(plain.fullmatch, lines)):
        return None
    qn = connection.ops.quote_name
    names_sql = ", ".join(qn(c) for c in cells)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {qn(table)}")
        # The row numbers drawn in the file's order (a COPY inserts its lines in order); the header is row 1.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {qn(table)} (number integer GENERATED BY DEFAULT AS IDENTITY (START WITH 2) "
            "NOT NULL, " + ", ".join(f"{qn(c)} text NOT NULL" for c in cells) + ", plain boolean NOT NULL DEFAULT true)"
        )
        # COPY's text format: no backslash, tab or carriage return in the file, so nothing is escaped.
        with cursor.cursor.copy(f"COPY {qn(table)} ({names_sql}) FROM STDIN") as copy:
            for i in range(0, len(tabbed), 1 << 20):
                copy.write(tabbed[i : i + (1 << 20)])
            copy.write("\n")
    return count


def _picker(positions: list[int]) -> Callable[[tuple], tuple]:
    if len(positions) > 1:
        return itemgetter(*positions)
    return lambda values: tuple(values[i] for i in positions)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


# SQL reading a staged cell as the row path's Python would, or NULL where it might not: the importers treat
# NULL as "the row may fail" and let their Python rules word (or, rarely, accept) it. Never more lenient.
# A plain decimal as Decimal() reads it (no sign: a minus fails, and the row path says why).
NUMBER = r"^([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$"


def integer(cell: str, digits: int) -> str:
    """An unsigned whole number of at most ``digits`` digits, as int() reads it."""
    # translate() before a regular expression: the cheap test settles the usual cell.
    return (
        f"CASE WHEN length({cell}) BETWEEN 1 AND {digits} AND translate({cell}, '0123456789', '') = '' "
        f"THEN {cell}::integer END"
    )


def decimal(cell: str) -> str:
    """An unsigned decimal, as Decimal() reads it."""
    return (
        f"CASE WHEN {cell} NOT IN ('', '.') AND translate({cell}, '0123456789', '') IN ('', '.') THEN {cell}::numeric "
        f"WHEN {cell} ~ '{NUMBER}' THEN {cell}::numeric END"
    )


def even(x: str, places: int) -> str:
    """``x`` (≥ 0) rounded to ``places`` half to even, as ``Decimal.quantize``; PostgreSQL's round() takes a
    tie (x·2·10^places an odd whole number) away from zero, so an odd last digit after it is one up too many."""
    scale, unit = 2 * 10**places, f"{10**-places:.{places}f}"
    return (
        f"(CASE WHEN mod(({x}) * {scale}, 2) = 1 AND mod(round({x}, {places}) * {10**places}, 2) = 1 "
        f"THEN round({x}, {places}) - {unit} ELSE round({x}, {places}) END)"
    )


def iso_day(cell: str) -> str:
    """A YYYY-MM-DD date (any year but 0000, the month's days only), as ``date.fromisoformat`` reads it."""
    y, m, d = (f'substr({cell}, {i}, {n}) COLLATE "C"' for i, n in ((1, 4), (6, 2), (9, 2)))
    year = f"substr({cell}, 1, 4)::integer"
    last = (
        f"CASE {m} WHEN '02' THEN CASE WHEN mod({year}, 4) = 0 AND (mod({year}, 100) <> 0 "
        f"OR mod({year}, 400) = 0) THEN '29' ELSE '28' END "
        f"WHEN '04' THEN '30' WHEN '06' THEN '30' WHEN '09' THEN '30' WHEN '11' THEN '30' ELSE '31' END"
    )
    return (
        f"CASE WHEN {cell} ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$' THEN "
        f"CASE WHEN {y} <> '0000' AND {m} BETWEEN '01' AND '12' AND {d} BETWEEN '01' AND {last} "
        f"THEN {cell}::date END END"
    )


MANY_IDS = 100


def ids_in(ids: Iterable[int]):
    """The right-hand side of an ``__in`` over an import's ids: past MANY_IDS, on PostgreSQL, one array
    parameter — an IN list of 3,000 parameters cost more to build, send and plan than the query itself."""
    ids = set(ids)
    if available() and len(ids) > MANY_IDS:
        return RawSQL("SELECT unnest(%s::bigint[])", [sorted(ids)])
    return list(ids)


@contextmanager
def settings(**values: str) -> Iterator[None]:
    """PostgreSQL settings for the statements inside, put back as they were afterwards: for this transaction
    only inside one (``set_config(…, true)``), for the session when the connection is in autocommit (an
    import's checks run outside its write transaction)."""
    local = connection.in_atomic_block
    names = list(values)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join("current_setting(%s), set_config(%s, %s, %s)" for _ in names),
            [p for name in names for p in (name, name, values[name], local)],
        )
        row = cursor.fetchone()
    before = dict(zip(names, row[::2], strict=True))
    restore = "SELECT " + ", ".join("set_config(%s, %s, %s)" for _ in names)
    restore_params = [p for name in names for p in (name, before[name], local)]
    try:
        yield
    except BaseException:
        # Put back however the block failed; where the transaction itself is aborted this cannot run, and its
        # rollback takes the settings back instead (the original error is the one to see).
        with suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute(restore, restore_params)
        raise
    with connection.cursor() as cursor:
        cursor.execute(restore, restore_params)


def drop(*tables: str) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {qn(table)}")


# The triggers ``keys_proven`` may leave unfired: PostgreSQL's own foreign-key triggers, nothing else.
_KEY_TRIGGERS = "t.tgisinternal AND t.tgfoid::regproc::text LIKE '\"RI\\_FKey\\_%%'"


@contextmanager
def keys_proven(keys: Mapping[str, Mapping[str, Iterable[int]]]) -> Iterator[bool]:
    """Rows written inside, into the tables of ``keys``, have their foreign keys checked once per referenced
    row instead of once per written row. ``keys``: {table: {key column: every id the rows written put in it}}.

    Each foreign key's check of a row is a look-up of the referenced row that locks it FOR KEY SHARE (Django's
    keys are deferred: 150,000 of them ran at an energy import's commit, most of a floor's time). Here each
    referenced row is looked up and locked FOR KEY SHARE once, in one statement per key, and the writes inside
    run with ``session_replication_role = replica`` (this transaction only), in which PostgreSQL queues none of
    the tables' key checks — the same proof and the same locks, held to the commit. Yields whether it did so.
    It does not (the writes inside then run with their usual checks, which refuse a missing reference as always)
    outside a transaction, where the database role may not set that setting, where a table has a key of several
    columns, a key not named in ``keys`` or any trigger but the key checks, or where a referenced row is gone."""
    if not available() or not connection.in_atomic_block or not _keys_provable(keys):
        yield False
        return
    with settings(session_replication_role="replica"):
        yield True


def _keys_provable(keys: Mapping[str, Mapping[str, Iterable[int]]]) -> bool:
    tables = list(keys)
    with connection.cursor() as cursor:
        allowed = "current_setting('is_superuser')::boolean"
        if connection.pg_version >= 150000:
            allowed += " OR has_parameter_privilege('session_replication_role', 'SET')"
        cursor.execute(
            f"""
            SELECT ({allowed}) AND NOT EXISTS (
                SELECT FROM pg_trigger t
                WHERE (t.tgrelid = ANY(%s::regclass[])
                       OR t.tgrelid IN (SELECT p.relid FROM unnest(%s::regclass[]) r, pg_partition_tree(r) p))
                  AND NOT ({_KEY_TRIGGERS})
            )
            """,
            [tables, tables],
        )
        if not cursor.fetchone()[0]:
            return False
        # Every foreign key of the tables (a partition's are its parent's clones).
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, fa.attname,
                   cardinality(c.conkey)
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
            WHERE c.contype = 'f' AND c.conparentid = 0 AND c.conrelid = ANY(%s::regclass[])
            """,
            [tables],
        )
        constraints = cursor.fetchall()
        qn = connection.ops.quote_name
        for table, column, target, target_column, width in constraints:
            if width != 1 or column not in keys.get(table, {}):
                return False
            ids = sorted({i for i in keys[table][column] if i is not None})
            # What each row's check does (ri_triggers.c: SELECT 1 FROM ONLY … FOR KEY SHARE), once per id.
            cursor.execute(
                f"SELECT count(*) FROM (SELECT FROM ONLY {qn(target)} x WHERE x.{qn(target_column)} = ANY(%s) "
                "FOR KEY SHARE OF x) locked",
                [ids],
            )
            if cursor.fetchone()[0] != len(ids):
                return False
    return True
