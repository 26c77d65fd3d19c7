"""Every lifecycle transition writes a movement; every illegal move is refused in Chinese and
leaves the card as it was (《行政事业性国有资产管理条例》, REFERENCE §4.3)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assets import rules, services
from assets.models import Asset, AssetStatus, Movement, MovementKind
from datahub.models import OrgUnit
from portal import services as portal
from tests.factories import UserFactory

from .factories import card

pytestmark = pytest.mark.django_db


def kinds(asset):
    return list(Movement.objects.filter(asset=asset).order_by("at", "pk").values_list("kind", flat=True))


def test_booking_generates_a_unique_number_and_a_movement(admins, tree, cats):
    one = card(admins.a, tree.a, cats["A02010105"])
    two = card(admins.a, tree.a, cats["A02010105"])
    assert one.asset_number != two.asset_number
    assert one.asset_number.startswith("ZC2026")
    assert one.status == AssetStatus.IN_USE
    assert one.useful_life_months == 72  # 计算机设备 ≥6年, from the category
    assert one.next_depreciation_month == date(2026, 1, 1)  # the booking month (当月增加当月提)
    assert kinds(one) == [MovementKind.BOOK]


def test_item_below_capitalisation_threshold_is_a_consumable_not_a_card(admins, tree, cats):
    with pytest.raises(ValidationError) as err:
        card(admins.a, tree.a, cats["A05010301"], original_value=Decimal("999.99"))
    assert "低值易耗品" in err.value.message_dict["original_value"][0]
    assert not Asset.objects.exists()


@pytest.mark.parametrize("code", ["A0232", "A0221", "A0236"])
def test_special_equipment_categories_carry_the_1500_threshold(admins, tree, cats, code):
    # 医疗设备, 工程机械, 环境污染防治设备 are seeded as 专用设备: 1,200元 is a consumable there (it would be
    # a card in a general class), 1,500元 is a card.
    special = cats[code]
    assert special.special_equipment
    with pytest.raises(ValidationError) as err:
        card(admins.a, tree.a, special, original_value=Decimal("1200"))
    assert "资本化起点1500" in err.value.message_dict["original_value"][0]
    assert card(admins.a, tree.a, special, original_value=Decimal("1500")).pk
    assert card(admins.a, tree.a, cats["A0210"], original_value=Decimal("1200")).pk  # 仪器仪表: general


def test_useful_life_below_the_category_minimum_refused(admins, tree, cats):
    with pytest.raises(ValidationError) as err:
        card(admins.a, tree.a, cats["A0501"], useful_life_months=120)
    assert "最低年限180" in err.value.message_dict["useful_life_months"][0]


def test_books_are_not_depreciated(admins, tree, cats):
    book = card(admins.a, tree.a, cats["A04"], original_value=Decimal("3000"))
    assert not book.depreciates and book.next_depreciation_month is None


def test_other_units_admin_cannot_book_or_move(admins, tree, cats):
    with pytest.raises(PermissionDenied):
        card(admins.b, tree.a, cats["A02010105"])
    asset = card(admins.a, tree.a, cats["A02010105"])
    with pytest.raises(PermissionDenied):
        services.set_status(asset=asset, status=AssetStatus.IDLE, actor=admins.b, reason="x")


def test_issue_and_return(admins, tree, cats, rooms, people):
    asset = card(admins.a, tree.a, cats["A02010105"])
    services.issue(asset=asset, to_person=people.clerk_a1, actor=admins.a, room=rooms.a1)
    asset.refresh_from_db()
    assert asset.custodian == people.clerk_a1 and asset.location == rooms.a1
    services.return_asset(asset=asset, actor=admins.a)
    asset.refresh_from_db()
    assert asset.custodian is None and asset.status == AssetStatus.IDLE
    assert kinds(asset) == [MovementKind.BOOK, MovementKind.ISSUE, MovementKind.RETURN]


def test_issue_to_a_person_of_another_unit_refused(admins, tree, cats, people):
    asset = card(admins.a, tree.a, cats["A02010105"])
    with pytest.raises(ValidationError) as err:
        services.issue(asset=asset, to_person=people.clerk_b1, actor=admins.a)
    assert "领用人" in err.value.message_dict["to_person"][0]
    assert kinds(asset) == [MovementKind.BOOK]


def test_transfer_moves_the_card_to_the_other_unit(admins, tree, cats, people):
    asset = card(admins.a, tree.a, cats["A02010105"], custodian=people.clerk_a1)
    services.transfer(asset=asset, to_unit=tree.b, actor=admins.a, reason="调剂使用")
    asset.refresh_from_db()
    assert asset.org_unit == tree.b and asset.custodian is None
    move = Movement.objects.get(asset=asset, kind=MovementKind.TRANSFER)
    assert (move.from_unit, move.to_unit, move.note) == (tree.a, tree.b, "调剂使用")


def test_transfer_without_reason_refused(admins, tree, cats):
    asset = card(admins.a, tree.a, cats["A02010105"])
    with pytest.raises(ValidationError) as err:
        services.transfer(asset=asset, to_unit=tree.b, actor=admins.a, reason=" ")
    assert "调拨理由" in err.value.message_dict["reason"][0]


def test_lending_for_an_administrative_unit_refused_without_approval(admins, tree, cats):
    assert tree.a.kind == OrgUnit.Kind.PARTY_GOVERNMENT
    asset = card(admins.a, tree.a, cats["A02010105"])
    with pytest.raises(ValidationError) as err:
        services.lend(
            asset=asset, to_unit_or_party="某公司", until=timezone.localdate() + timedelta(days=30), actor=admins.a
        )
    assert "行政单位" in err.value.message_dict["ticket"][0]
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_USE and kinds(asset) == [MovementKind.BOOK]


def _approved_ticket(requester):
    ticket = portal.file_request(
        requester=requester,
        kind_code="asset_requisition",
        detail_fields={
            "item_name": "投影仪",
            "category_id": "A0202",
            "quantity": 1,
            "purpose": "借用",
            "needed_by": timezone.localdate() + timedelta(days=3),
        },
    )
    ticket.status = "approved"
    ticket.save(update_fields=["status"])
    return ticket


def test_lending_with_an_approved_ticket_records_income_and_return(admins, tree, cats, staff):
    asset = card(admins.a, tree.a, cats["A02010105"])
    ticket = _approved_ticket(staff.clerk_a1)
    until = timezone.localdate() + timedelta(days=30)
    services.lend(
        asset=asset, to_unit_or_party=tree.b, until=until, actor=admins.a, income=Decimal("300"), ticket=ticket
    )
    asset.refresh_from_db()
    assert asset.status == AssetStatus.LENT and asset.lent_to_unit == tree.b and asset.lent_until == until
    assert Movement.objects.get(asset=asset, kind=MovementKind.LEND).amount == Decimal("300")
    services.return_lent(asset=asset, actor=admins.a)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_USE and asset.lent_to_unit is None


def test_public_institution_may_lend_without_ticket(admins, tree, cats):
    tree.b.kind = OrgUnit.Kind.PUBLIC_INSTITUTION
    tree.b.save()
    asset = card(admins.b, tree.b, cats["A02010105"])
    services.lend(
        asset=asset, to_unit_or_party="某学会", until=timezone.localdate() + timedelta(days=10), actor=admins.b
    )
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.LENT


def test_disposing_a_lent_asset_refused(admins, tree, cats, staff):
    asset = card(admins.a, tree.a, cats["A02010105"])
    services.lend(
        asset=asset,
        to_unit_or_party=tree.b,
        until=timezone.localdate() + timedelta(days=30),
        actor=admins.a,
        ticket=_approved_ticket(staff.clerk_a1),
    )
    with pytest.raises(ValidationError) as err:
        services.dispose(asset=asset, way=rules.DisposalWay.SCRAP, actor=admins.a)
    assert "须先收回" in err.value.message_dict["asset"][0]
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.LENT


def test_dispose_scraps_the_card(admins, tree, cats):
    asset = card(admins.a, tree.a, cats["A02010105"])
    services.dispose(asset=asset, way=rules.DisposalWay.SCRAP, actor=admins.a, on=date(2026, 6, 20))
    asset.refresh_from_db()
    assert asset.status == AssetStatus.DISPOSED and asset.disposal_way == "scrap"
    assert asset.depreciation_end == date(2026, 6, 1)  # 当月减少当月不提: June is no longer depreciated
    with pytest.raises(ValidationError):
        services.dispose(asset=asset, way=rules.DisposalWay.SCRAP, actor=admins.a)


def test_high_value_disposal_needs_the_bureau(admins, tree, cats):
    asset = card(admins.a, tree.a, cats["A0203"], original_value=Decimal("250000"))
    with pytest.raises(ValidationError) as err:
        services.dispose(asset=asset, way=rules.DisposalWay.SALE, actor=admins.a)
    assert "机关事务管理局" in err.value.message_dict["way"][0]
    services.dispose(asset=asset, way=rules.DisposalWay.SALE, actor=admins.bureau, income=Decimal("30000"))
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.DISPOSED


def test_repair_start_and_end(admins, tree, cats):
    asset = card(admins.a, tree.a, cats["A02010105"])
    services.start_repair(asset=asset, actor=admins.a, note="无法开机")
    with pytest.raises(ValidationError):
        services.start_repair(asset=asset, actor=admins.a)
    with pytest.raises(ValidationError) as err:
        services.transfer(asset=asset, to_unit=tree.b, actor=admins.a, reason="x")
    assert "维修中" in err.value.message_dict["status"][0]
    services.end_repair(asset=asset, actor=admins.a, cost=Decimal("200"))
    assert kinds(asset)[-2:] == [MovementKind.REPAIR_START, MovementKind.REPAIR_END]


def test_relocate_within_the_unit(admins, tree, cats, rooms, people):
    asset = card(admins.a, tree.a, cats["A02010105"], location=rooms.a1)
    services.relocate(asset=asset, room=rooms.a2, custodian=people.clerk_a1, actor=admins.a, reason="搬迁")
    asset.refresh_from_db()
    assert (asset.location, asset.custodian) == (rooms.a2, people.clerk_a1)
    with pytest.raises(ValidationError) as err:
        services.relocate(asset=asset, room=rooms.b1, actor=admins.a, reason="搬迁")
    assert "存放地点" in err.value.message_dict["room"][0]


def test_set_status_idle_and_pool_but_not_disposed(admins, tree, cats):
    asset = card(admins.a, tree.a, cats["A02010105"])
    services.set_status(asset=asset, status=AssetStatus.IDLE, actor=admins.a, reason="人员调离")
    services.set_status(asset=asset, status=AssetStatus.IN_POOL, actor=admins.a, reason="交公物仓")
    with pytest.raises(ValidationError):
        services.set_status(asset=asset, status=AssetStatus.DISPOSED, actor=admins.a, reason="x")
    with pytest.raises(ValidationError):
        services.set_status(asset=asset, status=AssetStatus.IN_POOL, actor=admins.a, reason="x")
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.IN_POOL


def test_movements_are_append_only(admins, tree, cats):
    asset = card(admins.a, tree.a, cats["A02010105"])
    move = Movement.objects.get(asset=asset)
    move.note = "改"
    with pytest.raises(ValidationError):
        move.save()
    with pytest.raises(ValidationError):
        move.delete()


def test_field_history_records_who_changed_what(admins, tree, cats, people):
    asset = card(admins.a, tree.a, cats["A02010105"])
    services.issue(asset=asset, to_person=people.clerk_a1, actor=admins.a)
    asset.refresh_from_db()
    assert asset.history.count() == 2
    assert asset.history.first().custodian_id == people.clerk_a1.pk


def test_a_person_without_role_cannot_move(admins, tree, cats):
    asset = card(admins.a, tree.a, cats["A02010105"])
    with pytest.raises(PermissionDenied):
        services.transfer(asset=asset, to_unit=tree.b, actor=UserFactory(org_unit=tree.a), reason="x")


def test_lending_cannot_cite_another_units_approval(admins, tree, cats, people):
    # An approved request of an unrelated unit is not this loan's approval.
    asset = card(admins.a, tree.a, cats["A02010105"])
    elsewhere = _approved_ticket(people.clerk_b1)
    with pytest.raises(ValidationError) as err:
        services.lend(
            asset=asset,
            to_unit_or_party="某公司",
            until=timezone.localdate() + timedelta(days=30),
            actor=admins.a,
            ticket=elsewhere,
        )
    assert "不能作为本次出租出借的审批依据" in err.value.message_dict["ticket"][0]
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_USE and kinds(asset) == [MovementKind.BOOK]
