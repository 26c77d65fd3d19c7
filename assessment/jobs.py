"""Large fsQCA analyses as background jobs (Celery) with progress.

An analysis with more than ``settings.ASSESSMENT_ASYNC_CONDITIONS`` conditions or more than
``settings.ASSESSMENT_ASYNC_CASES`` cases is queued (``start_analysis``) instead of run inside the
request: the engine's minimisation may take seconds on 10+ conditions. The job's liveness — claim,
heartbeat, the reaper of lost workers — is ``datahub.jobs``'s (``AnalysisJob`` is registered with it in
``AssessmentConfig.ready``). The worker runs the same service as the request (``analyses.run_analysis``),
as the user who asked, so the permission is checked again when it runs. An engine that gives up
(``AnalysisTooComplex``) or a refused design ends the job failed with the Chinese message; anything
else ends it failed with a generic message, the cause in the log. In development and the tests without
Redis, Celery runs eagerly (``CELERY_TASK_ALWAYS_EAGER``): the job is done when the page loads.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from datahub import jobs

from . import analyses, selectors
from .models import AnalysisJob, Round

logger = logging.getLogger(__name__)


def is_large(round_: Round, conditions: list[str]) -> bool:
    """Whether an analysis of ``conditions`` over the round's cases goes to the background (the settings)."""
    return (
        len([c for c in conditions if c]) > settings.ASSESSMENT_ASYNC_CONDITIONS
        or selectors.cases_of(round_).count() > settings.ASSESSMENT_ASYNC_CASES
    )


def start_analysis(*, actor, round_: Round, params: dict) -> AnalysisJob:
    """Queue an analysis of ``round_`` with the keyword arguments of ``analyses.run_analysis`` (``params``,
    JSON-safe). Rule: only who may analyse the round queues one (the same rule as running it)."""
    if not selectors.can_analyse(actor, round_):
        raise PermissionDenied(_("组态分析比较本轮全部案例，只有覆盖整个评估范围的人员可以进行。"))
    name = str(params.get("name", "")).strip()
    if not name:
        raise ValidationError({"name": _("请填写分析名称。")})
    with transaction.atomic():
        job = AnalysisJob.objects.create(round=round_, user=actor, name=name[:100], params=params)
        transaction.on_commit(lambda: jobs.enqueue(job.pk, job.attempt, model=AnalysisJob))
    return job


def run_job(job_id: int, attempt: int = 1) -> None:
    """The worker's side: claim the job, run the analysis with progress, store the result or the failure.
    Safe to run twice (``datahub.jobs.claim``)."""
    token = jobs.claim(job_id, attempt, model=AnalysisJob)
    if token is None:
        return
    job = AnalysisJob.objects.select_related("round__org_unit", "round__framework", "user").get(pk=job_id)

    def progress(percent: int, step: str) -> None:
        jobs.heartbeat(job_id, token, model=AnalysisJob, progress=percent, step=step)

    try:
        analysis = analyses.run_analysis(actor=job.user, round_=job.round, progress=progress, **job.params)
    except (ValidationError, PermissionDenied) as exc:
        jobs.fail(job_id, token, _text(exc), model=AnalysisJob)
        return
    except Exception:
        logger.exception("analysis job %s failed", job_id)
        jobs.fail(job_id, token, model=AnalysisJob)
        return
    AnalysisJob.objects.filter(pk=job_id, run_token=token, status=AnalysisJob.Status.RUNNING).update(
        status=AnalysisJob.Status.DONE,
        analysis=analysis,
        progress=100,
        step=_("已完成"),
        heartbeat_at=timezone.now(),
        finished_at=timezone.now(),
        run_token="",
    )


def _text(exc) -> str:
    """The refusal as its owner reads it (a ValidationError's messages, joined)."""
    if isinstance(exc, ValidationError):
        return "；".join(m.rstrip("。") for m in exc.messages) + "。"
    return str(exc)
