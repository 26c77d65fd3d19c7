from celery import shared_task
from oauth2_provider.models import clear_expired

from . import exports, imports, jobs, services
from .auth import services as auth_services
from .catalog import services as catalog_services
from .models import ExportJob, ImportJob


@shared_task(name="datahub.tasks.check_directory_consistency")
def check_directory_consistency() -> dict:
    """Nightly (Celery beat): run the directory check and report what it found."""
    run = services.run_directory_check()
    return {"check_id": run.pk, "units_checked": run.units_checked, "findings": len(run.findings)}


# Acknowledged only when done, and put back on the queue if the worker process dies mid-run: the job
# machinery (datahub.jobs) makes a second delivery restart cleanly or do nothing.
RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(name="datahub.tasks.run_export", **RELIABLE)
def run_export(job_id: int, attempt: int = 1) -> None:
    """Write a large Excel export in the background (see datahub.exports), in its owner's language."""
    with jobs.speaking(ExportJob, job_id):
        exports.run_export(job_id, attempt)


@shared_task(name="datahub.tasks.run_import", **RELIABLE)
def run_import(job_id: int, attempt: int = 1) -> None:
    """Check and write an uploaded sheet in the background (see datahub.imports), in its owner's language."""
    with jobs.speaking(ImportJob, job_id):
        imports.run_import(job_id, attempt)


@shared_task(name="datahub.tasks.reap_stale_jobs", **RELIABLE)
def reap_stale_jobs() -> int:
    """Every minute (Celery beat): fail background jobs whose worker died, so their owners can retry."""
    return jobs.reap_stale()


@shared_task(name="datahub.tasks.purge_expired_audit")
def purge_expired_audit() -> dict:
    """Nightly (Celery beat): drop audit rows past the retention period (never younger than 183 days)."""
    return {"deleted": services.purge_expired_audit(), "retention_days": services.audit_retention_days()}


@shared_task(name="datahub.tasks.delete_ended_api_tokens")
def delete_ended_api_tokens() -> int:
    """Daily (Celery beat): drop API tokens that ended long ago (see datahub.auth.services)."""
    return auth_services.delete_ended_api_tokens()


@shared_task(name="datahub.tasks.clear_expired_oauth_tokens")
def clear_expired_oauth_tokens() -> None:
    """Hourly (Celery beat): delete the identity provider's expired codes and tokens (django-oauth-toolkit's
    own clean-up, in batches); the audit trail keeps who was issued what."""
    clear_expired()


@shared_task(name="datahub.tasks.create_trail_partitions")
def create_trail_partitions() -> list[str]:
    """Daily (Celery beat): the access trail's monthly partitions exist three months ahead (PostgreSQL)."""
    return catalog_services.trail_partitions_ensure()


@shared_task(name="datahub.tasks.create_month_partitions")
def create_month_partitions() -> list[str]:
    """Daily (Celery beat): the monthly partitions of the trail, the GPS positions and the energy records exist
    three months ahead (PostgreSQL)."""
    return services.month_partitions_ensure()


@shared_task(name="datahub.tasks.sync_catalog")
def sync_catalog() -> list[str]:
    """Hourly (Celery beat): the catalog follows the domains' declarations at runtime too, not only after
    ``migrate`` (post_migrate) or ``manage.py sync_catalog``: a deploy that adds or removes a declared field
    bumps the entry's version within the hour, never silently. Returns the codes of the entries that changed."""
    return [dataset.code for dataset in catalog_services.catalog_sync()]


# jobs.enqueue and jobs.retry find here which task runs a job of each model (see datahub.jobs.RUNNERS).
jobs.RUNNERS.update({ExportJob: run_export, ImportJob: run_import})
