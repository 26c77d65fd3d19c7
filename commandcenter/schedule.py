"""This app's Celery beat entries; config.settings merges every app's BEAT (plain data, no Django imports)."""

BEAT: dict[str, dict] = {
    "commandcenter-refresh-recent": {"task": "commandcenter.tasks.refresh_recent", "schedule": 15 * 60.0},
    "commandcenter-rebuild-nightly": {"task": "commandcenter.tasks.rebuild", "schedule": 24 * 60 * 60.0},
}
