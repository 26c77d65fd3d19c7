"""Official vehicles (公务用车): the ledger (vehicles, quota, purchase caps, drivers, cost records,
disposals), the trip request detail of the "用车申请" kind, and dispatches (one booking of one
vehicle, optionally with a driver, for a window).

Invariants the database holds (the services check them first with clear messages):
plates and VINs are unique; a dispatch ends after it starts; on PostgreSQL no two live dispatches
of one vehicle, or of one driver, overlap (exclusion constraints, migration 0002).
"""

import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from datahub.keyed import Keyed, listed
from datahub.models import OrgUnit
from datahub.uploads import extension_validator
from portal.models import RequestDetail, Ticket, validate_attachment_content, validate_attachment_size

from .rules import (
    MAX_TRIP_DAYS,
    NEW_ENERGY,
    BodyType,
    Category,
    DisposalMethod,
    EnergyType,
    LicenceClass,
    UseScope,
    VehicleStatus,
)

NON_NEGATIVE = MinValueValidator(Decimal("0"), message=_("不能为负数。"))


def money(label: str, **kwargs):
    return models.DecimalField(label, max_digits=12, decimal_places=2, validators=[NON_NEGATIVE], **kwargs)


# --- Rules tables ------------------------------------------------------------------------------


class PurchaseCapVersion(models.Model):
    code = models.CharField(_("版本"), max_length=20, unique=True)
    title = models.CharField(_("依据文件"), max_length=200)
    effective_from = models.DateField(_("施行日期"), unique=True)
    # The rules that go with the caps (seeded from rules.PURCHASE_CAPS; an administrator adds a version).
    renewal_years = models.PositiveSmallIntegerField(
        _("可更新使用年限（年）"), default=8, help_text=_("使用年限超过该年数的车辆可以更新（第二十二条）。")
    )
    renewal_mileage_km = models.PositiveIntegerField(
        _("可更新里程（公里）"), null=True, blank=True, help_text=_("国家规定无里程标准；地方另有规定时填写。")
    )
    new_energy_share_min = models.DecimalField(
        _("新能源最低占比"), max_digits=3, decimal_places=2, default=Decimal("0.30"), help_text=_("如0.30表示30%。")
    )

    class Meta:
        verbose_name = _("购置标准版本")
        verbose_name_plural = _("购置标准版本")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class PurchaseCap(models.Model):
    """One cap: a vehicle of ``category`` (new-energy only when ``nev_only``) may cost at most
    ``max_price`` and displace at most ``max_displacement`` litres (None: no limit)."""

    version = models.ForeignKey(PurchaseCapVersion, on_delete=models.CASCADE, related_name="caps")
    category = models.CharField(_("车辆类别"), max_length=16, choices=Category.choices)
    nev_only = models.BooleanField(_("仅限新能源"), default=False)
    max_price = money(_("价格上限（元）"))
    max_displacement = models.DecimalField(_("排量上限（升）"), max_digits=3, decimal_places=1, null=True, blank=True)
    label = models.CharField(_("名称"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("购置标准")
        verbose_name_plural = _("购置标准")
        ordering = ["version", "category", "max_price"]

    def __str__(self) -> str:
        return self.label


class VehicleQuota(models.Model):
    """编制: how many vehicles of a category a unit may hold (set by the 主管部门 or 财政部门)."""

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    category = models.CharField(_("车辆类别"), max_length=16, choices=Category.choices)
    quota = models.PositiveIntegerField(_("编制数"))
    document = models.CharField(_("核定文号"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("车辆编制")
        verbose_name_plural = _("车辆编制")
        ordering = ["org_unit__path", "category"]
        constraints = [models.UniqueConstraint(fields=["org_unit", "category"], name="vehiclequota_unique")]

    def __str__(self) -> str:
        return _("%(org_unit)s %(category)s %(quota)s辆") % {
            "org_unit": self.org_unit,
            "category": self.get_category_display(),
            "quota": self.quota,
        }


class QuotaChange(models.Model):
    """An approved change of a unit's quota (e.g. a temporary extra vehicle); counts only when approved."""

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    category = models.CharField(_("车辆类别"), max_length=16, choices=Category.choices)
    delta = models.IntegerField(_("增减数量"))
    approved = models.BooleanField(_("已批准"), default=False)
    document = models.CharField(_("批准文号"), max_length=100, blank=True)
    reason = models.CharField(_("理由"), max_length=300)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("编制调整")
        verbose_name_plural = _("编制调整")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.get_category_display()} {self.delta:+d}"


# --- Ledger ------------------------------------------------------------------------------------


class Vehicle(models.Model):
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="vehicles", verbose_name=_("所属单位"))
    plate = models.CharField(_("号牌号码"), max_length=10, unique=True)
    vin = models.CharField(_("车辆识别代号"), max_length=17, unique=True)
    category = models.CharField(_("车辆类别"), max_length=16, choices=Category.choices)
    brand = models.CharField(_("品牌"), max_length=50)
    model_name = models.CharField(_("型号"), max_length=80)
    energy_type = models.CharField(_("能源类型"), max_length=12, choices=EnergyType.choices)
    body_type = models.CharField(_("车型"), max_length=12, choices=BodyType.choices, default=BodyType.SEDAN)
    use_scope = models.CharField(_("使用范围"), max_length=12, choices=UseScope.choices, default=UseScope.GENERAL)
    fixed_use = models.BooleanField(
        _("固定用车"), default=False, help_text=_("配备给领导干部固定使用（越野车不得作为固定用车）。")
    )
    displacement = models.DecimalField(
        _("排量（升）"), max_digits=3, decimal_places=1, null=True, blank=True, help_text=_("纯电动、燃料电池车留空。")
    )
    seats = models.PositiveSmallIntegerField(_("核定座位数"), default=5)
    licence_needed = models.CharField(_("准驾车型"), max_length=2, choices=LicenceClass.choices, default="C1")
    # 一数一源: the vehicle is an asset card (GB/T 14885 车辆); its purchase price and date are the card's
    # original value and acquisition date (``purchase_price``/``purchase_date`` below read them).
    asset = models.OneToOneField(
        "assets.Asset", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("资产卡片")
    )
    odometer_km = models.PositiveIntegerField(_("里程表读数（公里）"), default=0)
    status = models.CharField(
        _("状态"), max_length=12, choices=VehicleStatus.choices, default=VehicleStatus.AVAILABLE, db_index=True
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公务用车")
        verbose_name_plural = _("公务用车")
        ordering = ["plate"]
        indexes = [models.Index(fields=["org_unit", "category", "status"])]

    def __str__(self) -> str:
        return self.plate

    @property
    def is_new_energy(self) -> bool:
        return self.energy_type in NEW_ENERGY

    @property
    def purchase_price(self) -> Decimal | None:
        """购置价格 = the card's 原值 (None while the vehicle has no card)."""
        return self.asset.original_value if self.asset_id else None

    @property
    def purchase_date(self):
        """购置日期 = the card's 取得日期 (None while the vehicle has no card)."""
        return self.asset.acquired_on if self.asset_id else None


def photo_path(photo, filename: str) -> str:
    return f"vehicles/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class VehiclePhoto(models.Model):
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="photos", verbose_name=_("车辆"))
    file = models.FileField(
        _("照片"),
        upload_to=photo_path,
        validators=[
            extension_validator(["jpg", "jpeg", "png"]),
            validate_attachment_size,
            validate_attachment_content,
        ],
    )
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("车辆照片")
        verbose_name_plural = _("车辆照片")
        ordering = ["vehicle", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.vehicle} {self.caption}"


class Driver(models.Model):
    class Status(models.TextChoices):
        ON_DUTY = "on_duty", _("在岗")
        LEAVE = "leave", _("休假")
        OFF = "off", _("离岗")

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="driver", verbose_name=_("人员")
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属单位"))
    licence_class = models.CharField(_("准驾车型"), max_length=2, choices=LicenceClass.choices)
    licence_expires = models.DateField(_("驾驶证有效期至"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ON_DUTY)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("驾驶员")
        verbose_name_plural = _("驾驶员")
        ordering = ["org_unit__path", "person__name"]

    def __str__(self) -> str:
        return self.person.name


class CostRecord(models.Model):
    """A cost on a vehicle: fuel/charging, maintenance, insurance, annual inspection, toll, parking."""

    class Kind(models.TextChoices):
        FUEL = "fuel", _("加油/充电")
        MAINTENANCE = "maintenance", _("维修保养")
        INSURANCE = "insurance", _("保险")
        INSPECTION = "inspection", _("年检")
        TOLL = "toll", _("通行费")
        PARKING = "parking", _("停车费")

    class Fuel(models.TextChoices):
        GASOLINE = "gasoline", _("汽油")
        DIESEL = "diesel", _("柴油")
        ELECTRICITY = "electricity", _("电")

    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="records", verbose_name=_("车辆"))
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices, db_index=True)
    date = models.DateField(_("日期"))
    amount = money(_("金额（元）"))
    fuel = models.CharField(_("燃料"), max_length=12, choices=Fuel.choices, blank=True)
    quantity = models.DecimalField(
        _("数量（升/千瓦时）"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[NON_NEGATIVE]
    )
    odometer_km = models.PositiveIntegerField(_("里程表读数（公里）"), null=True, blank=True)
    supplier = models.CharField(_("供应商/保险公司"), max_length=100, blank=True)
    items = models.CharField(_("项目"), max_length=300, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("保险止期或年检有效期。"))
    dispatch = models.ForeignKey(
        "Dispatch", on_delete=models.PROTECT, null=True, blank=True, related_name="records", verbose_name=_("出车")
    )
    reminded_at = models.DateTimeField(_("到期提醒时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("车辆费用记录")
        verbose_name_plural = _("车辆费用记录")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["vehicle", "kind", "date"])]

    def __str__(self) -> str:
        return _("%(vehicle)s %(kind)s %(amount)s元") % {
            "vehicle": self.vehicle,
            "kind": self.get_kind_display(),
            "amount": self.amount,
        }


class Disposal(models.Model):
    vehicle = models.OneToOneField(Vehicle, on_delete=models.PROTECT, related_name="disposal", verbose_name=_("车辆"))
    method = models.CharField(_("处置方式"), max_length=12, choices=DisposalMethod.choices)
    date = models.DateField(_("处置日期"))
    proceeds = money(_("处置收入（元）"), default=Decimal("0"))
    document = models.CharField(_("批准文号"), max_length=100)
    # The approved 资产处置 request that disposed of the vehicle's card (and so of the vehicle).
    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("资产处置申请")
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("车辆处置")
        verbose_name_plural = _("车辆处置")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.vehicle} {self.get_method_display()}"


# --- Trips -------------------------------------------------------------------------------------


class Dispatch(models.Model):
    """One booking of one vehicle (and driver) for [starts_at, ends_at), created by the dispatcher
    for an approved trip request (``ticket``); pooled requests point at it too (TripRequest.dispatch)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("已派车")
        DEPARTED = "departed", _("已出车")
        RETURNED = "returned", _("已归还")
        CANCELLED = "cancelled", _("已取消")

    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="dispatches", verbose_name=_("车辆"))
    driver = models.ForeignKey(
        Driver, on_delete=models.PROTECT, null=True, blank=True, related_name="dispatches", verbose_name=_("驾驶员")
    )
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="+", verbose_name=_("用车申请"))
    starts_at = models.DateTimeField(_("预订开始"))
    ends_at = models.DateTimeField(_("预订结束"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    departed_at = models.DateTimeField(_("出车时间"), null=True, blank=True)
    returned_at = models.DateTimeField(_("归还时间"), null=True, blank=True)
    odometer_out = models.PositiveIntegerField(_("出车里程（公里）"), null=True, blank=True)
    odometer_in = models.PositiveIntegerField(_("归还里程（公里）"), null=True, blank=True)
    distance_km = models.PositiveIntegerField(_("行驶里程（公里）"), null=True, blank=True)
    notes = models.CharField(_("备注"), max_length=500, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("派车时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("派车单")
        verbose_name_plural = _("派车单")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["vehicle", "starts_at"]),
            models.Index(fields=["driver", "starts_at"]),
            # "Who is booked in this window?" scans the live bookings starting in the window or up to
            # rules.MAX_TRIP_DAYS before it (selectors._overlapping): one short range of this index.
            models.Index(fields=["starts_at"], condition=~models.Q(status="cancelled"), name="dispatch_live_starts"),
            # "Which live bookings of this vehicle reach past this moment?" (a position batch's booked windows,
            # selectors.booked_windows): the end of the window (the later of the planned end and the return)
            # bounds the scan to the bookings still running, not the vehicle's whole history before the batch.
            models.Index(
                models.F("vehicle"),
                Greatest("ends_at", Coalesce("returned_at", "ends_at")),
                condition=~models.Q(status="cancelled"),
                name="dispatch_live_vehicle_until",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="dispatch_ends_after"),
        ]

    def __str__(self) -> str:
        # The dispatch record on a ticket reads in Asia/Shanghai: a 14:00 trip is 14:00, not 06:00 (UTC).
        return f"{self.vehicle} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class TripRequest(RequestDetail):
    """The detail of a "用车申请" ticket."""

    starts_at = models.DateTimeField(_("用车开始"))
    ends_at = models.DateTimeField(_("用车结束"))
    origin = models.CharField(_("出发地"), max_length=100)
    destinations = models.CharField(_("目的地"), max_length=300)
    passengers = models.PositiveSmallIntegerField(_("乘车人数"), default=1, validators=[MinValueValidator(1)])
    # The passengers are the directory's people (links, not names: a renamed or moved person stays the same
    # rider); only guests from outside the directory are typed.
    riders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("乘车人（人员名录）")
    )
    guest_names = models.CharField(_("外单位来宾"), max_length=200, blank=True)
    purpose = models.CharField(_("事由"), max_length=300)
    category = models.CharField(
        _("车辆类别"),
        max_length=16,
        choices=Category.choices,
        default=Category.OTHER,
        help_text=_("如机要文件交换选机要通信用车。"),
    )
    needs_driver = models.BooleanField(_("需要驾驶员"), default=True)
    out_of_city = models.BooleanField(_("市外出行"), default=False)
    emergency = models.BooleanField(_("紧急用车"), default=False)
    dispatch = models.ForeignKey(
        Dispatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="trips", verbose_name=_("派车单")
    )
    # Emergency requests skip approval and are reviewed afterwards by the department head.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("事后审核人"),
    )
    reviewed_at = models.DateTimeField(_("事后审核时间"), null=True, blank=True)
    review_comment = models.CharField(_("事后审核意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("用车申请")
        verbose_name_plural = _("用车申请")

    def __str__(self) -> str:
        return str(self.summary())

    def summary(self) -> Keyed:
        text = (
            gettext_noop("【紧急】用车：%(starts)s %(origin)s→%(destinations)s")
            if self.emergency
            else gettext_noop("用车：%(starts)s %(origin)s→%(destinations)s")
        )
        return Keyed(
            text, {"starts": f"{self.starts_at:%m-%d %H:%M}", "origin": self.origin, "destinations": self.destinations}
        )

    def passenger_text(self) -> str:
        """乘车人 as shown: the directory's people by their current names, then the typed guests."""
        people = listed(p.name or p.username for p in self.riders.all()) if self.pk else ""
        return people + (_("；来宾：%(names)s") % {"names": self.guest_names} if self.guest_names else "")

    def derived_rows(self) -> list[tuple[str, str]]:
        """On the ticket page: the riders (links to the directory) are not a concrete column."""
        return [(_("乘车人"), self.passenger_text() or "—")]

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("用车结束时间必须晚于开始时间。")})
        if self.starts_at and self.ends_at and self.ends_at - self.starts_at > timedelta(days=MAX_TRIP_DAYS):
            raise ValidationError(
                {"ends_at": _("一次用车最长%(days)s天，更长时间请办理公务租车或调拨。") % {"days": MAX_TRIP_DAYS}}
            )
