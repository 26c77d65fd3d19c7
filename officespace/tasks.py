"""Celery tasks of the office-space app: thin, they run the over-standard check (idempotent).

The services schedule a re-check through ``recheck_rooms_on_commit``; this module imports the
check, never the services, so the services can import it at the top without a cycle.
"""

from celery import shared_task
from django.db import transaction

from . import check


@shared_task(name="officespace.tasks.run_over_standard_check")
def run_over_standard_check() -> dict:
    """Nightly (Celery beat): the full over-standard check (people's ranks and units change in the directory)."""
    return check.run_check()


@shared_task(name="officespace.tasks.check_rooms")
def check_rooms(room_ids: list[int]) -> dict:
    """After an occupancy change: re-check the rooms it touched."""
    return check.run_check(room_ids=list(room_ids))


def recheck_rooms_on_commit(room_ids: list[int]) -> None:
    """Re-run the check for the rooms touched once the change is committed (never on a rollback)."""
    transaction.on_commit(lambda: check_rooms.delay(room_ids))
