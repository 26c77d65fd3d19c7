"""This app's Celery beat entries; config.settings merges every app's BEAT (plain data, no Django imports)."""

from celery.schedules import crontab

BEAT: dict[str, dict] = {
    # The month that has just ended is posted on the 1st; a month missed (beat down) is caught up
    # by the next run, and a rerun posts nothing twice (assets.services.post_depreciation).
    "assets-monthly-depreciation": {
        "task": "assets.tasks.post_monthly_depreciation",
        "schedule": crontab(minute=30, hour=1, day_of_month="1"),
    },
}
