"""The access trail's monthly partitions on PostgreSQL (native declarative partitioning by ``at``): the shared
``datahub.partitions`` helpers bound to the trail's table. The write that callers use is
``services.trail_partitions_ensure``."""

from datetime import date

from datahub.partitions import TRAIL, add_months, bound, month_start

PARENT = TRAIL.parent
DEFAULT = TRAIL.default

__all__ = ["DEFAULT", "PARENT", "add_months", "bound", "create_sql", "is_partitioned", "month_start", "name_of"]


def name_of(month: date) -> str:
    return TRAIL.name_of(month)


def create_sql(month: date) -> str:
    return TRAIL.create_sql(month)


def is_partitioned() -> bool:
    return TRAIL.is_partitioned()


def existing() -> list[str]:
    return TRAIL.existing()


def default_rows_in(month: date) -> int:
    return TRAIL.default_rows_in(month)


def create(month: date) -> bool:
    return TRAIL.create(month)
