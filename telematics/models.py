"""北斗/GPS monitoring: terminals, position points, the working calendar, geofences, alert rules, alerts.

Invariants the database holds: one terminal per vehicle, a unique token hash per terminal;
one position per (vehicle, time) — that unique index is also the index every per-vehicle
time-range query (track replay, rule evaluation) uses; one rule per (kind, unit) and one
global rule per kind; one calendar row per date.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from datahub.keyed import Rendered, key_field, values_field
from datahub.models import OrgUnit

from .rules import DEFAULT_RULES, AlertKind, DayKind


class Terminal(models.Model):
    """A vehicle's 北斗/GPS device. Only a hash of its token is kept (the token is shown once)."""

    vehicle = models.OneToOneField(
        "vehicles.Vehicle", on_delete=models.PROTECT, related_name="terminal", verbose_name=_("车辆")
    )
    serial = models.CharField(_("终端编号"), max_length=40, unique=True)
    model_name = models.CharField(_("终端型号"), max_length=60, blank=True)
    # sha256 of a 256-bit random token: enough against guessing, and an indexed lookup per request
    # (a slow password hash would cost every ingestion batch and is meant for low-entropy secrets).
    token_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(
        _("令牌前缀"), max_length=8, editable=False, help_text=_("用于核对设备上配置的令牌。")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    token_rotated_at = models.DateTimeField(_("令牌更换时间"), null=True, blank=True, editable=False)
    last_seen_at = models.DateTimeField(_("最近上报时间"), null=True, blank=True, editable=False)
    last_position_at = models.DateTimeField(_("最近定位时间"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["last_seen_at", "last_position_at", "token_hash"])

    class Meta:
        verbose_name = _("车载终端")
        verbose_name_plural = _("车载终端")
        ordering = ["serial"]

    def __str__(self) -> str:
        return f"{self.serial}（{self.vehicle}）"

    # DRF's IsAuthenticated reads request.user.is_authenticated; the terminal is the "user" of its requests.
    is_authenticated = True


class Position(models.Model):
    vehicle = models.ForeignKey(
        "vehicles.Vehicle", on_delete=models.CASCADE, related_name="+", verbose_name=_("车辆"), db_index=False
    )
    time = models.DateTimeField(_("定位时间"))
    lat = models.FloatField(_("纬度"))
    lon = models.FloatField(_("经度"))
    speed = models.FloatField(_("速度（km/h）"))
    ignition = models.BooleanField(_("点火"), default=True)

    class Meta:
        verbose_name = _("定位点")
        verbose_name_plural = _("定位点")
        constraints = [
            # Idempotent ingestion (ON CONFLICT DO NOTHING) and the per-vehicle time-range index in one.
            models.UniqueConstraint(fields=["vehicle", "time"], name="position_unique_vehicle_time"),
            models.CheckConstraint(
                condition=models.Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180, speed__gte=0),
                name="position_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle_id} {self.time:%Y-%m-%d %H:%M:%S}"


class CalendarDay(models.Model):
    """A date that differs from the default week (Mon–Fri work 08:30–17:30, weekends rest), or
    has other working hours: holidays, 调休 workdays, summer hours."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=DayKind.choices)
    name = models.CharField(_("说明"), max_length=40, blank=True)
    work_start = models.TimeField(_("上班时间"), null=True, blank=True, help_text=_("留空为默认 08:30。"))
    work_end = models.TimeField(_("下班时间"), null=True, blank=True, help_text=_("留空为默认 17:30。"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(work_start__isnull=True)
                | models.Q(work_end__isnull=True)
                | models.Q(work_start__lt=models.F("work_end")),
                name="calendarday_hours_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


class Geofence(models.Model):
    """A polygon a unit's vehicles are expected to stay in (its district). Vehicles of a unit use the
    fences of the nearest unit at or above theirs that has an active one."""

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("单位"))
    name = models.CharField(_("名称"), max_length=60)
    polygon = models.JSONField(_("顶点（经度,纬度）"), default=list)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("电子围栏")
        verbose_name_plural = _("电子围栏")
        ordering = ["org_unit__path", "name"]
        constraints = [models.UniqueConstraint(fields=["org_unit", "name"], name="geofence_unique_name")]

    def __str__(self) -> str:
        return f"{self.org_unit} · {self.name}"


class AlertRule(models.Model):
    """One rule's setting for a unit's subtree (or globally when no unit). The nearest setting wins;
    without any row the defaults of rules.DEFAULT_RULES apply, enabled."""

    kind = models.CharField(_("规则"), max_length=20, choices=AlertKind.choices)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("适用单位")
    )
    enabled = models.BooleanField(_("启用"), default=True)
    threshold = models.FloatField(
        _("阈值"), help_text=_("超速：限速 km/h；离线：小时；非工作时间用车、无单出车：视为行驶的最低速度 km/h。")
    )
    gap_minutes = models.PositiveIntegerField(
        _("合并间隔（分钟）"), default=30, help_text=_("相隔不超过该时长的违规定位点合并为一次告警。")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("告警规则")
        verbose_name_plural = _("告警规则")
        ordering = ["kind", "org_unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "org_unit"], name="alertrule_unique_unit"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(org_unit__isnull=True), name="alertrule_unique_global"
            ),
            models.CheckConstraint(condition=models.Q(threshold__gte=0), name="alertrule_threshold_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.org_unit or '全局'}"

    @classmethod
    def default(cls, kind: str) -> "AlertRule":
        d = DEFAULT_RULES[kind]
        return cls(kind=kind, enabled=True, threshold=d.threshold, gap_minutes=d.gap_minutes)


class Alert(models.Model):
    """One episode of a rule broken by one vehicle (from its first to its last violating point)."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        ACKNOWLEDGED = "acknowledged", _("已处理")

    vehicle = models.ForeignKey("vehicles.Vehicle", on_delete=models.CASCADE, related_name="+", verbose_name=_("车辆"))
    kind = models.CharField(_("类型"), max_length=20, choices=AlertKind.choices)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True, help_text=_("离线告警在终端恢复上报前为空。"))
    point_count = models.PositiveIntegerField(_("违规定位点数"), default=0)
    max_speed = models.FloatField(_("最高速度（km/h）"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    # The line as its message and values (datahub.keyed), read in the reader's language.
    detail_key = key_field()
    detail_values = values_field()
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("告警时间"), auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    acknowledged_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    comment = models.CharField(_("处理意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("监控告警")
        verbose_name_plural = _("监控告警")
        ordering = ["-started_at", "-pk"]
        indexes = [
            # Episode dedupe on ingestion: the vehicle's latest alerts of a kind.
            models.Index(fields=["vehicle", "kind", "-started_at"], name="alert_vehicle_kind"),
            models.Index(fields=["status", "-started_at"], name="alert_status_started"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
                name="alert_period_ordered",
            ),
            # At most one ongoing offline alert per vehicle (the periodic task may run twice at once).
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=models.Q(kind=AlertKind.OFFLINE, ended_at__isnull=True),
                name="alert_one_open_offline",
            ),
        ]

    shown_detail = Rendered("detail")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"
