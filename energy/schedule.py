"""This app's Celery beat entries; config.settings merges every app's BEAT (plain data, no Django imports)."""

BEAT: dict[str, dict] = {
    # Daily: derived vehicle fuel refreshed from the vehicles app, then the anomaly flags (both idempotent).
    "energy-nightly": {"task": "energy.tasks.nightly", "schedule": 24 * 60 * 60.0},
}
