"""Energy pages: scoping by page, the month sheet, review on the page, exports, query counts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from datahub.models import ExportJob
from energy import services
from energy.models import CoefficientVersion, ConsumptionRecord, Submission
from portal import services as portal
from tests.sharing import shared_fixture

from .factories import full_year, profile


def build_data(energy_people, tree):
    """甲厅 and 乙厅 with a 2025 profile and twelve months of electricity and water: read by every test
    here, built once per module (tests/sharing.py); the pages that enter data start from an empty year
    in test_entry_pages.py."""
    for unit in (tree.a, tree.b):
        profile(unit, 2025)
        full_year(unit, 2025)
    return tree


shared_data, data = shared_fixture("data", build_data)


def test_home_shows_targets_and_svg_chart(client_for, data, energy_people):
    r = client_for(energy_people.leader).get(reverse("energy:home"), {"year": 2025})
    body = r.content.decode()
    assert (
        r.status_code == 200
        and "<svg" in body
        and "十四五目标进度" in body
        and "https://" not in body.split("<svg")[1][:5000]
    )


def test_institution_of_b_not_found_for_reporter_of_a(client_for, data, energy_people):
    c = client_for(energy_people.reporter_a)
    assert c.get(reverse("energy:institution-detail", args=[data.a.pk])).status_code == 200
    assert c.get(reverse("energy:institution-detail", args=[data.b.pk])).status_code == 404
    assert c.get(reverse("energy:sheet", args=[data.b.pk, 2025, 1])).status_code == 404
    rows = c.get(reverse("energy:record-list"), {"year": 2025}).context["page"].object_list
    assert {r.org_unit_id for r in rows} == {data.a.pk}


def test_clerk_refused(client_for, data, energy_people):
    assert client_for(energy_people.clerk_a1).get(reverse("energy:home")).status_code == 403


def test_submit_on_the_page_then_correct_after_approval(client_for, data, energy_people):
    c = client_for(energy_people.reporter_b)
    r = c.post(reverse("energy:submit", args=[data.b.pk]), {"year": 2025, "quarter": 1})
    sub = Submission.objects.get()
    assert r.status_code == 302 and sub.ticket.status == "in_review"
    body = c.get(reverse("energy:submission-detail", args=[sub.pk])).content.decode()
    assert reverse("portal:ticket", args=[sub.ticket_id]) in body  # reviewed in the one inbox
    portal.decide(
        actor=energy_people.reviewer, ticket=sub.ticket, step_id=sub.ticket.current_step_id, decision="approved"
    )
    r = c.post(reverse("energy:submission-detail", args=[sub.pk]), {"reason": ""})
    assert r.status_code == 200 and "更正原因" in r.content.decode()
    r = c.post(reverse("energy:submission-detail", args=[sub.pk]), {"reason": "补录"})
    assert r.status_code == 302 and Submission.objects.filter(version=2).exists()
    other = client_for(energy_people.reporter_a)
    assert other.post(reverse("energy:submission-detail", args=[sub.pk]), {"reason": "x"}).status_code == 404


def test_summary_export_statistics_layout(client_for, data, energy_people):
    r = client_for(energy_people.leader).get(
        reverse("energy:summary"), {"year": 2025, "by": "region", "export": "xlsx"}
    )
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    page = client_for(energy_people.leader).get(reverse("energy:summary"), {"year": 2025, "by": "department"})
    names = [row[0] for row in page.context["rows"]]
    assert names == [data.a.name, data.b.name]
    mine = client_for(energy_people.reporter_a).get(reverse("energy:summary"), {"year": 2025, "by": "category"})
    assert [row[1] for row in mine.context["rows"]] == ["1"]  # one institution in A's scope (as the page reads it)


def test_a_large_summary_export_runs_as_a_background_job_with_the_same_rows(
    client_for, data, energy_people, settings, tmp_path, eager_celery, django_capture_on_commit_callbacks
):
    """Eager mode on purpose: the export job's task runs in the test process when the click commits."""
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_INLINE_MAX_ROWS = 1  # two departments: more than fits inline
    client = client_for(energy_people.leader)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get(reverse("energy:summary"), {"year": 2025, "by": "department", "export": "xlsx"})
    job = ExportJob.objects.get(user=energy_people.leader, kind="energy.summary")
    assert r.status_code == 302 and r["Location"] == reverse("export-job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.rows_total, job.filename) == ("done", 2, "部门汇总2025年.xlsx")
    rows = list(load_workbook(job.file.path, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [data.a.name, data.b.name]


def test_a_summary_export_job_is_downloaded_by_its_owner_only(
    client_for, data, energy_people, settings, tmp_path, eager_celery, django_capture_on_commit_callbacks
):
    """The file holds the leader's figures: another person (even one reading energy) neither sees nor gets it."""
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_INLINE_MAX_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        client_for(energy_people.leader).get(reverse("energy:summary"), {"year": 2025, "export": "xlsx"})
    job = ExportJob.objects.get(kind="energy.summary")
    download = client_for(energy_people.leader).get(reverse("export-download", args=[job.pk]))
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert [row[0] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)] == [data.a.name, data.b.name]
    other = client_for(energy_people.reporter_a)
    assert other.get(reverse("export-job", args=[job.pk])).status_code == 404
    assert other.get(reverse("export-download", args=[job.pk])).status_code == 404
    assert other.post(reverse("export-retry", args=[job.pk])).status_code == 404


def test_record_list_export(client_for, data, energy_people):
    r = client_for(energy_people.reporter_a).get(reverse("energy:record-list"), {"year": 2025, "export": "xlsx"})
    assert r.status_code == 200


def test_record_list_query_count(client_for, data, energy_people, django_assert_num_queries):
    c = client_for(energy_people.leader)
    c.get(reverse("energy:record-list"), {"year": 2025})
    # session, user, grants for 3 role sets, count, notifications, filter units ×2, page (the session is not
    # written: renewed at most once a minute):
    # fixed, whatever the page holds
    with django_assert_num_queries(8):
        r = c.get(reverse("energy:record-list"), {"year": 2025})
    assert len(r.context["page"].object_list) == 48


def test_institution_list_query_count(client_for, data, energy_people, django_assert_num_queries):
    c = client_for(energy_people.leader)
    c.get(reverse("energy:institution-list"), {"year": 2025})
    with django_assert_num_queries(9):
        r = c.get(reverse("energy:institution-list"), {"year": 2025})
    assert len(r.context["page"].object_list) == 2


def test_submission_detail_scoped_by_page(client_for, data, energy_people):
    sub = services.submit(
        actor=energy_people.reporter_b, org_unit=data.b, period=services.period_of(year=2025, quarter=1)
    )
    assert (
        client_for(energy_people.reporter_a).get(reverse("energy:submission-detail", args=[sub.pk])).status_code == 404
    )
    assert client_for(energy_people.leader).get(reverse("energy:submission-detail", args=[sub.pk])).status_code == 200


def test_coefficients_page_recompute_is_explicit(client_for, data, energy_people):
    oil = CoefficientVersion.objects.get(name__contains="1.3300")
    c = client_for(energy_people.reporter_a)
    assert c.get(reverse("energy:coefficients")).context["form"] is None  # reporters cannot recompute
    admin = client_for(energy_people.admin_a)
    r = admin.post(reverse("energy:coefficients"), {"version": oil.pk, "year": 2025})
    assert r.status_code == 302
    assert set(ConsumptionRecord.objects.filter(org_unit=data.a).values_list("coefficient_version", flat=True)) == {
        oil.pk
    }
    assert oil.pk not in set(
        ConsumptionRecord.objects.filter(org_unit=data.b).values_list("coefficient_version", flat=True)
    )


def test_submission_list_query_count(client_for, data, energy_people, django_assert_num_queries):
    for q in (1, 2, 3, 4):
        services.submit(
            actor=energy_people.reporter_b, org_unit=data.b, period=services.period_of(year=2025, quarter=q)
        )
    c = client_for(energy_people.leader)
    c.get(reverse("energy:submission-list"))
    with django_assert_num_queries(8):
        r = c.get(reverse("energy:submission-list"))
    assert len(r.context["page"].object_list) == 4


@pytest.mark.parametrize("junk", ["abc", "²", "-1", "99999999999999999999"])
def test_garbage_query_parameters_do_not_500(client_for, data, energy_people, junk):
    c = client_for(energy_people.leader)
    params = {"year": junk, "unit": junk, "month": junk, "quarter": junk}
    for name in ("home", "institution-list", "record-list", "submission-list", "summary", "anomalies"):
        assert c.get(reverse(f"energy:{name}"), params).status_code in (200, 404), name
    assert c.post(reverse("energy:anomalies"), {"pk": junk}).status_code == 404
