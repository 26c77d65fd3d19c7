from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from datahub.catalog import rules
from datahub.catalog.rules import RowScope
from datahub.models import Dataset, Grant, OrgUnit
from portal.models import RequestDetail


class DataAccessRequest(RequestDetail):
    """What a consumer asks of a catalog entry: purpose, scenario, items, rows, period, and for which system."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="+", verbose_name="信息资源")
    application = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="使用系统",
        help_text="由系统调用交换接口时选择；本人查看或导出时留空。",
    )
    items = models.JSONField("申请信息项", default=list)
    purpose = models.CharField("用途", max_length=500)
    scenario = models.CharField("使用场景", max_length=500)
    row_scope = models.CharField("数据范围", max_length=8, choices=RowScope.choices, default=RowScope.OWN)
    row_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="指定机构"
    )
    valid_from = models.DateField("使用期限自")
    valid_to = models.DateField("使用期限至")
    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="授权"
    )

    class Meta:
        verbose_name = "数据共享申请"
        verbose_name_plural = "数据共享申请"

    def summary(self) -> str:
        return f"数据共享申请：{self.dataset.name}"

    def clean(self):
        errors = {}
        if self.dataset_id and not rules.requestable(self.dataset.share_type, self.dataset.status):
            errors["dataset"] = f"“{self.dataset.name}”为{self.dataset.get_share_type_display()}或未发布，不能申请。"
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = "使用期限截止日不能早于起始日。"
        if self.row_scope == RowScope.UNIT and not self.row_unit_id:
            errors["row_unit"] = "数据范围为指定机构时必须选择机构。"
        if self.dataset_id and not errors.get("dataset"):
            known = set(self.dataset.items.values_list("name", flat=True))
            unknown = [i for i in self.items if i not in known]
            if unknown or not self.items:
                errors["items"] = f"信息项不属于该资源：{'、'.join(unknown)}。" if unknown else "至少选择一个信息项。"
        if errors:
            raise ValidationError(errors)
