"""Celery tasks of the command center: thin, idempotent (a refresh recomputes from the sources)."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from datahub.figures import month_of, next_month

from . import rules, services


@shared_task
def refresh_units(unit_ids: list[int], months: list[str]) -> int:
    """The change hook: the months some domain write touched, for the units it touched."""
    written = 0
    for text in sorted(set(months)):
        month = month_of(date.fromisoformat(text))
        written += services.rollup_refresh(start=month, end=next_month(month), unit_ids=unit_ids)
    return written


@shared_task
def refresh_recent() -> int:
    """Beat, every 15 minutes: this month and the last, every unit (the stock figures move with the clock:
    a request becomes overdue without any write)."""
    this_month = month_of(timezone.localdate())
    last_month = month_of(date.fromordinal(this_month.toordinal() - 1))
    return services.rollup_refresh(start=last_month, end=next_month(this_month))


@shared_task
def rebuild() -> int:
    """Beat, nightly: the whole roll-up from scratch (catches writes no hook saw: bulk updates, moved units)."""
    return services.rollup_rebuild()


@shared_task
def refresh_moved(unit_ids: list[int]) -> int:
    """A unit moved in the tree: the subtree sums of its old ancestors (reached through its old parent) and of
    its new ones (through the unit itself) are recomputed for every kept month, as the nightly rebuild would."""
    return sum(
        services.rollup_refresh(start=start, end=end, unit_ids=unit_ids)
        for start, end in rules.history_spans(timezone.localdate())
    )
