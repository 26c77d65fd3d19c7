"""The energy API: scoped like the pages, errors in the platform's body, query counts pinned."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from energy.models import ConsumptionRecord, Submission
from portal import services as portal
from tests.importing import upload

from .factories import correct, full_year, profile, record
from .test_imports import good_rows, xlsx

BASE = "/api/v1/energy/"


@pytest.fixture
def data(energy_people, tree):
    for unit in (tree.a, tree.b):
        profile(unit, 2025)
        record(unit, 2025, 1, "electricity", 10000, cost=8000)
    return tree


def test_records_of_b_invisible_to_reporter_of_a(api, data, energy_people):
    rows = api(energy_people.reporter_a).get(BASE + "records/").json()["results"]
    assert {r["org_unit"] for r in rows} == {data.a.pk}
    other = ConsumptionRecord.objects.get(org_unit=data.b)
    assert api(energy_people.reporter_a).get(f"{BASE}records/{other.pk}/").status_code == 404
    r = api(energy_people.reporter_a).patch(f"{BASE}records/{other.pk}/", {"quantity": "1"}, format="json")
    assert r.status_code == 404
    assert api(energy_people.leader).get(BASE + "records/").json()["count"] == 2


def test_create_record_for_other_unit_refused_on_the_field(api, data, energy_people):
    body = {
        "org_unit": data.b.pk,
        "year": 2025,
        "month": 2,
        "energy_type": "electricity",
        "quantity": "1",
        "unit": "kWh",
    }
    r = api(energy_people.reporter_a).post(BASE + "records/", body, format="json")
    assert r.status_code == 400 and "org_unit" in r.json()["fields"]
    assert not ConsumptionRecord.objects.filter(month=2).exists()


def test_create_record_bad_input_chinese_errors(api, data, energy_people):
    body = {"org_unit": data.a.pk, "year": 2025, "month": 2, "energy_type": "biogas", "quantity": "1", "unit": "kWh"}
    r = api(energy_people.reporter_a).post(BASE + "records/", body, format="json")
    assert r.status_code == 400 and "未知的能源品种" in r.json()["fields"]["energy_type"][0]
    body.update(energy_type="electricity", quantity="-3")
    r = api(energy_people.reporter_a).post(BASE + "records/", body, format="json")
    assert r.status_code == 400 and "负数" in r.json()["fields"]["quantity"][0]
    body.update(quantity="5000")
    r = api(energy_people.reporter_a).post(BASE + "records/", body, format="json")
    assert r.status_code == 201 and Decimal(r.json()["kgce"]) == Decimal("614.5")


def test_submit_via_api_then_reviewed_in_the_one_inbox(api, data, energy_people):
    r = api(energy_people.reporter_b).post(
        BASE + "submissions/submit/", {"org_unit": data.b.pk, "year": 2025, "quarter": 1}, format="json"
    )
    assert r.status_code == 201 and r.json()["warnings"] and r.json()["status"] == "in_review"
    pk = r.json()["id"]
    sub = Submission.objects.get(pk=pk)
    assert api(energy_people.reporter_a).get(f"{BASE}submissions/{pk}/").status_code == 404
    portal.decide(
        actor=energy_people.reviewer, ticket=sub.ticket, step_id=sub.ticket.current_step_id, decision="approved"
    )
    assert api(energy_people.reporter_b).get(f"{BASE}submissions/{pk}/").json()["status"] == "done"
    r = api(energy_people.reporter_a).post(f"{BASE}submissions/{pk}/correct/", {"reason": "补录2月"}, format="json")
    assert r.status_code == 404
    r = api(energy_people.reporter_b).post(f"{BASE}submissions/{pk}/correct/", {"reason": "补录2月"}, format="json")
    assert r.status_code == 201 and r.json()["version"] == 2 and r.json()["status"] == "draft"


def test_indicators_endpoint_scoped(api, data, energy_people):
    r = api(energy_people.reporter_a).get(BASE + "indicators/", {"unit": data.a.pk, "year": 2025})
    assert r.status_code == 200 and r.json()["figures"]["kgce"] == "1229.0000"
    assert api(energy_people.reporter_a).get(BASE + "indicators/", {"unit": data.b.pk, "year": 2025}).status_code == 404
    r = api(energy_people.reporter_a).get(BASE + "indicators/", {"unit": data.a.pk, "year": "x"})
    assert r.status_code == 400 and "year" in r.json()["fields"]


def test_import_endpoint_all_or_nothing(api, energy_people):
    """The upload answers 202 with its job; the job (run eagerly, see tests/importing.py) refuses or writes all."""
    client = api(energy_people.reporter_b)
    rows = [*good_rows(), ["B", 2025, 9, "电", -1, "kWh", 1, "计量付费"]]
    refused = upload(client, BASE + "records/import/", {"file": xlsx(rows)}, api=True)
    assert refused.response.status_code == 202
    job = client.get(refused.response.json()["url"]).json()
    assert job["status"] == "failed" and job["finished"]
    assert [(e["row"], e["column"]) for e in job["errors"]] == [(6, "实物量")]
    assert not ConsumptionRecord.objects.exists()
    done = upload(client, BASE + "records/import/", {"file": xlsx(good_rows())}, api=True)
    assert done.response.status_code == 202
    assert client.get(done.response.json()["url"]).json()["result"]["created"] == 4


def test_another_users_import_job_is_not_found_by_the_api(api, energy_people):
    mine = upload(api(energy_people.reporter_b), BASE + "records/import/", {"file": xlsx(good_rows())}, api=True)
    other = api(energy_people.reporter_a)
    assert other.get(mine.response.json()["url"]).status_code == 404
    assert other.get("/api/v1/imports/").json()["count"] == 0


def test_clerk_sees_nothing(api, data, energy_people):
    assert api(energy_people.clerk_a1).get(BASE + "records/").json()["count"] == 0
    assert api(energy_people.clerk_a1).get(BASE + "coefficient-versions/").json()["count"] == 0


def test_coefficient_versions_readable(api, energy_people):
    rows = api(energy_people.reporter_a).get(BASE + "coefficient-versions/").json()["results"]
    assert len(rows) == 2 and len(rows[0]["coefficients"]) == 11


def test_record_list_query_count(api, energy_people, tree, django_assert_num_queries):
    for month in range(1, 13):
        record(tree.a, 2025, month, "electricity", 100)
        record(tree.a, 2025, month, "water", 10)
    client = api(energy_people.reporter_a)
    with django_assert_num_queries(3):  # grants, count, page (records with unit and version joined)
        r = client.get(BASE + "records/")
    assert r.json()["count"] == 24


def test_submission_list_query_count(api, energy_people, tree, django_assert_num_queries):
    profile(tree.a, 2025)
    full_year(tree.a, 2025)
    from energy import services

    for q in (1, 2, 3, 4):
        services.submit(
            actor=energy_people.reporter_a, org_unit=tree.a, period=services.period_of(year=2025, quarter=q)
        )
    client = api(energy_people.leader)
    with django_assert_num_queries(3):
        r = client.get(BASE + "submissions/")
    assert r.json()["count"] == Submission.objects.count() == 4


def test_profile_api_create_update_and_scope(api, energy_people, tree):
    correct(tree.a, 2024, "building_area", "1500")
    correct(tree.a, 2024, "energy_users", "60")
    body = {"org_unit": tree.a.pk, "year": 2024}
    r = api(energy_people.reporter_a).post(BASE + "profiles/", body, format="json")
    assert r.status_code == 201 and r.json()["building_area"] == "1500.00" and r.json()["category"] == "agency"
    pk = r.json()["id"]
    r = api(energy_people.reporter_a).patch(f"{BASE}profiles/{pk}/", {"heated_area": "200"}, format="json")
    assert r.status_code == 200 and r.json()["building_area"] == "1500.00" and r.json()["energy_users"] == 60
    r = api(energy_people.reporter_a).patch(f"{BASE}profiles/{pk}/", {"heated_area": "9999"}, format="json")
    assert r.status_code == 400 and "采暖面积" in r.json()["fields"]["heated_area"][0]
    assert api(energy_people.reporter_b).get(f"{BASE}profiles/{pk}/").status_code == 404
    body["org_unit"] = tree.b.pk
    r = api(energy_people.reporter_a).post(BASE + "profiles/", body, format="json")
    assert r.status_code == 400 and "org_unit" in r.json()["fields"]


@pytest.mark.parametrize("junk", ["abc", "²", "99999999999999999999"])
def test_indicators_endpoint_garbage_is_400_or_404(api, data, energy_people, junk):
    r = api(energy_people.leader).get(BASE + "indicators/", {"unit": junk, "year": junk})
    assert r.status_code in (400, 404)


def test_energy_users_beyond_the_column_is_a_field_error_and_writes_nothing(energy_people, tree):
    """10**20 people used to reach PostgreSQL as an integer overflow (a 500); the correction refuses it."""
    from energy.models import ProfileCorrection

    for value in (10**20, 2**31):
        with pytest.raises(ValidationError) as exc:
            correct(tree.a, 2024, "energy_users", value)
        assert set(exc.value.message_dict) == {"value"}
    assert not ProfileCorrection.objects.exists()
