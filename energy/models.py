"""Public-institution energy: institution profiles per year, monthly consumption records,
versioned coefficient tables, quotas and targets, reporting submissions and anomalies.

Every computed figure carries the coefficient version it was computed with: a record keeps its
kgce/kgCO₂ and ``coefficient_version``; an approved submission keeps its indicator snapshot.
A version that has been used is frozen (the admin refuses edits; copy it as a new version);
recomputation with another version is an explicit service call.
"""

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from datahub.keyed import Keyed
from datahub.models import OrgUnit, User
from datahub.rules import ATTACHMENT_FAMILIES
from portal.models import RequestDetail

from .rules import (
    CORRECTABLE,
    ClimateZone,
    Collection,
    EnergyType,
    GridRegion,
    Indicator,
    InstitutionCategory,
    period_ended,
    quarter_months,
)


class CoefficientVersion(models.Model):
    name = models.CharField(_("版本名称"), max_length=100, unique=True)
    standard = models.CharField(_("依据标准"), max_length=100, help_text=_("如 GB/T 2589-2020。"))
    year = models.PositiveIntegerField(_("标准年份"))
    is_current = models.BooleanField(_("当前使用"), default=False, help_text=_("新录入的数据按当前版本折算。"))
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("折算系数版本")
        verbose_name_plural = _("折算系数版本")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="energy_one_current_version"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def in_use(self) -> bool:
        return ConsumptionRecord.objects.filter(coefficient_version=self).exists()


class Coefficient(models.Model):
    version = models.ForeignKey(CoefficientVersion, on_delete=models.CASCADE, related_name="coefficients")
    energy_type = models.CharField(_("能源品种"), max_length=16, choices=EnergyType.choices)
    kgce_per_unit = models.DecimalField(_("折标准煤系数（kgce/基准单位）"), max_digits=12, decimal_places=6)
    kgco2_per_unit = models.DecimalField(
        _("CO₂排放因子（kgCO₂/基准单位）"),
        max_digits=12,
        decimal_places=6,
        help_text=_("电力按年度电网排放因子，此处不用。"),
    )
    density = models.DecimalField(_("密度（kg/L）"), max_digits=8, decimal_places=4, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("折算系数")
        verbose_name_plural = _("折算系数")
        ordering = ["version", "energy_type"]
        constraints = [models.UniqueConstraint(fields=["version", "energy_type"], name="energy_coefficient_unique")]

    def __str__(self) -> str:
        return f"{self.version} · {self.get_energy_type_display()}"


class GridFactor(models.Model):
    version = models.ForeignKey(CoefficientVersion, on_delete=models.CASCADE, related_name="grid_factors")
    year = models.PositiveIntegerField(_("数据年度"))
    region = models.CharField(_("区域"), max_length=16, choices=GridRegion.choices, default=GridRegion.NATIONAL)
    kgco2_per_kwh = models.DecimalField(_("电网排放因子（kgCO₂/kWh）"), max_digits=8, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("电网排放因子")
        verbose_name_plural = _("电网排放因子")
        ordering = ["version", "year", "region"]
        constraints = [models.UniqueConstraint(fields=["version", "year", "region"], name="energy_grid_factor_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_region_display()} {self.kgco2_per_kwh}"


class Quota(models.Model):
    """能耗定额: 约束值 (cap) / 基准值 (reference) / 引导值 (target) per type, climate zone and indicator."""

    category = models.CharField(_("机构类型"), max_length=16, choices=InstitutionCategory.choices)
    climate_zone = models.CharField(_("气候区"), max_length=16, choices=ClimateZone.choices)
    indicator = models.CharField(_("指标"), max_length=24, choices=Indicator.choices)
    cap = models.DecimalField(_("约束值"), max_digits=10, decimal_places=2)
    base = models.DecimalField(_("基准值"), max_digits=10, decimal_places=2, null=True, blank=True)
    guide = models.DecimalField(_("引导值"), max_digits=10, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("能耗定额")
        verbose_name_plural = _("能耗定额")
        ordering = ["category", "climate_zone", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["category", "climate_zone", "indicator"], name="energy_quota_unique"),
            models.CheckConstraint(
                condition=(Q(base__isnull=True) | Q(base__lte=models.F("cap")))
                & (Q(guide__isnull=True) | Q(guide__lte=models.F("cap"))),
                name="energy_quota_ordered",
                violation_error_message=_("基准值、引导值不能高于约束值。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.get_climate_zone_display()} · {self.get_indicator_display()}"


class Target(models.Model):
    """十四五 targets: reduction (%) of an indicator from the baseline year to the target year."""

    indicator = models.CharField(_("指标"), max_length=24, choices=Indicator.choices, unique=True)
    reduction_pct = models.DecimalField(_("较基准年下降（%）"), max_digits=5, decimal_places=2)
    baseline_year = models.PositiveIntegerField(_("基准年"), default=2020)
    target_year = models.PositiveIntegerField(_("目标年"), default=2025)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节能目标")
        verbose_name_plural = _("节能目标")
        ordering = ["indicator"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_year__gt=models.F("baseline_year")),
                name="energy_target_years",
                violation_error_message=_("目标年必须晚于基准年。"),
            )
        ]

    def __str__(self) -> str:
        return self.get_indicator_display()


class InstitutionProfile(models.Model):
    """公共机构基本信息 for one year. Building area is read from office space when the
    institution's buildings are recorded there (``area_from_officespace``), entered otherwise;
    energy users default to the directory headcount."""

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("公共机构"))
    year = models.PositiveIntegerField(_("年度"))
    category = models.CharField(_("机构类型"), max_length=16, choices=InstitutionCategory.choices)
    climate_zone = models.CharField(_("气候区"), max_length=16, choices=ClimateZone.choices)
    grid_region = models.CharField(
        _("电网区域"), max_length=16, choices=GridRegion.choices, default=GridRegion.NATIONAL
    )
    building_area = models.DecimalField(_("建筑面积（m²）"), max_digits=12, decimal_places=2)
    area_from_officespace = models.BooleanField(_("面积取自办公用房"), default=False)
    heated_area = models.DecimalField(_("采暖面积（m²）"), max_digits=12, decimal_places=2, default=0)
    energy_users = models.PositiveIntegerField(_("用能人数"))
    users_from_directory = models.BooleanField(_("人数取自组织机构"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公共机构基本信息")
        verbose_name_plural = _("公共机构基本信息")
        ordering = ["org_unit__path", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "year"], name="energy_profile_unique"),
            models.CheckConstraint(
                condition=Q(building_area__gt=0),
                name="energy_profile_area_positive",
                violation_error_message=_("建筑面积必须大于0。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year}"


class ProfileCorrection(models.Model):
    """A base-data value that differs from the derived one (directory headcount, office-space area, the
    unit's kind and 行政区划代码), recorded with its reason and document — never retyped on the profile.
    Append-only: the latest row per (institution, year, field) applies; an empty value withdraws it."""

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("公共机构"))
    year = models.PositiveIntegerField(_("年度"))
    field = models.CharField(_("更正项目"), max_length=16, choices=[(k, v) for k, v in CORRECTABLE.items()])
    value = models.CharField(_("更正值"), max_length=32, blank=True, help_text=_("留空表示撤销更正，恢复取数。"))
    derived_value = models.CharField(_("更正时的取数值"), max_length=32, blank=True)
    reason = models.TextField(_("更正原因"))
    document = models.FileField(
        _("依据文件"),
        upload_to="energy/corrections/%Y/",
        validators=[
            FileExtensionValidator(sorted(ATTACHMENT_FAMILIES), message=_("依据文件只能是PDF、图片或Office文档。"))
        ],
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("基本信息更正")
        verbose_name_plural = _("基本信息更正")
        ordering = ["org_unit__path", "-year", "field", "-created_at", "-pk"]
        indexes = [models.Index(fields=["org_unit", "year", "field"], name="energy_correction_lookup")]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year} {self.get_field_display()}"


class ConsumptionRecord(models.Model):
    """One institution's consumption of one type in one month (quarters and years are sums)."""

    class Source(models.TextChoices):
        FORM = "form", _("表单填报")
        IMPORT = "import", _("Excel导入")
        API = "api", _("接口")
        VEHICLES = "vehicles", _("公务用车（自动汇总）")

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("公共机构"))
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    energy_type = models.CharField(_("能源品种"), max_length=16, choices=EnergyType.choices)
    quantity = models.DecimalField(_("实物量"), max_digits=16, decimal_places=3)
    unit = models.CharField(_("计量单位"), max_length=8)
    cost = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    collection = models.CharField(
        _("采集方式"), max_length=20, choices=Collection.choices, default=Collection.METERED_PAID
    )
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices, default=Source.FORM)
    # Computed with ``coefficient_version`` when written (or by an explicit recomputation).
    base_quantity = models.DecimalField(_("折基准单位量"), max_digits=18, decimal_places=4)
    kgce = models.DecimalField(_("折标准煤（kgce）"), max_digits=18, decimal_places=4)
    kgco2 = models.DecimalField("CO₂（kg）", max_digits=18, decimal_places=4)
    coefficient_version = models.ForeignKey(
        CoefficientVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("折算系数版本")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("能源资源消费记录")
        verbose_name_plural = _("能源资源消费记录")
        ordering = ["org_unit__path", "-year", "-month", "energy_type"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "year", "month", "energy_type"], name="energy_record_unique"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="energy_record_month",
                violation_error_message=_("月份应为1–12。"),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=0),
                name="energy_record_quantity",
                violation_error_message=_("实物量不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0),
                name="energy_record_cost",
                violation_error_message=_("金额不能为负数。"),
            ),
        ]
        indexes = [models.Index(fields=["year", "org_unit"], name="energy_record_year_unit")]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year}-{self.month:02d} {self.get_energy_type_display()}"


class ReportingPeriod(models.Model):
    """A quarterly (quarter 1–4) or annual (quarter 0) reporting round."""

    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), help_text=_("1–4 为季度报，0 为年报。"))
    due_date = models.DateField(_("报送截止日"), null=True, blank=True)

    class Meta:
        verbose_name = _("报送期")
        verbose_name_plural = _("报送期")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="energy_period_unique"),
            models.CheckConstraint(condition=Q(quarter__lte=4), name="energy_period_quarter"),
        ]

    def __str__(self) -> str:
        return (
            _("%(year)s年报") % {"year": self.year}
            if self.quarter == 0
            else _("%(year)s年第%(quarter)s季度") % {"year": self.year, "quarter": self.quarter}
        )

    @property
    def months(self) -> range:
        return quarter_months(self.quarter)


class Submission(RequestDetail):
    """An institution's report for a period: a request of kind ``energy_report`` on the portal's one
    workflow engine (the reviewer's inbox, notifications, timeline and status are the ticket's). Versions:
    a correction after approval is a new request (version + 1) with its reason; the approved version
    stays published until the correction is approved, then it is ``superseded``."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("报送期")
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("公共机构"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    correction_reason = models.TextField(_("更正原因"), blank=True)
    warnings = models.JSONField(_("审核提示"), default=list, blank=True)
    acknowledged = models.BooleanField(_("审核提示已确认"), default=False)
    superseded = models.BooleanField(_("已被更正版本替代"), default=False)
    # The published figures: indicators with the coefficient versions they were computed with.
    figures = models.JSONField(_("报送数据快照"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("能耗数据报送")
        verbose_name_plural = _("能耗数据报送")
        ordering = ["-period__year", "-period__quarter", "org_unit__path", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "org_unit", "version"], name="energy_submission_unique")
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.period} v{self.version}"

    def summary(self) -> Keyed:
        period = self.period
        shown = (
            Keyed(gettext_noop("%(year)s年报"), {"year": period.year})
            if period.quarter == 0
            else Keyed(gettext_noop("%(year)s年第%(quarter)s季度"), {"year": period.year, "quarter": period.quarter})
        )
        values = {"unit": self.org_unit.name, "period": shown, "version": self.version}
        if self.version > 1:
            return Keyed(gettext_noop("能耗数据报送：%(unit)s %(period)s（更正v%(version)s）"), values)
        return Keyed(gettext_noop("能耗数据报送：%(unit)s %(period)s"), values)

    def clean(self):
        if self.period_id and not period_ended(self.period.year, self.period.quarter, timezone.localdate()):
            raise ValidationError(
                {"period": _("%(period)s尚未结束，不能报送（期末之后才能报送本期数据）。") % {"period": self.period}}
            )


class Anomaly(models.Model):
    """A monthly value flagged against the institution's own history or the same month last year."""

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("公共机构"))
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    energy_type = models.CharField(_("能源品种"), max_length=16, choices=EnergyType.choices)
    value = models.DecimalField(_("当月量（基准单位）"), max_digits=18, decimal_places=4)
    robust_z = models.DecimalField(_("稳健Z值"), max_digits=10, decimal_places=2, null=True, blank=True)
    same_month_change_pct = models.DecimalField(
        _("较上年同月（%）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    reason = models.CharField(_("说明"), max_length=200)
    detected_at = models.DateTimeField(_("发现时间"), auto_now=True)
    is_resolved = models.BooleanField(_("已处理"), default=False)

    class Meta:
        verbose_name = _("能耗异常")
        verbose_name_plural = _("能耗异常")
        ordering = ["-year", "-month", "org_unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "year", "month", "energy_type"], name="energy_anomaly_unique")
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year}-{self.month:02d} {self.get_energy_type_display()}"
