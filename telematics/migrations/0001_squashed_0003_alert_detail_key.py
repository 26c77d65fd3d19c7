"""telematics 0001–0003 squashed: what a fresh database runs instead of the chain (kept beside it for
databases that ran it; delete the old files once every deployment has). The model state after the chain, one
CreateModel per model with its final fields in column order (a relation closing a cycle added after, as the
chain did); the state equals the chain's (tests/test_migrations_squashed.py).

The data steps run last, on the final tables, copied from 0002_positions_partitioned_by_month_on_postgresql.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from datahub.partitions import POSITIONS


# From 0002_positions_partitioned_by_month_on_postgresql.
def partition(apps, schema_editor):
    POSITIONS.to_partitioned(schema_editor, timezone.localdate())


def unpartition(apps, schema_editor):
    POSITIONS.to_plain(schema_editor)


def deferred_sql_now(apps, schema_editor):
    """The indexes and foreign keys Django defers to a migration's end are made before the data steps below, as
    the chain made them (its tables came from earlier migrations): a step that rebuilds a table (the partitions)
    must not get the old table's deferred indexes added to its new one afterwards."""
    for statement in schema_editor.deferred_sql:
        schema_editor.execute(statement)
    schema_editor.deferred_sql.clear()


class Migration(migrations.Migration):
    replaces = [
        ("telematics", "0001_initial"),
        ("telematics", "0002_positions_partitioned_by_month_on_postgresql"),
        ("telematics", "0003_alert_detail_key"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("datahub", "0002_export_job"),
        ("vehicles", "0002_no_overlap_and_caps"),
    ]

    operations = [
        migrations.CreateModel(
            name="CalendarDay",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("date", models.DateField(unique=True, verbose_name="日期")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("workday", "工作日"),
                            ("adjusted_workday", "调休上班"),
                            ("holiday", "法定节假日"),
                            ("rest", "休息日"),
                        ],
                        max_length=20,
                        verbose_name="类型",
                    ),
                ),
                ("name", models.CharField(blank=True, max_length=40, verbose_name="说明")),
                (
                    "work_start",
                    models.TimeField(blank=True, help_text="留空为默认 08:30。", null=True, verbose_name="上班时间"),
                ),
                (
                    "work_end",
                    models.TimeField(blank=True, help_text="留空为默认 17:30。", null=True, verbose_name="下班时间"),
                ),
            ],
            options={
                "verbose_name": "工作日历",
                "verbose_name_plural": "工作日历",
                "ordering": ["date"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("work_start__isnull", True),
                            ("work_end__isnull", True),
                            ("work_start__lt", models.F("work_end")),
                            _connector="OR",
                        ),
                        name="calendarday_hours_ordered",
                    )
                ],
                "indexes": [],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAlertRule",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("off_hours", "非工作时间用车"),
                            ("no_dispatch", "无单出车"),
                            ("geofence_exit", "驶出电子围栏"),
                            ("overspeed", "超速"),
                            ("offline", "终端离线"),
                        ],
                        max_length=20,
                        verbose_name="规则",
                    ),
                ),
                ("enabled", models.BooleanField(default=True, verbose_name="启用")),
                (
                    "threshold",
                    models.FloatField(
                        help_text="超速：限速 km/h；离线：小时；非工作时间用车、无单出车：视为行驶的最低速度 km/h。",
                        verbose_name="阈值",
                    ),
                ),
                (
                    "gap_minutes",
                    models.PositiveIntegerField(
                        default=30,
                        help_text="相隔不超过该时长的违规定位点合并为一次告警。",
                        verbose_name="合并间隔（分钟）",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "org_unit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="适用单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 告警规则",
                "verbose_name_plural": "historical 告警规则",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCalendarDay",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("date", models.DateField(db_index=True, verbose_name="日期")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("workday", "工作日"),
                            ("adjusted_workday", "调休上班"),
                            ("holiday", "法定节假日"),
                            ("rest", "休息日"),
                        ],
                        max_length=20,
                        verbose_name="类型",
                    ),
                ),
                ("name", models.CharField(blank=True, max_length=40, verbose_name="说明")),
                (
                    "work_start",
                    models.TimeField(blank=True, help_text="留空为默认 08:30。", null=True, verbose_name="上班时间"),
                ),
                (
                    "work_end",
                    models.TimeField(blank=True, help_text="留空为默认 17:30。", null=True, verbose_name="下班时间"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 工作日历",
                "verbose_name_plural": "historical 工作日历",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalGeofence",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("name", models.CharField(max_length=60, verbose_name="名称")),
                ("polygon", models.JSONField(default=list, verbose_name="顶点（经度,纬度）")),
                ("is_active", models.BooleanField(default=True, verbose_name="启用")),
                ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="更新时间")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "org_unit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 电子围栏",
                "verbose_name_plural": "historical 电子围栏",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalTerminal",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("serial", models.CharField(db_index=True, max_length=40, verbose_name="终端编号")),
                ("model_name", models.CharField(blank=True, max_length=60, verbose_name="终端型号")),
                (
                    "token_prefix",
                    models.CharField(
                        editable=False, help_text="用于核对设备上配置的令牌。", max_length=8, verbose_name="令牌前缀"
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="启用")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="登记时间")),
                (
                    "token_rotated_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="令牌更换时间"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "vehicle",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="vehicles.vehicle",
                        verbose_name="车辆",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 车载终端",
                "verbose_name_plural": "historical 车载终端",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Terminal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("serial", models.CharField(max_length=40, unique=True, verbose_name="终端编号")),
                ("model_name", models.CharField(blank=True, max_length=60, verbose_name="终端型号")),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True, verbose_name="令牌摘要")),
                (
                    "token_prefix",
                    models.CharField(
                        editable=False, help_text="用于核对设备上配置的令牌。", max_length=8, verbose_name="令牌前缀"
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="启用")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                (
                    "token_rotated_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="令牌更换时间"),
                ),
                (
                    "last_seen_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="最近上报时间"),
                ),
                (
                    "last_position_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="最近定位时间"),
                ),
                (
                    "vehicle",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="terminal",
                        to="vehicles.vehicle",
                        verbose_name="车辆",
                    ),
                ),
            ],
            options={
                "verbose_name": "车载终端",
                "verbose_name_plural": "车载终端",
                "ordering": ["serial"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="Alert",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("off_hours", "非工作时间用车"),
                            ("no_dispatch", "无单出车"),
                            ("geofence_exit", "驶出电子围栏"),
                            ("overspeed", "超速"),
                            ("offline", "终端离线"),
                        ],
                        max_length=20,
                        verbose_name="类型",
                    ),
                ),
                ("started_at", models.DateTimeField(verbose_name="开始时间")),
                (
                    "ended_at",
                    models.DateTimeField(
                        blank=True, help_text="离线告警在终端恢复上报前为空。", null=True, verbose_name="结束时间"
                    ),
                ),
                ("point_count", models.PositiveIntegerField(default=0, verbose_name="违规定位点数")),
                ("max_speed", models.FloatField(blank=True, null=True, verbose_name="最高速度（km/h）")),
                ("lat", models.FloatField(blank=True, null=True, verbose_name="纬度")),
                ("lon", models.FloatField(blank=True, null=True, verbose_name="经度")),
                ("detail", models.CharField(blank=True, max_length=200, verbose_name="说明")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "待处理"), ("acknowledged", "已处理")],
                        default="open",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="告警时间")),
                ("acknowledged_at", models.DateTimeField(blank=True, null=True, verbose_name="处理时间")),
                ("comment", models.CharField(blank=True, max_length=500, verbose_name="处理意见")),
                (
                    "acknowledged_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="处理人",
                    ),
                ),
                (
                    "vehicle",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="vehicles.vehicle",
                        verbose_name="车辆",
                    ),
                ),
                (
                    "detail_key",
                    models.CharField(blank=True, default="", editable=False, max_length=300, verbose_name="消息原文"),
                ),
                ("detail_values", models.JSONField(blank=True, default=dict, editable=False, verbose_name="消息参数")),
            ],
            options={
                "verbose_name": "监控告警",
                "verbose_name_plural": "监控告警",
                "ordering": ["-started_at", "-pk"],
                "indexes": [
                    models.Index(fields=["vehicle", "kind", "-started_at"], name="alert_vehicle_kind"),
                    models.Index(fields=["status", "-started_at"], name="alert_status_started"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("ended_at__isnull", True), ("ended_at__gte", models.F("started_at")), _connector="OR"
                        ),
                        name="alert_period_ordered",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("ended_at__isnull", True), ("kind", "offline")),
                        fields=("vehicle",),
                        name="alert_one_open_offline",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="AlertRule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("off_hours", "非工作时间用车"),
                            ("no_dispatch", "无单出车"),
                            ("geofence_exit", "驶出电子围栏"),
                            ("overspeed", "超速"),
                            ("offline", "终端离线"),
                        ],
                        max_length=20,
                        verbose_name="规则",
                    ),
                ),
                ("enabled", models.BooleanField(default=True, verbose_name="启用")),
                (
                    "threshold",
                    models.FloatField(
                        help_text="超速：限速 km/h；离线：小时；非工作时间用车、无单出车：视为行驶的最低速度 km/h。",
                        verbose_name="阈值",
                    ),
                ),
                (
                    "gap_minutes",
                    models.PositiveIntegerField(
                        default=30,
                        help_text="相隔不超过该时长的违规定位点合并为一次告警。",
                        verbose_name="合并间隔（分钟）",
                    ),
                ),
                (
                    "org_unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="适用单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "告警规则",
                "verbose_name_plural": "告警规则",
                "ordering": ["kind", "org_unit__path"],
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "org_unit"), name="alertrule_unique_unit"),
                    models.UniqueConstraint(
                        condition=models.Q(("org_unit__isnull", True)), fields=("kind",), name="alertrule_unique_global"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("threshold__gte", 0)), name="alertrule_threshold_nonneg"
                    ),
                ],
                "indexes": [],
            },
        ),
        migrations.CreateModel(
            name="Geofence",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=60, verbose_name="名称")),
                ("polygon", models.JSONField(default=list, verbose_name="顶点（经度,纬度）")),
                ("is_active", models.BooleanField(default=True, verbose_name="启用")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "电子围栏",
                "verbose_name_plural": "电子围栏",
                "ordering": ["org_unit__path", "name"],
                "constraints": [models.UniqueConstraint(fields=("org_unit", "name"), name="geofence_unique_name")],
                "indexes": [],
            },
        ),
        migrations.CreateModel(
            name="Position",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("time", models.DateTimeField(verbose_name="定位时间")),
                ("lat", models.FloatField(verbose_name="纬度")),
                ("lon", models.FloatField(verbose_name="经度")),
                ("speed", models.FloatField(verbose_name="速度（km/h）")),
                ("ignition", models.BooleanField(default=True, verbose_name="点火")),
                (
                    "vehicle",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="vehicles.vehicle",
                        verbose_name="车辆",
                    ),
                ),
            ],
            options={
                "verbose_name": "定位点",
                "verbose_name_plural": "定位点",
                "constraints": [
                    models.UniqueConstraint(fields=("vehicle", "time"), name="position_unique_vehicle_time"),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("lat__gte", -90),
                            ("lat__lte", 90),
                            ("lon__gte", -180),
                            ("lon__lte", 180),
                            ("speed__gte", 0),
                        ),
                        name="position_in_range",
                    ),
                ],
                "indexes": [],
            },
        ),
        migrations.RunPython(deferred_sql_now, migrations.RunPython.noop),
        migrations.RunPython(partition, unpartition),  # 0002_positions_partitioned_by_month_on_postgresql
    ]
