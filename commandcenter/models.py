"""The command center's only tables: one figure of one unit's own rows for one month.

A subtree's figure is the sum of its units' rows (``org_unit__path LIKE 'prefix%'``), so the roll-up
never stores a sum that a move in the tree could make wrong. Written only by ``services``, from the
domains' ``monthly_*_figures`` selectors.
"""

from django.db import models

from datahub.models import OrgUnit


class UnitMonth(models.Model):
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name="单位")
    month = models.DateField("月份")  # first day of the month
    key = models.CharField("指标", max_length=40)
    value = models.DecimalField("数值", max_digits=20, decimal_places=4)
    refreshed_at = models.DateTimeField("刷新时间", auto_now=True)

    class Meta:
        verbose_name = "月度汇总"
        verbose_name_plural = "月度汇总"
        constraints = [models.UniqueConstraint(fields=["org_unit", "month", "key"], name="unitmonth_unique")]
        indexes = [models.Index(fields=["month", "key"], name="unitmonth_month_key")]

    def __str__(self):
        return f"{self.org_unit_id} {self.month:%Y-%m} {self.key}={self.value}"
