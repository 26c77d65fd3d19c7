"""Reading ids, numbers and dates from query strings and posted forms without letting garbage reach
int(), the ORM or date arithmetic (each of which answers a stray "abc" with a 500).

Every app's pages use these; a value that does not parse is treated as absent, and the page falls
back to its default or finds nothing.
"""

from datetime import date

from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.dateparse import parse_date

# A signed 64-bit integer: the widest column any supported database has (ids are bigint).
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def as_id(raw) -> int:
    """A database id, or 0 (matches nothing). isdecimal + isascii, not isdigit: "²".isdigit() is True
    but int("²") raises."""
    raw = str(raw or "")
    return int(raw) if raw.isascii() and raw.isdecimal() and len(raw) <= 18 else 0


def as_int(raw, low: int, high: int) -> int | None:
    """An integer in [low, high], else None."""
    raw = str(raw or "")
    if not (raw.isascii() and raw.isdecimal()) or len(raw) > 18:
        return None
    value = int(raw)
    return value if low <= value <= high else None


def as_date(raw) -> date | None:
    """A YYYY-MM-DD day in 1900–2100, or None: parse_date raises on a well-formed non-day such as
    2026-02-30, and a day next to date.min/max overflows period arithmetic."""
    try:
        day = parse_date(str(raw or ""))
    except ValueError:
        return None
    return day if day and 1900 <= day.year <= 2100 else None


def column_range(field) -> tuple[int, int]:
    """The values an integer model field (or a foreign key, by its target) holds on every supported
    database. Django's portable ranges, not the connection's: SQLite would take a PositiveIntegerField
    of 2**40 that PostgreSQL refuses, and an input must be valid or invalid on both."""
    target = getattr(field, "target_field", None) or field
    return BaseDatabaseOperations.integer_field_ranges.get(target.get_internal_type(), (INT64_MIN, INT64_MAX))
