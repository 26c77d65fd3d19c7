"""Who decides each step, for several shapes of the directory."""

from decimal import Decimal

from django.utils import translation

from datahub.models import User
from datahub.roles import Role
from portal import chains, registry
from tests.factories import OrgUnitFactory, UserFactory, department, grant, region


def names(resolved):
    return [u.username for u in resolved.assignees]


def test_department_head_of_the_requesters_department_decides(staff, tree):
    step = chains.resolve_step("审批", Role.APPROVER, tree.a1, staff.clerk_a1)
    assert names(step) == ["head_a1"]
    assert step.unit == tree.a1
    assert step.fallback_note == ""


def test_without_a_head_in_the_department_the_nearest_level_above_decides(staff, tree):
    deputy = grant(UserFactory(username="deputy_a", org_unit=tree.a), Role.APPROVER, tree.a)
    step = chains.resolve_step("审批", Role.APPROVER, tree.a1, staff.head_a1)  # the head files for themself
    assert names(step) == [deputy.username]
    assert step.unit == tree.a


def test_all_holders_at_the_nearest_level_may_decide(staff, tree):
    grant(UserFactory(username="head2_a1", org_unit=tree.a1), Role.APPROVER, tree.a1)
    step = chains.resolve_step("审批", Role.APPROVER, tree.a1, staff.clerk_a1)
    assert names(step) == ["head2_a1", "head_a1"]


def test_missing_role_goes_to_the_bureau_administrator_and_says_so(staff, tree):
    step = chains.resolve_step("车辆调度", Role.VEHICLE_DISPATCHER, tree.a1, staff.clerk_a1)
    assert names(step) == ["admin_a"]
    note = str(step.fallback_note)
    assert "车辆调度员" in note and "机关事务管理局管理员" in note
    # The note is a message: an English reader reads it, and the role's name, in English (issue #19).
    with translation.override("en"):
        assert str(step.fallback_note) == (
            "Nobody in this unit or above holds “Vehicle dispatcher”: the bureau administrator decides instead."
        )


def test_with_no_role_and_no_bureau_administrator_the_superusers_decide(db):
    lonely_region = region(code="Z", name="偏远地区")
    agency = OrgUnitFactory(code="ZA", parent=lonely_region)
    dept = department(agency, code="ZA1")
    requester = UserFactory(org_unit=dept)
    root = UserFactory(username="root", is_superuser=True)
    step = chains.resolve_step("审批", Role.APPROVER, dept, requester)
    # Every active superuser (other tests' rows of this module may hold more than ``root``).
    superusers = User.objects.filter(is_superuser=True, is_active=True).order_by("username")
    assert root.username in names(step)
    assert names(step) == [u.username for u in superusers]
    assert "系统管理员" in str(step.fallback_note)


def test_inactive_holders_are_skipped(staff, tree):
    staff.head_a1.is_active = False
    staff.head_a1.save()
    step = chains.resolve_step("审批", Role.APPROVER, tree.a1, staff.clerk_a1)
    assert names(step) == ["admin_a"]


def test_the_costly_repair_step_applies_only_above_the_threshold(staff, tree):
    kind = registry.get("repair")
    cheap = kind.detail_model(estimated_cost=Decimal("300"))
    costly = kind.detail_model(estimated_cost=Decimal("8000"))
    assert [s.name for s in chains.resolve_chain(kind, cheap, tree.a1, staff.clerk_a1)] == ["处室负责人审批"]
    resolved = chains.resolve_chain(kind, costly, tree.a1, staff.clerk_a1)
    assert [names(s) for s in resolved] == [["head_a1"], ["space_a"]]


def test_a_step_that_names_its_unit_is_decided_there_not_above_the_requester(staff, tree):
    # A consent that belongs to the other side (e.g. the unit giving an item away) names that unit.
    kind = registry.RequestKind(
        code="consent_probe",
        label="",
        domain="",
        detail_model=registry.get("repair").detail_model,
        form_class=None,
        chain=(
            registry.Step("处室负责人审批", Role.APPROVER),
            registry.Step("对方单位确认", Role.ASSET_ADMIN, unit=lambda detail: tree.a),
        ),
        handler_role=Role.ASSET_ADMIN,
        sla_hours=1,
        outcome_form=None,
        record_outcome=None,
    )
    outsider = UserFactory(org_unit=tree.b1)
    head_b1 = grant(UserFactory(username="head_b1", org_unit=tree.b1), Role.APPROVER, tree.b1)
    resolved = chains.resolve_chain(kind, kind.detail_model(), tree.b1, outsider)
    assert [names(s) for s in resolved] == [[head_b1.username], ["asset_a"]]
    assert resolved[1].unit == tree.a
