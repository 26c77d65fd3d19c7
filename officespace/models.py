from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from datahub.idnumbers import validate_phone
from datahub.models import OrgUnit
from portal.models import RequestDetail, Ticket


class RepairCategory(models.TextChoices):
    PLUMBING_ELECTRIC = "plumbing_electric", "水电"
    DOORS_WINDOWS = "doors_windows", "门窗"
    AIR_CONDITIONING = "air_conditioning", "空调"
    NETWORK = "network", "网络/电话"
    FURNITURE = "furniture", "家具"
    OTHER = "other", "其他"


class RepairRequest(RequestDetail):
    """维修报修: what the requester fills in."""

    location = models.CharField("报修地点", max_length=200, help_text="如：1号楼 502室")
    category = models.CharField("报修类别", max_length=20, choices=RepairCategory.choices)
    description = models.TextField("故障描述", max_length=1000)
    urgent = models.BooleanField("紧急", default=False)
    estimated_cost = models.DecimalField(
        "预估费用（元）", max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    contact_phone = models.CharField("联系电话", max_length=24, validators=[validate_phone])

    class Meta:
        verbose_name = "维修报修"
        verbose_name_plural = "维修报修"

    def summary(self) -> str:
        return f"维修报修：{self.location}（{self.get_category_display()}）"


class RepairRecord(models.Model):
    """维修台账: one row per finished repair, written from the ticket's outcome."""

    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="+", verbose_name="报修申请")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="报修单位")
    location = models.CharField("维修地点", max_length=200)
    category = models.CharField("类别", max_length=20, choices=RepairCategory.choices)
    cost = models.DecimalField("维修费用（元）", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    parts = models.CharField("更换配件", max_length=500, blank=True)
    result = models.CharField("处理结果", max_length=1000)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="维修人"
    )
    completed_at = models.DateTimeField("完成时间", auto_now_add=True)

    class Meta:
        verbose_name = "维修台账"
        verbose_name_plural = "维修台账"
        ordering = ["-completed_at"]

    def __str__(self) -> str:
        return f"{self.location} {self.cost}元"
