"""Celery beat entries of the data hub (merged into CELERY_BEAT_SCHEDULE by config.settings)."""

BEAT = {
    "datahub-purge-expired-audit": {"task": "datahub.tasks.purge_expired_audit", "schedule": 24 * 60 * 60},
}
