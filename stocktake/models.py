"""清查盘点: a count of the assets against the book (《行政事业性国有资产管理条例》 R26c: periodic
清查盘点 so that ledger, card and physical asset agree).

Opening a stocktake snapshots the book (``BookLine``: the cards expected in its scope, with
where and with whom the card says they are). Counting adds ``Count`` rows (a scan, a typed
number or an imported sheet). The result compares the two; closing it writes the adjustments
to the cards through ``assets.services`` and locks the stocktake.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from datahub.models import OrgUnit


class ScopeKind(models.TextChoices):
    UNIT = "unit", _("按单位（含下级）")
    BUILDING = "building", _("按楼宇")
    ROOM = "room", _("按房间")


class StocktakeStatus(models.TextChoices):
    OPEN = "open", _("盘点中")
    CLOSED = "closed", _("已结束（已调账）")


class Outcome(models.TextChoices):
    MATCHED = "matched", _("账实相符")
    SURPLUS = "surplus", _("盘盈")
    MISSING = "missing", _("盘亏")
    LOCATION = "location", _("存放地点不符")
    CUSTODIAN = "custodian", _("使用人不符")
    BOTH = "both", _("地点和使用人均不符")
    ELSEWHERE = "elsewhere", _("他处在册")


class Stocktake(models.Model):
    title = models.CharField(_("名称"), max_length=100)
    # The unit that runs the stocktake and owns it (scoping); for a unit stocktake also its scope.
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("盘点单位"))
    scope_kind = models.CharField(_("盘点范围"), max_length=10, choices=ScopeKind.choices, default=ScopeKind.UNIT)
    building = models.ForeignKey(
        "officespace.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("楼宇"),
    )
    room = models.ForeignKey(
        "officespace.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("房间")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=StocktakeStatus.choices, default=StocktakeStatus.OPEN, db_index=True
    )
    note = models.CharField(_("说明"), max_length=500, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发起人")
    )
    opened_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("结束人"),
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("清查盘点")
        verbose_name_plural = _("清查盘点")
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == StocktakeStatus.OPEN

    @property
    def scope_label(self) -> str:
        if self.scope_kind == ScopeKind.ROOM and self.room_id:
            return _("房间：%(room)s") % {"room": self.room}
        if self.scope_kind == ScopeKind.BUILDING and self.building_id:
            return _("楼宇：%(name)s") % {"name": self.building.name}
        return _("单位：%(name)s（含下级）") % {"name": self.org_unit.name}


class BookLine(models.Model):
    """账面: one card expected in the stocktake's scope when it was opened (a frozen copy)."""

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="lines", verbose_name=_("盘点"))
    asset = models.ForeignKey("assets.Asset", on_delete=models.PROTECT, related_name="+", verbose_name=_("资产"))
    asset_number = models.CharField(_("资产编号"), max_length=40)
    name = models.CharField(_("资产名称"), max_length=200)
    book_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("账面单位"))
    book_room = models.ForeignKey(
        "officespace.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("账面地点"),
    )
    book_custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("账面使用人"),
    )
    # Frozen at closing: what the count found and what was written to the card.
    outcome = models.CharField(_("盘点结果"), max_length=10, choices=Outcome.choices, blank=True)
    adjustment = models.CharField(_("调账"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("账面资产")
        verbose_name_plural = _("账面资产")
        ordering = ["asset_number"]
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "asset"], name="stocktake_one_line_per_asset"),
        ]
        # A scan looks its code up among the stocktake's lines.
        indexes = [models.Index(fields=["stocktake", "asset_number"], name="stocktake_line_number")]

    def __str__(self) -> str:
        return f"{self.asset_number} {self.name}"


class CountSource(models.TextChoices):
    SCAN = "scan", _("扫码/录入")
    IMPORT = "import", _("导入盘点表")


class Count(models.Model):
    """实物: one item seen during the count."""

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="counts", verbose_name=_("盘点"))
    code = models.CharField(_("扫描/录入编号"), max_length=100)
    # The card the code names: on this stocktake's book (line), on another book (asset only), or none (盘盈).
    line = models.OneToOneField(
        BookLine, on_delete=models.CASCADE, null=True, blank=True, related_name="counted", verbose_name=_("账面资产")
    )
    asset = models.ForeignKey(
        "assets.Asset", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("资产")
    )
    observed_room = models.ForeignKey(
        "officespace.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("实际地点"),
    )
    observed_custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("实际使用人"),
    )
    source = models.CharField(_("来源"), max_length=10, choices=CountSource.choices, default=CountSource.SCAN)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    # 盘盈: what the found item is, entered before closing, to book it (入账) at closing.
    surplus_name = models.CharField(_("盘盈资产名称"), max_length=200, blank=True)
    surplus_category = models.ForeignKey(
        "assets.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("盘盈资产分类"),
    )
    surplus_value = models.DecimalField(_("盘盈资产估值（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    registered_asset = models.ForeignKey(
        "assets.Asset",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("盘盈入账卡片"),
    )
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("盘点人")
    )
    counted_at = models.DateTimeField(_("盘点时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("盘点记录")
        verbose_name_plural = _("盘点记录")
        ordering = ["-counted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "code"], name="stocktake_code_counted_once"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_surplus(self) -> bool:
        return self.line_id is None and self.asset_id is None
