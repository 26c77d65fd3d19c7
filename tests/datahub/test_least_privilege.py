"""Least privilege for the people directory (roles.PERSON_EXTRA_FIELDS): who reads which people and which
fields, the same on the pages, the API, the export and the admin."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from datahub.roles import Role
from tests.factories import UserFactory, grant

USERS = "/api/v1/users/"


@pytest.fixture
def province_roles(people, tree):
    """Domain roles granted on the whole region R, as in the demo, each sitting in department A1."""

    def holder(role):
        return grant(UserFactory(username=f"{role}_r", org_unit=tree.a1), role, tree.r)

    return {
        role: holder(role)
        for role in (Role.VEHICLE_DISPATCHER, Role.SPACE_ADMIN, Role.ASSET_ADMIN, Role.ENERGY_REPORTER)
    }


def _api_people(api, user):
    return {p["username"]: p for p in api(user).get(USERS, {"page_size": 200}).json()["results"]}


@pytest.mark.parametrize("role", [Role.VEHICLE_DISPATCHER, Role.SPACE_ADMIN, Role.ASSET_ADMIN, Role.ENERGY_REPORTER])
def test_a_domain_role_on_the_province_reads_only_its_own_department_without_contacts(
    api, client, people, province_roles, tree, role
):
    user = province_roles[role]
    seen = _api_people(api, user)
    assert "clerk_a1" in seen and "clerk_b1" not in seen and "admin_a" not in seen
    colleague = seen["clerk_a1"]
    assert colleague["phone"] == colleague["id_number"] == colleague["email"] == ""
    client.force_login(user)
    html = client.get(reverse("person-list")).content.decode()
    assert "clerk_a1" in html and "clerk_b1" not in html and people.clerk_a1.phone not in html
    assert client.get(reverse("person-detail", args=[people.clerk_b1.pk])).status_code == 404
    rows = _export_rows(client)
    assert rows[0] == ("用户名", "姓名", "所在单位/部门", "职务级别", "职级", "主职/兼职", "职务")
    assert {r[0] for r in rows[1:]} <= {p.username for p in tree.a1.members.all()}
    assert client.get(reverse("admin:datahub_user_changelist")).status_code == 403


def _export_rows(client):
    response = client.get(reverse("person-list"), {"export": "xlsx"})
    return list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))


def test_a_civil_servant_reads_the_basic_entries_of_own_department(api, people):
    seen = _api_people(api, people.clerk_a1)
    assert set(seen) == {"clerk_a1"} | {u for u in seen if seen[u]["org_unit"] == people.clerk_a1.org_unit_id}
    assert "clerk_b1" not in seen


def test_a_bureau_admin_reads_its_subtree_with_full_contacts_and_id_numbers(api, people):
    seen = _api_people(api, people.admin_a)
    assert "clerk_a1" in seen and "clerk_b1" not in seen
    assert seen["clerk_a1"]["phone"] == people.clerk_a1.phone
    assert seen["clerk_a1"]["id_number"] == people.clerk_a1.id_number


def test_a_leader_reads_phones_but_no_id_numbers(api, people):
    seen = _api_people(api, people.leader)
    assert {"clerk_a1", "clerk_b1"} <= set(seen)
    assert seen["clerk_b1"]["phone"] == people.clerk_b1.phone and seen["clerk_b1"]["id_number"] == ""


def test_an_approver_reads_own_department_phones(api, staff):
    seen = _api_people(api, staff.head_a1)
    assert seen["clerk_a1"]["phone"] == staff.clerk_a1.phone and seen["clerk_a1"]["id_number"] == ""
    assert "clerk_b1" not in seen


def test_a_data_steward_sees_masked_id_numbers_and_no_phones(api, people, tree):
    steward = grant(UserFactory(username="steward_r", org_unit=tree.r), Role.DATA_STEWARD, tree.r)
    seen = _api_people(api, steward)
    clerk = people.clerk_b1
    assert seen["clerk_b1"]["id_number"] == "*" * 14 + clerk.id_number[-4:]
    assert seen["clerk_b1"]["phone"] == ""


def test_a_masked_phone_cannot_be_found_by_searching_its_digits(api, client, people, tree):
    steward = grant(UserFactory(username="steward_r", org_unit=tree.r), Role.DATA_STEWARD, tree.r)
    found = api(steward).get(USERS, {"search": people.clerk_b1.phone}).json()["results"]
    assert found == []
    client.force_login(steward)
    assert "clerk_b1" not in client.get(reverse("person-list"), {"q": people.clerk_b1.phone}).content.decode()
    # A holder of the full-view permission still searches by phone.
    found = api(people.leader).get(USERS, {"search": people.clerk_b1.phone}).json()["results"]
    assert [p["username"] for p in found] == ["clerk_b1"]


def test_a_masked_phone_looks_like_a_phone(people):
    from datahub.idnumbers import mask_phone

    assert mask_phone("13805710001") == "138****0001"
    assert mask_phone("0571-87654321") == "*********4321"
    assert mask_phone("") == ""


def test_people_list_page_query_count_does_not_grow_with_the_page(client, people, tree, django_assert_num_queries):
    for n in range(30):
        UserFactory(username=f"bulk{n:02d}", org_unit=tree.a1)
    client.force_login(people.admin_a)
    # session, user, grants, own unit, count, perms (user, groups), page, audit insert, nav grants, grants
    # list, unread count: the same with 3 or 33 people on the page.
    with django_assert_num_queries(10):  # 12 before one read of the grants per request (#17)
        response = client.get(reverse("person-list"))
    assert response.status_code == 200
