"""Celery tasks of the data-sharing requests: thin, idempotent."""

from celery import shared_task

from . import services


@shared_task(name="datasharing.tasks.run_step_clocks")
def run_step_clocks() -> int:
    """Every 15 minutes (beat): give each waiting step its working-day limit and flag the ones past it."""
    return services.step_clocks_run()
