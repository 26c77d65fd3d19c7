from celery import shared_task

from . import services


@shared_task(name="datahub.tasks.check_directory_consistency")
def check_directory_consistency() -> dict:
    """Nightly (Celery beat): run the directory check and report what it found."""
    run = services.run_directory_check()
    return {"check_id": run.pk, "units_checked": run.units_checked, "findings": len(run.findings)}


@shared_task(name="datahub.tasks.run_export")
def run_export(job_id: int) -> None:
    """Write a large Excel export in the background (see datahub.exports)."""
    from . import exports

    exports.run_export(job_id)


@shared_task(name="datahub.tasks.delete_ended_api_tokens")
def delete_ended_api_tokens() -> int:
    """Daily (Celery beat): drop API tokens that ended long ago (see datahub.auth.services)."""
    from .auth import services as auth_services

    return auth_services.delete_ended_api_tokens()
