"""datasharing 0001–0002 squashed: what a fresh database runs instead of the chain (kept beside it for
databases that ran it; delete the old files once every deployment has). The model state after the chain, one
CreateModel per model with its final fields in column order (a relation closing a cycle added after, as the
chain did); the state equals the chain's (tests/test_migrations_squashed.py).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [("datasharing", "0001_initial"), ("datasharing", "0002_correction_and_step_clocks")]

    dependencies = [
        migrations.swappable_dependency(settings.OAUTH2_PROVIDER_APPLICATION_MODEL),
        ("datahub", "0012_trail_partitioned_by_month_and_append_only_on_postgresql"),
        ("portal", "0005_account_handover"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataAccessRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("items", models.JSONField(default=list, verbose_name="申请信息项")),
                ("purpose", models.CharField(max_length=500, verbose_name="用途")),
                ("scenario", models.CharField(max_length=500, verbose_name="使用场景")),
                (
                    "row_scope",
                    models.CharField(
                        choices=[("own", "本单位及下级"), ("unit", "指定机构及下级"), ("all", "全部")],
                        default="own",
                        max_length=8,
                        verbose_name="数据范围",
                    ),
                ),
                ("valid_from", models.DateField(verbose_name="使用期限自")),
                ("valid_to", models.DateField(verbose_name="使用期限至")),
                (
                    "application",
                    models.ForeignKey(
                        blank=True,
                        help_text="由系统调用交换接口时选择；本人查看或导出时留空。",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
                        verbose_name="使用系统",
                    ),
                ),
                (
                    "dataset",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.dataset",
                        verbose_name="信息资源",
                    ),
                ),
                (
                    "grant",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.grant",
                        verbose_name="授权",
                    ),
                ),
                (
                    "row_unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="指定机构",
                    ),
                ),
                (
                    "ticket",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="portal.ticket",
                        verbose_name="申请",
                    ),
                ),
            ],
            options={
                "verbose_name": "数据共享申请",
                "verbose_name_plural": "数据共享申请",
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="DataCorrection",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "item",
                    models.CharField(help_text="有误的信息项标识（见目录页面）", max_length=60, verbose_name="信息项"),
                ),
                (
                    "record",
                    models.CharField(
                        help_text="哪一条数据，如机构代码、号牌号码", max_length=200, verbose_name="数据记录"
                    ),
                ),
                ("wrong_value", models.CharField(max_length=500, verbose_name="现有值")),
                ("correct_value", models.CharField(blank=True, max_length=500, verbose_name="应为")),
                ("description", models.CharField(max_length=1000, verbose_name="问题说明")),
                (
                    "result",
                    models.CharField(
                        blank=True,
                        choices=[("corrected", "已更正"), ("still_wrong", "仍有误，已再次反馈")],
                        max_length=16,
                        verbose_name="核验结果",
                    ),
                ),
                ("result_note", models.CharField(blank=True, max_length=500, verbose_name="核验说明")),
                (
                    "dataset",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.dataset",
                        verbose_name="信息资源",
                    ),
                ),
                (
                    "ticket",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="portal.ticket",
                        verbose_name="申请",
                    ),
                ),
            ],
            options={
                "verbose_name": "数据纠错",
                "verbose_name_plural": "数据纠错",
                "indexes": [models.Index(fields=["dataset"], name="datacorrection_dataset")],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="StepClock",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("round", models.PositiveSmallIntegerField(verbose_name="提交轮次")),
                ("index", models.PositiveSmallIntegerField(verbose_name="步骤序号")),
                ("name", models.CharField(max_length=100, verbose_name="步骤")),
                ("started_at", models.DateTimeField(verbose_name="到达时间")),
                ("due_at", models.DateTimeField(verbose_name="办理时限")),
                ("working_days", models.PositiveSmallIntegerField(verbose_name="时限（工作日）")),
                ("escalated_at", models.DateTimeField(blank=True, null=True, verbose_name="超时提醒时间")),
                (
                    "ticket",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="portal.ticket",
                        verbose_name="申请",
                    ),
                ),
            ],
            options={
                "verbose_name": "步骤时限",
                "verbose_name_plural": "步骤时限",
                "ordering": ["ticket", "round", "index"],
                "constraints": [
                    models.UniqueConstraint(fields=("ticket", "round", "index"), name="stepclock_unique_step")
                ],
                "indexes": [],
            },
        ),
    ]
