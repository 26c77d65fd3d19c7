"""Celery tasks of the office-space app: thin, they call the service (which is idempotent)."""

from celery import shared_task

from . import services


@shared_task(name="officespace.tasks.run_over_standard_check")
def run_over_standard_check() -> dict:
    """Nightly (Celery beat): the full over-standard check (people's ranks and units change in the directory)."""
    return services.run_check()


@shared_task(name="officespace.tasks.check_rooms")
def check_rooms(room_ids: list[int]) -> dict:
    """After an occupancy change: re-check the rooms it touched."""
    return services.run_check(room_ids=list(room_ids))
