"""assessment 0001–0013 squashed: what a fresh database runs instead of the chain (kept beside it for
databases that ran it; delete the old files once every deployment has). The model state after the chain, one
CreateModel per model with its final fields in column order (a relation closing a cycle added after, as the
chain did); the state equals the chain's (tests/test_migrations_squashed.py).

The data steps run last, on the final tables, copied from 0002_default_framework, 0005_e2_neighbours_outcome,
0011_t2_platform_business.
Left out (elidable: they convert rows a fresh database cannot have): 0008_study_cases_out_of_the_directory.
"""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import assessment.models
import datahub.models
import portal.models

# From 0002_default_framework.
NAME = "机关事务数字化转型成熟度（TOE框架）"


NOTE = (
    "依据省级面板研究的六个条件变量（技术：数字政府发展水平、数字平台构建；组织：注意力分配、财政资源禀赋；"
    "环境：纵向垂直压力、府际竞争压力）与结果变量（机关事务数字化转型质量）。"
)


# (code, name, dimension, definition, unit, direction, weight, measurement, source, min, max)
ROWS = (
    (
        "T1",
        "数字政府发展水平",
        "T",
        "数字政府发展指数（一体化政务服务能力、在线服务成效度等综合评价，0–100）",
        "分",
        1,
        "0.20",
        "entered",
        "",
        "0",
        "100",
    ),
    (
        "T2",
        "数字平台构建",
        "T",
        "机关事务业务在平台上的办理程度：服务门户中网上提交并网上办结的申请占全部已提交申请的比例",
        "%",
        1,
        "0.20",
        "computed",
        "portal_online",
        "0",
        "100",
    ),
    (
        "O1",
        "注意力分配",
        "O",
        "政府工作报告等文件中与数字化、信息化相关词汇的词频（每万字）",
        "次/万字",
        1,
        "0.15",
        "entered",
        "",
        "0",
        "1000",
    ),
    (
        "O2",
        "财政资源禀赋",
        "O",
        "一般公共预算支出中科学技术与信息化相关支出的占比",
        "%",
        1,
        "0.15",
        "entered",
        "",
        "0",
        "100",
    ),
    (
        "E1",
        "纵向垂直压力",
        "E",
        "上级政府出台的机关事务数字化相关政策文件数量（当年）",
        "件",
        1,
        "0.15",
        "entered",
        "",
        "0",
        "1000",
    ),
    (
        "E2",
        "府际竞争压力",
        "E",
        "相邻省份数字政府发展水平（T1）的平均值",
        "分",
        1,
        "0.15",
        "computed",
        "adjacent_mean",
        "0",
        "100",
    ),
    (
        "Y",
        "机关事务数字化转型质量",
        "Y",
        "机关事务数字化转型质量综合评价（QCA 的结果变量，不计入成熟度指数）",
        "分",
        1,
        "0",
        "entered",
        "",
        "0",
        "100",
    ),
)


def seed(apps, schema_editor):
    Framework = apps.get_model("assessment", "Framework")
    Indicator = apps.get_model("assessment", "Indicator")
    framework, created = Framework.objects.get_or_create(
        code="TOE", version=1, defaults={"name": NAME, "note": NOTE, "is_active": True}
    )
    if not created:
        return
    for order, (code, name, dim, definition, unit, direction, weight, measurement, source, lo, hi) in enumerate(ROWS):
        Indicator.objects.create(
            framework=framework,
            code=code,
            name=name,
            dimension=dim,
            definition=definition,
            unit=unit,
            direction=direction,
            weight=Decimal(weight),
            measurement=measurement,
            source=source,
            min_value=Decimal(lo),
            max_value=Decimal(hi),
            order=order,
        )


# From 0005_e2_neighbours_outcome.
E2_OLD = "相邻省份数字政府发展水平（T1）的平均值"


E2_NEW = "相邻省份机关事务数字化转型质量（结果变量 Y）的平均值（邻接法）"


def e2_forwards(apps, schema_editor):
    Indicator = apps.get_model("assessment", "Indicator")
    Indicator.objects.filter(framework__code="TOE", code="E2", definition=E2_OLD).update(definition=E2_NEW)


def e2_backwards(apps, schema_editor):
    Indicator = apps.get_model("assessment", "Indicator")
    Indicator.objects.filter(framework__code="TOE", code="E2", definition=E2_NEW).update(definition=E2_OLD)


# From 0011_t2_platform_business.
T2_OLD_SOURCE = "portal_online"


T2_NEW_SOURCE = "platform_business"


T2_OLD = "机关事务业务在平台上的办理程度：服务门户中网上提交并网上办结的申请占全部已提交申请的比例"


T2_NEW = "机关事务业务在平台上的办理程度：申请、能耗报送、用车派车、资产变动中经平台办理的比例（合并计数，见计算公式）"


def t2_forwards(apps, schema_editor):
    Indicator = apps.get_model("assessment", "Indicator")
    Indicator.objects.filter(framework__code="TOE", code="T2", source=T2_OLD_SOURCE, definition=T2_OLD).update(
        source=T2_NEW_SOURCE, definition=T2_NEW
    )


def t2_backwards(apps, schema_editor):
    Indicator = apps.get_model("assessment", "Indicator")
    Indicator.objects.filter(framework__code="TOE", code="T2", source=T2_NEW_SOURCE, definition=T2_NEW).update(
        source=T2_OLD_SOURCE, definition=T2_OLD
    )


def deferred_sql_now(apps, schema_editor):
    """The indexes and foreign keys Django defers to a migration's end are made before the data steps below, as
    the chain made them (its tables came from earlier migrations): a step that rebuilds a table (the partitions)
    must not get the old table's deferred indexes added to its new one afterwards."""
    for statement in schema_editor.deferred_sql:
        schema_editor.execute(statement)
    schema_editor.deferred_sql.clear()


class Migration(migrations.Migration):
    replaces = [
        ("assessment", "0001_initial"),
        ("assessment", "0002_default_framework"),
        ("assessment", "0003_indicator_source_portal_domains"),
        ("assessment", "0004_attachment_content_check"),
        ("assessment", "0005_e2_neighbours_outcome"),
        ("assessment", "0006_indicator_source_service_quality"),
        ("assessment", "0007_study_cases"),
        ("assessment", "0008_study_cases_out_of_the_directory"),
        ("assessment", "0009_indicator_source_data_sharing"),
        ("assessment", "0010_attachment_refusal_in_chinese"),
        ("assessment", "0011_t2_platform_business"),
        ("assessment", "0012_analysis_job"),
        ("assessment", "0013_job_language"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("datahub", "0012_trail_partitioned_by_month_and_append_only_on_postgresql"),
    ]

    operations = [
        migrations.CreateModel(
            name="Framework",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=20, verbose_name="框架编码")),
                ("version", models.PositiveSmallIntegerField(default=1, verbose_name="版本")),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                ("note", models.TextField(blank=True, verbose_name="说明")),
                ("is_active", models.BooleanField(default=True, verbose_name="可用于新的评估轮次")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
            ],
            options={
                "verbose_name": "指标框架",
                "verbose_name_plural": "指标框架",
                "ordering": ["code", "-version"],
                "constraints": [
                    models.UniqueConstraint(fields=("code", "version"), name="assessment_framework_version")
                ],
                "indexes": [],
            },
        ),
        migrations.CreateModel(
            name="Indicator",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=20, verbose_name="指标编码")),
                ("name", models.CharField(max_length=60, verbose_name="指标名称")),
                (
                    "dimension",
                    models.CharField(
                        choices=[
                            ("T", "技术（T）"),
                            ("O", "组织（O）"),
                            ("E", "环境（E）"),
                            ("Y", "结果变量（不计入指数）"),
                        ],
                        max_length=1,
                        verbose_name="维度",
                    ),
                ),
                ("definition", models.CharField(blank=True, max_length=300, verbose_name="定义与口径")),
                ("unit", models.CharField(blank=True, max_length=20, verbose_name="计量单位")),
                (
                    "direction",
                    models.SmallIntegerField(
                        choices=[(1, "正向（越大越好）"), (-1, "负向（越小越好）")], default=1, verbose_name="方向"
                    ),
                ),
                ("weight", models.DecimalField(decimal_places=4, default=0, max_digits=5, verbose_name="权重")),
                (
                    "measurement",
                    models.CharField(
                        choices=[("entered", "单位填报（附佐证材料）"), ("computed", "平台数据自动计算")],
                        default="entered",
                        max_length=10,
                        verbose_name="采集方式",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "—"),
                            ("portal_online", "服务门户网上申请并网上办结的比例（%）"),
                            ("adjacent_mean", "相邻省份同一指标的平均值"),
                            ("portal_on_time", "服务门户已办结申请中在办结时限内办结的比例（%）"),
                            ("portal_satisfaction", "服务门户已评价申请的平均满意度（1–5 分）"),
                            ("portal_domains", "已通过服务门户办理业务的领域占平台全部业务领域的比例（%）"),
                            ("sharing_entries", "数据共享：本单位（含下级）提供的已发布数据目录条目数"),
                            ("sharing_grants", "数据共享：本单位（含下级）给出与获得的共享授权数（评估年度内有效）"),
                            ("sharing_calls", "数据共享：本单位（含下级）评估年度内成功的数据交换调用次数"),
                            ("platform_business", "数字平台构建：本单位业务在平台上办理的比例（%）"),
                            ("platform_domains", "数字平台构建：在平台上办理过业务的领域数"),
                            ("one_source", "一数一源：本单位跨应用事实取自来源（而非重复录入）的比例（%）"),
                        ],
                        max_length=20,
                        verbose_name="计算来源",
                    ),
                ),
                (
                    "min_value",
                    models.DecimalField(
                        blank=True, decimal_places=4, max_digits=18, null=True, verbose_name="允许最小值"
                    ),
                ),
                (
                    "max_value",
                    models.DecimalField(
                        blank=True, decimal_places=4, max_digits=18, null=True, verbose_name="允许最大值"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="排序")),
                (
                    "framework",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="indicators",
                        to="assessment.framework",
                        verbose_name="指标框架",
                    ),
                ),
            ],
            options={
                "verbose_name": "指标",
                "verbose_name_plural": "指标",
                "ordering": ["framework", "order", "code"],
                "indexes": [],
                "constraints": [
                    models.UniqueConstraint(fields=("framework", "code"), name="assessment_indicator_code"),
                    models.CheckConstraint(
                        condition=models.Q(("weight__gte", 0), ("weight__lte", 1)), name="assessment_weight_0_1"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Round",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                (
                    "case_level",
                    models.CharField(
                        choices=[("region", "行政区域"), ("institution", "机关/单位"), ("department", "内设机构")],
                        default="institution",
                        max_length=16,
                        verbose_name="评估对象层级",
                    ),
                ),
                ("is_demo", models.BooleanField(default=False, verbose_name="演示数据")),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="说明")),
                ("scored_at", models.DateTimeField(blank=True, null=True, verbose_name="最近计分时间")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                (
                    "framework",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rounds",
                        to="assessment.framework",
                        verbose_name="指标框架",
                    ),
                ),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="评估范围",
                    ),
                ),
                (
                    "external",
                    models.BooleanField(
                        default=False,
                        help_text="评估对象为研究样本中的外部案例（如省级区域比较），不是本平台的组织机构。",
                        verbose_name="外部研究案例",
                    ),
                ),
            ],
            options={
                "verbose_name": "评估轮次",
                "verbose_name_plural": "评估轮次",
                "ordering": ["-year", "name"],
                "indexes": [],
                "constraints": [
                    models.UniqueConstraint(fields=("org_unit", "year", "name"), name="assessment_round_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="StudyCase",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=40, verbose_name="案例编码")),
                ("name", models.CharField(max_length=100, verbose_name="案例名称")),
                ("region_code", models.CharField(blank=True, max_length=12, verbose_name="行政区划代码")),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="说明")),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="所属单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "研究案例（外部）",
                "verbose_name_plural": "研究案例（外部）",
                "ordering": ["owner", "code"],
                "indexes": [],
                "constraints": [models.UniqueConstraint(fields=("owner", "code"), name="assessment_studycase_code")],
            },
        ),
        migrations.CreateModel(
            name="IndicatorValue",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.DecimalField(decimal_places=4, max_digits=18, verbose_name="数值")),
                (
                    "origin",
                    models.CharField(
                        choices=[("entered", "填报"), ("imported", "导入"), ("computed", "平台计算")],
                        default="entered",
                        max_length=10,
                        verbose_name="来源",
                    ),
                ),
                (
                    "evidence",
                    models.FileField(
                        blank=True,
                        upload_to=assessment.models.evidence_path,
                        validators=[
                            django.core.validators.FileExtensionValidator(
                                ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "txt"],
                                message="不能上传“.%(extension)s”格式的文件；可以上传的格式：%(allowed_extensions)s。",
                            ),
                            portal.models.validate_attachment_size,
                            portal.models.validate_attachment_content,
                        ],
                        verbose_name="佐证材料",
                    ),
                ),
                ("evidence_name", models.CharField(blank=True, max_length=200, verbose_name="佐证材料文件名")),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="说明")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "entered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="values",
                        to="assessment.indicator",
                        verbose_name="指标",
                    ),
                ),
                (
                    "org_unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="评估对象（机构）",
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="values",
                        to="assessment.round",
                        verbose_name="评估轮次",
                    ),
                ),
                (
                    "study_case",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assessment.studycase",
                        verbose_name="评估对象（研究案例）",
                    ),
                ),
            ],
            options={
                "verbose_name": "指标值",
                "verbose_name_plural": "指标值",
                "ordering": ["round", "org_unit__path", "study_case__code", "indicator__order"],
                "indexes": [],
                "constraints": [
                    models.UniqueConstraint(fields=("round", "indicator", "org_unit"), name="assessment_value_unique"),
                    models.UniqueConstraint(
                        fields=("round", "indicator", "study_case"), name="assessment_value_case_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("org_unit__isnull", False), ("study_case__isnull", True)),
                            models.Q(("org_unit__isnull", True), ("study_case__isnull", False)),
                            _connector="OR",
                        ),
                        name="assessment_value_one_case",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Analysis",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                (
                    "outcome",
                    models.CharField(
                        help_text="指标编码，或 INDEX 表示成熟度指数；前加 ~ 表示结果不出现。",
                        max_length=20,
                        verbose_name="结果变量",
                    ),
                ),
                ("conditions", models.JSONField(default=list, verbose_name="条件变量")),
                ("calibration", models.JSONField(default=dict, verbose_name="校准锚点")),
                ("incl_cut", models.FloatField(default=0.8, verbose_name="一致性阈值")),
                ("n_cut", models.PositiveSmallIntegerField(default=1, verbose_name="案例频数阈值")),
                ("pri_cut", models.FloatField(default=0.0, verbose_name="PRI阈值")),
                ("expectations", models.JSONField(blank=True, default=list, verbose_name="方向性预期")),
                ("path_names", models.JSONField(blank=True, default=dict, verbose_name="路径命名")),
                ("result", models.JSONField(default=dict, verbose_name="分析结果")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="analyses",
                        to="assessment.round",
                        verbose_name="评估轮次",
                    ),
                ),
            ],
            options={
                "verbose_name": "组态分析（fsQCA）",
                "verbose_name_plural": "组态分析（fsQCA）",
                "ordering": ["-created_at"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="Score",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("index", models.DecimalField(decimal_places=2, max_digits=6, verbose_name="成熟度指数")),
                ("level", models.PositiveSmallIntegerField(verbose_name="等级")),
                ("level_name", models.CharField(max_length=20, verbose_name="等级名称")),
                (
                    "score_t",
                    models.DecimalField(decimal_places=2, max_digits=6, null=True, verbose_name="技术维度得分"),
                ),
                (
                    "score_o",
                    models.DecimalField(decimal_places=2, max_digits=6, null=True, verbose_name="组织维度得分"),
                ),
                (
                    "score_e",
                    models.DecimalField(decimal_places=2, max_digits=6, null=True, verbose_name="环境维度得分"),
                ),
                (
                    "strongest",
                    models.CharField(
                        choices=[
                            ("T", "技术（T）"),
                            ("O", "组织（O）"),
                            ("E", "环境（E）"),
                            ("Y", "结果变量（不计入指数）"),
                        ],
                        max_length=1,
                        verbose_name="最强维度",
                    ),
                ),
                (
                    "weakest",
                    models.CharField(
                        choices=[
                            ("T", "技术（T）"),
                            ("O", "组织（O）"),
                            ("E", "环境（E）"),
                            ("Y", "结果变量（不计入指数）"),
                        ],
                        max_length=1,
                        verbose_name="最弱维度",
                    ),
                ),
                ("recommendation", models.TextField(verbose_name="改进建议")),
                ("rank", models.PositiveIntegerField(default=0, verbose_name="排名")),
                ("computed_at", models.DateTimeField(auto_now=True, verbose_name="计算时间")),
                (
                    "org_unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="评估对象（机构）",
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scores",
                        to="assessment.round",
                        verbose_name="评估轮次",
                    ),
                ),
                (
                    "study_case",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assessment.studycase",
                        verbose_name="评估对象（研究案例）",
                    ),
                ),
            ],
            options={
                "verbose_name": "成熟度得分",
                "verbose_name_plural": "成熟度得分",
                "ordering": ["round", "rank", "org_unit__path", "study_case__code"],
                "indexes": [],
                "constraints": [
                    models.UniqueConstraint(fields=("round", "org_unit"), name="assessment_score_unique"),
                    models.UniqueConstraint(fields=("round", "study_case"), name="assessment_score_case_unique"),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("org_unit__isnull", False), ("study_case__isnull", True)),
                            models.Q(("org_unit__isnull", True), ("study_case__isnull", False)),
                            _connector="OR",
                        ),
                        name="assessment_score_one_case",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="AnalysisJob",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("error", models.CharField(blank=True, max_length=500, verbose_name="错误")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="完成时间")),
                ("attempt", models.PositiveIntegerField(default=1, verbose_name="第几次执行")),
                ("runs", models.PositiveSmallIntegerField(default=0, verbose_name="本次执行的启动次数")),
                ("run_token", models.CharField(blank=True, max_length=32, verbose_name="执行标记")),
                ("queued_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="排队时间")),
                ("heartbeat_at", models.DateTimeField(blank=True, null=True, verbose_name="最近心跳")),
                ("name", models.CharField(max_length=100, verbose_name="分析名称")),
                ("params", models.JSONField(default=dict, verbose_name="分析设置")),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "排队中"), ("running", "分析中"), ("done", "已完成"), ("failed", "失败")],
                        default="pending",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("progress", models.PositiveSmallIntegerField(default=0, verbose_name="进度（%）")),
                ("step", models.CharField(blank=True, max_length=100, verbose_name="当前步骤")),
                (
                    "analysis",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="assessment.analysis",
                        verbose_name="分析结果",
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="jobs",
                        to="assessment.round",
                        verbose_name="评估轮次",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="发起人",
                    ),
                ),
                ("language", models.CharField(default=datahub.models.job_language, max_length=10, verbose_name="语言")),
            ],
            options={
                "verbose_name": "组态分析任务",
                "verbose_name_plural": "组态分析任务",
                "ordering": ["-created_at"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.RunPython(deferred_sql_now, migrations.RunPython.noop),
        migrations.RunPython(seed, migrations.RunPython.noop),  # 0002_default_framework
        migrations.RunPython(e2_forwards, e2_backwards),  # 0005_e2_neighbours_outcome
        migrations.RunPython(t2_forwards, t2_backwards),  # 0011_t2_platform_business
    ]
