"""Maturity assessment: a versioned TOE indicator framework, assessment rounds, each case's
indicator values (with evidence), the computed scores, and the stored QCA analyses.

A *case* of an internal round is an OrgUnit (an agency assessing its own cities or departments);
a case of an external round (``Round.external``: provinces in a cross-region study such as the
29-province demo) is a ``StudyCase`` — study cases are not the platform's org units and never
appear in the directory, a unit filter or the command center. Scoping follows the case's unit for
internal rounds (an agency's people see their own values and scores, a bureau administrator all
cases below it) and the round's scope unit (the study case's owner) for external ones.

Evidence files are stored under random names and never served as static files
(``views.evidence`` checks the scope first).
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from datahub.models import BackgroundJob, OrgUnit
from datahub.uploads import extension_validator
from portal.models import ATTACHMENT_EXTENSIONS, validate_attachment_content, validate_attachment_size

from .rules import Dimension, Direction, Measurement, Source


def evidence_path(value, filename: str) -> str:
    return f"assessment/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Framework(models.Model):
    code = models.CharField(_("框架编码"), max_length=20)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=100)
    note = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("可用于新的评估轮次"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("指标框架")
        verbose_name_plural = _("指标框架")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="assessment_framework_version")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Indicator(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("指标框架")
    )
    code = models.CharField(_("指标编码"), max_length=20)
    name = models.CharField(_("指标名称"), max_length=60)
    dimension = models.CharField(_("维度"), max_length=1, choices=Dimension.choices)
    definition = models.CharField(_("定义与口径"), max_length=300, blank=True)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    direction = models.SmallIntegerField(_("方向"), choices=Direction.choices, default=Direction.POSITIVE)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=4, default=0)
    measurement = models.CharField(
        _("采集方式"), max_length=10, choices=Measurement.choices, default=Measurement.ENTERED
    )
    source = models.CharField(_("计算来源"), max_length=20, choices=Source.choices, blank=True)
    min_value = models.DecimalField(_("允许最小值"), max_digits=18, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("允许最大值"), max_digits=18, decimal_places=4, null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="assessment_indicator_code"),
            models.CheckConstraint(condition=models.Q(weight__gte=0, weight__lte=1), name="assessment_weight_0_1"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StudyCase(models.Model):
    """An external case of a study (e.g. a province in a cross-region comparison), owned by the unit
    that runs the study; kept apart from the org directory."""

    owner = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属单位"))
    code = models.CharField(_("案例编码"), max_length=40)
    name = models.CharField(_("案例名称"), max_length=100)
    region_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("研究案例（外部）")
        verbose_name_plural = _("研究案例（外部）")
        ordering = ["owner", "code"]
        constraints = [models.UniqueConstraint(fields=["owner", "code"], name="assessment_studycase_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def path(self) -> str:
        """Sort key alongside OrgUnit.path (study cases sort by code)."""
        return self.code


def _exactly_one_case():
    return models.Q(org_unit__isnull=False, study_case__isnull=True) | models.Q(
        org_unit__isnull=True, study_case__isnull=False
    )


class CaseRow:
    """Values and scores belong to an org unit (internal round) or a study case (external round)."""

    @property
    def case(self):
        return self.study_case if self.study_case_id else self.org_unit

    @property
    def case_id(self) -> int | None:
        return self.study_case_id or self.org_unit_id


class Round(models.Model):
    """One assessment (a year) of the cases below ``org_unit`` at ``case_level``, on one framework version."""

    name = models.CharField(_("名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("指标框架")
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("评估范围"))
    case_level = models.CharField(
        _("评估对象层级"), max_length=16, choices=OrgUnit.Level.choices, default=OrgUnit.Level.INSTITUTION
    )
    external = models.BooleanField(
        _("外部研究案例"),
        default=False,
        help_text=_("评估对象为研究样本中的外部案例（如省级区域比较），不是本平台的组织机构。"),
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    scored_at = models.DateTimeField(_("最近计分时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评估轮次")
        verbose_name_plural = _("评估轮次")
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["org_unit", "year", "name"], name="assessment_round_unique")]

    def __str__(self) -> str:
        label = f"{self.year} {self.name}"
        return label if not self.is_demo or "演示数据" in label else _("%(label)s（演示数据）") % {"label": label}

    @property
    def case_field(self) -> str:
        """The field of a value / score that names its case in this round."""
        return "study_case" if self.external else "org_unit"


class IndicatorValue(CaseRow, models.Model):
    class Origin(models.TextChoices):
        ENTERED = "entered", _("填报")
        IMPORTED = "imported", _("导入")
        COMPUTED = "computed", _("平台计算")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="values", verbose_name=_("评估轮次"))
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("指标"))
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("评估对象（机构）")
    )
    study_case = models.ForeignKey(
        StudyCase,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("评估对象（研究案例）"),
    )
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4)
    origin = models.CharField(_("来源"), max_length=10, choices=Origin.choices, default=Origin.ENTERED)
    evidence = models.FileField(
        _("佐证材料"),
        upload_to=evidence_path,
        blank=True,
        validators=[
            extension_validator(ATTACHMENT_EXTENSIONS),
            validate_attachment_size,
            validate_attachment_content,
        ],
    )
    evidence_name = models.CharField(_("佐证材料文件名"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("指标值")
        verbose_name_plural = _("指标值")
        ordering = ["round", "org_unit__path", "study_case__code", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "indicator", "org_unit"], name="assessment_value_unique"),
            models.UniqueConstraint(fields=["round", "indicator", "study_case"], name="assessment_value_case_unique"),
            models.CheckConstraint(condition=_exactly_one_case(), name="assessment_value_one_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.indicator.name} = {self.value}"


class Score(CaseRow, models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="scores", verbose_name=_("评估轮次"))
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("评估对象（机构）")
    )
    study_case = models.ForeignKey(
        StudyCase,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("评估对象（研究案例）"),
    )
    index = models.DecimalField(_("成熟度指数"), max_digits=6, decimal_places=2)
    level = models.PositiveSmallIntegerField(_("等级"))
    level_name = models.CharField(_("等级名称"), max_length=20)
    score_t = models.DecimalField(_("技术维度得分"), max_digits=6, decimal_places=2, null=True)
    score_o = models.DecimalField(_("组织维度得分"), max_digits=6, decimal_places=2, null=True)
    score_e = models.DecimalField(_("环境维度得分"), max_digits=6, decimal_places=2, null=True)
    strongest = models.CharField(_("最强维度"), max_length=1, choices=Dimension.choices)
    weakest = models.CharField(_("最弱维度"), max_length=1, choices=Dimension.choices)
    recommendation = models.TextField(_("改进建议"))
    rank = models.PositiveIntegerField(_("排名"), default=0)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("成熟度得分")
        verbose_name_plural = _("成熟度得分")
        ordering = ["round", "rank", "org_unit__path", "study_case__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "org_unit"], name="assessment_score_unique"),
            models.UniqueConstraint(fields=["round", "study_case"], name="assessment_score_case_unique"),
            models.CheckConstraint(condition=_exactly_one_case(), name="assessment_score_one_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.index}（{self.level_name}）"


class Analysis(models.Model):
    """One fsQCA run over a round's cases; the full result is stored as JSON."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="analyses", verbose_name=_("评估轮次"))
    name = models.CharField(_("名称"), max_length=100)
    outcome = models.CharField(
        _("结果变量"), max_length=20, help_text=_("指标编码，或 INDEX 表示成熟度指数；前加 ~ 表示结果不出现。")
    )
    conditions = models.JSONField(_("条件变量"), default=list)
    calibration = models.JSONField(_("校准锚点"), default=dict)
    incl_cut = models.FloatField(_("一致性阈值"), default=0.8)
    n_cut = models.PositiveSmallIntegerField(_("案例频数阈值"), default=1)
    pri_cut = models.FloatField(_("PRI阈值"), default=0.0)
    expectations = models.JSONField(_("方向性预期"), default=list, blank=True)
    path_names = models.JSONField(_("路径命名"), default=dict, blank=True)
    result = models.JSONField(_("分析结果"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("组态分析（fsQCA）")
        verbose_name_plural = _("组态分析（fsQCA）")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class AnalysisJob(BackgroundJob):
    """A large fsQCA analysis running in the background (Celery), with its progress and, when done, the
    stored analysis. Its liveness (claim, heartbeat, reaper) is ``datahub.jobs``'s, like exports and
    imports; it is read by those who may analyse the round (``selectors.analysis_jobs_for``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("分析中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    ACTIVE = (Status.RUNNING,)
    STARTED = Status.RUNNING
    NOUN = _("分析")
    RESTART = {"progress": 0, "step": ""}
    MESSAGES = {
        "WORKER_LOST": _(
            "分析中断：执行分析的后台进程已停止（超过 {seconds} 秒没有进展），没有保存结果。请重新发起分析。"
        ),
        "NEVER_STARTED": _(
            "分析未开始：任务排队超过 {minutes} 分钟仍未被后台进程执行。请重新发起分析，或联系管理员检查后台服务。"
        ),
        "CRASHED_REPEATEDLY": _(
            "分析失败：后台进程连续中断 {runs} 次，已停止自动重试。请减少条件后重新分析，或联系管理员。"
        ),
        "ERROR": _("分析失败：计算时出错，没有保存结果。请重新发起分析；如仍失败请联系管理员。"),
        "NOT_QUEUED": _("分析未开始：后台任务服务暂时无法连接。请稍后重新发起分析，或联系管理员检查后台服务。"),
    }

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("评估轮次"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("发起人")
    )
    name = models.CharField(_("分析名称"), max_length=100)
    params = models.JSONField(_("分析设置"), default=dict)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    step = models.CharField(_("当前步骤"), max_length=100, blank=True)
    analysis = models.ForeignKey(
        Analysis, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("分析结果")
    )

    class Meta:
        verbose_name = _("组态分析任务")
        verbose_name_plural = _("组态分析任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_status_display()}）"

    @property
    def active(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
