"""会签: a parallel step decided by several roles at once under all / any / quorum."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal import rules, selectors, services
from portal.models import StepPart, Ticket, TicketStep
from portal.workflow import Status

from .collab import file_cs, sign


def parts_of(ticket):
    ticket.refresh_from_db()
    step = ticket.steps.get(index=1)
    return {p.name: (p.decision, p.decided_by.username if p.decided_by else None) for p in step.parts.all()}


@pytest.mark.parametrize(
    ("rule", "quorum", "decisions", "expected"),
    [
        ("all", None, ["approved", "approved", "approved"], "approved"),
        ("all", None, ["approved", "pending", "approved"], "pending"),
        ("all", None, ["approved", "rejected", "pending"], "rejected"),
        ("all", None, ["returned", "pending", "pending"], "returned"),
        ("any", None, ["pending", "approved", "pending"], "approved"),
        ("any", None, ["rejected", "rejected", "pending"], "pending"),
        ("any", None, ["rejected", "rejected", "rejected"], "rejected"),
        ("quorum", 2, ["approved", "rejected", "pending"], "pending"),
        ("quorum", 2, ["approved", "rejected", "approved"], "approved"),
        ("quorum", 2, ["rejected", "rejected", "pending"], "rejected"),
        ("quorum", 2, ["returned", "rejected", "pending"], "returned"),
    ],
)
def test_countersign_rule_decides_from_the_parts(rule, quorum, decisions, expected):
    assert rules.countersign_result(rule, quorum, decisions) == expected


def test_countersign_under_all_waits_for_every_signer_and_records_each(staff, cs_kinds, signers):
    ticket = file_cs(staff.clerk_a1)
    step = ticket.current_step
    assert step.rule == "all" and step.is_countersign
    assert set(step.assignees.values_list("username", flat=True)) == {"space_a", "asset_a", "admin_a"}
    sign(signers["space"], ticket, comment="房间情况属实")
    sign(signers["asset"], ticket)
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_REVIEW and ticket.current_step_id == step.pk
    sign(signers["bureau"], ticket)
    ticket.refresh_from_db()
    assert ticket.current_step.name == "领导审批"
    assert parts_of(ticket) == {
        "房产管理员": ("approved", "space_a"),
        "资产管理员": ("approved", "asset_a"),
        "机关事务管理局": ("approved", "admin_a"),
    }
    step.refresh_from_db()
    assert step.decision == "approved" and "房产管理员同意" in step.comment
    assert ticket.timeline.filter(action="countersign").count() == 3
    assert ticket.timeline.filter(action="countersign", comment__contains="房间情况属实").exists()


def test_one_refusal_under_all_refuses_the_ticket_and_cancels_the_other_parts(staff, cs_kinds, signers):
    ticket = file_cs(staff.clerk_a1)
    sign(signers["space"], ticket)
    sign(signers["asset"], ticket, "rejected", "预算不足")
    ticket.refresh_from_db()
    assert ticket.status == Status.REJECTED and ticket.current_step is None
    assert parts_of(ticket)["机关事务管理局"] == ("cancelled", None)
    assert ticket.steps.get(index=2).decision == "cancelled"
    with pytest.raises(ValidationError, match="会签步骤已结束"):
        services.decide(
            actor=signers["bureau"],
            ticket=ticket,
            step_id=ticket.steps.get(index=1).pk,
            decision="approved",
        )


def test_any_passes_on_the_first_agreement(staff, cs_kinds, signers):
    ticket = file_cs(staff.clerk_a1, "cs_any")
    sign(signers["asset"], ticket, "rejected", "不属本部门")
    ticket.refresh_from_db()
    assert ticket.current_step.index == 1
    sign(signers["bureau"], ticket)
    ticket.refresh_from_db()
    assert ticket.current_step.index == 2
    assert parts_of(ticket)["房产管理员"] == ("cancelled", None)


def test_quorum_of_two_passes_with_two_agreements_and_fails_once_out_of_reach(staff, cs_kinds, signers):
    passing = file_cs(staff.clerk_a1, "cs_quorum")
    sign(signers["space"], passing)
    sign(signers["asset"], passing, "rejected", "不同意")
    passing.refresh_from_db()
    assert passing.current_step.index == 1
    sign(signers["bureau"], passing)
    passing.refresh_from_db()
    assert passing.current_step.index == 2

    failing = file_cs(staff.clerk_a1, "cs_quorum", location="2号楼")
    sign(signers["space"], failing, "rejected", "不同意")
    sign(signers["asset"], failing, "rejected", "不同意")
    failing.refresh_from_db()
    assert failing.status == Status.REJECTED


def test_a_signer_cannot_sign_twice_and_an_outsider_not_at_all(staff, cs_kinds, signers, b_signers):
    ticket = file_cs(staff.clerk_a1)
    sign(signers["space"], ticket)
    with pytest.raises(ValidationError, match="无需重复会签"):
        sign(signers["space"], ticket)
    with pytest.raises(PermissionDenied):
        sign(b_signers["space"], ticket)
    assert StepPart.objects.filter(step__ticket=ticket, decision="approved").count() == 1


def test_a_countersign_step_cannot_be_handed_on(staff, cs_kinds, signers):
    ticket = file_cs(staff.clerk_a1)
    with pytest.raises(ValidationError, match="不能整体转交"):
        services.hand_on(actor=signers["space"], ticket=ticket, step_id=ticket.current_step_id, to_user=staff.head_a1)


def test_inbox_holds_a_countersign_until_the_signer_has_signed_their_part(staff, cs_kinds, signers):
    ticket = file_cs(staff.clerk_a1)
    assert list(selectors.approval_inbox(signers["space"])) == [ticket]
    assert list(selectors.approval_inbox(signers["asset"])) == [ticket]
    sign(signers["space"], ticket)
    assert list(selectors.approval_inbox(signers["space"])) == []
    row = selectors.approval_inbox(signers["asset"]).get()
    assert [(p.name, p.decision) for p in row.current_step.parts.all()] == [
        ("房产管理员", "approved"),
        ("资产管理员", "pending"),
        ("机关事务管理局", "pending"),
    ]
    # The signer who has signed still sees the ticket (and who else signed) on its page.
    assert selectors.ticket_for(signers["space"], ticket.pk) == ticket


def test_refused_decision_needs_a_comment_and_leaves_the_part_pending(staff, cs_kinds, signers):
    ticket = file_cs(staff.clerk_a1)
    with pytest.raises(ValidationError) as err:
        sign(signers["asset"], ticket, "rejected", "")
    assert "请填写意见" in err.value.message_dict["comment"][0]
    assert set(StepPart.objects.filter(step__ticket=ticket).values_list("decision", flat=True)) == {"pending"}
    assert Ticket.objects.get(pk=ticket.pk).timeline.filter(action="countersign").count() == 0


def test_a_returned_countersign_resolves_again_when_resubmitted(staff, cs_kinds, signers):
    ticket = file_cs(staff.clerk_a1)
    sign(signers["asset"], ticket, "returned", "请补充报价单")
    ticket.refresh_from_db()
    assert ticket.status == Status.RETURNED
    services.submit_ticket(actor=staff.clerk_a1, ticket=ticket)
    ticket.refresh_from_db()
    fresh = ticket.current_step
    assert fresh.round == 2 and set(fresh.parts.values_list("decision", flat=True)) == {"pending"}
    assert TicketStep.objects.filter(ticket=ticket, round=1, index=1).get().decision == "returned"
