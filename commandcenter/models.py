"""The command center's only tables: one figure of one unit's own rows for one month (``UnitMonth``), and
the same figure summed over the unit's whole subtree (``SubtreeMonth``).

``UnitMonth`` is the truth: what the domains' ``monthly_*_figures`` selectors answer. ``SubtreeMonth`` is
derived from it alone, in SQL, whenever its rows change (``services``): the page reads a subtree's figures
from one row per key and month instead of summing thousands of rows by path prefix on every request. A unit
moved in the tree (``datahub.services.move_org_unit``) has its old and new ancestors' sums recomputed once the
move commits (``tasks.refresh_moved``); a move made around that service waits for the nightly rebuild.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from datahub.models import OrgUnit


class UnitMonth(models.Model):
    """Written in bulk (a rebuild is a few hundred thousand rows): no database foreign key (a deferred check
    per row; deleting a unit still deletes its rows through the ORM) and no index but the unique one, which
    also serves every read and the refresh's delete of some units' months."""

    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("单位"),
        db_constraint=False,
        db_index=False,
    )
    month = models.DateField(_("月份"))  # first day of the month
    key = models.CharField(_("指标"), max_length=40)
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=4)
    refreshed_at = models.DateTimeField(_("刷新时间"), auto_now=True)

    class Meta:
        verbose_name = _("月度汇总")
        verbose_name_plural = _("月度汇总")
        constraints = [models.UniqueConstraint(fields=["org_unit", "month", "key"], name="unitmonth_unique")]

    def __str__(self):
        return f"{self.org_unit_id} {self.month:%Y-%m} {self.key}={self.value}"


class SubtreeMonth(models.Model):
    """The sum of ``UnitMonth`` over the unit and every unit below it, for one key and month. Derived rows,
    written in bulk: no database foreign key (a deferred check per row costs more than the sum; deleting a
    unit still deletes its rows through the ORM), and the unique constraint is the only index."""

    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("单位"),
        db_constraint=False,
        db_index=False,
    )
    month = models.DateField(_("月份"))
    key = models.CharField(_("指标"), max_length=40)
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=4)

    class Meta:
        verbose_name = _("下级合计月度汇总")
        verbose_name_plural = _("下级合计月度汇总")
        constraints = [models.UniqueConstraint(fields=["org_unit", "month", "key"], name="subtreemonth_unique")]

    def __str__(self):
        return f"{self.org_unit_id} {self.month:%Y-%m} {self.key}Σ={self.value}"
