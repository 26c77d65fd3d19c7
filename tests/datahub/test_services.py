"""Directory writes: the tree's shape, required identifiers, permissions, and nothing written on failure."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from datahub import services
from datahub.models import OrgUnit, User
from datahub.roles import Role
from tests.factories import PASSWORD, UserFactory, valid_uscc


def institution_fields(**overrides):
    fields = {
        "code": "NEW",
        "name": "新设单位",
        "level": OrgUnit.Level.INSTITUTION,
        "kind": OrgUnit.Kind.PUBLIC_INSTITUTION,
        "uscc": valid_uscc(777, head="12"),
        "region_code": "330000",
        "staffing_quota": 30,
    }
    fields.update(overrides)
    return fields


def test_admin_adds_an_institution_under_a_region(people, tree):
    unit = services.create_org_unit(actor=User.objects.get(is_superuser=True), parent=tree.r, **institution_fields())
    assert OrgUnit.objects.get_parent(unit) == tree.r
    assert unit.history.count() == 1


def test_department_inherits_region_code_and_kind_from_its_agency(people, tree):
    dept = services.create_org_unit(
        actor=people.admin_a, parent=tree.a, code="A2", name="甲厅财务处", level=OrgUnit.Level.DEPARTMENT
    )
    assert dept.region_code == tree.a.region_code
    assert dept.kind == tree.a.kind
    assert dept.uscc is None


def test_institution_without_uscc_is_refused(people, tree):
    with pytest.raises(ValidationError) as exc:
        services.create_org_unit(actor=people.admin_a, parent=tree.a, **institution_fields(uscc=""))
    assert "统一社会信用代码" in exc.value.message_dict["uscc"][0]
    assert not OrgUnit.objects.filter(code="NEW").exists()


def test_institution_with_wrong_uscc_check_character_is_refused(people, tree):
    good = valid_uscc(778)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        services.create_org_unit(actor=people.admin_a, parent=tree.a, **institution_fields(uscc=bad))
    assert "校验位" in exc.value.message_dict["uscc"][0]


def test_department_directly_under_a_region_is_refused(tree):
    root = UserFactory(is_superuser=True)
    with pytest.raises(ValidationError) as exc:
        services.create_org_unit(actor=root, parent=tree.r, code="X", name="错放的处室", level=OrgUnit.Level.DEPARTMENT)
    assert "不能设在" in exc.value.message_dict["level"][0]


def test_duplicate_unit_code_is_refused_and_nothing_is_written(people, tree):
    before = OrgUnit.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.create_org_unit(
            actor=people.admin_a, parent=tree.a, code="A1", name="重复", level=OrgUnit.Level.DEPARTMENT
        )
    assert "code" in exc.value.message_dict
    assert OrgUnit.objects.count() == before
    tree.a.refresh_from_db()
    assert tree.a.numchild == 1


def test_admin_of_a_cannot_add_units_under_b(people, tree):
    with pytest.raises(PermissionDenied):
        services.create_org_unit(
            actor=people.admin_a, parent=tree.b, code="B2", name="越权", level=OrgUnit.Level.DEPARTMENT
        )
    assert not OrgUnit.objects.filter(code="B2").exists()


def test_unit_with_active_people_cannot_be_deactivated(people, tree):
    with pytest.raises(ValidationError, match="仍有在岗人员"):
        services.update_org_unit(actor=people.admin_a, unit=tree.a1, is_active=False)
    tree.a1.refresh_from_db()
    assert tree.a1.is_active


def test_create_user_enforces_password_validators(people, tree):
    with pytest.raises(ValidationError) as exc:
        services.create_user(
            actor=people.admin_a, password="12345678", username="weak", name="弱密码", org_unit=tree.a1
        )
    assert exc.value.message_dict["password"]
    assert not User.objects.filter(username="weak").exists()


def test_create_user_rejects_bad_id_number_and_phone_together(people, tree):
    with pytest.raises(ValidationError) as exc:
        services.create_user(
            actor=people.admin_a,
            password=PASSWORD,
            username="newbie",
            name="新人",
            org_unit=tree.a1,
            id_number="110105194912310021",
            phone="123",
        )
    assert set(exc.value.message_dict) >= {"id_number", "phone"}
    assert not User.objects.filter(username="newbie").exists()


def test_admin_of_a_cannot_move_a_person_into_b(people, tree):
    with pytest.raises(PermissionDenied):
        services.update_user(actor=people.admin_a, user=people.clerk_a1, org_unit=tree.b1)
    people.clerk_a1.refresh_from_db()
    assert people.clerk_a1.org_unit == tree.a1


def test_grant_role_adds_group_and_staff_flag_and_revoke_removes_them(people, tree):
    clerk = people.clerk_a1
    services.grant_role(actor=people.admin_a, user=clerk, role=Role.ASSET_ADMIN, unit=tree.a)
    clerk.refresh_from_db()
    assert clerk.is_staff
    assert clerk.groups.filter(name=Role.ASSET_ADMIN).exists()
    services.revoke_role(actor=people.admin_a, user=clerk, role=Role.ASSET_ADMIN, unit=tree.a)
    clerk.refresh_from_db()
    assert not clerk.is_staff
    assert not clerk.groups.exists()


def test_admin_of_a_cannot_grant_roles_on_b(people, tree):
    with pytest.raises(PermissionDenied):
        services.grant_role(actor=people.admin_a, user=people.clerk_a1, role=Role.LEADER, unit=tree.b)


def test_directory_check_reports_units_over_staffing_quota(people, tree):
    OrgUnit.objects.filter(pk=tree.a.pk).update(staffing_quota=1)
    run = services.run_directory_check()
    messages = [f["message"] for f in run.findings if f["rule"] == "over_quota"]
    assert messages == ["甲厅：在编 2 人，超出编制数 1。"]
