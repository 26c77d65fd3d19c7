"""公物仓 rules: publishing, changing and withdrawing listings; the hand-in list; 先仓后购."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assetpool import rules, selectors
from assetpool import services as pool
from assetpool.models import ListingStatus, PoolListing, PoolMode
from assets.models import Asset, Movement

from .factories import RoomFactory, card, category, listing

pytestmark = pytest.mark.django_db


def test_publishing_sets_the_card_in_pool_through_the_assets_service(pool_staff, idle_card):
    offered = listing(pool_staff.asset_a, idle_card, condition="fair", description="九成新")
    assert offered.previous_asset_status == "idle"
    assert Asset.objects.get(pk=idle_card.pk).status == "in_pool"
    moved = Movement.objects.filter(asset=idle_card, kind="status").latest("at")
    assert (moved.from_status, moved.to_status, moved.actor) == ("idle", "in_pool", pool_staff.asset_a)


def test_physical_pool_needs_a_store_and_virtual_takes_none(pool_staff, tree, idle_card):
    with pytest.raises(ValidationError) as exc:
        pool.publish(actor=pool_staff.asset_a, asset=idle_card, mode=PoolMode.PHYSICAL)
    assert "实体仓须选择存放房间或填写存放仓库" in str(exc.value)
    with pytest.raises(ValidationError, match="虚拟仓资产原地存放"):
        pool.publish(actor=pool_staff.asset_a, asset=idle_card, mode=PoolMode.VIRTUAL, store_text="一号仓")
    assert not PoolListing.objects.exists()
    assert Asset.objects.get(pk=idle_card.pk).status == "idle"
    store = RoomFactory(org_unit=tree.a)
    offered = pool.publish(actor=pool_staff.asset_a, asset=idle_card, mode=PoolMode.PHYSICAL, store_room=store)
    assert offered.store_label == str(store)


def test_store_room_of_another_unit_refused(pool_staff, tree, idle_card):
    elsewhere = RoomFactory(org_unit=tree.b)
    with pytest.raises(ValidationError, match="不在您的管理范围内"):
        pool.publish(actor=pool_staff.asset_a, asset=idle_card, mode=PoolMode.PHYSICAL, store_room=elsewhere)


def test_an_asset_is_listed_once(pool_staff, idle_card):
    listing(pool_staff.asset_a, idle_card)
    with pytest.raises(ValidationError, match="只有在用或闲置的资产可以入仓"):
        pool.publish(actor=pool_staff.asset_a, asset=idle_card)
    assert PoolListing.objects.count() == 1


def test_unit_b_cannot_publish_change_or_withdraw_unit_a_assets(pool_staff, idle_card):
    with pytest.raises(PermissionDenied):
        pool.publish(actor=pool_staff.asset_b, asset=idle_card)
    offered = listing(pool_staff.asset_a, idle_card)
    with pytest.raises(PermissionDenied):
        pool.update_listing(actor=pool_staff.asset_b, listing=offered, condition="repair")
    with pytest.raises(PermissionDenied):
        pool.withdraw(actor=pool_staff.asset_b, listing=offered)
    # A plain civil servant of 甲厅 may not either: only its asset administrators.
    with pytest.raises(PermissionDenied):
        pool.withdraw(actor=pool_staff.clerk_a1, listing=offered)
    offered.refresh_from_db()
    assert (offered.status, offered.condition) == (ListingStatus.LISTED, "good")


def test_withdrawal_restores_the_former_status(pool_staff, tree):
    in_use = card(pool_staff.asset_a, tree.a)
    offered = listing(pool_staff.asset_a, in_use)
    pool.withdraw(actor=pool_staff.asset_a, listing=offered)
    assert Asset.objects.get(pk=in_use.pk).status == "in_use"
    with pytest.raises(ValidationError, match="不能撤回"):
        pool.withdraw(actor=pool_staff.asset_a, listing=offered)


def test_idle_listing_at_the_six_month_edge(pool_staff, idle_card):
    """闲置满6个月 (≥): listed on the day six months after it became idle, not the day before."""
    became_idle = timezone.localdate()
    edge = became_idle + relativedelta(months=rules.IDLE_MONTHS_FOR_HAND_IN)
    assert list(selectors.idle_assets(pool_staff.asset_a, as_of=edge)) == [idle_card]
    assert list(selectors.idle_assets(pool_staff.asset_a, as_of=edge - timedelta(days=1))) == []


def test_idle_since_is_the_last_move_into_idle(pool_staff, tree):
    from assets import services as asset_services

    pc = card(pool_staff.asset_a, tree.a)  # in use since booking
    edge = timezone.localdate() + relativedelta(months=rules.IDLE_MONTHS_FOR_HAND_IN)
    assert list(selectors.idle_assets(pool_staff.asset_a, as_of=edge)) == []
    asset_services.set_status(asset=pc, status="idle", actor=pool_staff.asset_a, reason="人员调离")
    listed = list(selectors.idle_assets(pool_staff.asset_a, as_of=edge))
    assert listed == [pc] and timezone.localtime(listed[0].idle_at).date() == timezone.localdate()


def test_idle_list_is_scoped_to_the_administrators_units(pool_staff, idle_card):
    edge = timezone.localdate() + relativedelta(months=rules.IDLE_MONTHS_FOR_HAND_IN)
    assert list(selectors.idle_assets(pool_staff.asset_b, as_of=edge)) == []
    assert list(selectors.idle_assets(pool_staff.clerk_a1, as_of=edge)) == []


def test_matching_pool_items_for_a_purchase(pool_staff, tree, idle_card):
    """先仓后购: the pool's desktop PCs are shown to 乙厅 before it buys one (not to 甲厅, whose own they are)."""
    printer = card(pool_staff.asset_a, tree.a, code="A02021004", name="彩色打印机", status="idle")
    pc_listing = listing(pool_staff.asset_a, idle_card)
    listing(pool_staff.asset_a, printer)
    desktops = category("A02010105")
    computers = category("A020101")  # the parent class matches its sub-classes too
    assert list(selectors.matching_pool_items(desktops, pool_staff.clerk_b1)) == [pc_listing]
    assert list(selectors.matching_pool_items(computers, pool_staff.clerk_b1)) == [pc_listing]
    assert list(selectors.matching_pool_items(category("A0203"), pool_staff.clerk_b1)) == []
    assert list(selectors.matching_pool_items(desktops, pool_staff.clerk_a1)) == []


def test_statistics_count_reuse_and_overdue_loans(pool_staff, tree, idle_card):
    from .test_flow import approve_all, handle

    offered = listing(pool_staff.asset_a, idle_card)
    ticket = pool.file_pool_request(
        requester=pool_staff.clerk_b1,
        listing=offered,
        way="loan",
        purpose="借用",
        return_date=timezone.localdate() + timedelta(days=1),
    )
    approve_all(ticket)
    handle(ticket, pool_staff.asset_b)
    stats = selectors.statistics(pool_staff.asset_a)
    assert (stats["items"], stats["loans"], stats["outstanding"], stats["overdue"]) == (1, 1, 1, 0)
    assert stats["value"] == idle_card.original_value
    # Another agency's administrator with neither end in scope sees nothing of it.
    from datahub.roles import Role
    from tests.factories import OrgUnitFactory, UserFactory, grant

    c = OrgUnitFactory(code="C", name="丙厅", parent=tree.r)
    outsider = grant(UserFactory(org_unit=c), Role.ASSET_ADMIN, c)
    assert selectors.statistics(outsider)["items"] == 0
