"""This app's Celery beat entries; config.settings merges every app's BEAT (plain data, no Django imports)."""

BEAT: dict[str, dict] = {
    # Offline thresholds are whole hours (24 by default): checking hourly finds a silent terminal
    # at most an hour late.
    "telematics-check-offline-terminals": {
        "task": "telematics.tasks.check_offline_terminals",
        "schedule": 3600.0,
    },
}
