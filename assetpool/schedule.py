"""This app's Celery beat entries; config.settings merges every app's BEAT (plain data, no Django imports)."""

BEAT: dict[str, dict] = {}
