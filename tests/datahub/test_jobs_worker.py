"""Background exports survive a dying worker — against REAL Celery worker processes on Redis.

The worker runs as a separate process (``celery -A tests.datahub.slow_export_worker worker``) so that
the test can kill it with SIGKILL, as an out-of-memory kill or a pulled plug would. It shares the test
database, so these tests need PostgreSQL (an in-memory SQLite test database cannot be shared) and
REDIS_URL. The eager-mode versions of the same rules are in test_jobs.py.
"""

import io
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import openpyxl
import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from config.celery import app as celery_app
from datahub.exports import start_export
from datahub.models import ExportJob
from datahub.tasks import reap_stale_jobs, run_export
from tests.factories import UserFactory

from .slow_export_worker import SLOW_KIND

ROOT = Path(__file__).resolve().parents[2]
ROWS = 3000
HEARTBEAT_TIMEOUT = 2  # seconds, for the workers started here; production uses 120

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL: real Celery workers on Redis"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _shared_database():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a worker process cannot share an in-memory SQLite test database")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def worker(tmp_path, media):
    """Start worker processes on the test database; every one still alive is stopped afterwards."""
    started = []
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )

    def start(*, pool="solo"):
        log = open(tmp_path / f"worker-{len(started)}.log", "w")  # noqa: SIM115 - closed with the process
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(media),
            "JOB_HEARTBEAT_TIMEOUT": str(HEARTBEAT_TIMEOUT),
        }
        args = [sys.executable, "-m", "celery", "-A", "tests.datahub.slow_export_worker", "worker"]
        args += [f"--pool={pool}", "--concurrency=1", "-l", "info", "-n", f"jobtest-{uuid.uuid4().hex[:8]}@%h"]
        args += ["--without-gossip", "--without-mingle"]
        # The queue this test process sends to (each pytest-xdist worker has its own: tests/conftest.py).
        args += ["-Q", celery_app.conf.task_default_queue]
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def wait_for(condition, *, timeout=90, what=""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def job_now(pk):
    return ExportJob.objects.get(pk=pk)


def slow_export(owner):
    return start_export(
        user=owner, kind=SLOW_KIND, params=QueryDict(f"rows={ROWS}"), filename="慢速导出.xlsx", total=ROWS
    )


def pool_children(pid):
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children]


def rows_in_download(client, pk):
    response = client.get(reverse("export-download", args=[pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return sum(1 for _ in book.active.values)


def test_a_job_whose_worker_was_killed_is_reaped_as_failed_and_its_retry_finishes(worker, client, tree):
    owner = UserFactory(org_unit=tree.a1)
    first = worker()
    job = slow_export(owner)
    wait_for(lambda: job_now(job.pk).rows_done >= 1000, what="the first heartbeat")

    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    killed = job_now(job.pk)
    assert (killed.status, killed.rows_done < ROWS) == ("running", True)  # what used to stay forever

    time.sleep(HEARTBEAT_TIMEOUT + 0.5)
    worker()
    assert reap_stale_jobs.delay().get(timeout=60) == 1
    reaped = job_now(job.pk)
    assert reaped.status == "failed"
    assert "后台进程已停止" in reaped.error

    client.force_login(owner)
    page = client.get(reverse("export-job", args=[job.pk])).content.decode()
    assert "重新导出" in page and 'http-equiv="refresh"' not in page
    assert client.post(reverse("export-retry", args=[job.pk])).status_code == 302

    done = wait_for(lambda: (j := job_now(job.pk)).status == "done" and j, what="the retried job to finish")
    assert (done.attempt, done.rows_done, done.error) == (2, ROWS, "")
    assert rows_in_download(client, job.pk) == 1 + ROWS

    # The first attempt's message may still come back from the broker (visibility timeout): it does nothing.
    run_export.delay(job.pk, 1).get(timeout=60)
    assert job_now(job.pk).file.name == done.file.name


def test_a_job_whose_pool_process_was_killed_is_redelivered_and_restarts_cleanly(worker, client, tree):
    owner = UserFactory(org_unit=tree.a1)
    main = worker(pool="prefork")
    job = slow_export(owner)
    wait_for(lambda: job_now(job.pk).rows_done >= 1000, what="the first heartbeat")

    (child,) = pool_children(main.pid)
    os.kill(child, signal.SIGKILL)  # reject_on_worker_lost puts the message back; the new child takes it

    done = wait_for(lambda: (j := job_now(job.pk)).status == "done" and j, what="the redelivered job to finish")
    assert (done.attempt, done.runs, done.rows_done) == (1, 2, ROWS)
    client.force_login(owner)
    assert rows_in_download(client, job.pk) == 1 + ROWS
