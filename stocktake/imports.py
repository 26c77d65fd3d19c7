"""Count-sheet import (盘点表): every row checked first, every bad row reported by row number and
column, then all rows written or none (the service wraps it in one transaction).

Columns (first sheet, header in row 1): 资产编号 · 楼宇编码 · 房间号 · 使用人 · 盘盈 · 盘盈资产名称 · 备注.
楼宇编码 + 房间号 name where the item was seen (both or neither); 使用人 is a user name; 盘盈 is
"是" for an item with no card (its number is then whatever the sheet calls it).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from datahub.imports import Importer, importer

from . import countsheet, rules, selectors, services

COLUMNS = ("资产编号", "楼宇编码", "房间号", "使用人", "盘盈", "盘盈资产名称", "备注")
REQUIRED = ("资产编号",)


@importer
class CountSheetImporter(Importer):
    """A count sheet into one open stocktake (``params["stocktake"]``). ``validate`` checks every row
    without a lock (progress and every error); ``write`` is services.import_counts, which locks the
    stocktake, checks the rows again under the lock (a label scanned meanwhile counts) and writes them."""

    kind = "stocktake.counts"
    title = _("盘点表")
    columns = COLUMNS
    required = REQUIRED
    max_rows = rules.MAX_IMPORT_ROWS
    too_many = _("一张盘点表最多{max_rows}行，请分批导入。")
    what = _("Excel盘点表")
    template_filename = "盘点表模板.xlsx"

    def target(self, actor, params):
        stocktake = selectors.stocktakes_for(actor).filter(pk=params.get("stocktake")).first()
        if stocktake is None:
            raise PermissionDenied(_("盘点不存在或您无权查看。"))
        return stocktake

    def require(self, actor, target=None):
        if target is None or not selectors.may_change(actor, target):
            raise PermissionDenied(_("只有盘点单位的资产管理员可以登记或结束该盘点。"))

    def back(self, params):
        return "stocktake:detail", (params.get("stocktake"),)

    def summary(self, result):
        return _("盘点表已导入 %(created)s 行。") % {"created": result["created"]}

    def read(self, file, filename):
        out = super().read(file, filename)
        if not out:
            raise ValidationError(_("盘点表没有数据行。"))
        return out

    def validate(self, ctx, rows):
        _parsed, errors = countsheet.parse_rows(ctx.target, list(ctx.each(rows)), ctx.actor)
        if errors:
            ctx.errors.add_validation_error(ValidationError(errors))
        return rows

    def write(self, ctx, rows):
        return {"created": services.import_counts(actor=ctx.actor, stocktake=ctx.target, rows=rows)}


def read_xlsx(file) -> list[tuple[int, dict]]:
    return CountSheetImporter().read(file, "counts.xlsx")
