"""Monthly range partitions on PostgreSQL (native declarative partitioning), shared by the time-series tables:
the access trail (``at``), the GPS positions (``time``) and the energy monthly records (``year``, ``month``).

A table is described by a ``MonthlyTable``: its partitions are named ``<parent>_yYYYYmMM`` and span one local
(Asia/Shanghai) month — a timestamptz range for a time column, a ``(year, month)`` range for a table keyed by
year and month. A DEFAULT partition catches a row whose month was not created ahead (the beat task keeps three
months ahead, so it stays empty in practice). SQLite has no partitions: every function here is a no-op there.

The table names are data (strings): this module lives in the data hub, which imports no other app of ours.
Writes that callers use are ``datahub.services.month_partitions_ensure`` and the ``detach_month_partitions``
management command; the migrations that turn a plain table into a partitioned one call ``to_partitioned``."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection


def month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def bound(month: date) -> str:
    """The month's first instant in local time, as a timestamptz literal (months are local months)."""
    moment = datetime(month.year, month.month, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return moment.isoformat()


def months(first: date, last: date) -> list[date]:
    """The months from ``first`` to ``last``, both included."""
    span = (last.year - first.year) * 12 + last.month - first.month
    return [add_months(first, n) for n in range(span + 1)]


def parse_month(text: str) -> date:
    """``2025-01`` → 2025-01-01 (the command line's month)."""
    year, _, month = text.partition("-")
    return date(int(year), int(month), 1)


@dataclass(frozen=True)
class MonthlyTable:
    parent: str
    key: tuple[str, ...]  # ("at",): a timestamptz column; ("year", "month"): two integer columns
    behind: int = 0  # months before this one the beat task keeps (late data: buffered points, last year's report)
    ahead: int = 3
    # A table read by year (energy figures) keeps whole years, last year's and this one's: a year's query is
    # pruned to its twelve partitions only when all twelve exist (else the DEFAULT one is scanned too).
    whole_years: bool = False

    @property
    def default(self) -> str:
        return f"{self.parent}_default"

    @property
    def sequence(self) -> str:
        return f"{self.parent}_part_id_seq"

    @property
    def by_year_month(self) -> bool:
        return self.key == ("year", "month")

    def name_of(self, month: date) -> str:
        return f"{self.parent}_y{month.year:04d}m{month.month:02d}"

    def month_of(self, name: str) -> date:
        tail = name.removeprefix(f"{self.parent}_y")
        return date(int(tail[:4]), int(tail[5:7]), 1)

    def bounds(self, month: date) -> tuple[str, str]:
        """The partition's FROM and TO values, as SQL text."""
        after = add_months(month, 1)
        if self.by_year_month:
            # January starts at (year, MINVALUE) and December ends at (year + 1, MINVALUE): the twelve months
            # cover the whole year, so a query by year alone skips the DEFAULT partition.
            low = f"({month.year}, MINVALUE)" if month.month == 1 else f"({month.year}, {month.month})"
            high = f"({after.year}, MINVALUE)" if after.month == 1 else f"({after.year}, {after.month})"
            return low, high
        return f"('{bound(month)}')", f"('{bound(after)}')"

    def in_month_sql(self) -> str:
        """A WHERE clause for one month's rows, taking the month's two bounds as parameters."""
        if self.by_year_month:
            return "(year, month) >= (%s, %s) AND (year, month) < (%s, %s)"
        return f'"{self.key[0]}" >= %s AND "{self.key[0]}" < %s'

    def in_month_params(self, month: date) -> list:
        after = add_months(month, 1)
        if self.by_year_month:
            return [month.year, month.month, after.year, after.month]
        return [bound(month), bound(after)]

    def create_sql(self, month: date) -> str:
        low, high = self.bounds(month)
        return (
            f'CREATE TABLE IF NOT EXISTS "{self.name_of(month)}" PARTITION OF "{self.parent}" '
            f"FOR VALUES FROM {low} TO {high}"
        )

    # --- reading the catalog ---------------------------------------------------------------------------

    def is_partitioned(self) -> bool:
        if connection.vendor != "postgresql":
            return False
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
                "WHERE c.relname = %s AND c.relnamespace = current_schema()::regnamespace",
                [self.parent],
            )
            return cursor.fetchone() is not None

    def existing(self) -> list[str]:
        """The month partitions that exist, oldest first (the DEFAULT partition is not listed)."""
        if not self.is_partitioned():
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s AND c.relname <> %s ORDER BY c.relname",
                [self.parent, self.default],
            )
            return [row[0] for row in cursor.fetchall()]

    def default_rows_in(self, month: date) -> int:
        """Rows of ``month`` that fell into the DEFAULT partition (its partition cannot be created over them)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT count(*) FROM "{self.default}" WHERE {self.in_month_sql()}', self.in_month_params(month)
            )
            return cursor.fetchone()[0]

    # --- DDL -----------------------------------------------------------------------------------------

    def create(self, month: date) -> bool:
        """Create the month's partition if missing; False when the DEFAULT partition already holds rows of it
        or a detached copy of it is still there (waiting to be archived)."""
        name = self.name_of(month)
        if name in self.existing() or self.default_rows_in(month) or _table_exists(name):
            return False
        with connection.cursor() as cursor:
            cursor.execute(self.create_sql(month))
        return True

    def ensure(self, today: date) -> list[str]:
        """Create the partitions the beat task keeps (``first_kept`` to ``last_kept``) that are missing."""
        if not self.is_partitioned():
            return []
        created = []
        for target in months(self.first_kept(today), self.last_kept(today)):
            if self.create(target):
                created.append(self.name_of(target))
        return created

    def first_kept(self, today: date) -> date:
        """The oldest month the beat task keeps: months before it may be detached."""
        if self.whole_years:
            return date(today.year - 1, 1, 1)
        return add_months(month_start(today), -self.behind)

    def last_kept(self, today: date) -> date:
        ahead = add_months(month_start(today), self.ahead)
        return max(ahead, date(today.year, 12, 1)) if self.whole_years else ahead

    def detach(self, before: date) -> list[str]:
        """Detach every month partition older than ``before``; each stays a table of its own (archive it with
        pg_dump, then drop it) and is no longer read through the parent. Returns the detached names."""
        detached = []
        for name in self.existing():
            if self.month_of(name) < before:
                with connection.cursor() as cursor:
                    cursor.execute(f'ALTER TABLE "{self.parent}" DETACH PARTITION "{name}"')
                detached.append(name)
        return detached

    # --- turning a plain table into a partitioned one (the migrations) ----------------------------

    def to_partitioned(self, schema_editor, today: date) -> None:
        """Rebuild the plain table as a partitioned one with every row: the months from the oldest row to
        ``ahead`` months after ``today`` get a partition each, plus the DEFAULT one. The primary key becomes
        (id, key…); a unique constraint must already contain the key (refused otherwise); the indexes, checks
        and foreign keys are kept under their names; ``id`` takes its values from a sequence (PostgreSQL 15 has
        no identity columns on partitioned tables)."""
        if schema_editor.connection.vendor != "postgresql":
            return
        run = schema_editor.execute
        keys, indexes, pk = _definitions(schema_editor, self.parent)
        for name, definition in keys:
            columns = definition[definition.find("(") + 1 : definition.find(")")].replace('"', "").split(", ")
            if definition.startswith("UNIQUE") and not set(self.key) <= set(columns):
                raise ValueError(f"{self.parent}.{name}: a unique constraint must contain {self.key}")
        old = f"{self.parent}_unpartitioned"
        key = ", ".join(f'"{k}"' for k in self.key)
        run(f'ALTER TABLE "{self.parent}" RENAME TO "{old}"')
        run(f'CREATE SEQUENCE IF NOT EXISTS "{self.sequence}"')
        run(
            f'CREATE TABLE "{self.parent}" (LIKE "{old}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE) '
            f"PARTITION BY RANGE ({key})"
        )
        run(f"ALTER TABLE \"{self.parent}\" ALTER COLUMN id SET DEFAULT nextval('{self.sequence}')")
        run(f'ALTER SEQUENCE "{self.sequence}" OWNED BY "{self.parent}"."id"')
        first = self.first_kept(today)
        oldest = _oldest_month(schema_editor, old, self)
        if oldest and self.whole_years:
            oldest = date(oldest.year, 1, 1)
        for month in months(min(first, oldest) if oldest else first, self.last_kept(today)):
            run(self.create_sql(month))
        run(f'CREATE TABLE "{self.default}" PARTITION OF "{self.parent}" DEFAULT')
        run(f'INSERT INTO "{self.parent}" SELECT * FROM "{old}"')
        run(f"SELECT setval('{self.sequence}', COALESCE((SELECT max(id) FROM \"{old}\"), 0) + 1, false)")
        run(f'DROP TABLE "{old}"')
        run(f'ALTER TABLE "{self.parent}" ADD CONSTRAINT "{pk}" PRIMARY KEY ("id", {key})')
        _restore(run, self.parent, keys, indexes)

    def to_plain(self, schema_editor) -> None:
        """The reverse: one plain table with every row, primary key (id) again."""
        if schema_editor.connection.vendor != "postgresql":
            return
        run = schema_editor.execute
        keys, indexes, pk = _definitions(schema_editor, self.parent)
        old = f"{self.parent}_partitioned"
        run(f'ALTER TABLE "{self.parent}" RENAME TO "{old}"')
        run(f'CREATE TABLE "{self.parent}" (LIKE "{old}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)')
        run(f'ALTER SEQUENCE "{self.sequence}" OWNED BY "{self.parent}"."id"')
        run(f'INSERT INTO "{self.parent}" SELECT * FROM "{old}"')
        run(f'DROP TABLE "{old}"')
        run(f'ALTER TABLE "{self.parent}" ADD CONSTRAINT "{pk}" PRIMARY KEY ("id")')
        _restore(run, self.parent, keys, indexes)


def _table_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f'"{name}"'])
        return cursor.fetchone()[0]


def _definitions(schema_editor, table: str) -> tuple[list[tuple[str, str]], list[str], str]:
    """The table's unique and foreign-key constraints (name, definition), its other indexes (CREATE INDEX
    text) and its primary key's name — read before the table is rebuilt, restored after."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') ORDER BY contype DESC, conname",
            [f'"{table}"'],
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = %s::regclass "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
            [f'"{table}"'],
        )
        indexes = [row[0].replace(" ON ONLY ", " ON ") for row in cursor.fetchall()]
    pk = next(name for name, _, kind in rows if kind == "p")
    return [(name, definition) for name, definition, kind in rows if kind != "p"], indexes, pk


def _oldest_month(schema_editor, table: str, spec: MonthlyTable) -> date | None:
    with schema_editor.connection.cursor() as cursor:
        if spec.by_year_month:
            cursor.execute(f'SELECT year, month FROM "{table}" ORDER BY year, month LIMIT 1')
            row = cursor.fetchone()
            return date(row[0], row[1], 1) if row else None
        cursor.execute(f'SELECT min("{spec.key[0]}") FROM "{table}"')
        oldest = cursor.fetchone()[0]
    if oldest is None:
        return None
    return month_start(oldest.astimezone(ZoneInfo(settings.TIME_ZONE)).date())


def _restore(run, table: str, keys: list[tuple[str, str]], indexes: list[str]) -> None:
    for name, definition in keys:
        run(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    for definition in indexes:
        run(definition)


TRAIL = MonthlyTable("datahub_trailrecord", ("at",))
# Terminals buffer points while out of coverage and send them late: last month stays open too.
POSITIONS = MonthlyTable("telematics_position", ("time",), behind=1)
# Records are entered after the month (and last year's corrected at the annual report): last year and this.
ENERGY = MonthlyTable("energy_consumptionrecord", ("year", "month"), whole_years=True)

TABLES = {"trail": TRAIL, "positions": POSITIONS, "energy": ENERGY}
