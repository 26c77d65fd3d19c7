from celery import shared_task

from datahub.tasks import RELIABLE

from . import jobs


@shared_task(name="assessment.tasks.run_analysis_job", **RELIABLE)
def run_analysis_job(job_id: int, attempt: int = 1) -> None:
    """Run a large fsQCA analysis in the background (see assessment.jobs)."""
    jobs.run_job(job_id, attempt)
