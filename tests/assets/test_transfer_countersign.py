"""资产调拨申请: a cross-unit transfer is countersigned by both units' asset administrators (rule: all);
one refusal refuses it; once both agree, the giving unit's administrator moves the card."""

import pytest
from django.core.exceptions import PermissionDenied

from assets.forms import TransferRequestForm
from assets.models import Asset, MovementKind
from portal import services as portal
from portal.models import Ticket
from portal.workflow import Status

from .factories import card


def file_transfer(requester, asset, to_unit, reason="乙厅新设处室，调剂使用"):
    form = TransferRequestForm(
        data={"asset": asset.asset_number, "to_unit": to_unit.pk, "reason": reason}, requester=requester
    )
    assert form.is_valid(), form.errors
    return portal.file_request(requester=requester, kind_code="asset_transfer", detail_fields=form.cleaned_data)


def sign(user, ticket, decision="approved", comment=""):
    ticket.refresh_from_db()
    part = ticket.current_step.parts.get(assignees=user)
    return portal.decide(
        actor=user, ticket=ticket, step_id=ticket.current_step_id, decision=decision, comment=comment, part_id=part.pk
    )


def test_a_cross_unit_transfer_is_countersigned_by_both_units_asset_administrators(admins, tree, cats, staff):
    asset = card(admins.a, tree.a, cats["A02010105"])
    ticket = file_transfer(staff.clerk_a1, asset, tree.b)
    step = ticket.current_step
    assert step.is_countersign and step.rule == "all"
    parts = {p.name: set(p.assignees.values_list("username", flat=True)) for p in step.parts.all()}
    assert parts == {"调出单位资产管理员": {"asset_a"}, "调入单位资产管理员": {"asset_b"}}

    sign(admins.a, ticket)
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_REVIEW  # one of two: still waiting for the receiving side
    sign(admins.b, ticket)
    ticket.refresh_from_db()
    assert ticket.status == Status.APPROVED
    signed = {p.decided_by.username for p in ticket.steps.get().parts.all()}
    assert signed == {"asset_a", "asset_b"}

    # The giving unit's administrator carries it out: the card is on 乙厅's books, with the ticket on the movement.
    portal.start_handling(actor=admins.a, ticket=ticket)
    portal.complete(actor=admins.a, ticket=ticket, outcome={"note": ""})
    asset.refresh_from_db()
    assert asset.org_unit == tree.b
    assert asset.movements.get(kind=MovementKind.TRANSFER).ticket_id == ticket.pk


def test_one_refusal_refuses_the_transfer_and_the_card_stays(admins, tree, cats, staff):
    asset = card(admins.a, tree.a, cats["A02010105"])
    ticket = file_transfer(staff.clerk_a1, asset, tree.b)
    sign(admins.a, ticket)
    sign(admins.b, ticket, decision="rejected", comment="乙厅暂无存放场地")
    ticket.refresh_from_db()
    assert ticket.status == Status.REJECTED
    assert Asset.objects.get(pk=asset.pk).org_unit == tree.a
    refused = ticket.steps.get().parts.get(name="调入单位资产管理员")
    assert (refused.decision, refused.decided_by, refused.comment) == ("rejected", admins.b, "乙厅暂无存放场地")


def test_a_signer_of_another_unit_cannot_sign_the_other_side(admins, tree, cats, staff):
    asset = card(admins.a, tree.a, cats["A02010105"])
    ticket = file_transfer(staff.clerk_a1, asset, tree.b)
    giving = ticket.current_step.parts.get(name="调出单位资产管理员")
    with pytest.raises(PermissionDenied, match="不是该会签方"):
        portal.decide(
            actor=admins.b, ticket=ticket, step_id=ticket.current_step_id, decision="approved", part_id=giving.pk
        )
    giving.refresh_from_db()
    assert giving.decision == "pending"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"asset": "NO-SUCH-CARD"}, "asset", "没有编号为"),
        ({"to_unit": "own"}, "to_unit", "本单位以外"),
        ({"reason": ""}, "reason", "请填写"),
    ],
)
def test_bad_transfer_input_is_answered_by_field(admins, tree, cats, staff, change, field, words):
    asset = card(admins.a, tree.a, cats["A02010105"])
    data = {"asset": asset.asset_number, "to_unit": tree.b.pk, "reason": "调剂", **change}
    if data["to_unit"] == "own":
        data["to_unit"] = tree.a.pk
    form = TransferRequestForm(data=data, requester=staff.clerk_a1)
    assert not form.is_valid()
    assert words in form.errors[field][0]
    assert not Ticket.objects.filter(kind="asset_transfer").exists()
