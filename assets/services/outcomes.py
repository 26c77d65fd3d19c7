"""What the portal's asset requests do when the handler records their outcome (inside the engine's
transaction): 领用 issues the cards, 处置 disposes of the card, 配置 books the purchased items, 调拨 moves
the card to the receiving unit.

Their positional signature (ticket, detail, actor, outcome) is the portal's RequestKind.record_outcome
contract, so they are the one exception to keyword-only writes; each is atomic on its own (a savepoint
inside the engine's transaction)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from datahub.keyed import Keyed, listed
from datahub.models import OrgUnit

from .. import rules
from ..models import Asset, AssetIssueRecord
from ..rules import AssetStatus
from ..selectors import institution_of, pickable_cards
from .booking import register_card
from .lifecycle import dispose, issue, set_status, transfer


@transaction.atomic
def requisition_record_outcome(*, ticket, detail, actor, outcome: dict) -> AssetIssueRecord:
    """Handing over the items writes the requisition ledger; no more than was asked for may be issued.
    Asset numbers given are issued to the requester through ``issue`` (each one a movement).
    """
    if outcome["quantity"] > detail.quantity:
        raise ValidationError(
            {"quantity": _("发放数量不能超过申请数量（%(quantity)s）。") % {"quantity": detail.quantity}}
        )
    codes = list(dict.fromkeys(c.strip() for c in (outcome.get("asset_codes") or "").replace("，", ",").split(",")))
    codes = [c for c in codes if c]
    # Only cards the handler keeps, of the requester's institution, in use or idle: a number that is not on
    # those books (mistyped, another unit's, already disposed) is refused rather than written to the ledger.
    cards = {
        a.asset_number.upper(): a
        for a in pickable_cards(actor, purpose="issue", unit=ticket.org_unit).filter(
            asset_number__in=[*codes, *(c.upper() for c in codes)]
        )
    }
    missing = [c for c in codes if c.upper() not in cards]
    if missing:
        raise ValidationError(
            {
                "asset_codes": _("资产编号“%(numbers)s”不存在，或不是本单位在用、闲置的资产，无法发放。")
                % {"numbers": listed(missing)}
            }
        )
    if len(codes) > outcome["quantity"]:
        raise ValidationError(
            {
                "asset_codes": _("资产编号有 %(count)s 个，超过发放数量（%(quantity)s）。")
                % {"count": len(codes), "quantity": outcome["quantity"]}
            }
        )
    record = AssetIssueRecord(
        ticket=ticket,
        org_unit=ticket.org_unit,
        recipient=ticket.requester,
        item_name=detail.item_name,
        category=detail.category,
        quantity=outcome["quantity"],
        asset_codes=",".join(cards[c.upper()].asset_number for c in codes),
        issued_by=actor,
    )
    record.full_clean()
    record.save()
    for code in codes:
        issue(
            asset=cards[code.upper()],
            to_person=ticket.requester,
            actor=actor,
            ticket=ticket,
            note=Keyed(gettext_noop("资产领用申请")),
        )
    return record


@transaction.atomic
def disposal_record_outcome(*, ticket, detail, actor, outcome: dict) -> Asset:
    """The approved 资产处置 ticket is carried out: the card is disposed (same transaction)."""
    return dispose(
        asset=detail.asset,
        way=detail.way,
        actor=actor,
        ticket=ticket,
        on=outcome.get("disposed_on"),
        income=outcome.get("income"),
        note=outcome.get("note", ""),
    )


@transaction.atomic
def purchase_record_outcome(*, ticket, detail, actor, outcome: dict) -> list[Asset]:
    """The purchased items arrive: book one card per item (入账), in the requester's unit."""
    count = outcome.get("booked_quantity") or detail.quantity
    if count > detail.quantity:
        raise ValidationError(
            {"booked_quantity": _("入账数量不能超过申请数量（%(quantity)s）。") % {"quantity": detail.quantity}}
        )
    price = outcome.get("unit_price") or detail.unit_price
    cards = [
        register_card(
            actor=actor,
            org_unit=institution_of(ticket.org_unit),
            user_department=ticket.org_unit if ticket.org_unit.level == OrgUnit.Level.DEPARTMENT else None,
            category=detail.category,
            name=detail.item_name,
            spec=outcome.get("spec", ""),
            original_value=price,
            acquired_on=outcome.get("acquired_on") or timezone.localdate(),
            ticket=ticket,
        )
        for _ in range(count)
    ]
    if detail.replaces_id:
        replaced = Asset.objects.get(pk=detail.replaces_id)
        if replaced.status != AssetStatus.PENDING_DISPOSAL and replaced.status in rules.SETTABLE_STATUSES:
            set_status(
                asset=replaced,
                status=AssetStatus.PENDING_DISPOSAL,
                actor=actor,
                reason=Keyed(gettext_noop("已配置更新资产，待处置")),
                ticket=ticket,
            )
    return cards


@transaction.atomic
def transfer_record_outcome(*, ticket, detail, actor, outcome: dict) -> Asset:
    """The countersigned 资产调拨申请 is carried out: the card moves to the receiving unit's books."""
    # The requester's reason and the handler's note as typed, put together in the reader's language.
    note = outcome.get("note")
    reason = (
        Keyed(gettext_noop("%(reason)s（%(note)s）"), {"reason": detail.reason, "note": note})
        if note
        else detail.reason
    )
    return transfer(asset=detail.asset, to_unit=detail.to_unit, actor=actor, reason=reason, ticket=ticket)
