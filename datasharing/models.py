from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from datahub.catalog import rules
from datahub.catalog.rules import RowScope
from datahub.keyed import Keyed
from datahub.models import Dataset, Grant, OrgUnit
from portal.models import RequestDetail


class DataAccessRequest(RequestDetail):
    """What a consumer asks of a catalog entry: purpose, scenario, items, rows, period, and for which system."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="+", verbose_name=_("信息资源"))
    application = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("使用系统"),
        help_text=_("由系统调用交换接口时选择；本人查看或导出时留空。"),
    )
    items = models.JSONField(_("申请信息项"), default=list)
    purpose = models.CharField(_("用途"), max_length=500)
    scenario = models.CharField(_("使用场景"), max_length=500)
    row_scope = models.CharField(_("数据范围"), max_length=8, choices=RowScope.choices, default=RowScope.OWN)
    row_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("指定机构")
    )
    valid_from = models.DateField(_("使用期限自"))
    valid_to = models.DateField(_("使用期限至"))
    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("授权")
    )

    class Meta:
        verbose_name = _("数据共享申请")
        verbose_name_plural = _("数据共享申请")

    def summary(self) -> Keyed:
        return Keyed(gettext_noop("数据共享申请：%(dataset)s"), {"dataset": self.dataset.name})

    def clean(self):
        errors = {}
        if self.dataset_id and not rules.requestable(self.dataset.share_type, self.dataset.status):
            errors["dataset"] = _("“%(name)s”为%(share_type)s或未发布，不能申请。") % {
                "name": self.dataset.name,
                "share_type": self.dataset.get_share_type_display(),
            }
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("使用期限截止日不能早于起始日。")
        if self.row_scope == RowScope.UNIT and not self.row_unit_id:
            errors["row_unit"] = _("数据范围为指定机构时必须选择机构。")
        if self.dataset_id and not errors.get("dataset"):
            known = set(self.dataset.items.values_list("name", flat=True))
            unknown = [i for i in self.items if i not in known]
            if unknown or not self.items:
                errors["items"] = (
                    _("信息项不属于该资源：%(names)s。") % {"names": _("、").join(unknown)}
                    if unknown
                    else _("至少选择一个信息项。")
                )
        if not errors:
            held = self.grant_already_held()
            if held is not None:
                errors["dataset"] = _(
                    "已持有该资源的有效授权（%(consumer_label)s，有效期至 %(valid_to)s），已包含所申请的信息项和数据范围：可以从平台获取的数据无需重复申请，请直接通过交换接口获取。"
                ) % {"consumer_label": held.consumer_label, "valid_to": f"{held.valid_to:%Y-%m-%d}"}
        if errors:
            raise ValidationError(errors)

    def grant_already_held(self) -> Grant | None:
        """A live grant of the same consumer (the chosen system, else the requester) on this entry that already
        covers the items, the rows and the period asked for: then the request asks again for what can be
        fetched. A request for more items, wider rows or a longer period is a new need, not a duplicate."""
        try:
            requester = self.ticket.requester
        except ObjectDoesNotExist:  # the form's own check, before the engine attaches the ticket
            return None
        if not self.dataset_id or not self.valid_to:
            return None
        consumer = {"application_id": self.application_id} if self.application_id else {"user": requester}
        today = timezone.localdate()
        live = Grant.objects.filter(
            dataset_id=self.dataset_id,
            revoked_at__isnull=True,
            valid_from__lte=today,
            valid_to__gte=self.valid_to,
            row_scope=self.row_scope,
            row_unit_id=self.row_unit_id if self.row_scope == RowScope.UNIT else None,
            **consumer,
        ).select_related("user", "application")
        return next((g for g in live.order_by("-valid_to", "-pk") if set(self.items) <= set(g.items)), None)


class DataCorrection(RequestDetail):
    """纠错: a consumer reports a wrong value in a shared entry; the provider's data steward checks it and
    answers (the step's decision and comment), and the reporter's data steward confirms the correction."""

    class Result(models.TextChoices):
        CORRECTED = "corrected", _("已更正")
        STILL_WRONG = "still_wrong", _("仍有误，已再次反馈")

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="+", verbose_name=_("信息资源"))
    item = models.CharField(_("信息项"), max_length=60, help_text=_("有误的信息项标识（见目录页面）"))
    record = models.CharField(_("数据记录"), max_length=200, help_text=_("哪一条数据，如机构代码、号牌号码"))
    wrong_value = models.CharField(_("现有值"), max_length=500)
    correct_value = models.CharField(_("应为"), max_length=500, blank=True)
    description = models.CharField(_("问题说明"), max_length=1000)
    result = models.CharField(_("核验结果"), max_length=16, choices=Result.choices, blank=True)
    result_note = models.CharField(_("核验说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("数据纠错")
        verbose_name_plural = _("数据纠错")
        indexes = [models.Index(fields=["dataset"], name="datacorrection_dataset")]

    def summary(self) -> Keyed:
        return Keyed(
            gettext_noop("数据纠错：%(dataset)s（%(item)s）"), {"dataset": self.dataset.name, "item": str(self.item)}
        )

    def clean(self):
        errors = {}
        if self.dataset_id and self.dataset.status != rules.EntryStatus.PUBLISHED:
            errors["dataset"] = _("“%(name)s”未发布，不能纠错。") % {"name": self.dataset.name}
        if self.dataset_id and self.item and not self.dataset.items.filter(name=self.item).exists():
            errors["item"] = _("信息项“%(item)s”不属于该资源。") % {"item": self.item}
        for name in ("record", "wrong_value", "description"):
            if not (getattr(self, name) or "").strip():
                errors[name] = _("请填写%(verbose_name)s。") % {"verbose_name": self._meta.get_field(name).verbose_name}
        if errors:
            raise ValidationError(errors)


class StepClock(models.Model):
    """The time limit of one approval step of a data-sharing ticket, in working days, and whether it ran out.

    The portal's engine keeps one limit per ticket (``Ticket.due_at``); the regulation gives one per step, so
    this app tracks them (datasharing.services.step_clocks_run, every 15 minutes by beat)."""

    ticket = models.ForeignKey("portal.Ticket", on_delete=models.CASCADE, related_name="+", verbose_name=_("申请"))
    round = models.PositiveSmallIntegerField(_("提交轮次"))
    index = models.PositiveSmallIntegerField(_("步骤序号"))
    name = models.CharField(_("步骤"), max_length=100)
    started_at = models.DateTimeField(_("到达时间"))
    due_at = models.DateTimeField(_("办理时限"))
    working_days = models.PositiveSmallIntegerField(_("时限（工作日）"))
    escalated_at = models.DateTimeField(_("超时提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("步骤时限")
        verbose_name_plural = _("步骤时限")
        ordering = ["ticket", "round", "index"]
        constraints = [models.UniqueConstraint(fields=["ticket", "round", "index"], name="stepclock_unique_step")]

    def __str__(self) -> str:
        return f"{self.ticket_id}-{self.round}.{self.index} {self.name}"
