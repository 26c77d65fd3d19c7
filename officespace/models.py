"""Office space (办公用房): the ledger (building → floor → room, who sits where and when),
the standards as editable versioned tables, the over-standard check's results, and the
request details of the two request kinds (维修报修, 用房调整申请).

Invariants the database holds (and the services check first, with clear messages):
areas are positive; a person has at most one current main office; one person sits in a
room once at a time; an occupancy ends on or after it starts.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from datahub.keyed import Keyed, choice
from datahub.models import OrgUnit
from datahub.uploads import extension_validator
from portal.models import (
    ATTACHMENT_EXTENSIONS,
    RequestDetail,
    Ticket,
    validate_attachment_content,
    validate_attachment_size,
)

# The meeting-room request and its booking ledger have their own module (this one is near its size limit).
from .meeting_models import MeetingRoomRequest, RoomBooking  # noqa: F401
from .repair_models import RepairCategory, RepairRecord, RepairRequest  # noqa: F401
from .rules import AdminClass, Grade, MappingSource

POSITIVE_AREA = MinValueValidator(Decimal("0.01"), message=_("面积必须大于0。"))


def area_field(label: str, **kwargs):
    return models.DecimalField(label, max_digits=12, decimal_places=2, validators=[POSITIVE_AREA], **kwargs)


# --- Standards (versioned, administrator-editable) -----------------------------------------


class StandardVersion(models.Model):
    code = models.CharField(_("版本"), max_length=20, unique=True)
    title = models.CharField(_("依据文件"), max_length=200)
    effective_from = models.DateField(_("施行日期"), unique=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("办公用房标准版本")
        verbose_name_plural = _("办公用房标准版本")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class AreaStandard(models.Model):
    """One row of the per-person office use-area standard: (version, unit class, grade) → m²."""

    version = models.ForeignKey(StandardVersion, on_delete=models.CASCADE, related_name="rows", verbose_name=_("版本"))
    admin_class = models.CharField(_("机构级次"), max_length=16, choices=AdminClass.choices)
    grade = models.CharField(_("职务层次"), max_length=3, choices=Grade.choices)
    label = models.CharField(_("标准中的名称"), max_length=50)
    area = area_field(_("使用面积标准（m²/人）"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("办公室面积标准")
        verbose_name_plural = _("办公室面积标准")
        ordering = ["version", "admin_class", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["version", "admin_class", "grade"], name="areastandard_unique_row"),
            models.CheckConstraint(condition=models.Q(area__gt=0), name="areastandard_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_admin_class_display()} {self.label} {self.area}m²"


class RankMapping(models.Model):
    """Which standard row a post level (职务级别) or a rank (职级) falls in; configurable."""

    source = models.CharField(_("依据"), max_length=16, choices=MappingSource.choices)
    code = models.CharField(_("职务级别/职级代码"), max_length=24)
    grade = models.CharField(
        _("对应标准层次"),
        max_length=3,
        choices=Grade.choices,
        blank=True,
        help_text=_("留空表示该项不参照任何标准层次。"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("职级与面积标准对应")
        verbose_name_plural = _("职级与面积标准对应")
        ordering = ["source", "code"]
        constraints = [models.UniqueConstraint(fields=["source", "code"], name="rankmapping_unique_code")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.code} → {self.get_grade_display() or _('不参照')}"


class UnitClass(models.Model):
    """The class (中央/省/市/县/乡) of a unit and its subtree, where the region code does not tell it."""

    org_unit = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("机构"))
    admin_class = models.CharField(_("机构级次"), max_length=16, choices=AdminClass.choices)

    class Meta:
        verbose_name = _("机构级次（办公用房标准）")
        verbose_name_plural = _("机构级次（办公用房标准）")

    def __str__(self) -> str:
        return f"{self.org_unit} · {self.get_admin_class_display()}"


# --- Ledger ----------------------------------------------------------------------------------


class Building(models.Model):
    class Title(models.TextChoices):
        REGISTERED = "registered", _("登记至机关事务管理部门")
        FILED = "filed", _("权属备案")

    class Structure(models.TextChoices):
        FRAME = "frame", _("钢筋混凝土")
        MASONRY = "masonry", _("砖混")
        STEEL = "steel", _("钢结构")
        SIMPLE = "simple", _("简易结构")
        OTHER = "other", _("其他")

    code = models.CharField(_("楼宇编码"), max_length=32, unique=True)
    name = models.CharField(_("楼宇名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("使用单位"))
    title_status = models.CharField(_("权属"), max_length=16, choices=Title.choices, default=Title.REGISTERED)
    title_holder = models.CharField(
        _("权利人"),
        max_length=100,
        blank=True,
        help_text=_("不动产登记的权利人，原则上为机关事务管理部门（所有权与使用权分离）。"),
    )
    title_reason = models.CharField(_("权属备案原因"), max_length=300, blank=True)
    certificate_no = models.CharField(_("不动产权证号"), max_length=60, blank=True)
    year_built = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)
    structure = models.CharField(_("结构"), max_length=16, choices=Structure.choices, default=Structure.FRAME)
    building_area = area_field(_("总建筑面积（m²）"))
    use_area = area_field(_("总使用面积（m²）"))
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("楼宇")
        verbose_name_plural = _("楼宇")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(use_area__gt=0, building_area__gt=0), name="building_areas_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(use_area__lte=models.F("building_area")), name="building_use_within_total"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Floor(models.Model):
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="floors", verbose_name=_("楼宇"))
    number = models.SmallIntegerField(_("楼层"), help_text=_("地下层用负数，如 -1。"))
    use_area = area_field(_("本层使用面积（m²）"), null=True, blank=True)

    class Meta:
        verbose_name = _("楼层")
        verbose_name_plural = _("楼层")
        ordering = ["building", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="floor_unique_number"),
            models.CheckConstraint(
                condition=models.Q(use_area__isnull=True) | models.Q(use_area__gt=0), name="floor_area_positive"
            ),
        ]

    def __str__(self) -> str:
        return _("%(building)s %(number)s层") % {"building": self.building, "number": self.number}


class RoomCategory(models.TextChoices):
    """办公用房 = 办公室、服务用房、设备用房、附属用房 (2017 办法 第二条)."""

    OFFICE = "office", _("办公室")
    SERVICE = "service", _("服务用房")
    EQUIPMENT = "equipment", _("设备用房")
    ANCILLARY = "ancillary", _("附属用房")


class RoomSubtype(models.TextChoices):
    NONE = "", "—"
    MEETING = "meeting", _("会议室")
    RECEPTION = "reception", _("接待室")
    ARCHIVE = "archive", _("档案室")
    PRINTING = "printing", _("文印室")
    DUTY = "duty", _("值班室")
    STORAGE = "storage", _("库房")
    SERVER = "server", _("机房")
    DINING = "dining", _("食堂")
    TOILET = "toilet", _("卫生间")
    GARAGE = "garage", _("车库")


class Room(models.Model):
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("楼宇"))
    floor = models.ForeignKey(Floor, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("楼层"))
    number = models.CharField(_("房间号"), max_length=20)
    use_area = area_field(_("使用面积（m²）"))
    category = models.CharField(_("用房类型"), max_length=16, choices=RoomCategory.choices, default=RoomCategory.OFFICE)
    subtype = models.CharField(_("细分用途"), max_length=16, choices=RoomSubtype.choices, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("分配单位"), db_index=True
    )
    is_active = models.BooleanField(_("在用"), default=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("房间")
        verbose_name_plural = _("房间")
        ordering = ["building", "floor__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["floor", "number"], name="room_unique_number_on_floor"),
            models.CheckConstraint(condition=models.Q(use_area__gt=0), name="room_area_positive"),
        ]
        indexes = [models.Index(fields=["category", "is_active"])]

    def __str__(self) -> str:
        return f"{self.building.name} {self.number}"


class Occupancy(models.Model):
    """Who sits in which room, from when to when (ended rows are the history)."""

    class PostEnd(models.TextChoices):
        TRANSFER = "transfer", _("调动")
        RETIRE = "retire", _("退休")
        SIDE_POST_ENDED = "side_post_ended", _("兼职结束")
        OTHER = "other", _("其他")

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="occupancies", verbose_name=_("房间"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="office_occupancies", verbose_name=_("使用人")
    )
    is_main = models.BooleanField(_("主办公室"), default=True, help_text=_("不勾选表示兼职岗位的第二办公室。"))
    approval_ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("批准的申请")
    )
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    post_ended_on = models.DateField(
        _("离岗/兼职结束日期"), null=True, blank=True, help_text=_("调动、退休或兼职结束之日，用于腾退期限。")
    )
    post_end_reason = models.CharField(_("离岗原因"), max_length=20, choices=PostEnd.choices, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("办公室使用")
        verbose_name_plural = _("办公室使用")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(end_date__isnull=True, is_main=True),
                name="occupancy_one_current_main_office",
                violation_error_message="此人已有在用的主办公室。",
            ),
            models.UniqueConstraint(
                fields=["person", "room"],
                condition=models.Q(end_date__isnull=True),
                name="occupancy_once_per_room",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="occupancy_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["room", "end_date"]), models.Index(fields=["person", "end_date"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.room_id}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class Assessment(models.Model):
    """The over-standard check's result for one occupancy, with its handling status.

    Rewritten by every run of the check (numbers only); the handling fields are the
    administrators' and survive reruns.
    """

    class Flag(models.TextChoices):
        NONE = "", "—"
        SECOND_UNAPPROVED = "second_unapproved", _("第二办公室未经批准")
        SECOND_TOO_LARGE = "second_too_large", _("第二办公室不小于标准")
        SECOND_RETURN_DUE = "second_return_due", _("兼职结束应腾退")
        LEAVER_RETURN_DUE = "leaver_return_due", _("调离/退休应腾退")

    class Status(models.TextChoices):
        OPEN = "open", _("未整改")
        IN_PROGRESS = "in_progress", _("整改中")
        FIXED = "fixed", _("已整改")
        FILED = "filed", _("已备案")

    class Remedy(models.TextChoices):
        NONE = "", "—"
        ADJUST = "adjust", _("调整")
        MERGE = "merge", _("合并")
        PARTITION = "partition", _("分隔")
        RETURN = "return", _("腾退")

    occupancy = models.OneToOneField(
        Occupancy, on_delete=models.CASCADE, related_name="assessment", verbose_name=_("办公室使用")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("人员")
    )
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+", verbose_name=_("房间"))
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("人员单位"))
    admin_class = models.CharField(_("机构级次"), max_length=16, choices=AdminClass.choices)
    grade = models.CharField(_("标准层次"), max_length=3, choices=Grade.choices)
    # Which of the person's 职务级别 / 职级 set the grade (rules.grade_for), shown with the result.
    basis = models.CharField(
        _("认定依据"), max_length=16, choices=MappingSource.choices, default=MappingSource.POST_LEVEL
    )
    is_leader = models.BooleanField(_("领导职务"), default=False)
    is_main = models.BooleanField(_("主办公室"), default=True)
    is_current = models.BooleanField(_("在用"), default=True)
    occupants = models.PositiveSmallIntegerField(_("同室人数"), default=1)
    standard = models.DecimalField(_("标准面积（m²）"), max_digits=10, decimal_places=2)
    share = models.DecimalField(_("实际分摊面积（m²）"), max_digits=10, decimal_places=2)
    excess = models.DecimalField(_("超标面积（m²）"), max_digits=10, decimal_places=2, default=0)
    is_over = models.BooleanField(_("超标"), default=False)
    flag = models.CharField(_("提示"), max_length=24, choices=Flag.choices, blank=True)
    return_due = models.DateField(_("应腾退日期"), null=True, blank=True)
    checked_at = models.DateTimeField(_("核查时间"))
    # Handling (kept across reruns).
    status = models.CharField(_("整改状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    remedy = models.CharField(_("整改方式"), max_length=16, choices=Remedy.choices, blank=True)
    reason = models.CharField(_("整改说明/备案理由"), max_length=500, blank=True)
    attachment = models.FileField(
        _("备案附件"),
        upload_to="officespace/filings/%Y/",
        blank=True,
        validators=[
            extension_validator(ATTACHMENT_EXTENSIONS),
            validate_attachment_size,
            validate_attachment_content,
        ],
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("超标准核查结果")
        verbose_name_plural = _("超标准核查结果")
        ordering = ["-excess", "pk"]
        indexes = [
            models.Index(fields=["org_unit", "is_current"]),
            models.Index(fields=["is_current", "is_over", "status"]),
            models.Index(fields=["is_current", "flag"]),
            # The over-standard list: largest excess first, walked from the index for the first page.
            models.Index(
                fields=["-excess", "id"], condition=models.Q(is_current=True), name="assessment_current_by_excess"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.share}/{self.standard}m²"

    @property
    def needs_attention(self) -> bool:
        return self.is_current and (self.is_over or bool(self.flag))


def _area_sum(label: str):
    return models.DecimalField(label, max_digits=14, decimal_places=2, default=0)


class UnitRollup(models.Model):
    """Per unit, the current main-office results summed (refreshed by every run of the check):
    what the leaders' report reads, so it does not re-add 10⁵ rows on every view."""

    org_unit = models.OneToOneField(
        OrgUnit, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("单位")
    )
    people = models.PositiveIntegerField(_("人数"), default=0)
    approved_area = _area_sum(_("核定面积"))
    actual_area = _area_sum(_("实际面积"))
    excess_area = _area_sum(_("超标面积"))
    over_people = models.PositiveIntegerField(_("超标人数"), default=0)
    leader_people = models.PositiveIntegerField(_("领导人数"), default=0)
    leader_over = models.PositiveIntegerField(_("领导超标人数"), default=0)
    leader_approved = _area_sum(_("领导核定面积"))
    leader_actual = _area_sum(_("领导实际面积"))
    leader_excess = _area_sum(_("领导超标面积"))
    staff_over = models.PositiveIntegerField(_("工作人员超标人数"), default=0)
    staff_approved = _area_sum(_("工作人员核定面积"))
    staff_actual = _area_sum(_("工作人员实际面积"))
    staff_excess = _area_sum(_("工作人员超标面积"))
    flagged = models.PositiveIntegerField(_("应腾退等提示"), default=0)
    refreshed_at = models.DateTimeField(_("汇总时间"))

    class Meta:
        verbose_name = _("超标准占用单位汇总")
        verbose_name_plural = _("超标准占用单位汇总")

    def __str__(self) -> str:
        return f"{self.org_unit_id}: {self.excess_area}m²"


class AdjustmentRequest(RequestDetail):
    """用房调整申请: a unit asks for more or different rooms, or a person for a second office."""

    class Purpose(models.TextChoices):
        MORE = "more", _("增配用房")
        CHANGE = "change", _("调整/置换用房")
        SECOND_OFFICE = "second_office", _("兼职岗位第二办公室")
        LEASE_OUT = "lease_out", _("出租/出借办公用房")

    purpose = models.CharField(_("申请事项"), max_length=20, choices=Purpose.choices)
    requested_area = area_field(_("申请面积（m²）"))
    headcount = models.PositiveIntegerField(_("涉及人数"), default=1)
    reason = models.TextField(_("申请理由"), max_length=1000)
    # The 兼职 post is the directory's (datahub.SidePost): picked from the requester's open posts, never typed,
    # so the second office falls due when the directory ends the post.
    side_post = models.ForeignKey(
        "datahub.SidePost",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("兼职岗位"),
        help_text=_("申请第二办公室时，从人员名录中登记的本人在任兼职岗位中选择。"),
    )
    lease_exception = models.CharField(
        _("出租出借例外批准文号"),
        max_length=100,
        blank=True,
        help_text=_("党政机关原则上不得出租出借，须有已批准的例外。"),
    )

    class Meta:
        verbose_name = _("用房调整申请")
        verbose_name_plural = _("用房调整申请")

    def summary(self) -> Keyed:
        return Keyed(
            gettext_noop("用房调整申请：%(purpose)s %(area)sm²"),
            {"purpose": choice(self, "purpose"), "area": str(self.requested_area)},
        )

    def clean(self):
        errors = {}
        if self.purpose == self.Purpose.SECOND_OFFICE and self.side_post_id is None:
            errors["side_post"] = _("兼职岗位：申请第二办公室须选择人员名录中登记的本人在任兼职岗位。")
        elif self.side_post_id is not None and self.side_post.ended_on is not None:
            errors["side_post"] = _("兼职岗位：“%(post)s”已于%(day)s结束。") % {
                "post": self.side_post,
                "day": self.side_post.ended_on,
            }
        elif self.side_post_id is not None and self.ticket_id and self.side_post.person_id != self.ticket.requester_id:
            errors["side_post"] = _("兼职岗位：只能选择申请人本人的兼职岗位。")
        if self.purpose == self.Purpose.LEASE_OUT and self.ticket_id:
            unit = self.ticket.org_unit
            if unit.kind == OrgUnit.Kind.PARTY_GOVERNMENT and not self.lease_exception.strip():
                errors["lease_exception"] = _("党政机关办公用房一律不得出租、出借；确有例外须填写已批准的文号。")
        if errors:
            raise ValidationError(errors)


class Supply(models.TextChoices):
    """Order of supply: 调剂 → 置换 → 租用 → 建设."""

    REALLOCATE = "reallocate", _("调剂")
    EXCHANGE = "exchange", _("置换")
    LEASE = "lease", _("租用")
    BUILD = "build", _("建设")


class AdjustmentRecord(models.Model):
    """用房调整台账: one row per finished adjustment, written from the ticket's outcome."""

    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请"))
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请单位"))
    purpose = models.CharField(_("申请事项"), max_length=20, choices=AdjustmentRequest.Purpose.choices)
    supply = models.CharField(_("解决方式"), max_length=16, choices=Supply.choices)
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("房间")
    )
    area = models.DecimalField(_("解决面积（m²）"), max_digits=12, decimal_places=2, default=0)
    result = models.CharField(_("办理结果"), max_length=1000)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(_("完成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("用房调整台账")
        verbose_name_plural = _("用房调整台账")
        ordering = ["-completed_at"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.get_supply_display()}"
