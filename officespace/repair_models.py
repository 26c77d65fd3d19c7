"""维修: the repair request's details (what the requester fills in) and the repairs ledger (维修台账, one row
per finished repair). Kept apart from ``models`` for its size; ``officespace.models`` imports them, so they are
read as ``officespace.models.RepairRequest`` like every other model of the app."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from datahub.idnumbers import validate_phone
from datahub.keyed import Keyed, choice
from datahub.models import OrgUnit
from portal.models import RequestDetail, Ticket


class RepairCategory(models.TextChoices):
    PLUMBING_ELECTRIC = "plumbing_electric", _("水电")
    DOORS_WINDOWS = "doors_windows", _("门窗")
    AIR_CONDITIONING = "air_conditioning", _("空调")
    NETWORK = "network", _("网络/电话")
    FURNITURE = "furniture", _("家具")
    OTHER = "other", _("其他")


class RepairRequest(RequestDetail):
    """维修报修: what the requester fills in."""

    location = models.CharField(_("报修地点"), max_length=200, help_text=_("如：1号楼 502室"))
    category = models.CharField(_("报修类别"), max_length=20, choices=RepairCategory.choices)
    description = models.TextField(_("故障描述"), max_length=1000)
    urgent = models.BooleanField(_("紧急"), default=False)
    estimated_cost = models.DecimalField(
        _("预估费用（元）"), max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    contact_phone = models.CharField(_("联系电话"), max_length=24, validators=[validate_phone])
    room = models.ForeignKey(
        "Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("房间"),
        help_text=_("房间页面上的房间编号（可不填）。"),
    )
    is_major = models.BooleanField(
        _("大中修"), default=False, help_text=_("结构、设施的大中修须经机关事务管理局审批后方可实施。")
    )

    class Meta:
        verbose_name = _("维修报修")
        verbose_name_plural = _("维修报修")

    def summary(self) -> Keyed:
        text = (
            gettext_noop("维修报修：大中修 %(location)s（%(category)s）")
            if self.is_major
            else gettext_noop("维修报修：%(location)s（%(category)s）")
        )
        return Keyed(text, {"location": self.location, "category": choice(self, "category")})

    def clean(self):
        # A room may be named only within the requester's own agency's rooms.
        if self.room_id and self.ticket_id:
            unit = self.ticket.org_unit
            room_path = self.room.org_unit.path
            if not (room_path.startswith(unit.path) or unit.path.startswith(room_path)):
                raise ValidationError({"room": _("只能报修本单位使用的房间。")})


class RepairRecord(models.Model):
    """维修台账: one row per finished repair, written from the ticket's outcome."""

    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="+", verbose_name=_("报修申请"))
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("报修单位"))
    location = models.CharField(_("维修地点"), max_length=200)
    room = models.ForeignKey(
        "Room", on_delete=models.PROTECT, null=True, blank=True, related_name="repairs", verbose_name=_("房间")
    )
    is_major = models.BooleanField(_("大中修"), default=False)
    category = models.CharField(_("类别"), max_length=20, choices=RepairCategory.choices)
    cost = models.DecimalField(_("维修费用（元）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    parts = models.CharField(_("更换配件"), max_length=500, blank=True)
    result = models.CharField(_("处理结果"), max_length=1000)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("维修人")
    )
    completed_at = models.DateTimeField(_("完成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("维修台账")
        verbose_name_plural = _("维修台账")
        ordering = ["-completed_at"]

    def __str__(self) -> str:
        return _("%(location)s %(cost)s元") % {"location": self.location, "cost": self.cost}
