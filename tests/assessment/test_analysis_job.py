"""Large fsQCA analyses run as background jobs with progress (assessment.jobs).

The threshold is a setting (ASSESSMENT_ASYNC_CONDITIONS / ASSESSMENT_ASYNC_CASES): these tests lower
it to 0 so the small round of the fixtures (3 cases, one condition) goes to the background. Celery runs
in **eager mode** here on purpose (``eager_celery``): the task runs in the test's process when the
request's transaction commits. The last test uses a **real worker** consuming from Redis (PostgreSQL +
Redis, skipped without REDIS_URL), as tests/datahub/test_tasks.py does."""

import os

import pytest
from django.urls import reverse

from assessment import jobs
from assessment.models import Analysis, AnalysisJob

FORM = {
    "name": "后台分析",
    "outcome": "Y",
    "conditions": ["T1"],
    "incl_cut": 0.8,
    "n_cut": 1,
    "pri_cut": 0,
    "anchors": "",
}


@pytest.fixture
def large(settings):
    settings.ASSESSMENT_ASYNC_CONDITIONS = 0  # every analysis counts as large


def _post(client, round_):
    return client.post(reverse("assessment:analysis-create", args=[round_.pk]), FORM)


def test_a_large_analysis_is_queued_then_done_with_its_result(
    large, entered, bureau, client, eager_celery, django_capture_on_commit_callbacks
):
    client.force_login(bureau)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _post(client, entered.round)
    job = AnalysisJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("assessment:analysis-job", args=[job.pk])
    assert job.status == AnalysisJob.Status.PENDING and job.analysis is None
    page = client.get(response["Location"]).content.decode()
    assert "排队中" in page and 'http-equiv="refresh"' in page  # the page reloads itself while it waits
    for callback in queued:  # the commit hands the job to Celery (eager: it runs now)
        callback()
    job.refresh_from_db()
    assert job.status == AnalysisJob.Status.DONE and job.progress == 100
    assert job.analysis == Analysis.objects.get(name="后台分析")
    assert len(job.analysis.result["cases"]) == 3
    page = client.get(response["Location"]).content.decode()
    assert reverse("assessment:analysis", args=[job.analysis.pk]) in page and "refresh" not in page


def test_a_small_analysis_still_runs_inside_the_request(entered, bureau, client):
    assert not jobs.is_large(entered.round, ["T1"])
    client.force_login(bureau)
    response = _post(client, entered.round)
    analysis = Analysis.objects.get(name="后台分析")
    assert response["Location"] == reverse("assessment:analysis", args=[analysis.pk])
    assert not AnalysisJob.objects.exists()


def test_an_engine_that_gives_up_ends_the_job_with_its_chinese_message(
    large, settings, entered, bureau, client, eager_celery, django_capture_on_commit_callbacks
):
    settings.ASSESSMENT_MAX_MODELS = 0  # the engine's own TooComplexError on the first model it finds
    client.force_login(bureau)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, entered.round)
    job = AnalysisJob.objects.get()
    assert job.status == AnalysisJob.Status.FAILED and job.analysis is None
    assert "同样最简的模型" in job.error and "请减少条件" in job.error
    assert not Analysis.objects.exists()  # nothing half-stored
    page = client.get(response["Location"]).content.decode()
    assert "同样最简的模型" in page and "调整设置后重新分析" in page


def test_the_engine_giving_up_inside_the_request_is_a_form_error(settings, entered, bureau, client):
    settings.ASSESSMENT_MAX_MODELS = 0
    client.force_login(bureau)
    response = _post(client, entered.round)
    assert response.status_code == 200 and "同样最简的模型" in response.content.decode()
    assert not Analysis.objects.exists()


def test_another_units_user_sees_neither_the_job_nor_its_result(
    large, entered, bureau, people, client, eager_celery, django_capture_on_commit_callbacks
):
    client.force_login(bureau)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, entered.round)
    job = AnalysisJob.objects.get()
    client.force_login(people.admin_b)
    assert client.get(reverse("assessment:analysis-job", args=[job.pk])).status_code == 404
    assert client.get(reverse("assessment:analysis", args=[job.analysis_id])).status_code == 404
    page = client.get(reverse("assessment:round", args=[entered.round.pk])).content.decode()
    assert "后台分析" not in page
    # nor may it queue one over the other agencies' cases
    assert _post(client, entered.round).status_code in (403, 404)
    assert AnalysisJob.objects.count() == 1


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL: a real Celery worker on Redis")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_analysis_job(settings, tree):
    """A real worker (celery.contrib.testing, solo pool) consumes the job from the Redis broker."""
    import time

    from celery.contrib.testing.worker import start_worker

    from assessment import services
    from config.celery import app
    from tests.assessment.conftest import build_agency_c, build_bureau, build_small_framework

    assert not settings.CELERY_TASK_ALWAYS_EAGER
    bureau = build_bureau(None, tree)
    c = build_agency_c(tree)
    round_ = services.create_round(
        actor=bureau,
        name="后台",
        year=2026,
        framework=build_small_framework(),
        org_unit=tree.r,
        case_level="institution",
    )
    for unit, (t1, y) in {tree.a: ("10", "20"), tree.b: ("20", "60"), c: ("30", "90")}.items():
        services.enter_values(actor=bureau, round_=round_, unit=unit, values={"T1": t1, "O1": "1", "E1": "1", "Y": y})
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        job = jobs.start_analysis(
            actor=bureau, round_=round_, params={"name": "真后台", "outcome": "Y", "conditions": ["T1"]}
        )
        for _ in range(150):
            job.refresh_from_db()
            if not job.active:
                break
            time.sleep(0.2)
    assert job.status == AnalysisJob.Status.DONE, job.error
    assert job.analysis.name == "真后台"
