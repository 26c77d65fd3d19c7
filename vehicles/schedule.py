"""This app's Celery beat entries; config.settings merges every app's BEAT (plain data, no Django imports)."""

BEAT: dict[str, dict] = {
    # Daily: insurance and annual inspections expiring within rules.EXPIRY_REMINDER_DAYS (30 days), so a
    # daily run reminds a month ahead; each record is reminded once, reruns are harmless.
    "vehicles-expiry-reminders": {"task": "vehicles.tasks.remind_expiring", "schedule": 24 * 60 * 60.0},
}
