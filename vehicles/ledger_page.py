"""The vehicle ledger without filters read by one statement compiled once per scope shape (datahub.compiled, #17):
its page's rows (``selectors.LEDGER_ROW``) and their total in one round trip. The statement is built by the ledger's
own selector for a stand-in reader (``ScopeReader``), so its scope is ``scoping.scope()``'s; a filter, a unit and
the export read the queryset."""

from datahub.compiled import SCOPE_MARKERS, PagedStatement, PageStatement, ScopeReader, page_number, scope_values

from .models import Vehicle
from .selectors import FLEET_READERS, LEDGER_ROW, vehicle_ledger


def _ledger_page(**paths):
    vehicles = vehicle_ledger(ScopeReader(FLEET_READERS, paths))
    return vehicles, vehicles.values(*LEDGER_ROW)


LEDGER_PAGE = PageStatement(Vehicle, _ledger_page, SCOPE_MARKERS)


def ledger_page(user, *, size: int, page: str = "") -> PagedStatement | None:
    """The ledger's page without any filter as its paginator reads it (the rows of ``selectors.ledger_rows`` and
    their total); None when the reader's scope has no statement (the queryset reads then)."""
    values = scope_values(user, FLEET_READERS)
    if values is None:
        return None
    return PagedStatement(LEDGER_PAGE, values, size=size, wanted=page_number(page))
