from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from datahub.models import OrgUnit
from portal.models import RequestDetail, Ticket

from . import rules


class ItemCategory(models.TextChoices):
    OFFICE_EQUIPMENT = "office_equipment", "办公设备"
    COMPUTER = "computer", "计算机及外设"
    FURNITURE = "furniture", "家具"
    SUPPLIES = "supplies", "办公用品"
    OTHER = "other", "其他"


def validate_not_past(value) -> None:
    if value < timezone.localdate():
        raise ValidationError("需用日期不能早于今天。")


class AssetRequisition(RequestDetail):
    """资产领用: what the requester asks for. The assets issue links it to asset cards."""

    item_name = models.CharField("物品名称", max_length=100)
    category = models.CharField("类别", max_length=20, choices=ItemCategory.choices)
    quantity = models.PositiveIntegerField(
        "数量", validators=[MinValueValidator(1), MaxValueValidator(rules.REQUISITION_MAX_QUANTITY)]
    )
    purpose = models.CharField("用途", max_length=500)
    needed_by = models.DateField("需用日期", validators=[validate_not_past])

    class Meta:
        verbose_name = "资产领用"
        verbose_name_plural = "资产领用"

    def summary(self) -> str:
        return f"资产领用：{self.item_name} × {self.quantity}"


class AssetIssueRecord(models.Model):
    """领用台账: what was handed over, written from the ticket's outcome."""

    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="+", verbose_name="领用申请")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="领用单位")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="领用人"
    )
    item_name = models.CharField("物品名称", max_length=100)
    category = models.CharField("类别", max_length=20, choices=ItemCategory.choices)
    quantity = models.PositiveIntegerField("发放数量", validators=[MinValueValidator(1)])
    asset_codes = models.CharField("资产编号", max_length=500, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发放人"
    )
    issued_at = models.DateTimeField("发放时间", auto_now_add=True)

    class Meta:
        verbose_name = "领用台账"
        verbose_name_plural = "领用台账"
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.item_name} × {self.quantity}"
