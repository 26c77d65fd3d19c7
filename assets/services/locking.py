"""Row locks for other apps' writes that decide on a card's current state before moving it (the
pool checks the status before listing, the stocktake before adjusting): the card is locked here,
then moved through the lifecycle services in the same transaction, so no other move interleaves."""

from django.db import transaction

from ..models import Asset


@transaction.atomic
def card_lock(*, asset: Asset) -> Asset:
    """The card as it is now, locked until the caller's transaction ends (with its unit)."""
    return Asset.objects.select_for_update().select_related("org_unit").get(pk=asset.pk)


@transaction.atomic
def cards_lock(*, ids) -> dict[int, Asset]:
    """The cards with these ids, locked until the caller's transaction ends, by id."""
    return Asset.objects.select_for_update().in_bulk(list(ids))
