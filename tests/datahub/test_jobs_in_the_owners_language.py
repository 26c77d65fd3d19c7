"""A background job speaks its owner's language (issue #19): the job keeps the language of the request that
started it, and the worker (a Celery task, whose process has no request and would write Chinese) runs it
in that language, so the summary, the row errors and a failure read as the owner reads the platform. The
reaper, a beat task, fails each owner's lost jobs in that owner's language."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook

from datahub import jobs, tasks
from datahub.directory_imports import UNIT_COLUMNS
from datahub.imports import start_import
from datahub.models import ImportJob

ZH, EN = "zh-hans", "en"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.JOB_HEARTBEAT_TIMEOUT = 120
    settings.JOB_PENDING_TIMEOUT = 3600


def sheet(*rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in (UNIT_COLUMNS, *rows):
        book.active.append(list(row))
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("机构.xlsx", out.getvalue())


def started(language, user, *rows) -> ImportJob:
    """A job started by a request in ``language``, then run by the worker (whose own language is Chinese)."""
    with translation.override(language):
        job = start_import(user=user, kind="datahub.units", upload=sheet(*rows))
    with translation.override(ZH):
        tasks.run_import(job.pk, job.attempt)
    job.refresh_from_db()
    return job


@pytest.mark.parametrize(
    "language, summary",
    [(ZH, "导入完成：新增 1 个，更新 0 个。"), (EN, "Import complete: 1 added, 0 updated.")],
)
def test_the_worker_writes_the_summary_in_the_owners_language(people, tree, language, summary):
    job = started(language, people.admin_a, (f"A-L{language[:2]}", "部门", "A", "内设机构", "", "", "", 3))
    assert (job.language, job.status, job.result["summary"]) == (language, "done", summary)


def test_the_worker_writes_an_english_owners_row_errors_in_english(people, tree):
    zh = started(ZH, people.admin_a, ("A-LBAD", "层级错", "A", "科室", "", "", "", 1))
    en = started(EN, people.admin_a, ("A-LBAD", "层级错", "A", "科室", "", "", "", 1))
    assert (zh.status, en.status) == ("failed", "failed")
    [zh_error], [en_error] = zh.row_errors, en.row_errors
    assert (zh_error["row"], zh_error["column"]) == (en_error["row"], en_error["column"]) == (2, "层级")
    # The levels a sheet may name stay as the sheet writes them (Chinese); the sentence is the owner's.
    assert zh_error["message"].startswith("请填写") and "行政区域" in zh_error["message"]
    assert en_error["message"] == "Enter one of: 行政区域, 机关/单位, 内设机构."
    assert en_error["message"] != zh_error["message"]


def test_the_reaper_fails_each_owners_lost_job_in_that_owners_language(people, tree):
    lost = {}
    for language in (ZH, EN):
        with translation.override(language):
            job = start_import(
                user=people.admin_a, kind="datahub.units", upload=sheet(("A-R", "部门", "A", "内设机构", "", "", "", 3))
            )
        assert jobs.claim(job.pk, job.attempt, model=ImportJob)
        lost[language] = job
    ImportJob.objects.update(heartbeat_at=timezone.now() - timedelta(seconds=121))
    assert jobs.reap_stale() == 2
    for job in lost.values():
        job.refresh_from_db()
    assert lost[ZH].error.startswith("导入中断：执行导入的后台进程已停止（超过 120 秒没有进展）")
    assert lost[EN].error.startswith("Import interrupted: the background process stopped (no progress for over 120")
