"""The leaders' overview of a subtree's asset cards (the command center), beside ``selectors`` (which is at
its size limit). Nothing here writes."""

from decimal import Decimal

from django.db.models import Count, Sum

from datahub.models import OrgUnit

from .models import Asset
from .rules import AssetStatus


def subtree_card_figures(within: OrgUnit) -> dict[str, Decimal | int]:
    """The subtree's cards as the card list counts them (unscoped: the command center checked the unit): per
    status the number of cards (``cards_<status>``), and over the cards not disposed of their original value
    and net book value (原值 − 累计折旧, never below zero: the card's rule). One grouped query."""
    out: dict[str, Decimal | int] = {f"cards_{s}": 0 for s in AssetStatus.values}
    out["original_value"], out["net_value"] = Decimal(0), Decimal(0)
    rows = (
        Asset.objects.filter(org_unit__path__startswith=within.path)
        .values("status")
        .annotate(n=Count("pk"), value=Sum("original_value"), depreciated=Sum("accumulated_depreciation"))
        .order_by()
    )
    for row in rows:
        out[f"cards_{row['status']}"] = row["n"]
        if row["status"] != AssetStatus.DISPOSED:
            out["original_value"] += row["value"] or 0
            out["net_value"] += (row["value"] or 0) - (row["depreciated"] or 0)
    return out
