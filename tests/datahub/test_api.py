"""The directory through the REST API: scoped reads, validated writes, one error body, fixed query counts."""

import pytest
from django.urls import reverse

from datahub.models import OrgUnit, User
from tests.factories import PASSWORD, UserFactory, department, valid_uscc

UNITS = "/api/v1/org-units/"
USERS = "/api/v1/users/"


def test_anonymous_gets_401_with_the_error_body(api, people):
    response = api().get(USERS)
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "fields"}


def test_admin_of_a_lists_only_units_and_people_of_a(api, people):
    client = api(people.admin_a)
    codes = {u["code"] for u in client.get(UNITS).json()["results"]}
    usernames = {u["username"] for u in client.get(USERS).json()["results"]}
    assert codes == {"A", "A1"}
    assert usernames == {"admin_a", "clerk_a1"}


def test_admin_of_a_cannot_read_a_person_of_b(api, people):
    assert api(people.admin_a).get(f"{USERS}{people.clerk_b1.pk}/").status_code == 404


def test_admin_of_a_cannot_change_a_person_of_b(api, people):
    response = api(people.admin_a).patch(f"{USERS}{people.clerk_b1.pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 404
    people.clerk_b1.refresh_from_db()
    assert people.clerk_b1.name != "改名"


def test_leader_on_root_lists_everyone_below_it(api, people):
    body = api(people.leader).get(USERS).json()
    assert body["count"] == 5


def test_units_carry_their_parent_id(api, people, tree):
    units = {u["code"]: u for u in api(people.leader).get(UNITS).json()["results"]}
    assert units["A1"]["parent_id"] == tree.a.pk
    assert units["R"]["parent_id"] is None


def test_within_filter_returns_a_subtree(api, people, tree):
    body = api(people.leader).get(UNITS, {"within": tree.b.pk}).json()
    assert {u["code"] for u in body["results"]} == {"B", "B1"}


def test_id_number_is_withheld_from_a_leader_and_full_for_a_bureau_admin(api, people):
    clerk = people.clerk_a1
    as_leader = api(people.leader).get(f"{USERS}{clerk.pk}/").json()
    as_admin = api(people.admin_a).get(f"{USERS}{clerk.pk}/").json()
    assert as_leader["id_number"] == ""  # a leader's directory entry has no 身份证号 (roles.PERSON_EXTRA_FIELDS)
    assert as_leader["phone"] == clerk.phone  # leaders hold datahub.view_full_phone
    assert as_admin["id_number"] == clerk.id_number


def test_admin_creates_a_department_under_a(api, people, tree):
    response = api(people.admin_a).post(
        UNITS, {"code": "A2", "name": "甲厅财务处", "level": "department", "parent": tree.a.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["parent_id"] == tree.a.pk
    assert response.json()["region_code"] == tree.a.region_code


def test_creating_a_unit_with_bad_fields_returns_400_per_field_and_writes_nothing(api, people, tree):
    before = OrgUnit.objects.count()
    response = api(people.admin_a).post(
        UNITS,
        {
            "code": "A3",
            "name": "新单位",
            "level": "institution",
            "kind": "party_gov",
            "uscc": "123",
            "parent": tree.a.pk,
            "region_code": "12",
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "提交的数据有误，请按字段提示修改。"
    assert "18位" in body["fields"]["uscc"][0]
    assert "6位数字" in body["fields"]["region_code"][0]
    assert OrgUnit.objects.count() == before


def test_creating_a_unit_under_someone_elses_agency_is_refused(api, people, tree):
    response = api(people.admin_a).post(
        UNITS, {"code": "B9", "name": "越权处室", "level": "department", "parent": tree.b.pk}, format="json"
    )
    assert response.status_code == 400
    assert "不在您的管理范围内" in response.json()["fields"]["parent"][0]
    assert not OrgUnit.objects.filter(code="B9").exists()


def test_a_rule_broken_in_the_service_comes_back_as_a_field_error(api, people, tree):
    response = api(people.admin_a).post(
        UNITS,
        {"code": "A4", "name": "错层", "level": "region", "region_code": "330000", "parent": tree.a.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "不能设在" in response.json()["fields"]["level"][0]


def test_civil_servant_cannot_create_units(api, people, tree):
    response = api(people.clerk_a1).post(
        UNITS, {"code": "A5", "name": "处室", "level": "department", "parent": tree.a1.pk}, format="json"
    )
    assert response.status_code == 400
    assert not OrgUnit.objects.filter(code="A5").exists()


def test_admin_creates_a_person_with_a_valid_password(api, people, tree):
    response = api(people.admin_a).post(
        USERS,
        {"username": "newcomer", "name": "新同事", "org_unit": tree.a1.pk, "password": PASSWORD, "post_level": "150"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert "password" not in response.json()
    assert User.objects.get(username="newcomer").check_password(PASSWORD)


def test_creating_a_person_with_bad_fields_returns_every_field_error(api, people, tree):
    response = api(people.admin_a).post(
        USERS,
        {
            "username": "bad",
            "name": "",
            "org_unit": tree.a1.pk,
            "password": "123",
            "id_number": "110105194912310021",
            "post_level": "999",
        },
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert {"name", "post_level"} <= set(fields)
    assert not User.objects.filter(username="bad").exists()


def test_bad_id_number_comes_back_on_its_field(api, people, tree):
    response = api(people.admin_a).post(
        USERS,
        {
            "username": "bad2",
            "name": "某某",
            "org_unit": tree.a1.pk,
            "password": PASSWORD,
            "id_number": "110105194912310021",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "校验位" in response.json()["fields"]["id_number"][0]
    assert not User.objects.filter(username="bad2").exists()


def test_weak_password_is_refused_by_the_service_validators(api, people, tree):
    response = api(people.admin_a).post(
        USERS, {"username": "bad3", "name": "某某", "org_unit": tree.a1.pk, "password": "12345678"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["password"]
    assert not User.objects.filter(username="bad3").exists()


def test_delete_is_not_offered(api, people):
    assert api(people.admin_a).delete(f"{USERS}{people.clerk_a1.pk}/").status_code == 405


def test_token_auth_and_me(api, people):
    client = api()
    response = client.post(reverse("api-token"), {"username": "admin_a", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = client.get("/api/v1/me/").json()
    assert me["username"] == "admin_a"
    assert me["roles"] == [{"role": "bureau_admin", "unit": people.admin_a.org_unit_id, "unit_name": "甲厅"}]


# Baselines, as NetBox keeps them: grants + own unit (scoping), count, page; the user list
# adds the two permission look-ups that decide ID-number masking (once per request).
# The people list adds the full-view permission lookup and one audit INSERT for the unmasked phones it shows.
@pytest.mark.parametrize(("endpoint", "queries"), [(UNITS, 4), (USERS, 7)])
def test_list_endpoints_use_a_fixed_number_of_queries(api, people, tree, endpoint, queries, django_assert_num_queries):
    for i in range(60):
        UserFactory(org_unit=tree.a1 if i % 2 else tree.b1)
    for i in range(30):
        department(tree.a, code=f"AX{i}", name=f"处室{i}")
    client = api(User.objects.get(pk=people.leader.pk))
    with django_assert_num_queries(queries):
        response = client.get(endpoint, {"page_size": 100})
    assert len(response.json()["results"]) > 30


def test_schema_and_offline_docs_are_served(client, people):
    client.force_login(people.leader)
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower()


def test_org_unit_uscc_is_unique(api, people, tree):
    response = api(people.admin_a).post(
        UNITS,
        {
            "code": "A6",
            "name": "重复代码",
            "level": "institution",
            "kind": "party_gov",
            "uscc": tree.a.uscc,
            "parent": tree.a.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "uscc" in response.json()["fields"]
    assert valid_uscc(1)  # the factory's codes are valid by construction


def test_browsable_api_offers_only_visible_units_in_its_forms(client, people):
    client.force_login(people.admin_a)
    html = client.get(USERS, HTTP_ACCEPT="text/html").content.decode()
    assert "甲厅办公室" in html
    assert "乙厅" not in html


def test_filtering_by_a_unit_outside_the_scope_is_refused(api, people, tree):
    response = api(people.admin_a).get(USERS, {"org_unit": tree.b1.pk})
    assert response.status_code == 400
    assert "org_unit" in response.json()["fields"]
