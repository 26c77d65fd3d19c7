from celery import shared_task


@shared_task
def remind_expiring() -> int:
    """Daily: remind dispatchers of insurance and annual inspections expiring soon (once per record)."""
    from .services import send_expiry_reminders

    return send_expiry_reminders()
