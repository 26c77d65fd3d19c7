"""The life of a background job (ExportJob, ImportJob): claim, heartbeat, finish, fail, reap, retry.

These are the jobs' write services, kept beside ``exports.py`` and ``imports.py`` rather than in
``services.py`` because only the job machinery and its pages call them. Every function takes the job
model (``model=``, exports by default): both kinds share their liveness fields (models.BackgroundJob),
so one reaper and one retry rule serve both.

Why it is built this way: a worker can vanish at any instant (kill -9, out of memory, a reboot) and
Celery then either re-delivers the message (``acks_late`` + ``reject_on_worker_lost``; Redis restores
an unacknowledged message after its visibility timeout) or, if the broker lost it, never runs it
again. So

- every run *claims* the job with a fresh token, and every later write is conditional on that token:
  a re-delivered message restarts the job from row zero, and the run it replaced stops at its next
  heartbeat instead of racing it;
- a message of an earlier attempt (``attempt``) or for a finished job does nothing (idempotent);
- a job that keeps killing its worker is failed after ``MAX_RUNS_PER_ATTEMPT`` starts, not looped;
- the beat task ``reap_stale`` fails a running job whose heartbeat is older than
  ``settings.JOB_HEARTBEAT_TIMEOUT`` and a pending one queued longer than ``settings.JOB_PENDING_TIMEOUT``,
  so no progress page polls forever; its owner can then ``retry`` it.
"""

import logging
import uuid
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import BackgroundJob, ExportJob, ImportJob, job_language

JOB_MODELS: tuple[type[BackgroundJob], ...] = (ExportJob, ImportJob)
logger = logging.getLogger(__name__)
MAX_RUNS_PER_ATTEMPT = 3
# The Celery task that runs a job of each model. datahub.tasks fills it (DatahubConfig.ready imports it):
# the tasks call the runners (exports, imports), which call this module, so this module never imports them.
RUNNERS: dict[type[BackgroundJob], Any] = {}

# What the owner reads on the job page (the technical cause goes to the log, not to the page).
WORKER_LOST = gettext_lazy("导出中断：执行导出的后台进程已停止（超过 {seconds} 秒没有进展）。请点击“重新导出”重试。")
NEVER_STARTED = gettext_lazy(
    "导出未开始：任务排队超过 {minutes} 分钟仍未被后台进程执行。请点击“重新导出”重试，或联系管理员检查后台服务。"
)
CRASHED_REPEATEDLY = gettext_lazy(
    "导出失败：后台进程在生成文件时连续中断 {runs} 次，已停止自动重试。请缩小筛选范围后重新导出，或联系管理员。"
)
ERROR = gettext_lazy("导出失败：生成文件时出错。请点击“重新导出”重试；如仍失败请联系管理员。")
NOT_QUEUED = gettext_lazy("导出未开始：后台任务服务暂时无法连接。请稍后点击“重新导出”重试，或联系管理员检查后台服务。")

# The same for imports: nothing was written (the writing step is one transaction), and the file is kept.
IMPORT_MESSAGES = {
    "WORKER_LOST": gettext_lazy(
        "导入中断：执行导入的后台进程已停止（超过 {seconds} 秒没有进展），没有写入任何数据。请点击“重新导入”重试。"
    ),
    "NEVER_STARTED": gettext_lazy(
        "导入未开始：任务排队超过 {minutes} 分钟仍未被后台进程执行。请点击“重新导入”重试，或联系管理员检查后台服务。"
    ),
    "CRASHED_REPEATEDLY": gettext_lazy(
        "导入失败：后台进程在处理文件时连续中断 {runs} 次，已停止自动重试，没有写入任何数据。"
        "请拆分文件后重新上传，或联系管理员。"
    ),
    "ERROR": gettext_lazy("导入失败：处理文件时出错，没有写入任何数据。请点击“重新导入”重试；如仍失败请联系管理员。"),
    "NOT_QUEUED": gettext_lazy(
        "导入未开始：后台任务服务暂时无法连接。请稍后点击“重新导入”重试，或联系管理员检查后台服务。"
    ),
}


@contextmanager
def speaking(model, job_id: int):
    """Run the worker's side of a job in its owner's language (kept on the job when it was started)."""
    language = model.objects.filter(pk=job_id).values_list("language", flat=True).first()
    with translation.override(language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE):
        yield


def register_job_model(model: type[BackgroundJob], runner) -> None:
    """An app's own job model (e.g. the assessment's analysis job) joins the reaper and ``enqueue``: datahub
    imports nothing of the apps, so the app registers it (in its AppConfig.ready). The model names its
    owner's messages in ``MESSAGES`` (the keys of ``IMPORT_MESSAGES``)."""
    global JOB_MODELS
    if model not in JOB_MODELS:
        JOB_MODELS = (*JOB_MODELS, model)
    RUNNERS[model] = runner


def message(model, name: str) -> str:
    """The owner's message ``name`` for a job of ``model`` (exports keep their module-level texts)."""
    if getattr(model, "MESSAGES", None):
        return model.MESSAGES[name]
    if model is ImportJob:
        return IMPORT_MESSAGES[name]
    return globals()[name]


def enqueue(job_id: int, attempt: int, task=None, *, model=ExportJob) -> bool:
    """Hand the job to the broker (called after commit); False, and the job failed, when that is impossible.

    Rule: a job is never left pending for an hour because the broker was down at the click; its owner sees
    the failure at once and can retry. ``task`` defaults to the model's runner (RUNNERS: datahub.tasks.run_export, run_import)."""
    task = RUNNERS[model] if task is None else task
    try:
        task.apply_async((job_id, attempt), retry=False)
    except Exception:
        # The broker refused it; or, in eager mode, the run itself raised (it already failed the job).
        logger.exception("%s %s (attempt %s) was not handed to a worker", model.__name__, job_id, attempt)
        model.objects.filter(pk=job_id, attempt=attempt, status=model.PENDING).update(
            status=model.FAILED, error=message(model, "NOT_QUEUED"), finished_at=timezone.now()
        )
        return False
    return True


def claim(job_id: int, attempt: int, *, model=ExportJob) -> str | None:
    """Start a run of ``attempt`` of the job and return its token, or None when there is nothing to do.

    Rule: only a pending or running job of the same attempt runs; a running one is taken over (its
    worker is presumed lost, since the broker re-delivered the message); after MAX_RUNS_PER_ATTEMPT
    starts the job is failed instead."""
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.attempt != attempt or job.status not in (model.PENDING, *model.ACTIVE):
            return None
        now = timezone.now()
        if job.runs >= MAX_RUNS_PER_ATTEMPT:
            model.objects.filter(pk=job_id).update(
                status=model.FAILED,
                error=message(model, "CRASHED_REPEATEDLY").format(runs=job.runs),
                run_token="",
                finished_at=now,
            )
            return None
        token = uuid.uuid4().hex
        model.objects.filter(pk=job_id).update(
            status=model.STARTED, runs=job.runs + 1, run_token=token, heartbeat_at=now, error="", **model.RESTART
        )
    return token


def heartbeat(job_id: int, token: str, rows_done: int | None = None, *, model=ExportJob, **progress) -> bool:
    """Record progress of the run holding ``token``; False when that run was replaced or reaped (stop).

    ``rows_done`` is an export's progress; an import passes its own fields (rows_checked=…, status=…)."""
    if rows_done is not None:
        progress["rows_done"] = rows_done
    return bool(
        model.objects.filter(pk=job_id, run_token=token, status__in=model.ACTIVE).update(
            heartbeat_at=timezone.now(), **progress
        )
    )


def finish(job_id: int, token: str, *, file_name: str, total: int) -> bool:
    """Mark the job done with its file, only if ``token`` still holds it; False otherwise (file unused)."""
    now = timezone.now()
    return bool(
        ExportJob.objects.filter(pk=job_id, run_token=token, status=ExportJob.Status.RUNNING).update(
            status=ExportJob.Status.DONE,
            file=file_name,
            rows_total=total,
            rows_done=total,
            heartbeat_at=now,
            finished_at=now,
            run_token="",
        )
    )


def fail(job_id: int, token: str, text: str | None = None, *, model=ExportJob, **fields) -> bool:
    """Mark the run holding ``token`` failed with a message for its owner (in Chinese)."""
    text = message(model, "ERROR") if text is None else text
    return bool(
        model.objects.filter(pk=job_id, run_token=token, status__in=model.ACTIVE).update(
            status=model.FAILED, error=text[:500], finished_at=timezone.now(), run_token="", **fields
        )
    )


def reap_stale(now=None) -> int:
    """Fail every job (export or import) whose worker is gone; returns how many.

    Rule: running without a heartbeat for JOB_HEARTBEAT_TIMEOUT seconds, or pending (never picked up)
    for JOB_PENDING_TIMEOUT seconds, is failed with a message saying so; the owner may retry it. A job
    whose row is locked is skipped: an import holds its row locked while its one write transaction runs
    (PostgreSQL), so a long write is never reaped; if its worker dies the lock goes with it."""
    now = now or timezone.now()
    heartbeat_timeout = settings.JOB_HEARTBEAT_TIMEOUT
    pending_timeout = settings.JOB_PENDING_TIMEOUT
    reaped = 0
    for model, (language, _name) in ((m, lang) for m in JOB_MODELS for lang in settings.LANGUAGES):
        reaped += _reap(model, language, now, heartbeat_timeout, pending_timeout)
    return reaped


def _reap(model, language: str, now, heartbeat_timeout: int, pending_timeout: int) -> int:
    """``reap_stale`` for the jobs of ``model`` whose owners read ``language``: their messages in it."""
    reaped = 0
    with translation.override(language):
        with transaction.atomic():
            lost = list(
                model.objects.select_for_update(skip_locked=True)
                .filter(
                    language=language,
                    status__in=model.ACTIVE,
                    heartbeat_at__lt=now - timedelta(seconds=heartbeat_timeout),
                )
                .values_list("pk", flat=True)
            )
            reaped += model.objects.filter(pk__in=lost, status__in=model.ACTIVE).update(
                status=model.FAILED,
                error=str(message(model, "WORKER_LOST")).format(seconds=heartbeat_timeout),
                run_token="",
                finished_at=now,
            )
        reaped += model.objects.filter(
            language=language, status=model.PENDING, queued_at__lt=now - timedelta(seconds=pending_timeout)
        ).update(
            status=model.FAILED,
            error=str(message(model, "NEVER_STARTED")).format(minutes=max(1, pending_timeout // 60)),
            run_token="",
            finished_at=now,
        )
    return reaped


def retry(*, user, job_id: int, model=ExportJob) -> BackgroundJob:
    """Queue a failed job again as a new attempt.

    Rule: only the job's owner may retry it (others get PermissionDenied), and only a failed job
    (ValidationError naming the status otherwise); an export's rows are read again for the owner now,
    an import's kept file is checked again from its first row. An import refused for its rows is not
    retried (the same file gives the same errors): its owner corrects the file and uploads it again."""
    noun = model.NOUN
    with transaction.atomic():
        job = model.objects.select_for_update().get(pk=job_id)
        if job.user_id != user.pk:
            raise PermissionDenied(_("只能重试自己发起的%(noun)s任务。") % {"noun": noun})
        if job.status != model.FAILED:
            raise ValidationError(
                {
                    "status": _("只有失败的%(noun)s任务可以重新%(noun)s（当前状态：%(status)s）。")
                    % {"noun": noun, "status": job.get_status_display()}
                }
            )
        if model is ImportJob and job.error_count:
            raise ValidationError({"status": _("该导入因数据有误未写入，请按错误清单修改文件后重新上传。")})
        job.attempt += 1
        job.status = model.PENDING
        job.runs = 0
        job.run_token = ""
        job.error = ""
        for field, value in model.RESTART.items():
            setattr(job, field, value)
        if model is ExportJob:
            job.file = ""
        job.heartbeat_at = None
        job.finished_at = None
        job.queued_at = timezone.now()
        job.language = job_language()  # the retry runs in the language of who retries it
        job.save()
        attempt = job.attempt
        transaction.on_commit(lambda: enqueue(job_id, attempt, model=model))
    return job
