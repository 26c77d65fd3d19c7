"""公物仓申领 through the workflow engine: publish → request → approvals → transfer / loan → return."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assetpool import rules
from assetpool import services as pool
from assetpool.models import ListingStatus, PoolListing, Reuse
from assets import rules as asset_rules
from assets.models import Asset, Movement
from portal import services as portal
from portal.models import TicketStep
from portal.workflow import Status

from .factories import card, listing

pytestmark = pytest.mark.django_db


def approve_all(ticket):
    """Each pending step is decided by its first assignee, in order; returns who decided what."""
    decided = []
    while True:
        ticket.refresh_from_db()
        step = ticket.current_step
        if step is None:
            return decided
        approver = step.assignees.order_by("username").first()
        portal.decide(actor=approver, ticket=ticket, step_id=step.pk, decision=TicketStep.Decision.APPROVED)
        decided.append((step.name, approver.username))


def handle(ticket, handler, note="周三上午交接"):
    portal.start_handling(actor=handler, ticket=ticket)
    return portal.complete(actor=handler, ticket=ticket, outcome={"note": note})


def test_pool_publish_request_transfer_full_flow(pool_staff, tree, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    assert Asset.objects.get(pk=idle_card.pk).status == "in_pool"

    ticket = pool.file_pool_request(
        requester=pool_staff.clerk_b1, listing=offered, way="transfer", purpose="新进人员办公用"
    )
    assert ticket.status == Status.IN_REVIEW
    decided = approve_all(ticket)
    # The department head of the requester, then the publishing unit's asset administrator (not 乙厅's).
    assert decided == [("处室负责人审批", "head_b1"), ("发布单位资产管理员确认", "asset_a")]

    ticket.refresh_from_db()
    assert ticket.status == Status.APPROVED
    handle(ticket, pool_staff.asset_b)

    moved = Asset.objects.get(pk=idle_card.pk)
    assert moved.org_unit == tree.b1
    assert moved.status == "in_use"
    transfer = Movement.objects.get(asset=moved, kind="transfer")
    assert transfer.ticket_id == ticket.pk and transfer.from_unit == tree.a
    offered.refresh_from_db()
    assert offered.status == ListingStatus.TRANSFERRED
    reuse = Reuse.objects.get(ticket=ticket)
    assert (reuse.way, reuse.from_unit, reuse.org_unit, reuse.original_value) == (
        "transfer",
        tree.a,
        tree.b1,
        Decimal("6000.00"),
    )


def test_transfer_at_the_disposal_level_needs_bureau_approval(pool_staff, tree):
    # A transfer is a disposal (无偿划转): exactly the disposal level (≥, one rule in assets.rules) already
    # needs the bureau, as a disposal of the same card would.
    costly = card(
        pool_staff.asset_a,
        tree.a,
        code="A02010104",
        name="服务器",
        status="idle",
        original_value=Decimal("200000"),
    )
    assert asset_rules.disposal_needs_bureau(costly.original_value)
    offered = listing(pool_staff.asset_a, costly)
    ticket = pool.file_pool_request(requester=pool_staff.clerk_b1, listing=offered, way="transfer", purpose="机房")
    names = list(ticket.steps.order_by("index").values_list("name", flat=True))
    assert names[-1] == "机关事务管理局审批（大额调拨）"

    loan = pool.file_pool_request(
        requester=pool_staff.clerk_b1,
        listing=offered,
        way="loan",
        purpose="临时会议",
        return_date=timezone.localdate() + timedelta(days=30),
    )
    assert "机关事务管理局审批（大额调拨）" not in set(loan.steps.values_list("name", flat=True))


def test_loan_from_pool_and_its_return(pool_staff, tree, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    due = timezone.localdate() + timedelta(days=60)
    ticket = pool.file_pool_request(
        requester=pool_staff.clerk_b1, listing=offered, way="loan", purpose="专项检查借用", return_date=due
    )
    approve_all(ticket)
    handle(ticket, pool_staff.asset_b)

    lent = Asset.objects.get(pk=idle_card.pk)
    assert (lent.status, lent.org_unit, lent.lent_to_unit, lent.lent_until) == ("lent", tree.a, tree.b1, due)
    offered.refresh_from_db()
    assert offered.status == ListingStatus.LENT
    reuse = Reuse.objects.get(ticket=ticket)
    assert reuse.due_date == due and reuse.returned_at is None

    # The borrower cannot book the return: the lending unit's administrator takes it back.
    with pytest.raises(PermissionDenied):
        pool.record_return(actor=pool_staff.asset_b, reuse=reuse)
    pool.record_return(actor=pool_staff.asset_a, reuse=reuse)

    back = Asset.objects.get(pk=idle_card.pk)
    assert (back.status, back.lent_to_unit) == ("in_pool", None)
    offered.refresh_from_db()
    assert offered.status == ListingStatus.LISTED
    reuse.refresh_from_db()
    assert reuse.returned_by == pool_staff.asset_a
    with pytest.raises(ValidationError, match="已登记归还"):
        pool.record_return(actor=pool_staff.asset_a, reuse=reuse)


def test_second_request_for_an_item_already_transferred_is_refused_at_handling(pool_staff, tree, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    first = pool.file_pool_request(requester=pool_staff.clerk_b1, listing=offered, way="transfer", purpose="一")
    second = pool.file_pool_request(requester=pool_staff.clerk_b1, listing=offered, way="transfer", purpose="二")
    approve_all(first)
    approve_all(second)
    handle(first, pool_staff.asset_b)
    portal.start_handling(actor=pool_staff.asset_b, ticket=second)
    with pytest.raises(ValidationError, match="已调拨"):
        portal.complete(actor=pool_staff.asset_b, ticket=second, outcome={"note": ""})
    second.refresh_from_db()
    assert second.status == Status.IN_PROGRESS
    assert Reuse.objects.filter(ticket=second).count() == 0


def test_loan_without_return_date_refused_and_nothing_filed(pool_staff, idle_card):
    from portal.models import Ticket

    offered = listing(pool_staff.asset_a, idle_card)
    before = Ticket.objects.count()
    with pytest.raises(ValidationError) as exc:
        pool.file_pool_request(requester=pool_staff.clerk_b1, listing=offered, way="loan", purpose="借用")
    assert "借用须填写归还日期" in str(exc.value)
    with pytest.raises(ValidationError, match="最长"):
        pool.file_pool_request(
            requester=pool_staff.clerk_b1,
            listing=offered,
            way="loan",
            purpose="借用",
            return_date=timezone.localdate() + timedelta(days=rules.MAX_LOAN_DAYS + 1),
        )
    assert Ticket.objects.count() == before


def test_own_unit_cannot_request_its_own_item(pool_staff, tree):
    own = card(pool_staff.asset_a, tree.a1, status="idle")
    offered = listing(pool_staff.asset_a, own)
    with pytest.raises(ValidationError, match="本单位发布"):
        pool.file_pool_request(requester=pool_staff.clerk_a1, listing=offered, way="transfer", purpose="自用")


def test_withdrawn_listing_cannot_be_requested(pool_staff, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    pool.withdraw(actor=pool_staff.asset_a, listing=offered, reason="本单位重新启用")
    assert Asset.objects.get(pk=idle_card.pk).status == "idle"
    with pytest.raises(ValidationError, match="不能申领"):
        pool.file_pool_request(requester=pool_staff.clerk_b1, listing=offered, way="transfer", purpose="x")
    assert PoolListing.objects.get(pk=offered.pk).status == ListingStatus.WITHDRAWN


def test_publisher_step_goes_to_the_bureau_when_the_publisher_has_no_asset_administrator(pool_staff, tree):
    from datahub.roles import Role
    from tests.factories import OrgUnitFactory, UserFactory, grant

    c = OrgUnitFactory(code="C", name="丙厅", parent=tree.r)
    bureau = grant(UserFactory(username="bureau_r", org_unit=tree.r), Role.BUREAU_ADMIN, tree.r)
    offered = listing(bureau, card(bureau, c, status="idle"))
    ticket = pool.file_pool_request(requester=pool_staff.clerk_b1, listing=offered, way="transfer", purpose="调剂")
    step = ticket.steps.get(name="发布单位资产管理员确认")
    assert list(step.assignees.values_list("username", flat=True)) == ["bureau_r"]
    assert "无人担任“资产管理员”" in step.fallback_note
    approve_all(ticket)
    handle(ticket, pool_staff.asset_b)
    assert Asset.objects.get(pk=offered.asset_id).org_unit == tree.b1
    # The card was moved on the consent of the one who approved the release.
    assert Movement.objects.get(asset_id=offered.asset_id, kind="transfer").actor == bureau


def test_the_cards_pool_notes_read_in_the_readers_language(pool_staff, tree, idle_card):
    from django.utils import translation

    offered = listing(pool_staff.asset_a, idle_card)
    pool.withdraw(actor=pool_staff.asset_a, listing=offered, reason="本单位继续使用")
    put, taken = Movement.objects.filter(asset=idle_card, kind="status").order_by("pk")
    assert (put.note, taken.note) == ("交公物仓（虚拟仓）", "撤出公物仓：本单位继续使用")
    with translation.override("en"):
        assert put.shown_note.startswith("Put in the public asset pool (") and "虚拟仓" not in put.shown_note
        assert taken.shown_note == "Withdrawn from the public asset pool: 本单位继续使用"
