"""This app's Celery beat entries; config.settings merges every app's BEAT (plain data, no Django imports)."""

BEAT: dict[str, dict] = {
    "datasharing-step-clocks": {"task": "datasharing.tasks.run_step_clocks", "schedule": 15 * 60.0},
}
