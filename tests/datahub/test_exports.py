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


FORMULAS = ['=HYPERLINK("http://evil.example","点我")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1"]


def _cells_of(content: bytes, column: str):
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    index = header.index(column)
    return [row[index] for row in sheet.iter_rows(min_row=2)]


@pytest.mark.parametrize("background", [False, True], ids=["inline", "background_job"])
def test_text_that_looks_like_a_formula_is_exported_as_the_same_text(
    background, client, people, tree, settings, tmp_path, eager_celery, django_capture_on_commit_callbacks
):
    """Eager mode on purpose for the background case: the job runs right after the request commits."""
    settings.MEDIA_ROOT = tmp_path
    if background:
        settings.EXPORT_INLINE_MAX_ROWS = 1
    for title in FORMULAS:
        UserFactory(org_unit=tree.a1, job_title=title)
    client.force_login(people.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("person-list"), {"export": "xlsx", "q": ""})
    if background:
        response = client.get(reverse("export-download", args=[ExportJob.objects.get().pk]))
    cells = [c for c in _cells_of(b"".join(response.streaming_content), "职务") if c.value in FORMULAS]
    assert sorted(c.value for c in cells) == sorted(FORMULAS)  # what the user sees is what was entered
    assert {c.data_type for c in cells} == {"s"}  # stored as text, not as a formula
    assert all(c.quotePrefix for c in cells)  # and Excel keeps it text when the cell is edited


def test_numbers_stay_numbers_and_only_risky_text_is_marked():
    from decimal import Decimal

    from datahub.exports import xlsx_response

    response = xlsx_response(
        "数.xlsx", ["数量", "金额", "编码", "说明", "回车开头"], [[-5, Decimal("-1.5"), "-3", "正常文字", "\r=1+1"]]
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    quantity, amount, code, note, carriage_return = book.active[2]
    assert (quantity.value, quantity.data_type) == (-5, "n")
    assert (amount.value, amount.data_type) == (-1.5, "n")
    assert (code.value, code.data_type, code.quotePrefix) == ("-3", "s", True)
    assert (note.value, note.quotePrefix) == ("正常文字", False)
    # XML turns a leading CR into a line feed on reading; what matters is that it is text.
    assert (carriage_return.data_type, carriage_return.quotePrefix) == ("s", True)
