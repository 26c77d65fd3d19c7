"""清查盘点 rules, as data. Sources: REFERENCE.md §4.3.

- 《行政事业性国有资产管理条例》 (国务院令第738号, R26/R26c): periodic 清查盘点 so that ledger,
  card and physical asset agree; 盘亏 (inventory loss) is a disposal *trigger*, and there is
  **no disposal without approval**. So closing a stocktake does not dispose of a missing card:
  it marks it 待处置 (``MISSING_SETS_STATUS``), and the 损失核销 itself goes through the assets
  app's disposal approval.
- 盘盈 (found, not on the books) is booked (入账) at closing with the details the counter entered,
  acquisition way "盘盈", at the estimated value (政府会计准则第3号: 盘盈资产按重置成本等确定成本).
"""

from urllib.parse import unquote, urlsplit

from django.urls import Resolver404, resolve

# What a card found missing becomes at closing (see above: 待处置, pending the 损失核销 approval).
MISSING_SETS_STATUS = "pending_disposal"

# Cards in these statuses are not expected on the shelf, so they are left out of the book snapshot:
# disposed cards are off the books; lent cards are accounted for by the loan (出租出借台账).
NOT_ON_SHELF_STATUSES = ("disposed", "lent")

# The acquisition way recorded for a 盘盈 card.
SURPLUS_ACQUISITION_WAY = "surplus"

# A count sheet holds at most this many rows (one import, one transaction).
MAX_IMPORT_ROWS = 20000


def normalise_code(raw) -> str:
    """What a scanner typed or the camera read: the label encodes the URL of the asset card
    (``/assets/a/<number>/``, see assets/labels.py), an older label or a typist the bare number;
    either way the asset number, with spaces and case not mattering."""
    text = str(raw or "").strip()
    if "/" in text:
        try:
            match = resolve(unquote(urlsplit(text).path))
        except (Resolver404, ValueError):
            match = None
        if match is not None and match.view_name == "assets:card-by-number":
            text = match.kwargs["number"]
    return text.strip().upper()
