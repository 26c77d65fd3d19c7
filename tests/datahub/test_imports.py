"""The import framework (datahub/imports.py): upload → a background job that checks every row and then
writes all rows or none; progress, row errors by row and column, the owner's job only, reaping and retry.

Eager mode on purpose (tests/importing.py): the job's Celery task runs in the test process when the
upload commits, so each rule is checked on its own and on both databases.
"""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from datahub import jobs, services
from datahub.directory_imports import UNIT_COLUMNS
from datahub.imports import RowErrors, run_import, start_import
from datahub.models import ImportJob, OrgUnit
from datahub.roles import Role
from tests import importing
from tests.factories import UserFactory

URL = "/directory/units/import/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.JOB_HEARTBEAT_TIMEOUT = 120
    settings.JOB_PENDING_TIMEOUT = 3600


def sheet(rows, header=UNIT_COLUMNS, name="机构.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    for row in (header, *rows):
        book.active.append(list(row))
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def departments(*codes):
    return [(code, f"部门{code}", "A", "内设机构", "", "", "", 3) for code in codes]


def test_a_good_file_is_written_by_its_job_and_the_page_shows_the_result(client, people, tree):
    client.force_login(people.admin_a)
    done = importing.upload(client, URL, {"file": sheet(departments("A-IMP1", "A-IMP2"))})
    assert done.posted.redirect_chain[-1][0] == reverse("import-job", args=[done.job.pk])
    assert (done.job.status, done.job.rows_total, done.job.rows_checked, done.job.rows_written) == ("done", 2, 2, 2)
    assert "导入完成：新增 2 个，更新 0 个。" in done.response.content.decode()
    assert set(OrgUnit.objects.filter(code__startswith="A-IMP").values_list("code", flat=True)) == {"A-IMP1", "A-IMP2"}
    status = client.get(reverse("import-job-status", args=[done.job.pk])).json()
    assert (status["status"], status["finished"], status["percent"]) == ("done", True, 100)


def test_a_file_that_is_not_a_sheet_is_refused_at_upload_and_no_job_is_kept(client, people, tree):
    client.force_login(people.admin_a)
    before = ImportJob.objects.count()
    pdf = SimpleUploadedFile("机构.xlsx", b"%PDF-1.7\n" + b"0" * 200)
    response = client.post(URL, {"file": pdf})
    assert response.status_code == 400
    assert "请上传 .xlsx 格式" in response.content.decode()
    assert ImportJob.objects.count() == before
    assert "请选择要导入的文件" in client.post(URL, {}).content.decode()


def test_every_bad_row_is_listed_by_row_and_column_and_nothing_is_written(client, people, tree):
    client.force_login(people.admin_a)
    rows = [
        *departments("A-BAD1"),
        ("A-BAD2", "乙厅下的处室", "B", "内设机构", "", "", "", 1),  # row 3: another unit's subtree
        ("A-BAD3", "层级错", "A", "科室", "", "", "", 1),  # row 4: unknown level
        ("A-BAD4", "编制错", "A", "内设机构", "", "", "", -2),  # row 5: negative quota
        ("A-BAD5", "处室", "A", "内设机构", "", "12345", "", 1),  # row 6: a USCC, and not a valid one
    ]
    done = importing.upload(client, URL, {"file": sheet(rows)})
    assert done.job.status == "failed"
    found = {(e["row"], e["column"]) for e in done.job.row_errors}
    assert {(3, "机构编码"), (4, "层级"), (5, "编制数"), (6, "统一社会信用代码")} <= found
    assert not any(e["row"] == 2 for e in done.job.row_errors)
    assert done.job.error_count == len(done.job.row_errors)
    assert not OrgUnit.objects.filter(code__startswith="A-BAD").exists()  # compared by key: row 2 was not kept
    page = done.response.content.decode()
    assert "行号" in page and "第3行" in page and "您没有管理“乙厅”组织机构的权限。" in page


def test_row_errors_are_capped_on_the_job_but_counted(client, people, tree, settings):
    client.force_login(people.admin_a)
    rows = [(f"A-MANY{i}", "x", "A", "不存在的层级", "", "", "", 0) for i in range(ImportJob.MAX_ERRORS + 5)]
    done = importing.upload(client, URL, {"file": sheet(rows)})
    assert done.job.error_count == ImportJob.MAX_ERRORS + 5
    assert len(done.job.row_errors) == ImportJob.MAX_ERRORS and done.job.errors_left_out == 5
    assert f"共 {ImportJob.MAX_ERRORS + 5} 处问题，仅列出前 {ImportJob.MAX_ERRORS} 处" in done.response.content.decode()


def test_only_the_importers_roles_may_upload(client, people, tree):
    client.force_login(people.clerk_a1)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": sheet(departments("A-NO"))}).status_code == 403
    with pytest.raises(PermissionDenied):
        start_import(user=people.clerk_a1, kind="datahub.units", upload=sheet(departments("A-NO")))


def test_another_user_cannot_see_my_job_by_page_status_list_or_api(client, api, people, tree):
    client.force_login(people.admin_a)
    job = importing.upload(client, URL, {"file": sheet(departments("A-MINE"))}).job
    client.force_login(people.admin_b)
    for name in ("import-job", "import-job-status"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("import-retry", args=[job.pk])).status_code == 404
    assert job.filename not in client.get(reverse("import-list")).content.decode()
    assert api(people.admin_b).get(f"/api/v1/imports/{job.pk}/").status_code == 404
    assert api(people.admin_b).get("/api/v1/imports/").json()["count"] == 0
    assert api(people.admin_a).get(f"/api/v1/imports/{job.pk}/").json()["status"] == "done"


def test_a_job_killed_while_checking_is_reaped_and_its_owner_retries_it(people, tree):
    job = start_import(user=people.admin_a, kind="datahub.units", upload=sheet(departments("A-REAP")))
    token = jobs.claim(job.pk, job.attempt, model=ImportJob)  # the worker started, then was killed
    assert token
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=121))
    assert jobs.reap_stale() == 1
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == jobs.IMPORT_MESSAGES["WORKER_LOST"].format(seconds=120)
    assert not OrgUnit.objects.filter(code="A-REAP").exists()
    with pytest.raises(PermissionDenied):
        jobs.retry(user=people.admin_b, job_id=job.pk, model=ImportJob)
    with importing.jobs_run_eagerly():
        jobs.retry(user=people.admin_a, job_id=job.pk, model=ImportJob)
    job.refresh_from_db()
    assert (job.status, job.attempt, job.rows_written) == ("done", 2, 1)
    assert OrgUnit.objects.filter(code="A-REAP").count() == 1
    run_import(job.pk, 1)  # a late message of the first attempt does nothing
    run_import(job.pk, 2)  # nor a re-delivery of the finished one
    assert OrgUnit.objects.filter(code="A-REAP").count() == 1


def test_a_job_refused_for_its_rows_is_not_retried(client, people, tree):
    client.force_login(people.admin_a)
    job = importing.upload(client, URL, {"file": sheet([("A-X", "x", "B", "内设机构", "", "", "", 0)])}).job
    with pytest.raises(ValidationError, match="请按错误清单修改文件后重新上传"):
        jobs.retry(user=people.admin_a, job_id=job.pk, model=ImportJob)


def test_a_running_job_page_polls_its_status_without_inline_script(client, people, tree):
    job = start_import(user=people.admin_a, kind="datahub.units", upload=sheet(departments("A-POLL")))
    client.force_login(people.admin_a)
    page = client.get(reverse("import-job", args=[job.pk])).content.decode()
    assert f'data-import-job="{reverse("import-job-status", args=[job.pk])}"' in page
    assert "<script>" not in page and "排队中" in page
    assert client.get(reverse("import-job-status", args=[job.pk])).json()["finished"] is False


def test_a_grant_revoked_before_the_job_runs_fails_it_and_writes_nothing(people, tree):
    job = start_import(user=people.admin_a, kind="datahub.units", upload=sheet(departments("A-REVOKED")))
    services.revoke_role(actor=UserFactory(is_superuser=True), user=people.admin_a, role=Role.BUREAU_ADMIN, unit=tree.a)
    run_import(job.pk, job.attempt)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "您没有导入组织机构的权限。")
    assert not OrgUnit.objects.filter(code="A-REVOKED").exists()


def test_the_row_error_collector_reads_every_wording_of_the_importers():
    errors = RowErrors()
    errors.add_validation_error(
        ValidationError(
            ["第5行“使用面积”：面积必须是大于0的数字。", "第2行“T1”列：不是数字。", "第1行第3列：重复。", "文件为空。"]
        )
    )
    assert [(e.row, e.column) for e in errors.items] == [(5, "使用面积"), (2, "T1"), (1, "第3列"), (None, "")]
    assert errors.messages()[1] == "第2行“T1”列：不是数字。"


def test_my_imports_list_takes_the_same_queries_for_three_jobs_or_thirty(
    client, api, people, tree, django_assert_max_num_queries
):
    def jobs_of(n):
        ImportJob.objects.bulk_create(
            ImportJob(user=people.admin_a, kind="datahub.units", filename=f"机构{i}.xlsx", status="done")
            for i in range(n)
        )

    client.force_login(people.admin_a)
    jobs_of(3)
    client.get(reverse("import-list"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("import-list"))
    jobs_of(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("import-list")).status_code == 200
    rest = api(people.admin_a)
    with django_assert_max_num_queries(3):
        assert rest.get("/api/v1/imports/").json()["count"] == 30
