"""The API: scoped (an agency sees its own scores, the bureau all in its subtree), writes through services."""

import pytest

from assessment import services
from assessment.models import Analysis, IndicatorValue, Score
from tests import importing
from tests.factories import OrgUnitFactory

BASE = "/api/v1/assessment/"


@pytest.fixture
def scored(entered, bureau):
    services.score_round(actor=bureau, round_=entered.round)
    return entered


def names(response):
    return sorted(row["org_unit_name"] for row in response.json()["results"])


def test_an_agency_sees_its_own_scores(scored, api, people):
    assert names(api(people.admin_a).get(f"{BASE}scores/")) == ["甲厅"]
    assert names(api(people.admin_b).get(f"{BASE}scores/")) == ["乙厅"]


def test_the_bureau_sees_all_scores_in_its_subtree(scored, api, bureau, people):
    assert names(api(bureau).get(f"{BASE}scores/")) == ["丙厅", "乙厅", "甲厅"]
    assert names(api(people.leader).get(f"{BASE}scores/")) == ["丙厅", "乙厅", "甲厅"]


def test_unit_a_cannot_read_unit_b_values(scored, api, people):
    b_value = IndicatorValue.objects.filter(org_unit=scored.b).first()
    client = api(people.admin_a)
    assert client.get(f"{BASE}values/{b_value.pk}/").status_code == 404
    assert {row["org_unit_name"] for row in client.get(f"{BASE}values/").json()["results"]} == {"甲厅"}


def test_a_clerk_sees_no_scores(scored, api, people):
    assert api(people.clerk_a1).get(f"{BASE}scores/").json()["results"] == []


def test_rounds_are_visible_to_agencies_inside_them(scored, api, people):
    assert [r["name"] for r in api(people.admin_a).get(f"{BASE}rounds/").json()["results"]] == ["年度评估"]
    assert api(people.clerk_a1).get(f"{BASE}rounds/").json()["results"] == []


def test_enter_values_through_the_api(round_, api, people):
    client = api(people.admin_a)
    response = client.post(
        f"{BASE}rounds/{round_.round.pk}/enter/",
        {"org_unit": round_.a.pk, "values": {"T1": "10", "O1": "5", "E1": "100", "Y": "20"}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert IndicatorValue.objects.filter(org_unit=round_.a).count() == 4


def test_bad_values_through_the_api_get_the_error_body(round_, api, people):
    response = api(people.admin_a).post(
        f"{BASE}rounds/{round_.round.pk}/enter/",
        {"org_unit": round_.a.pk, "values": {"T1": "abc", "O1": "5", "E1": "100"}},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["fields"]["T1"] == ["「技术指标」的值“abc”不是数字。"]
    assert body["fields"]["Y"] == ["「转型质量」未填写。"]
    assert not IndicatorValue.objects.exists()


def test_an_agency_cannot_enter_another_agency_values(round_, api, people):
    response = api(people.admin_a).post(
        f"{BASE}rounds/{round_.round.pk}/enter/",
        {"org_unit": round_.b.pk, "values": {"T1": "1", "O1": "1", "E1": "1", "Y": "1"}},
        format="json",
    )
    assert response.status_code == 404


def test_scoring_through_the_api(entered, api, bureau, people):
    assert api(people.admin_a).post(f"{BASE}rounds/{entered.round.pk}/score/").status_code == 403
    response = api(bureau).post(f"{BASE}rounds/{entered.round.pk}/score/")
    assert response.status_code == 200
    assert response.json()["scored"] == 3
    assert Score.objects.count() == 3


def test_analysis_through_the_api(scored, api, bureau, people):
    payload = {"round": scored.round.pk, "name": "接口分析", "outcome": "Y", "conditions": ["T1"]}
    assert api(people.admin_a).post(f"{BASE}analyses/", payload, format="json").status_code in (403, 404)
    response = api(bureau).post(f"{BASE}analyses/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert len(response.json()["result"]["cases"]) == 3
    assert Analysis.objects.count() == 1
    assert api(people.admin_a).get(f"{BASE}analyses/").json()["results"] == []


def test_a_large_analysis_through_the_api_is_queued_as_a_job(scored, api, bureau, people, settings):
    """As on the page: past ASSESSMENT_ASYNC_CONDITIONS (lowered to 0 here) the API answers 202 with the job
    and its page; nothing is analysed in the request. Celery is not run here (the commit's hand-over is a
    no-op in a test transaction); tests/assessment/test_analysis_job.py runs such jobs, eager and real."""
    from assessment.models import AnalysisJob

    settings.ASSESSMENT_ASYNC_CONDITIONS = 0
    payload = {"round": scored.round.pk, "name": "接口后台分析", "outcome": "Y", "conditions": ["T1"]}
    assert api(people.admin_a).post(f"{BASE}analyses/", payload, format="json").status_code in (403, 404)
    assert not AnalysisJob.objects.exists()
    response = api(bureau).post(f"{BASE}analyses/", payload, format="json")
    assert response.status_code == 202, response.json()
    job = AnalysisJob.objects.get()
    assert response.json() == {
        "job": job.pk,
        "status": AnalysisJob.Status.PENDING,
        "progress": 0,
        "url": f"/assessment/analysis-jobs/{job.pk}/",
    }
    assert job.params["conditions"] == ["T1"] and job.user == bureau
    assert not Analysis.objects.exists()
    bad = api(bureau).post(f"{BASE}analyses/", {**payload, "outcome": ""}, format="json")
    assert bad.status_code == 400 and AnalysisJob.objects.count() == 1  # refused before anything is queued


def test_frameworks_list_the_default(db, api, bureau):
    rows = api(bureau).get(f"{BASE}frameworks/").json()["results"]
    assert any(r["code"] == "TOE" and len(r["indicators"]) == 7 for r in rows)


def test_score_list_query_count_does_not_grow(scored, api, bureau, django_assert_num_queries, small_framework, tree):
    client = api(bureau)
    client.get(f"{BASE}scores/")
    with django_assert_num_queries(2) as ctx:
        client.get(f"{BASE}scores/")
    baseline = len(ctx.captured_queries)
    more = [OrgUnitFactory(code=f"X{i}", name=f"新增厅{i}", parent=tree.r) for i in range(5)]
    for unit in more:
        services.enter_values(
            actor=bureau, round_=scored.round, unit=unit, values={"T1": "5", "O1": "5", "E1": "5", "Y": "5"}
        )
    services.score_round(actor=bureau, round_=scored.round)
    assert Score.objects.count() == 8
    with django_assert_num_queries(baseline):
        client.get(f"{BASE}scores/")


def test_value_list_query_count(scored, api, bureau, django_assert_num_queries):
    client = api(bureau)
    client.get(f"{BASE}values/")
    with django_assert_num_queries(2):
        client.get(f"{BASE}values/")


def test_import_through_the_api(round_, api, bureau):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("数据.csv", "单位编码,T1,O1,E1,Y\nA,1,2,3,4\n".encode(), content_type="text/csv")
    client = api(bureau)
    done = importing.upload(client, f"{BASE}rounds/{round_.round.pk}/import/", {"file": upload}, api=True)
    assert done.response.status_code == 202, done.response.json()
    assert client.get(done.response.json()["url"]).json()["result"]["created"] == 4


def test_import_errors_through_the_api_name_row_and_column(round_, api, bureau):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("数据.csv", "单位编码,T1\nA,abc\n".encode(), content_type="text/csv")
    client = api(bureau)
    done = importing.upload(client, f"{BASE}rounds/{round_.round.pk}/import/", {"file": upload}, api=True)
    assert done.response.status_code == 202
    job = client.get(done.response.json()["url"]).json()
    assert job["status"] == "failed"
    assert [(e["row"], e["column"], e["message"]) for e in job["errors"]] == [
        (2, "T1", "「技术指标」的值“abc”不是数字。")
    ]
    assert done.job.messages == ["第2行“T1”列：「技术指标」的值“abc”不是数字。"]


def test_round_list_query_count(scored, api, people, django_assert_num_queries):
    client = api(people.admin_a)
    client.get(f"{BASE}rounds/")
    with django_assert_num_queries(2):
        client.get(f"{BASE}rounds/")


def test_paths_are_renamed_through_the_api(scored, api, bureau):
    client = api(bureau)
    created = client.post(
        f"{BASE}analyses/",
        {"round": scored.round.pk, "name": "接口分析", "outcome": "Y", "conditions": ["T1"]},
        format="json",
    ).json()
    expression = created["result"]["paths"][0]["expression"]
    response = client.post(f"{BASE}analyses/{created['id']}/rename-paths/", {expression: "数字底座型"}, format="json")
    assert response.status_code == 200
    assert response.json()["result"]["paths"][0]["name"] == "数字底座型"
