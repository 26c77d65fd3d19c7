from celery import shared_task

from . import services


@shared_task(name="datahub.tasks.check_directory_consistency")
def check_directory_consistency() -> dict:
    """Nightly (Celery beat): run the directory check and report what it found."""
    run = services.run_directory_check()
    return {"check_id": run.pk, "units_checked": run.units_checked, "findings": len(run.findings)}
