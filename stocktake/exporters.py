"""A stocktake's result as an Excel export (datahub.exports: at once when small, a background job when large)."""

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datahub.exports import Export, exporter
from datahub.params import as_id

from . import selectors

RESULT = "stocktake.result"
RESULT_HEADERS = (
    gettext_lazy("盘点结果"),
    gettext_lazy("资产编号"),
    gettext_lazy("名称"),
    gettext_lazy("账面地点"),
    gettext_lazy("账面使用人"),
    gettext_lazy("实际地点"),
    gettext_lazy("实际使用人"),
    gettext_lazy("调账/说明"),
)


@exporter(RESULT)
def result_export(user, params: QueryDict) -> Export:
    """Every line of stocktake ``params["stocktake"]`` with its outcome, then the counts naming no line;
    a stocktake the user no longer reads gives an empty file."""
    stocktake = selectors.stocktake_of(user, as_id(params.get("stocktake")))
    if stocktake is None:
        return Export(_("盘点结果.xlsx"), RESULT_HEADERS, list, 0)
    result = selectors.reconcile(stocktake)
    total = len(result.lines) + len(result.elsewhere) + len(result.surplus)
    return Export(_("盘点结果-%(pk)s.xlsx") % {"pk": stocktake.pk}, RESULT_HEADERS, result.rows, total)
