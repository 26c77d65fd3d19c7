from celery import shared_task

from . import reminders


@shared_task
def remind_expiring() -> int:
    """Daily: remind dispatchers of insurance and annual inspections expiring soon (once per record)."""
    return reminders.send_expiry_reminders()
