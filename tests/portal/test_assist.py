"""协办: the lead handler asks other units to do parts; the ticket closes only after all parts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from datahub.roles import Role
from officespace.models import RepairRecord
from portal import selectors, services
from portal.models import AssistPart, Notification
from portal.workflow import Status
from tests.factories import UserFactory, grant

OUTCOME = {"cost": Decimal("260.00"), "parts": "", "result": "已修复"}


@pytest.fixture
def in_progress(staff, repair_ticket):
    """A repair approved and taken by the space administrator of 甲厅 (the lead handler)."""
    ticket = repair_ticket()
    services.decide(actor=staff.head_a1, ticket=ticket, step_id=ticket.current_step_id, decision="approved")
    return services.start_handling(actor=staff.space_a, ticket=ticket)


@pytest.fixture
def helpers(staff, tree):
    """Who a part goes to: the asset administrator of 甲厅, and a space and an asset administrator of 乙厅."""
    return {
        "asset_a": staff.asset_a,
        "space_b": grant(UserFactory(username="space_b", name="乙房管员", org_unit=tree.b), Role.SPACE_ADMIN, tree.b),
        "asset_b": grant(UserFactory(username="asset_b", name="乙资产员", org_unit=tree.b), Role.ASSET_ADMIN, tree.b),
    }


def ask(ticket, actor, unit, role, text="请协助"):
    return services.assist_ask(
        actor=actor,
        ticket=ticket,
        unit=unit,
        role=role,
        description=text,
        due_at=timezone.now() + timedelta(days=2),
    )


def test_three_parts_in_parallel_and_the_lead_closes_only_after_all(staff, tree, in_progress, helpers):
    lead = staff.space_a
    p1 = ask(in_progress, lead, tree.a, Role.ASSET_ADMIN, "核对资产卡片")
    p2 = ask(in_progress, lead, tree.b, Role.SPACE_ADMIN, "乙厅共用机房断电配合")
    p3 = ask(in_progress, lead, tree.b, Role.ASSET_ADMIN, "借用乙厅备用空调")
    assert [a.pk for a in selectors.assist_queue(helpers["asset_b"])] == [p3.pk]
    assert Notification.objects.filter(user=helpers["space_b"], key__endswith=f"assist{p2.pk}:ask").exists()

    services.assist_complete(actor=helpers["asset_a"], part=p1, outcome="卡片无误")
    with pytest.raises(ValidationError) as err:
        services.complete(actor=lead, ticket=in_progress, outcome=OUTCOME)
    assert "尚有协办事项未完成" in err.value.messages[0]
    assert not RepairRecord.objects.exists()

    services.assist_complete(actor=helpers["space_b"], part=p2, outcome="已于周六断电")
    services.assist_complete(actor=helpers["asset_b"], part=p3, outcome="已借出 1 台")
    done = services.complete(actor=lead, ticket=in_progress, outcome=OUTCOME)
    assert done.status == Status.DONE
    comments = list(done.timeline.filter(action="assist_done").values_list("comment", flat=True))
    assert comments == ["甲厅：卡片无误", "乙厅：已于周六断电", "乙厅：已借出 1 台"]


def test_a_declined_part_goes_back_to_the_lead_with_its_reason(staff, tree, in_progress, helpers):
    part = ask(in_progress, staff.space_a, tree.b, Role.ASSET_ADMIN)
    with pytest.raises(ValidationError) as err:
        services.assist_decline(actor=helpers["asset_b"], part=part, reason="")
    assert "请填写理由" in err.value.message_dict["reason"][0].replace("退回协办时", "")
    services.assist_decline(actor=helpers["asset_b"], part=part, reason="不属于本单位资产")
    part.refresh_from_db()
    assert part.state == AssistPart.State.DECLINED and part.outcome == "不属于本单位资产"
    assert Notification.objects.filter(user=staff.space_a, message__contains="不属于本单位资产").exists()
    # A declined part no longer holds the ticket open.
    assert services.complete(actor=staff.space_a, ticket=in_progress, outcome=OUTCOME).status == Status.DONE


def test_the_lead_may_withdraw_an_open_part_with_a_reason(staff, tree, in_progress, helpers):
    part = ask(in_progress, staff.space_a, tree.b, Role.SPACE_ADMIN)
    with pytest.raises(PermissionDenied):
        services.assist_withdraw(actor=helpers["space_b"], part=part, reason="不做了")
    services.assist_withdraw(actor=staff.space_a, part=part, reason="已自行解决")
    with pytest.raises(ValidationError, match="已撤回"):
        services.assist_complete(actor=helpers["space_b"], part=part, outcome="完成")
    assert services.complete(actor=staff.space_a, ticket=in_progress, outcome=OUTCOME).status == Status.DONE


def test_only_the_part_units_role_holders_answer_it(staff, tree, in_progress, helpers):
    part = ask(in_progress, staff.space_a, tree.b, Role.ASSET_ADMIN)
    for outsider in (helpers["asset_a"], helpers["space_b"], staff.clerk_b1):
        with pytest.raises(PermissionDenied):
            services.assist_complete(actor=outsider, part=part, outcome="完成")
    part.refresh_from_db()
    assert part.state == AssistPart.State.OPEN
    # The helper sees the ticket through the part; a colleague of theirs without the role does not.
    assert selectors.ticket_for(helpers["asset_b"], in_progress.pk) is not None
    assert selectors.ticket_for(staff.clerk_b1, in_progress.pk) is None


def test_bad_co_handling_requests_are_refused_field_by_field_and_nothing_is_written(staff, tree, in_progress):
    with pytest.raises(ValidationError) as err:
        services.assist_ask(
            actor=staff.space_a,
            ticket=in_progress,
            unit=tree.b,
            role="nobody",
            description=" ",
            due_at=timezone.now() - timedelta(hours=1),
        )
    assert set(err.value.message_dict) == {"role", "description", "due_at"}
    with pytest.raises(ValidationError) as err:
        ask(in_progress, staff.space_a, tree.b, Role.ENERGY_REPORTER)
    assert "无人能协办" in err.value.message_dict["unit"][0]
    with pytest.raises(PermissionDenied):
        ask(in_progress, staff.asset_a, tree.b, Role.SPACE_ADMIN)
    assert not AssistPart.objects.exists()
    assert not in_progress.timeline.filter(action="assist_ask").exists()


def test_co_handling_is_only_for_a_ticket_in_progress(staff, tree, repair_ticket):
    ticket = repair_ticket()
    with pytest.raises((PermissionDenied, ValidationError)):
        ask(ticket, staff.space_a, tree.b, Role.SPACE_ADMIN)
    assert not AssistPart.objects.exists()
