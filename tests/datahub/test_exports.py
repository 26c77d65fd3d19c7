"""Large exports run as a background job with progress; small ones download at once."""

import io

import openpyxl
import pytest
from django.urls import reverse

from datahub.models import ExportJob
from tests.factories import UserFactory


@pytest.fixture
def big_export(settings, tmp_path):
    settings.EXPORT_INLINE_MAX_ROWS = 3
    settings.MEDIA_ROOT = tmp_path


def test_a_large_export_becomes_a_job_that_the_owner_downloads(
    client, people, tree, big_export, eager_celery, django_capture_on_commit_callbacks
):
    """Eager mode on purpose: the job runs right after the request commits."""
    for _ in range(5):
        UserFactory(org_unit=tree.a1)
    UserFactory(org_unit=tree.b1, name="乙厅的人")
    client.force_login(people.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("person-list"), {"export": "xlsx", "q": ""})
    job = ExportJob.objects.get()
    assert response.url == reverse("export-job", args=[job.pk])
    assert (job.status, job.rows_done, job.rows_total) == ("done", 7, 7)
    page = client.get(response.url).content.decode()
    assert "下载Excel" in page
    download = client.get(reverse("export-download", args=[job.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = list(book.active.values)
    assert len(rows) == 1 + 7
    assert "乙厅的人" not in {r[1] for r in rows}


def test_someone_else_cannot_see_or_download_my_export(client, people, tree, big_export, eager_celery):
    job = ExportJob.objects.create(user=people.admin_a, kind="people", filename="人员名录.xlsx", rows_total=10)
    client.force_login(people.admin_b)
    assert client.get(reverse("export-job", args=[job.pk])).status_code == 404
    assert client.get(reverse("export-download", args=[job.pk])).status_code == 404


def test_a_running_job_page_refreshes_and_shows_progress(client, people):
    job = ExportJob.objects.create(
        user=people.admin_a, kind="people", filename="人员名录.xlsx", rows_total=8000, rows_done=2000, status="running"
    )
    client.force_login(people.admin_a)
    html = client.get(reverse("export-job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in html
    assert 'value="25"' in html


def test_a_background_export_audits_its_unmasked_rows_with_the_requesting_browser(
    client, people, tree, big_export, eager_celery, django_capture_on_commit_callbacks
):
    """Eager mode on purpose: the job runs right after the request commits, with the IP and browser stored on it."""
    from datahub.models import AuditEntry

    for _ in range(5):
        UserFactory(org_unit=tree.a1)
    client.force_login(people.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("person-list"), {"export": "xlsx"}, HTTP_USER_AGENT="导出浏览器", REMOTE_ADDR="10.3.3.3")
    entries = AuditEntry.objects.filter(kind=AuditEntry.Kind.EXPORT)
    assert entries.count() == 6  # the seven rows minus the exporting administrator's own
    assert {(e.ip, e.user_agent, e.surface) for e in entries} == {("10.3.3.3", "导出浏览器", "export")}
    assert people.clerk_a1.pk in set(entries.values_list("subject_id", flat=True))
