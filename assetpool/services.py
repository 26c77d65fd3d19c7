"""Every write of the 公物仓. One transaction each; a refused action raises ValidationError
(field → Chinese message) or PermissionDenied and writes nothing.

The card is never written here: its status, unit and loan go through ``assets.services``
(set_status / transfer / lend / return_lent), inside the same transaction as the listing.
Who may change a listing: the asset administrators of the publishing unit (or above it)
and bureau administrators — browsing is open to everybody, changing is not.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from assets import services as asset_services
from assets.rules import AssetStatus
from datahub import scoping
from datahub.keyed import Keyed, choice
from portal import services as portal_services
from portal.models import TicketStep

from .models import ListingStatus, PoolListing, PoolMode, PoolRequest, RequestWay, Reuse
from .routing import PUBLISHER_STEP
from .selectors import POOL_EDITORS

LISTING_FIELDS = ("mode", "store_room", "store_text", "condition", "description")


UNIT_POOL = _("该单位的公物仓资产")


def _require(actor, unit, what=UNIT_POOL) -> None:
    if not scoping.covers(actor, unit, roles=POOL_EDITORS):
        raise PermissionDenied(_("您没有管理%(what)s的权限（须为发布单位的资产管理员）。") % {"what": what})


def check_store(*, mode, store_room, store_text, actor) -> dict:
    """Where a listed card is kept must fit its mode (a physical store names a room or a store; a
    virtual one names none), and a named room must be active and within the actor's scope."""
    errors = {}
    if mode not in PoolMode.values:
        errors["mode"] = _("请选择入仓方式（虚拟仓或实体仓）。")
    elif mode == PoolMode.PHYSICAL and store_room is None and not (store_text or "").strip():
        errors["store_room"] = _("实体仓须选择存放房间或填写存放仓库。")
    elif mode == PoolMode.VIRTUAL and (store_room is not None or (store_text or "").strip()):
        errors["store_room"] = _("虚拟仓资产原地存放，不填存放地点。")
    if store_room is not None and not store_room.is_active:
        errors["store_room"] = _("房间“%(store_room)s”已停用。") % {"store_room": store_room}
    elif store_room is not None and not scoping.covers(actor, store_room.org_unit, roles=POOL_EDITORS):
        errors["store_room"] = _("房间“%(store_room)s”不在您的管理范围内。") % {"store_room": store_room}
    return errors


@transaction.atomic
def publish(
    *, actor, asset, mode=PoolMode.VIRTUAL, store_room=None, store_text="", condition="good", description=""
) -> PoolListing:
    """A unit offers one of its assets to the pool (闲置、低效运转或超标准配置的资产, R27). The card
    becomes 在公物仓; a virtual listing stays where it is, a physical one names its store."""
    asset = asset_services.card_lock(asset=asset)
    _require(actor, asset.org_unit, _("“%(name)s”的资产") % {"name": asset.org_unit.name})
    errors = check_store(mode=mode, store_room=store_room, store_text=store_text, actor=actor)
    if asset.status not in (AssetStatus.IDLE, AssetStatus.IN_USE):
        errors["asset"] = _("资产“%(asset_number)s”当前为“%(status)s”，只有在用或闲置的资产可以入仓。") % {
            "asset_number": asset.asset_number,
            "status": asset.get_status_display(),
        }
    if errors:
        raise ValidationError(errors)
    listing = PoolListing(
        asset=asset,
        org_unit=asset.org_unit,
        mode=mode,
        store_room=store_room if mode == PoolMode.PHYSICAL else None,
        store_text=(store_text or "").strip() if mode == PoolMode.PHYSICAL else "",
        condition=condition,
        description=description or "",
        previous_asset_status=asset.status,
        published_by=actor,
    )
    listing.full_clean(exclude=["asset", "org_unit", "published_by", "store_room"])
    try:
        with transaction.atomic():
            listing.save()
    except IntegrityError:
        raise ValidationError(
            {"asset": _("资产“%(asset_number)s”已在公物仓中。") % {"asset_number": asset.asset_number}}
        ) from None
    asset_services.set_status(
        asset=asset,
        status=AssetStatus.IN_POOL,
        actor=actor,
        reason=Keyed(gettext_noop("交公物仓（%(mode)s）"), {"mode": choice(listing, "mode")}),
    )
    return listing


@transaction.atomic
def update_listing(*, actor, listing: PoolListing, **fields) -> PoolListing:
    """The publishing unit corrects how and where the item is stored, its condition and description."""
    listing = PoolListing.objects.select_for_update().get(pk=listing.pk)
    _require(actor, listing.org_unit)
    unknown = set(fields) - set(LISTING_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("不支持的字段。")))
    if listing.status != ListingStatus.LISTED:
        raise ValidationError(_("该资产%(status)s，不能修改。") % {"status": listing.get_status_display()})
    for name, value in fields.items():
        setattr(listing, name, value)
    errors = check_store(mode=listing.mode, store_room=listing.store_room, store_text=listing.store_text, actor=actor)
    if errors:
        raise ValidationError(errors)
    if listing.mode == PoolMode.VIRTUAL:
        listing.store_room, listing.store_text = None, ""
    listing.full_clean(exclude=["asset", "org_unit", "published_by", "store_room"])
    listing.save()
    return listing


@transaction.atomic
def withdraw(*, actor, listing: PoolListing, reason: str = "") -> PoolListing:
    """The publishing unit takes an item back out of the pool; the card returns to its former status."""
    listing = PoolListing.objects.select_for_update().get(pk=listing.pk)
    _require(actor, listing.org_unit)
    if listing.status != ListingStatus.LISTED:
        raise ValidationError(_("该资产%(status)s，不能撤回。") % {"status": listing.get_status_display()})
    listing.status = ListingStatus.WITHDRAWN
    listing.closed_at = timezone.now()
    listing.save()
    back = listing.previous_asset_status if listing.previous_asset_status in AssetStatus.values else AssetStatus.IDLE
    if back == AssetStatus.IN_POOL:
        back = AssetStatus.IDLE
    asset_services.set_status(
        asset=listing.asset,
        status=back,
        actor=actor,
        reason=Keyed(gettext_noop("撤出公物仓：%(reason)s"), {"reason": reason})
        if reason
        else Keyed(gettext_noop("已撤出公物仓")),
    )
    return listing


# --- 公物仓申领 -----------------------------------------------------------------------------------


@transaction.atomic
def file_pool_request(*, requester, listing: PoolListing, way: str, purpose: str, return_date=None):
    """File a 公物仓申领 on the workflow engine for one listing (the listing page's 申领 button)."""
    return portal_services.file_request(
        requester=requester,
        kind_code="pool_request",
        detail_fields={"listing": listing, "way": way, "purpose": purpose, "return_date": return_date},
    )


def _card_actor(ticket, listing: PoolListing, handler):
    """Who moves the card: the card's own unit must consent (assets.services requires an asset
    administrator over the card's unit). The handler when they cover the publishing unit (or are a
    bureau administrator over both); otherwise the publishing unit's asset administrator who
    approved the release step of this round — the move is then recorded in their name, as the
    consent it is."""
    if scoping.covers(handler, listing.org_unit, roles=POOL_EDITORS):
        return handler
    step = (
        TicketStep.objects.filter(
            ticket=ticket,
            round=ticket.round,
            name=PUBLISHER_STEP,
            decision=TicketStep.Decision.APPROVED,
        )
        .select_related("decided_by")
        .first()
    )
    if step and step.decided_by and scoping.covers(step.decided_by, listing.org_unit, roles=POOL_EDITORS):
        return step.decided_by
    raise PermissionDenied(_("“%(name)s”的资产管理员未同意调出，不能办理。") % {"name": listing.org_unit.name})


@transaction.atomic
def pool_request_record_outcome(*, ticket, detail: PoolRequest, actor, outcome: dict) -> Reuse:
    """Close an approved 公物仓申领 (inside the engine's transaction): the card is transferred to the
    requesting unit (调拨) or lent to it until the return date (借用) through the assets services,
    the listing leaves the pool, and the reuse ledger gets its row."""
    listing = PoolListing.objects.select_for_update().select_related("org_unit").get(pk=detail.listing_id)
    if listing.status != ListingStatus.LISTED:
        raise ValidationError(_("该资产已%(status)s，本申请无法办理。") % {"status": listing.get_status_display()})
    card_actor = _card_actor(ticket, listing, actor)
    asset = listing.asset
    note = (outcome.get("note") or "").strip()
    # The card's note is a message (read in the reader's language) around the handler's words as typed.
    reason = (
        Keyed(gettext_noop("公物仓申领 #%(pk)s：%(note)s"), {"pk": ticket.pk, "note": note})
        if note
        else Keyed(gettext_noop("公物仓申领 #%(pk)s"), {"pk": ticket.pk})
    )
    if detail.way == RequestWay.TRANSFER:
        asset = asset_services.transfer(
            asset=asset, to_unit=ticket.org_unit, actor=card_actor, reason=reason, ticket=ticket
        )
        listing.status = ListingStatus.TRANSFERRED
        listing.closed_at = timezone.now()
        due = None
    else:
        asset = asset_services.lend(
            asset=asset,
            to_unit_or_party=ticket.org_unit,
            until=detail.return_date,
            actor=card_actor,
            ticket=ticket,
            note=reason,
        )
        listing.status = ListingStatus.LENT
        due = detail.return_date
    listing.save()
    reuse = Reuse(
        listing=listing,
        ticket=ticket,
        way=detail.way,
        org_unit=ticket.org_unit,
        from_unit=listing.org_unit,
        original_value=asset.original_value,
        done_by=actor,
        due_date=due,
    )
    reuse.save()
    return reuse


@transaction.atomic
def record_return(*, actor, reuse: Reuse) -> Reuse:
    """A borrowed item comes back: the loan is closed on the card (return_lent) and the item is
    back in the pool for the next unit."""
    reuse = Reuse.objects.select_for_update().select_related("listing").get(pk=reuse.pk)
    listing = PoolListing.objects.select_for_update().get(pk=reuse.listing_id)
    _require(actor, listing.org_unit, _("该借出资产的归还"))
    if reuse.way != RequestWay.LOAN:
        raise ValidationError(_("调拨的资产无需归还。"))
    if reuse.returned_at is not None:
        raise ValidationError(_("该借用已登记归还。"))
    asset_services.return_lent(
        asset=listing.asset,
        actor=actor,
        to_status=AssetStatus.IN_POOL,
        note=Keyed(gettext_noop("借用归还，回公物仓（申领 #%(pk)s）"), {"pk": reuse.ticket_id}),
    )
    reuse.returned_at = timezone.now()
    reuse.returned_by = actor
    reuse.save()
    listing.status = ListingStatus.LISTED
    listing.save()
    return reuse
