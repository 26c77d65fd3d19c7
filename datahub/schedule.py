"""This app's Celery beat entries; config.settings merges every app's BEAT (plain data, no Django imports)."""

BEAT: dict[str, dict] = {
    # Each minute: a job whose worker died (no heartbeat for JOB_HEARTBEAT_TIMEOUT seconds) is failed and
    # can be retried by its owner, so no progress page waits forever. Idempotent; running it twice is harmless.
    "datahub-reap-stale-jobs": {"task": "datahub.tasks.reap_stale_jobs", "schedule": 60.0},
    "datahub-purge-expired-audit": {"task": "datahub.tasks.purge_expired_audit", "schedule": 24 * 60 * 60},
    "datahub-delete-ended-api-tokens": {"task": "datahub.tasks.delete_ended_api_tokens", "schedule": 24 * 60 * 60},
    # Unified identity: expired codes, access, ID and refresh tokens of the systems leave the tables.
    # The time-series tables (access trail, GPS positions, energy records) are partitioned by month on
    # PostgreSQL: keep three months of partitions ahead (datahub.partitions.TABLES).
    "datahub-create-month-partitions": {"task": "datahub.tasks.create_month_partitions", "schedule": 24 * 60 * 60},
    # The catalog re-reads the domains' declarations (a changed declared field bumps the entry's version).
    "datahub-sync-catalog": {"task": "datahub.tasks.sync_catalog", "schedule": 60 * 60},
    "datahub-clear-expired-oauth-tokens": {"task": "datahub.tasks.clear_expired_oauth_tokens", "schedule": 60 * 60},
}
