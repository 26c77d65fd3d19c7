"""The directory pages: what each role sees, forms that explain what is wrong, exports, query counts."""

import io

import openpyxl
import pytest
from django.urls import reverse

from datahub.models import OrgUnit, User
from datahub.roles import Role
from tests.factories import PASSWORD, UserFactory, department, grant


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def test_anonymous_is_sent_to_the_login_page(client, people):
    response = client.get(reverse("unit-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_is_chinese_by_default(client, db):
    html = client.get(reverse("login")).content.decode()
    assert "登录" in html
    assert 'lang="zh-hans"' in html


def test_english_can_be_chosen(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in html
    assert "Sign in" in html


def test_sign_in_and_sign_out(client, people):
    response = client.post(reverse("login"), {"username": "clerk_a1", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_home_shows_sections_for_the_users_roles(login, people):
    admin_html = login(people.admin_a).get(reverse("home")).content.decode()
    assert "管理后台" in admin_html and "组织机构" in admin_html
    leader_html = login(people.leader).get(reverse("home")).content.decode()
    assert "组织机构" in leader_html and "管理后台" not in leader_html


def test_unit_list_of_admin_a_does_not_show_agency_b(login, people):
    html = login(people.admin_a).get(reverse("unit-list")).content.decode()
    assert "甲厅" in html and "乙厅" not in html


def test_unit_page_of_b_is_404_for_admin_of_a(login, people, tree):
    assert login(people.admin_a).get(reverse("unit-detail", args=[tree.b.pk])).status_code == 404
    assert login(people.admin_a).get(reverse("unit-update", args=[tree.b.pk])).status_code == 404


def test_person_page_of_b_is_404_for_admin_of_a(login, people):
    client = login(people.admin_a)
    assert client.get(reverse("person-detail", args=[people.clerk_b1.pk])).status_code == 404
    response = client.post(reverse("person-update", args=[people.clerk_b1.pk]), {"name": "改名"})
    assert response.status_code == 404
    assert User.objects.get(pk=people.clerk_b1.pk).name != "改名"


def test_leader_cannot_edit_even_inside_their_scope(login, people, tree):
    assert login(people.leader).get(reverse("unit-update", args=[tree.a.pk])).status_code == 403


def test_id_number_is_withheld_from_a_leader_and_masked_for_a_data_steward(login, people, tree):
    clerk = people.clerk_a1
    html = login(people.leader).get(reverse("person-detail", args=[clerk.pk])).content.decode()
    assert clerk.id_number not in html and clerk.id_number[-4:] not in html
    steward = grant(UserFactory(username="steward", org_unit=tree.r), Role.DATA_STEWARD, tree.r)
    html = login(steward).get(reverse("person-detail", args=[clerk.pk])).content.decode()
    assert clerk.id_number not in html
    assert "*" * 14 + clerk.id_number[-4:] in html


def test_unit_form_shows_field_errors_and_keeps_the_database(login, people, tree):
    before = OrgUnit.objects.count()
    response = login(people.admin_a).post(
        f"{reverse('unit-create')}?parent={tree.a.pk}",
        {
            "code": "A9",
            "name": "新单位",
            "level": "institution",
            "kind": "party_gov",
            "uscc": "91350100M000100Y44",
            "staffing_quota": "5",
        },
    )
    assert response.status_code == 200
    assert "校验位错误" in response.content.decode()
    assert OrgUnit.objects.count() == before


def test_admin_adds_a_department_through_the_form(login, people, tree):
    response = login(people.admin_a).post(
        f"{reverse('unit-create')}?parent={tree.a.pk}",
        {"code": "A2", "name": "甲厅财务处", "level": "department", "staffing_quota": "6"},
    )
    unit = OrgUnit.objects.get(code="A2")
    assert response.status_code == 302
    assert OrgUnit.objects.get_parent(unit) == tree.a


def test_person_form_rejects_a_weak_password(login, people, tree):
    response = login(people.admin_a).post(
        reverse("person-create"),
        {
            "username": "weakling",
            "name": "某人",
            "org_unit": tree.a1.pk,
            "post_level": "150",
            "password": "12345678",
            "staffing_seats": "1",
        },
    )
    assert response.status_code == 200
    assert "密码" in response.content.decode()
    assert not User.objects.filter(username="weakling").exists()


def test_admin_grants_a_role_from_the_person_page(login, people, tree):
    client = login(people.admin_a)
    client.post(reverse("person-roles", args=[people.clerk_a1.pk]), {"role": "asset_admin", "unit": tree.a.pk})
    clerk = User.objects.get(pk=people.clerk_a1.pk)
    assert clerk.has_perm("datahub.role_asset_admin", tree.a)
    assert clerk.is_staff


def test_revoking_a_role_asks_first_naming_the_person_role_and_unit(login, people, tree):
    client = login(people.admin_a)
    client.post(reverse("person-roles", args=[people.clerk_a1.pk]), {"role": "asset_admin", "unit": tree.a.pk})
    html = client.get(reverse("person-detail", args=[people.clerk_a1.pk])).content.decode()
    who = people.clerk_a1.get_full_name()
    assert f'data-confirm="撤销{who}在甲厅的“资产管理员”角色？撤销后立即失去相应权限。"' in html


def test_admin_of_a_cannot_grant_on_b(login, people, tree):
    client = login(people.admin_a)
    client.post(reverse("person-roles", args=[people.clerk_a1.pk]), {"role": "leader", "unit": tree.b.pk})
    assert not User.objects.get(pk=people.clerk_a1.pk).has_perm("datahub.role_leader", tree.b)


def test_people_export_is_an_excel_file_with_masked_ids_for_a_data_steward(login, people, tree):
    steward = grant(UserFactory(username="steward", org_unit=tree.r), Role.DATA_STEWARD, tree.r)
    response = login(steward).get(reverse("person-list"), {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.values)
    assert rows[0] == (
        "用户名",
        "姓名",
        "所在单位/部门",
        "职务级别",
        "职级",
        "主职/兼职",
        "职务",
        "电子邮箱",
        "身份证号",
    )
    assert len(rows) == 1 + 6
    assert all(str(r[8]).startswith("*") for r in rows[1:] if r[0] != "steward")


def test_unit_export_lists_only_visible_units(login, people):
    response = login(people.admin_a).get(reverse("unit-list"), {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(r[0] for r in list(book.active.values)[1:]) == ["A", "A1"]


def test_person_list_filters_by_post_level_and_search(login, people, tree):
    UserFactory(org_unit=tree.a1, name="处长甲", post_level="131")
    html = login(people.admin_a).get(reverse("person-list"), {"post_level": "131"}).content.decode()
    assert "处长甲" in html and "clerk_a1" not in html
    html = login(people.admin_a).get(reverse("person-list"), {"q": "处长"}).content.decode()
    assert "处长甲" in html


# Baselines: session, user, own unit, grants (one read for every role asked), count, page, unread count;
# the unit list adds one grouped headcount query for the page.
@pytest.mark.parametrize(("url_name", "queries"), [("unit-list", 8), ("person-list", 10)])
def test_list_pages_use_a_fixed_number_of_queries(login, people, tree, url_name, queries, django_assert_num_queries):
    for i in range(40):
        UserFactory(org_unit=tree.a1)
        department(tree.a, code=f"AY{i}", name=f"处室{i}")
    client = login(User.objects.get(pk=people.leader.pk))
    with django_assert_num_queries(queries):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    if url_name == "person-list":  # the department named with its agency, read in the page's queries
        assert f"<td>{tree.a.name} › {tree.a1.name}</td>" in response.content.decode()


def test_browser_language_does_not_override_chinese(client, db):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in html


def test_signing_in_adds_no_history_row_and_history_names_changed_fields(client, login, people, tree):
    clerk = people.clerk_a1
    before = clerk.history.count()
    client.post(reverse("login"), {"username": "clerk_a1", "password": PASSWORD})
    assert clerk.history.count() == before
    from datahub import services

    services.update_user(actor=people.admin_a, user=clerk, job_title="综合科科员")
    html = login(people.admin_a).get(reverse("person-detail", args=[clerk.pk])).content.decode()
    assert "已修改：职务名称" in html or "修改：职务名称" in html


def test_unit_choices_name_their_parents(login, people):
    html = login(people.admin_a).get(reverse("person-create")).content.decode()
    assert "甲厅 › 甲厅办公室" in html


def test_people_see_their_own_full_id_number(login, people):
    clerk = people.clerk_a1
    html = login(clerk).get(reverse("person-detail", args=[clerk.pk])).content.decode()
    assert clerk.id_number in html


def test_unit_headcount_includes_departments_below(login, people):
    html = login(people.leader).get(reverse("unit-list")).content.decode()
    # 甲厅 itself holds admin_a; its department holds clerk_a1.
    assert "<td>10</td><td>2</td>" in html.replace(" ", "").replace("\n", "")


@pytest.mark.parametrize("url_name", ["unit-list", "person-list"])
def test_a_unit_filter_that_is_not_a_number_is_404_not_a_server_error(login, people, url_name):
    client = login(people.admin_a)
    assert client.get(reverse(url_name) + "?within=abc").status_code == 404
    assert client.get(reverse(url_name) + "?within=abc&export=xlsx").status_code == 404


def test_a_refused_page_says_in_chinese_what_is_missing(client, people):
    """A civil servant who opens the vehicle ledger is told why, inside the platform's page, not a bare 403."""
    client.force_login(people.clerk_a1)
    response = client.get("/vehicles/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "没有权限" in page and "公务用车台账" in page
    assert 'href="/"' in page  # the way back home


def test_a_missing_or_out_of_scope_record_gets_the_platforms_404_page(client, people):
    client.force_login(people.clerk_a1)
    response = client.get("/directory/people/999999999/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
