"""The admin site is scoped like every other screen for non-superusers."""

from django.urls import reverse

from datahub.models import User


def test_bureau_admin_of_a_sees_only_a_people_in_the_admin(client, people):
    client.force_login(people.admin_a)
    html = client.get(reverse("admin:datahub_user_changelist")).content.decode()
    assert "clerk_a1" in html
    assert "clerk_b1" not in html


def test_bureau_admin_of_a_cannot_open_or_change_a_person_of_b(client, people):
    client.force_login(people.admin_a)
    url = reverse("admin:datahub_user_change", args=[people.clerk_b1.pk])
    assert client.get(url).status_code in (302, 404)
    client.post(url, {"username": "clerk_b1", "name": "被改了"})
    assert User.objects.get(pk=people.clerk_b1.pk).name != "被改了"


def test_bureau_admin_sees_only_own_units_in_the_admin(client, people):
    client.force_login(people.admin_a)
    html = client.get(reverse("admin:datahub_orgunit_changelist")).content.decode()
    assert "甲厅" in html and "乙厅" not in html


def test_admin_change_of_a_unit_is_recorded_in_history_with_the_user(client, people, tree):
    client.force_login(people.admin_a)
    url = reverse("admin:datahub_orgunit_change", args=[tree.a1.pk])
    response = client.post(
        url,
        {
            "code": "A1",
            "name": "甲厅综合处",
            "level": "department",
            "kind": "party_gov",
            "uscc": "",
            "region_code": "330000",
            "staffing_quota": "8",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    tree.a1.refresh_from_db()
    assert tree.a1.name == "甲厅综合处"
    latest = tree.a1.history.first()
    assert latest.history_user == people.admin_a
    assert latest.diff_against(latest.prev_record).changed_fields == ["name", "staffing_quota"]


def test_admin_form_refuses_a_shape_change_with_a_field_message(client, people, tree):
    client.force_login(people.admin_a)
    url = reverse("admin:datahub_orgunit_change", args=[tree.a1.pk])
    response = client.post(
        url,
        {
            "code": "A1",
            "name": "甲厅办公室",
            "level": "region",
            "kind": "",
            "uscc": "",
            "region_code": "330000",
            "staffing_quota": "8",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "不能设在" in response.content.decode()
    tree.a1.refresh_from_db()
    assert tree.a1.level == "department"


def test_civil_servant_has_no_admin_access(client, people):
    client.force_login(people.clerk_a1)
    assert client.get(reverse("admin:index")).status_code == 302
