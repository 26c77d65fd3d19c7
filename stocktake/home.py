"""The stocktakes' home-page count (still counting), read by a statement compiled once per scope shape from the
selector's own queryset (datahub.compiled, #17)."""

from datahub.compiled import CountStatement

from . import selectors
from .models import Stocktake

OPEN = CountStatement(Stocktake, selectors.open_stocktakes, roles=selectors.STOCKTAKE_READERS)


def open_count(user) -> int:
    return OPEN.count(user)
