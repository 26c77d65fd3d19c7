"""The access trail's monthly partitions on PostgreSQL (native declarative partitioning by ``at``).

Partitions are named ``datahub_trailrecord_yYYYYmMM`` and span one local (Asia/Shanghai) month; a DEFAULT
partition catches a row whose month was not created ahead (the beat task creates three months ahead, so it
stays empty in practice). SQLite has no partitions: every function here is a no-op there.

Pure helpers (names, bounds, SQL text) and one function that runs DDL; the write that callers use is
``services.trail_partitions_ensure``."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

PARENT = "datahub_trailrecord"
DEFAULT = f"{PARENT}_default"


def month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def name_of(month: date) -> str:
    return f"{PARENT}_y{month.year:04d}m{month.month:02d}"


def bound(month: date) -> str:
    """The month's first instant in local time, as a timestamptz literal (months are local months)."""
    moment = datetime(month.year, month.month, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return moment.isoformat()


def create_sql(month: date) -> str:
    return (
        f'CREATE TABLE IF NOT EXISTS "{name_of(month)}" PARTITION OF "{PARENT}" '
        f"FOR VALUES FROM ('{bound(month)}') TO ('{bound(add_months(month, 1))}')"
    )


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = %s", [PARENT]
        )
        return cursor.fetchone() is not None


def existing() -> list[str]:
    """The month partitions that exist, oldest first (the DEFAULT partition is not listed)."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s AND c.relname <> %s ORDER BY c.relname",
            [PARENT, DEFAULT],
        )
        return [row[0] for row in cursor.fetchall()]


def default_rows_in(month: date) -> int:
    """Rows of ``month`` that fell into the DEFAULT partition (its partition cannot be created over them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT count(*) FROM "{DEFAULT}" WHERE at >= %s AND at < %s',
            [bound(month), bound(add_months(month, 1))],
        )
        return cursor.fetchone()[0]


def create(month: date) -> bool:
    """Create the month's partition if missing; False when the DEFAULT partition already holds rows of it."""
    if name_of(month) in existing():
        return False
    if default_rows_in(month):
        return False
    with connection.cursor() as cursor:
        cursor.execute(create_sql(month))
    return True
