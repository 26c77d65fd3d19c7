"""Celery tasks of the monitoring app: thin, they call the (idempotent) services."""

from celery import shared_task

from . import services


@shared_task(name="telematics.tasks.check_offline_terminals")
def check_offline_terminals() -> dict:
    """Hourly (Celery beat): one 终端离线 alert per terminal silent longer than its threshold."""
    return services.terminals_check_offline()
