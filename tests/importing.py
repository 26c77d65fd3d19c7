"""Uploading a sheet to an import page or API in a test, and reading what its background job found.

Eager mode on purpose: the upload queues the job when its transaction commits; here the commit
callbacks are run and the Celery task body runs in the test process, so a test sees the job's end
(row errors or result) right after the upload, on both databases. The real-worker path is in
tests/datahub/test_imports_worker.py.
"""

from contextlib import contextmanager
from types import SimpleNamespace

from django.test import TestCase
from django.urls import reverse

from datahub.models import ImportJob


@contextmanager
def jobs_run_eagerly():
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            yield
    finally:
        app.conf.task_always_eager = previous


def describe(job: ImportJob | None) -> str:
    """Everything the job page says about the job, as plain text: status, message, summary, row errors."""
    if job is None:
        return ""
    return "\n".join([job.get_status_display(), job.error, job.result.get("summary", ""), *job.messages])


def upload(client, url, data, *, api=False) -> SimpleNamespace:
    """POST ``data`` (with its file); ``response`` is then the job's page (the API's answer for ``api``),
    ``posted`` the upload's own answer, ``text`` the page and everything the job found."""
    latest = ImportJob.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with jobs_run_eagerly():
        response = client.post(url, data, format="multipart") if api else client.post(url, data, follow=True)
    posted = response
    job = ImportJob.objects.filter(pk__gt=latest).order_by("-pk").first()
    if job is not None and not api:
        # The job ran when the upload's transaction committed, after the redirect was followed: the page now.
        response = client.get(reverse("import-job", args=[job.pk]))
    return SimpleNamespace(
        response=response, posted=posted, job=job, text=response.content.decode() + "\n" + describe(job)
    )
