"""The request kinds on the portal engine: 资产配置申请 checked against the configuration standard
(财资〔2016〕27号: desktop PC ≤5,000元, ≥6 years, ≤100% of headcount), early renewal needing the
bureau, and 资产处置 approved by value level then carried out on the card."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assets.models import Asset, AssetStatus
from portal import services as portal
from portal.registry import get

from .factories import card

pytestmark = pytest.mark.django_db


def purchase(requester, **fields):
    detail = {"item_name": "台式计算机", "quantity": 1, "unit_price": Decimal("4500"), "reason": "新进人员"}
    detail.update(fields)
    return portal.file_request(requester=requester, kind_code="asset_purchase", detail_fields=detail)


def test_desktop_over_the_price_cap_is_refused_naming_the_rule(staff, cats):
    with pytest.raises(ValidationError) as err:
        purchase(staff.clerk_a1, category=cats["A02010105"], unit_price=Decimal("5600"))
    message = err.value.message_dict["unit_price"][0]
    assert "财资〔2016〕27号" in message and "5000" in message


def test_desktops_beyond_headcount_are_refused(staff, tree, cats, admins):
    # 甲厅's subtree has its active people; the cap is 100% of them.
    from assets.selectors import headcount

    people = headcount(tree.a)
    for _ in range(people):
        card(admins.a, tree.a, cats["A02010105"], original_value=Decimal("4500"))
    with pytest.raises(ValidationError) as err:
        purchase(staff.clerk_a1, category=cats["A02010105"])
    assert "数量上限" in err.value.message_dict["quantity"][0]


def test_purchase_within_the_standard_is_filed(staff, cats):
    ticket = purchase(staff.clerk_a1, category=cats["A02010105"])
    assert ticket.status in ("in_review", "submitted")


def test_renewal_before_minimum_life_needs_explicit_request_and_the_bureau(staff, tree, cats, admins):
    old = card(admins.a, tree.a, cats["A02010105"], acquired_on=date(2024, 1, 1), booked_on=date(2024, 1, 5))
    with pytest.raises(ValidationError) as err:
        purchase(staff.clerk_a1, category=cats["A02010105"], replaces=old)
    assert "提前更新" in err.value.message_dict["early_renewal"][0]
    ticket = purchase(staff.clerk_a1, category=cats["A02010105"], replaces=old, early_renewal=True)
    kind = get("asset_purchase")
    detail = kind.detail_model.objects.get(ticket=ticket)
    steps = [step.name for step in kind.chain if step.applies_to(detail)]
    assert "机关事务管理局审批（提前更新）" in steps


def test_disposal_request_of_a_lent_asset_is_refused_on_filing(staff, tree, cats, admins):
    asset = card(admins.a, tree.a, cats["A02010105"])
    Asset.objects.filter(pk=asset.pk).update(status=AssetStatus.LENT)
    with pytest.raises(ValidationError) as err:
        portal.file_request(
            requester=staff.clerk_a1,
            kind_code="asset_disposal",
            detail_fields={"asset": asset, "way": "scrap", "reason": "损坏"},
        )
    assert "须先收回" in err.value.message_dict["asset"][0]


def test_high_value_disposal_chain_includes_the_bureau(staff, tree, cats, admins):
    low = card(admins.a, tree.a, cats["A02010105"])
    high = card(admins.a, tree.a, cats["A0203"], original_value=Decimal("260000"))
    kind = get("asset_disposal")
    names = {}
    for asset in (low, high):
        ticket = portal.file_request(
            requester=staff.clerk_a1,
            kind_code="asset_disposal",
            detail_fields={"asset": asset, "way": "scrap", "reason": "报废"},
        )
        detail = kind.detail_model.objects.get(ticket=ticket)
        names[asset.pk] = [s.name for s in kind.chain if s.applies_to(detail)]
    assert "机关事务管理局审批（原值较高或提前处置）" not in names[low.pk]
    assert "机关事务管理局审批（原值较高或提前处置）" in names[high.pk]


def test_approved_disposal_ticket_disposes_the_card(staff, tree, cats, admins):
    asset = card(admins.a, tree.a, cats["A02010105"])
    ticket = portal.file_request(
        requester=staff.clerk_a1,
        kind_code="asset_disposal",
        detail_fields={"asset": asset, "way": "scrap", "reason": "报废"},
    )
    ticket.status = "approved"
    ticket.save(update_fields=["status"])
    kind = get("asset_disposal")
    kind.record_outcome(
        ticket=ticket,
        detail=kind.detail_model.objects.get(ticket=ticket),
        actor=admins.a,
        outcome={"disposed_on": date(2026, 5, 1)},
    )
    asset.refresh_from_db()
    assert asset.status == AssetStatus.DISPOSED and asset.movements.filter(kind="dispose", ticket=ticket).exists()


def test_requisition_outcome_issues_the_named_cards(staff, tree, cats, admins):
    asset = card(admins.a, tree.a, cats["A02010105"])
    ticket = portal.file_request(
        requester=staff.clerk_a1,
        kind_code="asset_requisition",
        detail_fields={
            "item_name": "电脑",
            "category_id": "A020101",
            "quantity": 1,
            "purpose": "办公",
            "needed_by": date(2099, 1, 1),
        },
    )
    kind = get("asset_requisition")
    kind.record_outcome(
        ticket=ticket,
        detail=kind.detail_model.objects.get(ticket=ticket),
        actor=admins.a,
        outcome={"quantity": 1, "asset_codes": asset.asset_number},
    )
    asset.refresh_from_db()
    assert asset.custodian == staff.clerk_a1
