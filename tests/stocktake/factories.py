"""Factories of the 清查盘点 tests: rooms and cards as in the 公物仓 tests, stocktakes through the service,
count sheets as in-memory .xlsx files."""

from io import BytesIO

from openpyxl import Workbook

from stocktake import services
from stocktake.models import ScopeKind
from tests.assetpool.factories import RoomFactory, card, category  # noqa: F401  (re-exported)


def stocktake(actor, unit, *, title="2026年度资产清查", scope_kind=ScopeKind.UNIT, **fields):
    return services.open_stocktake(actor=actor, title=title, org_unit=unit, scope_kind=scope_kind, **fields)


def sheet(rows, header=("资产编号", "楼宇编码", "房间号", "使用人", "盘盈", "盘盈资产名称", "备注")):
    """A count sheet (.xlsx in memory) with ``header`` and ``rows``."""
    book = Workbook()
    ws = book.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "盘点表.xlsx"
    return out
