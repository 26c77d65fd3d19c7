"""Factories of the 公物仓 (and 清查盘点) tests.

Rooms are office-space ledger rows written directly (not this app's concern); asset cards are
booked through ``assets.services.register_card`` and listings published through this app's
service, so every card and listing carries its movements like in production.
"""

from datetime import date
from decimal import Decimal

from assetpool import services
from assetpool.models import PoolMode
from tests.assets.factories import RoomFactory  # noqa: F401  (re-exported: rooms are the assets tests' own)


def category(code="A02010105"):
    from assets.models import Category

    return Category.objects.get(code=code)


def card(actor, org_unit, *, code="A02010105", **fields):
    """Book a card (a 6,000元 desktop PC by default) through register_card."""
    cat = category(code)
    defaults = {
        "name": cat.name,
        "original_value": Decimal("6000"),
        "acquired_on": date(2025, 1, 10),
        "booked_on": date(2025, 1, 15),
    }
    defaults.update(fields)
    from assets import services as asset_services

    return asset_services.register_card(actor=actor, org_unit=org_unit, category=cat, **defaults)


def listing(actor, asset, *, mode=PoolMode.VIRTUAL, **fields):
    """Publish ``asset`` to the pool through the service."""
    return services.publish(actor=actor, asset=asset, mode=mode, **fields)
