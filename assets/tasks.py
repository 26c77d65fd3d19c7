"""Celery tasks of the assets app: thin, they call the service (which is idempotent)."""

from datetime import date

from celery import shared_task

from . import services


@shared_task(name="assets.tasks.post_monthly_depreciation")
def post_monthly_depreciation(month: str | None = None) -> dict:
    """Monthly (Celery beat): post depreciation up to the month just ended (or ``month``, YYYY-MM-DD)."""
    runs = services.post_depreciation(month=date.fromisoformat(month) if month else None)
    return {f"{r.month:%Y-%m}": {"cards": r.cards, "total": str(r.total)} for r in runs}
