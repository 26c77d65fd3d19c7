from celery import shared_task

from datahub.jobs import speaking
from datahub.tasks import RELIABLE

from . import jobs
from .models import AnalysisJob


@shared_task(name="assessment.tasks.run_analysis_job", **RELIABLE)
def run_analysis_job(job_id: int, attempt: int = 1) -> None:
    """Run a large fsQCA analysis in the background (see assessment.jobs), in its owner's language."""
    with speaking(AnalysisJob, job_id):
        jobs.run_job(job_id, attempt)
