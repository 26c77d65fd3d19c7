"""Celery tasks of the portal: thin and idempotent (rerunning sends nothing twice)."""

from datetime import datetime

from celery import shared_task

from . import services

# Defined beside the notifications it sends (see portal.mail); named here so the worker and beat find it.
from .mail import send_notification_emails  # noqa: F401


@shared_task(name="portal.tasks.escalate_overdue_tickets")
def escalate_overdue_tickets() -> int:
    return services.escalate_overdue()


@shared_task(name="portal.tasks.supervise_deadlines")
def supervise_deadlines(now: str | None = None) -> dict:
    """督办: remind before the deadline, escalate after it; each once (safe to rerun)."""
    return services.supervision_sweep(now=datetime.fromisoformat(now) if now else None)
