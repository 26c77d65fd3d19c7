"""The life of a background export: claim, heartbeat, reaping, retry, idempotent redelivery.

Eager mode on purpose: the task body runs in the test process, so each rule is checked on its own
and on both databases; the same rules against real worker processes killed with SIGKILL are in
test_jobs_worker.py.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from datahub import exporters, jobs  # noqa: F401 - exporters registers the "people" export used below
from datahub.exports import EXPORTERS, Export, start_export
from datahub.models import ExportJob
from datahub.tasks import reap_stale_jobs, run_export
from tests.factories import UserFactory

BROKEN = "test-broken-export"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.JOB_HEARTBEAT_TIMEOUT = 120
    settings.JOB_PENDING_TIMEOUT = 3600


@pytest.fixture
def broken_exporter():
    """An exporter whose rows fail half-way, as a database error in the middle of a long read would."""

    def rows():
        yield (1, "一")
        raise RuntimeError("connection lost mid-read")

    EXPORTERS[BROKEN] = lambda user, params: Export("坏.xlsx", ("序号", "内容"), rows, 2)
    yield BROKEN
    del EXPORTERS[BROKEN]


def people_job(owner, **fields):
    return ExportJob.objects.create(user=owner, kind="people", filename="人员名录.xlsx", rows_total=3, **fields)


def test_a_running_job_without_heartbeat_is_reaped_as_failed_with_a_chinese_message(people, media, eager_celery):
    """Eager mode on purpose: the beat task's body, run in-process."""
    stale = people_job(people.admin_a, status="running", heartbeat_at=timezone.now() - timedelta(seconds=121))
    alive = people_job(people.admin_a, status="running", heartbeat_at=timezone.now() - timedelta(seconds=30))
    assert reap_stale_jobs.delay().get() == 1
    stale.refresh_from_db()
    alive.refresh_from_db()
    assert (stale.status, alive.status) == ("failed", "running")
    assert stale.error == jobs.WORKER_LOST.format(seconds=120)
    assert stale.finished_at is not None


def test_a_job_never_picked_up_is_reaped_after_the_pending_timeout(people, media):
    forgotten = people_job(people.admin_a, queued_at=timezone.now() - timedelta(hours=2))
    queued = people_job(people.admin_a)
    assert jobs.reap_stale() == 1
    forgotten.refresh_from_db()
    queued.refresh_from_db()
    assert (forgotten.status, queued.status) == ("failed", "pending")
    assert "排队" in forgotten.error


def test_finished_and_failed_jobs_are_left_alone_by_the_reaper(people, media):
    long_ago = timezone.now() - timedelta(days=1)
    done = people_job(people.admin_a, status="done", heartbeat_at=long_ago, queued_at=long_ago)
    failed = people_job(people.admin_a, status="failed", heartbeat_at=long_ago, error="旧的错误")
    assert jobs.reap_stale() == 0
    done.refresh_from_db()
    failed.refresh_from_db()
    assert (done.status, failed.status, failed.error) == ("done", "failed", "旧的错误")


def test_rerunning_a_finished_job_does_nothing(people, media, eager_celery):
    """Eager mode on purpose: a second delivery of the same message, run in-process."""
    job = people_job(people.admin_a)
    run_export.delay(job.pk, 1)
    job.refresh_from_db()
    assert (job.status, job.runs) == ("done", 1)
    first_file = job.file.name
    run_export.delay(job.pk, 1)
    job.refresh_from_db()
    assert (job.status, job.runs, job.file.name) == ("done", 1, first_file)


def test_a_redelivered_running_job_restarts_from_the_first_row(people, tree, media, eager_celery):
    """Eager mode on purpose: a job left 'running' by a lost worker, its message delivered again."""
    for _ in range(2):
        UserFactory(org_unit=tree.a1)
    job = people_job(people.admin_a, status="running", runs=1, rows_done=1, run_token="lost-worker")
    run_export.delay(job.pk, 1)
    job.refresh_from_db()
    assert (job.status, job.runs, job.run_token, job.error) == ("done", 2, "", "")
    assert job.rows_done == job.rows_total > 1


def test_the_replaced_run_stops_at_its_next_heartbeat(people, media):
    job = people_job(people.admin_a)
    old = jobs.claim(job.pk, 1)
    new = jobs.claim(job.pk, 1)  # the broker re-delivered while the old run was still writing
    assert jobs.heartbeat(job.pk, old, 1000) is False
    assert jobs.finish(job.pk, old, file_name="exports/old.xlsx", total=3) is False
    assert jobs.heartbeat(job.pk, new, 1000) is True
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.runs) == ("running", 1000, 2)


def test_a_job_that_keeps_killing_its_worker_is_failed_instead_of_looping(people, media, eager_celery):
    """Eager mode on purpose: the fourth delivery of a message whose runs all died."""
    job = people_job(people.admin_a, status="running", runs=jobs.MAX_RUNS_PER_ATTEMPT, run_token="x")
    run_export.delay(job.pk, 1)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == jobs.CRASHED_REPEATEDLY.format(runs=jobs.MAX_RUNS_PER_ATTEMPT)


def test_a_failing_export_is_marked_failed_in_chinese_and_its_owner_retries_it(
    client, people, media, broken_exporter, eager_celery, django_capture_on_commit_callbacks
):
    """Eager mode on purpose: the job runs right after the request commits."""
    with django_capture_on_commit_callbacks(execute=True):
        job = start_export(user=people.admin_a, kind=BROKEN, params=QueryDict(""), filename="坏.xlsx", total=2)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", jobs.ERROR)

    client.force_login(people.admin_a)
    page = client.get(reverse("export-job", args=[job.pk])).content.decode()
    assert str(jobs.ERROR) in page and "重新导出" in page
    assert 'http-equiv="refresh"' not in page

    job.kind = "people"  # the cause is gone (the database is back): the retry now succeeds
    job.save(update_fields=["kind"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("export-retry", args=[job.pk]))
    assert response.url == reverse("export-job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.attempt, job.error) == ("done", 2, "")


def test_a_message_of_an_earlier_attempt_does_nothing(people, media, eager_celery, django_capture_on_commit_callbacks):
    """Eager mode on purpose: the first attempt's message comes back after the owner retried."""
    job = people_job(people.admin_a, status="failed", error=jobs.WORKER_LOST.format(seconds=120))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        jobs.retry(user=people.admin_a, job_id=job.pk)
    run_export.delay(job.pk, 1)
    job.refresh_from_db()
    assert (job.status, job.attempt, job.runs) == ("pending", 2, 0)
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert (job.status, job.attempt, job.runs) == ("done", 2, 1)


def test_a_job_the_broker_refuses_is_failed_at_once_and_retryable(people, media):
    """A real Celery app whose broker is down (nothing listens on port 1): no job waits for the reaper."""
    from celery import Celery

    unreachable = Celery("jobs-test", broker="redis://127.0.0.1:1/0", set_as_current=False)
    job = people_job(people.admin_a)
    assert jobs.enqueue(job.pk, 1, task=unreachable.signature(run_export.name)) is False
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", jobs.NOT_QUEUED)
    assert jobs.retry(user=people.admin_a, job_id=job.pk).status == "pending"


def test_only_a_failed_job_can_be_retried(people, media):
    job = people_job(people.admin_a, status="running", heartbeat_at=timezone.now(), rows_done=7)
    with pytest.raises(ValidationError) as raised:
        jobs.retry(user=people.admin_a, job_id=job.pk)
    assert raised.value.message_dict == {"status": ["只有失败的导出任务可以重新导出（当前状态：生成中）。"]}
    job.refresh_from_db()
    assert (job.status, job.attempt, job.rows_done) == ("running", 1, 7)


def test_only_the_owner_can_retry_a_job(client, people, media):
    job = people_job(people.admin_a, status="failed", error=jobs.ERROR)
    with pytest.raises(PermissionDenied):
        jobs.retry(user=people.admin_b, job_id=job.pk)
    client.force_login(people.admin_b)
    assert client.post(reverse("export-retry", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert (job.status, job.attempt) == ("failed", 1)


def test_retry_needs_a_post(client, people, media):
    job = people_job(people.admin_a, status="failed", error=jobs.ERROR)
    client.force_login(people.admin_a)
    assert client.get(reverse("export-retry", args=[job.pk])).status_code == 405
    job.refresh_from_db()
    assert job.status == "failed"


def test_the_reaper_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["datahub-reap-stale-jobs"]
    assert entry["task"] == reap_stale_jobs.name
    assert entry["schedule"] <= settings.JOB_HEARTBEAT_TIMEOUT


def test_export_tasks_are_acknowledged_late_and_requeued_when_their_worker_dies():
    for task in (run_export, reap_stale_jobs):
        assert (task.acks_late, task.reject_on_worker_lost) == (True, True)
