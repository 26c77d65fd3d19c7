from collections.abc import Callable
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from datahub.keyed import Keyed, Rendered, choice, key_field, values_field
from datahub.models import OrgUnit
from portal.models import RequestDetail, Ticket

from . import rules
from .rules import AcquisitionWay, AssetStatus, DisposalWay, FundingSource  # noqa: F401  (re-exported)


def validate_not_past(value) -> None:
    if value < timezone.localdate():
        raise ValidationError(_("需用日期不能早于今天。"))


class AssetRequisition(RequestDetail):
    """资产领用: what the requester asks for. The assets issue links it to asset cards."""

    item_name = models.CharField(_("物品名称"), max_length=100)
    # The GB/T 14885 classification the cards use, not a list of the request's own: what is asked for and
    # what is issued are counted in the same categories (keyed by code, so a bundle can name "A020101").
    category = models.ForeignKey(
        "Category",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="category",
        related_name="+",
        verbose_name=_("资产分类"),
    )
    quantity = models.PositiveIntegerField(
        _("数量"), validators=[MinValueValidator(1), MaxValueValidator(rules.REQUISITION_MAX_QUANTITY)]
    )
    purpose = models.CharField(_("用途"), max_length=500)
    needed_by = models.DateField(_("需用日期"), validators=[validate_not_past])

    class Meta:
        verbose_name = _("资产领用")
        verbose_name_plural = _("资产领用")

    def summary(self) -> Keyed:
        return Keyed(
            gettext_noop("资产领用：%(item)s × %(quantity)s"), {"item": self.item_name, "quantity": self.quantity}
        )


class AssetIssueRecord(models.Model):
    """领用台账: what was handed over, written from the ticket's outcome."""

    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="+", verbose_name=_("领用申请"))
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("领用单位"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("领用人")
    )
    item_name = models.CharField(_("物品名称"), max_length=100)
    category = models.ForeignKey(
        "Category",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="category",
        related_name="+",
        verbose_name=_("资产分类"),
    )
    quantity = models.PositiveIntegerField(_("发放数量"), validators=[MinValueValidator(1)])
    asset_codes = models.CharField(_("资产编号"), max_length=500, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发放人")
    )
    issued_at = models.DateTimeField(_("发放时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("领用台账")
        verbose_name_plural = _("领用台账")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.item_name} × {self.quantity}"


# --- Classification (GB/T 14885-2022) ----------------------------------------------------------

category_code_validator = RegexValidator(
    rules.CATEGORY_CODE_REGEX, _("分类代码格式不正确：应为 GB/T 14885-2022 的字母加数字代码（如 A02010105）。")
)


class Category(models.Model):
    """One node of the GB/T 14885 classification, loaded from assets/data/ (see the README)."""

    code = models.CharField(_("分类代码"), max_length=16, unique=True, validators=[category_code_validator])
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级分类")
    )
    min_life_months = models.PositiveSmallIntegerField(
        _("最低折旧年限（月）"), default=0, help_text=_("财会〔2017〕4号 表1；不计提折旧的分类填0。")
    )
    depreciates = models.BooleanField(_("计提折旧"), default=True)
    special_equipment = models.BooleanField(_("专用设备"), default=False, help_text=_("适用专用设备的资本化起点。"))
    standard_version = models.CharField(_("标准版本"), max_length=40, default=rules.STANDARD_VERSION)
    note = models.CharField(_("来源说明"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("资产分类")
        verbose_name_plural = _("资产分类")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(depreciates=True, min_life_months=0),
                name="category_depreciating_has_life",
                violation_error_message=_("计提折旧的分类必须填写最低折旧年限。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CapitalisationThreshold(models.Model):
    """资本化起点 (versioned by effective date); below it an item is a 低值易耗品, not a card."""

    effective_from = models.DateField(_("施行日期"), unique=True)
    general = models.DecimalField(_("通用资产起点（元）"), max_digits=12, decimal_places=2)
    special_equipment = models.DecimalField(_("专用设备起点（元）"), max_digits=12, decimal_places=2)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("资本化起点")
        verbose_name_plural = _("资本化起点")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return _("%(day)s 起 %(general)s/%(special)s 元") % {
            "day": self.effective_from,
            "general": self.general,
            "special": self.special_equipment,
        }


# --- Configuration standards (财资〔2016〕27号) -------------------------------------------------


class ConfigStandardVersion(models.Model):
    code = models.CharField(_("版本"), max_length=20, unique=True)
    title = models.CharField(_("依据文件"), max_length=200)
    effective_from = models.DateField(_("施行日期"), unique=True)

    class Meta:
        verbose_name = _("配置标准版本")
        verbose_name_plural = _("配置标准版本")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ConfigStandard(models.Model):
    """One row of a configuration standard: price cap, minimum life and quantity cap of a category."""

    version = models.ForeignKey(
        ConfigStandardVersion, on_delete=models.CASCADE, related_name="rows", verbose_name=_("版本")
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("资产分类"))
    label = models.CharField(_("标准中的名称"), max_length=50)
    price_cap = models.DecimalField(_("单价上限（元）"), max_digits=14, decimal_places=2)
    min_life_months = models.PositiveSmallIntegerField(_("最低使用年限（月）"))
    quantity_ratio = models.DecimalField(
        _("数量上限（占编制内实有人数比例）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("如 1.00 表示不超过实有人数的100%；留空表示不按人数控制。"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("配置标准")
        verbose_name_plural = _("配置标准")
        ordering = ["version", "category__code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "category"], name="configstandard_unique_row"),
            models.CheckConstraint(condition=models.Q(price_cap__gt=0), name="configstandard_price_positive"),
        ]

    def __str__(self) -> str:
        return _("%(label)s ≤%(cap)s元 ≥%(months)s月") % {
            "label": self.label,
            "cap": self.price_cap,
            "months": self.min_life_months,
        }


# --- Asset cards -------------------------------------------------------------------------------


class AssetNumberSequence(models.Model):
    """The last number issued per prefix (locked while a number is drawn, so numbers never repeat)."""

    prefix = models.CharField(_("前缀"), max_length=16, unique=True)
    last = models.PositiveBigIntegerField(_("已用到"), default=0)

    class Meta:
        verbose_name = _("资产编号序列")
        verbose_name_plural = _("资产编号序列")

    def __str__(self) -> str:
        return f"{self.prefix} {self.last}"


money_positive = MinValueValidator(Decimal("0.01"), message=_("金额必须大于0。"))


class Asset(models.Model):
    """资产卡片. Written only through assets.services; every move leaves a Movement row.

    Depreciation state (accumulated, months posted, next month due) is kept on the card so the
    monthly posting is two set-based statements; those fields are left out of the field history
    (the DepreciationEntry rows are their history).
    """

    asset_number = models.CharField(_("资产编号"), max_length=40, unique=True)
    name = models.CharField(_("资产名称"), max_length=100)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="assets", verbose_name=_("资产分类"))
    spec = models.CharField(_("规格型号"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("数量"), default=1, validators=[MinValueValidator(1)])
    unit_of_measure = models.CharField(_("计量单位"), max_length=10, default="台")
    original_value = models.DecimalField(_("原值（元）"), max_digits=14, decimal_places=2, validators=[money_positive])
    acquired_on = models.DateField(_("取得日期"))
    acquisition_way = models.CharField(
        _("取得方式"), max_length=16, choices=rules.AcquisitionWay.choices, default=rules.AcquisitionWay.PURCHASE
    )
    funding_source = models.CharField(
        _("经费来源"), max_length=16, choices=rules.FundingSource.choices, default=rules.FundingSource.FISCAL
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属单位"))
    user_department = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("使用部门")
    )
    custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="custodied_assets",
        verbose_name=_("使用人/保管人"),
    )
    location = models.ForeignKey(
        "officespace.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("存放地点"),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=rules.AssetStatus.choices, default=rules.AssetStatus.IN_USE, db_index=True
    )
    under_repair = models.BooleanField(_("维修中"), default=False)
    booked_on = models.DateField(_("入账日期"))
    # Loans (出租出借): to a unit on the platform or an outside party.
    lent_to_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("借用单位")
    )
    lent_to_party = models.CharField(_("承租/借用方"), max_length=100, blank=True)
    lent_until = models.DateField(_("出租出借到期日"), null=True, blank=True)
    disposed_on = models.DateField(_("处置日期"), null=True, blank=True)
    disposal_way = models.CharField(_("处置方式"), max_length=16, choices=rules.DisposalWay.choices, blank=True)
    # Depreciation (straight-line, zero residual).
    depreciates = models.BooleanField(_("计提折旧"), default=True)
    useful_life_months = models.PositiveSmallIntegerField(_("折旧年限（月）"), default=0)
    accumulated_depreciation = models.DecimalField(
        _("累计折旧（元）"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    depreciated_months = models.PositiveSmallIntegerField(_("已提折旧月数"), default=0)
    # Not indexed on purpose: the monthly posting updates every depreciating card, and leaving
    # the changed columns out of every index lets PostgreSQL update the rows in place (HOT, with
    # the table's fillfactor set by migration 0005); finding the month's cards is one seq scan.
    next_depreciation_month = models.DateField(_("下次计提月份"), null=True, blank=True)
    depreciation_end = models.DateField(
        _("停止计提月份"), null=True, blank=True, help_text=_("处置后该月起不再计提（含该月）。")
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)
    # A building's card (房屋): its area and structure are office space's, read from there, never copied.
    building = models.OneToOneField(
        "officespace.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("楼宇"),
    )
    created_at = models.DateTimeField(_("建卡时间"), auto_now_add=True)

    history = HistoricalRecords(
        excluded_fields=["accumulated_depreciation", "depreciated_months", "next_depreciation_month"]
    )

    class Meta:
        verbose_name = _("资产卡片")
        verbose_name_plural = _("资产卡片")
        ordering = ["asset_number"]
        constraints = [
            models.CheckConstraint(condition=models.Q(original_value__gt=0), name="asset_value_positive"),
            models.CheckConstraint(
                condition=models.Q(accumulated_depreciation__gte=0)
                & models.Q(accumulated_depreciation__lte=models.F("original_value")),
                name="asset_nbv_not_negative",
                violation_error_message=_("累计折旧不能超过原值（净值不能为负）。"),
            ),
            models.CheckConstraint(
                condition=~models.Q(depreciates=True, useful_life_months=0),
                name="asset_depreciating_has_life",
                violation_error_message=_("计提折旧的资产必须有折旧年限。"),
            ),
        ]
        indexes = [
            models.Index(fields=["org_unit", "status"]),
            models.Index(fields=["category", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.asset_number} {self.name}"

    @property
    def net_book_value(self) -> Decimal:
        return max(self.original_value - self.accumulated_depreciation, Decimal("0"))

    @property
    def lent_to_display(self) -> str:
        return str(self.lent_to_unit) if self.lent_to_unit_id else self.lent_to_party


class MovementKind(models.TextChoices):
    BOOK = "book", _("入账")
    ISSUE = "issue", _("领用")
    RETURN = "return", _("归还")
    TRANSFER = "transfer", _("调拨")
    LEND = "lend", _("出租出借")
    RETURN_LENT = "return_lent", _("出租出借收回")
    REPAIR_START = "repair_start", _("送修")
    REPAIR_END = "repair_end", _("维修完成")
    DISPOSE = "dispose", _("处置")
    RELOCATE = "relocate", _("变更存放地点/保管人")
    STATUS = "status", _("状态变更")
    IMPORT = "import", _("导入更新")


class Movement(models.Model):
    """One move of one card, append-only (never changed or deleted: it is the card's audit trail)."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="movements", verbose_name=_("资产"))
    kind = models.CharField(_("类型"), max_length=16, choices=MovementKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("经办人")
    )
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    from_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("原单位")
    )
    to_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("新单位")
    )
    from_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("原保管人"),
    )
    to_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("新保管人"),
    )
    from_room = models.ForeignKey(
        "officespace.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("原地点")
    )
    to_room = models.ForeignKey(
        "officespace.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("新地点")
    )
    from_status = models.CharField(_("原状态"), max_length=20, choices=rules.AssetStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=rules.AssetStatus.choices, blank=True)
    party = models.CharField(_("对方"), max_length=100, blank=True)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    # A note the system wrote, as its message and values (datahub.keyed); a person's note has no key.
    note_key = key_field()
    note_values = values_field()
    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("关联申请")
    )

    class Meta:
        verbose_name = _("资产变动")
        verbose_name_plural = _("资产变动")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["asset", "-at"])]

    shown_note = Rendered("note")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.asset_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("资产变动记录只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("资产变动记录只能追加，不能删除。"))


# --- Depreciation ------------------------------------------------------------------------------


class DepreciationEntry(models.Model):
    """One month's depreciation of one card; (asset, month) is unique, so a month posts once."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="depreciation", verbose_name=_("资产"))
    month = models.DateField(_("月份"), help_text=_("该月1日。"))
    amount = models.DecimalField(_("本月折旧（元）"), max_digits=14, decimal_places=2)
    accumulated = models.DecimalField(_("累计折旧（元）"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("折旧记录")
        verbose_name_plural = _("折旧记录")
        ordering = ["asset", "month"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "month"], name="depreciation_once_per_month"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="depreciation_not_negative"),
        ]
        indexes = [models.Index(fields=["month"])]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.month:%Y-%m} {self.amount}"


class DepreciationRun(models.Model):
    """What one posting of a month did (a rerun adds nothing and says so)."""

    month = models.DateField(_("月份"), unique=True)
    cards = models.PositiveIntegerField(_("计提卡片数"), default=0)
    total = models.DecimalField(_("折旧合计（元）"), max_digits=18, decimal_places=2, default=Decimal("0"))
    posted_at = models.DateTimeField(_("计提时间"), auto_now=True)

    class Meta:
        verbose_name = _("月度折旧计提")
        verbose_name_plural = _("月度折旧计提")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


# --- Request details (portal kinds) ------------------------------------------------------------


class DisposalRequest(RequestDetail):
    """资产处置申请: which card, how, why. Approval levels by original value (rules.py)."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="+", verbose_name=_("资产"))
    way = models.CharField(_("处置方式"), max_length=16, choices=rules.DisposalWay.choices)
    reason = models.CharField(_("处置理由"), max_length=500)
    original_value = models.DecimalField(_("原值（元）"), max_digits=14, decimal_places=2, default=Decimal("0"))
    early = models.BooleanField(
        _("提前处置"),
        default=False,
        help_text=_(
            "未达使用年限（如公务用车未满8年）因安全等原因确需处置的须勾选并说明理由，另经机关事务管理局审批。"
        ),
    )

    # Other ledgers whose rows are cards (a vehicle) add their own refusals (the 8-year rule);
    # AssetsConfig.ready() hands the check in, so that the models never import a service back.
    disposal_check: ClassVar[Callable[..., None]]

    class Meta:
        verbose_name = _("资产处置申请")
        verbose_name_plural = _("资产处置申请")

    def summary(self) -> Keyed:
        return Keyed(
            gettext_noop("资产处置（%(way)s）：%(asset)s"), {"way": choice(self, "way"), "asset": str(self.asset)}
        )

    def clean(self):
        if self.asset_id:
            current = Asset.objects.get(pk=self.asset_id)  # the card as it is now, not as the form saw it
            self.original_value = current.original_value
            rules.check_disposable(current.status, current.under_repair)
            DisposalRequest.disposal_check(asset=current, way=self.way, early=self.early)


class TransferRequest(RequestDetail):
    """资产调拨申请: one card of the requester's institution moves onto another institution's books.
    Countersigned by both units' asset administrators (assets/apps.py); carried out by lifecycle.transfer."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="+", verbose_name=_("资产"))
    to_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("调入单位"))
    reason = models.CharField(_("调拨理由"), max_length=500)

    class Meta:
        verbose_name = _("资产调拨申请")
        verbose_name_plural = _("资产调拨申请")

    def summary(self) -> Keyed:
        return Keyed(
            gettext_noop("资产调拨：%(asset)s → %(unit)s"), {"asset": str(self.asset), "unit": self.to_unit.name}
        )

    def clean(self):
        if self.asset_id:
            current = Asset.objects.get(pk=self.asset_id)  # the card as it is now
            if current.status not in rules.MOVABLE or current.under_repair:
                raise ValidationError({"asset": _("资产：当前状态不能调拨（须在用、闲置或在公物仓，且不在维修中）。")})
            if self.to_unit_id and self.to_unit.path.startswith(current.org_unit.path):
                raise ValidationError({"to_unit": _("调入单位：须为资产所属单位以外的单位。")})


class PurchaseRequest(RequestDetail):
    """资产配置申请 (purchase): checked against the configuration standard in force when filed."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("资产分类"))
    item_name = models.CharField(_("品名"), max_length=100)
    quantity = models.PositiveIntegerField(_("数量"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("单价（元）"), max_digits=14, decimal_places=2, validators=[money_positive])
    reason = models.CharField(_("配置理由"), max_length=500)
    replaces = models.ForeignKey(
        Asset, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("更新替换的资产")
    )
    early_renewal = models.BooleanField(
        _("申请提前更新"),
        default=False,
        help_text=_("被替换资产未达最低使用年限时须勾选并说明理由，另经机关事务管理局审批。"),
    )
    classified = models.BooleanField(_("涉密岗位"), default=False)

    class Meta:
        verbose_name = _("资产配置申请")
        verbose_name_plural = _("资产配置申请")

    def summary(self) -> Keyed:
        return Keyed(
            gettext_noop("资产配置：%(item)s × %(quantity)s"), {"item": self.item_name, "quantity": str(self.quantity)}
        )

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity

    # The facts rules.check_purchase judges (the standard in force, headcount, cards held) are read
    # by assets.selectors.purchase_facts, which reads these models; AssetsConfig.ready() hands that
    # reader in here, so that the models never import a reader back.
    facts_reader: ClassVar[Callable[["PurchaseRequest"], dict]]
    alternatives_reader: ClassVar[Callable[["PurchaseRequest"], str]]

    def derived_rows(self) -> list[tuple[str, str]]:
        """Shown on the ticket next to the typed fields: the approver sees the pool's matching items (先仓后购)."""
        return [(_("公物仓同类资产（先仓后购）"), PurchaseRequest.alternatives_reader(self))]

    def clean(self):
        if self.category_id and self.unit_price and self.quantity and self.ticket_id:
            rules.check_purchase(**PurchaseRequest.facts_reader(self))
