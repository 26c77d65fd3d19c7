"""Pages: scoped like everything else; evidence served only through the scoped view."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessment import services
from assessment.models import IndicatorValue, Score
from datahub.models import ExportJob

GOOD = {"T1": "10", "O1": "5", "E1": "100", "Y": "20"}


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def scored(entered, bureau):
    services.score_round(actor=bureau, round_=entered.round)
    return entered


def test_home_lists_the_rounds_a_reader_may_see(scored, login, people):
    page = login(people.admin_a).get(reverse("assessment:home"))
    assert page.status_code == 200
    assert "年度评估" in page.content.decode()


def test_a_clerk_may_not_open_the_assessment(scored, login, people):
    assert login(people.clerk_a1).get(reverse("assessment:home")).status_code == 403


def test_an_agency_sees_its_own_score_only(scored, login, people):
    client = login(people.admin_a)
    body = client.get(reverse("assessment:round", args=[scored.round.pk])).content.decode()
    assert "甲厅" in body and "乙厅" not in body and "丙厅" not in body
    assert client.get(reverse("assessment:case", args=[scored.round.pk, scored.a.pk])).status_code == 200
    assert client.get(reverse("assessment:case", args=[scored.round.pk, scored.b.pk])).status_code == 404


def test_the_bureau_sees_every_case(scored, login, bureau):
    body = login(bureau).get(reverse("assessment:round", args=[scored.round.pk])).content.decode()
    assert all(name in body for name in ("甲厅", "乙厅", "丙厅"))


def test_case_page_shows_the_recommendation_for_the_weakest_dimension(scored, login, people):
    body = login(people.admin_a).get(reverse("assessment:case", args=[scored.round.pk, scored.a.pk])).content.decode()
    assert "技术条件是短板" in body


def test_entering_values_through_the_page(round_, login, people):
    client = login(people.admin_a)
    url = reverse("assessment:case-enter", args=[round_.round.pk, round_.a.pk])
    data = {f"v_{k}": v for k, v in GOOD.items()}
    data["f_T1"] = SimpleUploadedFile("证明.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(url, data)
    assert response.status_code == 302
    assert IndicatorValue.objects.filter(org_unit=round_.a).count() == 4


def test_bad_entry_shows_the_message_and_writes_nothing(round_, login, people):
    client = login(people.admin_a)
    url = reverse("assessment:case-enter", args=[round_.round.pk, round_.a.pk])
    response = client.post(url, {**{f"v_{k}": v for k, v in GOOD.items()}, "v_T1": "abc"})
    assert response.status_code == 200
    assert "不是数字" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_evidence_is_served_only_within_scope(round_, login, people, client):
    pdf = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 secret", content_type="application/pdf")
    services.enter_values(actor=people.admin_a, round_=round_.round, unit=round_.a, values=GOOD, evidence={"T1": pdf})
    value = IndicatorValue.objects.get(org_unit=round_.a, indicator__code="T1")
    url = reverse("assessment:evidence", args=[value.pk])
    assert login(people.admin_b).get(url).status_code == 404
    response = login(people.admin_a).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 secret"


def test_round_export(scored, login, bureau):
    response = login(bureau).get(reverse("assessment:round", args=[scored.round.pk]) + "?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_score_list_page_query_count_does_not_grow_with_the_page(
    scored, login, bureau, tree, django_assert_num_queries, django_assert_max_num_queries
):
    from tests.factories import OrgUnitFactory

    client = login(bureau)
    url = reverse("assessment:round", args=[scored.round.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as ctx:
        client.get(url)
    baseline = len(ctx.captured_queries)
    for i in range(6):
        unit = OrgUnitFactory(code=f"X{i}", name=f"新增厅{i}", parent=tree.r)
        services.enter_values(actor=bureau, round_=scored.round, unit=unit, values=GOOD)
    services.score_round(actor=bureau, round_=scored.round)
    with django_assert_num_queries(baseline):
        client.get(url)


def test_the_section_is_on_the_home_page_for_readers(scored, login, people):
    body = login(people.admin_a).get("/").content.decode()
    assert reverse("assessment:home") in body


def test_a_bureau_administrator_creates_a_round(login, bureau, tree, small_framework):
    response = login(bureau).post(
        reverse("assessment:round-create"),
        {
            "name": "2027年度",
            "year": 2027,
            "framework": small_framework.pk,
            "org_unit": tree.r.pk,
            "case_level": "institution",
        },
    )
    assert response.status_code == 302
    from assessment.models import Round

    assert Round.objects.filter(name="2027年度").exists()


def test_an_agency_is_told_which_path_covers_it(scored, login, bureau, people):
    analysis = services.run_analysis(actor=bureau, round_=scored.round, name="路径", outcome="Y", conditions=["T1"])
    case = next(c for c in analysis.result["cases"] if c["unit_id"] == scored.c.pk)
    body = login(people.admin_a).get(reverse("assessment:case", args=[scored.round.pk, scored.a.pk])).content.decode()
    assert "所属组态路径" in body
    mine = next(c for c in analysis.result["cases"] if c["unit_id"] == scored.a.pk)
    for name in mine["paths"]:
        assert name in body
    assert case["paths"]  # 丙厅 (highest T1 and Y) is covered
    assert "丙厅" not in body  # the agency learns its own path, not the other cases


def test_filtering_by_level_does_not_list_scored_cases_as_unscored(scored, login, bureau):
    body = login(bureau).get(reverse("assessment:round", args=[scored.round.pk]) + "?level=5").content.decode()
    assert "尚未计分的评估对象" not in body


def test_a_large_round_export_runs_as_a_job_that_only_its_owner_downloads(
    scored, login, bureau, people, settings, tmp_path, eager_celery, django_capture_on_commit_callbacks
):
    """Above the inline limit the score table is written in the background, with the page's own rows."""
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_INLINE_MAX_ROWS = 1
    expected = list(Score.objects.filter(round=scored.round).order_by("rank").values_list("org_unit__name", flat=True))
    assert len(expected) > 1
    client = login(bureau)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("assessment:round", args=[scored.round.pk]), {"export": "xlsx"})
    job = ExportJob.objects.get(user=bureau, kind="assessment.round_scores")
    assert response.status_code == 302 and response["Location"] == reverse("export-job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.rows_total, job.params["round"]) == ("done", len(expected), str(scored.round.pk))
    download = client.get(reverse("export-download", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert sorted(r[1] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)) == sorted(expected)
    other = login(people.admin_b)
    assert other.get(reverse("export-job", args=[job.pk])).status_code == 404
    assert other.get(reverse("export-download", args=[job.pk])).status_code == 404
