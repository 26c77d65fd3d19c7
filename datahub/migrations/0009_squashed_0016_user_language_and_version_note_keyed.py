"""datahub 0009–0016 squashed: what a fresh database runs instead of the chain (kept beside it for
databases that ran it; delete the old files once every deployment has). It starts from 0008's state (the first
squash), so it is the chain's own operations, merged where Django's optimizer can; the state equals the chain's
(tests/test_migrations_squashed.py). The data hub is squashed in two because OAuth's first migration needs the
user model (0001–0008) and 0009 on need OAuth's application model.

The data steps run last, on the final tables, copied from
0012_trail_partitioned_by_month_and_append_only_on_postgresql, 0014_trail_head_keeps_its_link.
"""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import datahub.catalog.models
import datahub.models

# From 0012_trail_partitioned_by_month_and_append_only_on_postgresql.
PARENT = "datahub_trailrecord"


OLD = "datahub_trailrecord_unpartitioned"


SEQUENCE = "datahub_trailrecord_part_id_seq"


ZONE = ZoneInfo("Asia/Shanghai")


COLUMNS = """
    "id" bigint NOT NULL DEFAULT nextval('datahub_trailrecord_part_id_seq'),
    "seq" bigint NOT NULL CHECK ("seq" >= 0),
    "at" timestamp with time zone NOT NULL,
    "kind" varchar(8) NOT NULL,
    "caller_app_id" bigint NULL,
    "caller_label" varchar(200) NOT NULL,
    "dataset_code" varchar(64) NOT NULL,
    "items" varchar(1000) NOT NULL,
    "row_scope" varchar(100) NOT NULL,
    "filter" varchar(500) NOT NULL,
    "rows" integer NOT NULL CHECK ("rows" >= 0),
    "bytes" bigint NOT NULL CHECK ("bytes" >= 0),
    "status" smallint NOT NULL CHECK ("status" >= 0),
    "duration_ms" integer NOT NULL CHECK ("duration_ms" >= 0),
    "prev_hash" varchar(64) NOT NULL,
    "hash" varchar(64) NOT NULL,
    "caller_unit_id" bigint NULL,
    "caller_user_id" bigint NULL,
    "dataset_id" bigint NULL
"""


NAMES = (
    "id, seq, at, kind, caller_app_id, caller_label, dataset_code, items, row_scope, filter, rows, bytes, status, "
    "duration_ms, prev_hash, hash, caller_unit_id, caller_user_id, dataset_id"
)


# The indexes the model declares (queries by entry, caller and month), plus seq for verify_trail's walk.
INDEXES = (
    ("trail_dataset_at", '"dataset_id", "at"'),
    ("trail_user_at", '"caller_user_id", "at"'),
    ("trail_app_at", '"caller_app_id", "at"'),
    ("trail_unit_at", '"caller_unit_id", "at"'),
    ("trail_at", '"at"'),
    ("trail_seq", '"seq"'),
)


APPEND_ONLY = f"""
CREATE OR REPLACE FUNCTION datahub_trailrecord_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION '调用日志只能追加，不能修改。' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RAISE EXCEPTION '调用日志只能追加，不能删除。' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER datahub_trailrecord_append_only
    BEFORE UPDATE OR DELETE ON "{PARENT}"
    FOR EACH ROW EXECUTE FUNCTION datahub_trailrecord_append_only();
"""


def _add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _bound(month: date) -> str:
    return datetime(month.year, month.month, 1, tzinfo=ZONE).isoformat()


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run(f'ALTER TABLE "{PARENT}" RENAME TO "{OLD}"')
    run(f'CREATE SEQUENCE "{SEQUENCE}"')
    run(
        f'CREATE TABLE "{PARENT}" ({COLUMNS}, PRIMARY KEY ("id", "at"), UNIQUE ("seq", "at")) PARTITION BY RANGE ("at")'
    )
    run(f'ALTER SEQUENCE "{SEQUENCE}" OWNED BY "{PARENT}"."id"')
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f'SELECT min(at) FROM "{OLD}"')
        oldest = cursor.fetchone()[0]
    today = datetime.now(ZONE).date()
    month = date(today.year, today.month, 1)
    if oldest is not None:
        local = oldest.astimezone(ZONE)
        month = min(month, date(local.year, local.month, 1))
    last = _add_months(date(today.year, today.month, 1), 3)
    while month <= last:
        run(
            f'CREATE TABLE "{PARENT}_y{month.year:04d}m{month.month:02d}" PARTITION OF "{PARENT}" '
            f"FOR VALUES FROM ('{_bound(month)}') TO ('{_bound(_add_months(month, 1))}')"
        )
        month = _add_months(month, 1)
    run(f'CREATE TABLE "{PARENT}_default" PARTITION OF "{PARENT}" DEFAULT')
    run(f'INSERT INTO "{PARENT}" ({NAMES}) SELECT {NAMES} FROM "{OLD}"')
    run(f"SELECT setval('{SEQUENCE}', COALESCE((SELECT max(id) FROM \"{OLD}\"), 0) + 1, false)")
    run(f'DROP TABLE "{OLD}"')
    for name, columns in INDEXES:
        run(f'CREATE INDEX "{name}" ON "{PARENT}" ({columns})')
    run(APPEND_ONLY)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run(f'DROP TRIGGER IF EXISTS datahub_trailrecord_append_only ON "{PARENT}"')
    run("DROP FUNCTION IF EXISTS datahub_trailrecord_append_only()")
    run(f'ALTER TABLE "{PARENT}" RENAME TO "{OLD}"')
    plain = COLUMNS.replace(f"DEFAULT nextval('{SEQUENCE}')", "GENERATED BY DEFAULT AS IDENTITY")
    run(f'CREATE TABLE "{PARENT}" ({plain}, PRIMARY KEY ("id"), UNIQUE ("seq"))')
    run(f'INSERT INTO "{PARENT}" ({NAMES}) SELECT {NAMES} FROM "{OLD}"')
    run(
        f"SELECT setval(pg_get_serial_sequence('\"{PARENT}\"', 'id'), "
        f'COALESCE((SELECT max(id) FROM "{PARENT}"), 0) + 1, false)'
    )
    run(f'DROP TABLE "{OLD}" CASCADE')
    for name, columns in INDEXES:
        if name != "trail_seq":
            run(f'CREATE INDEX "{name}" ON "{PARENT}" ({columns})')


# From 0014_trail_head_keeps_its_link.
def make_head(apps, schema_editor):
    """The chain's head exists from the start, so the first call appends in one statement too (the append
    still makes it if a test's flush removed it)."""
    apps.get_model("datahub", "TrailHead").objects.get_or_create(pk=1)


def deferred_sql_now(apps, schema_editor):
    """The indexes and foreign keys Django defers to a migration's end are made before the data steps below, as
    the chain made them (its tables came from earlier migrations): a step that rebuilds a table (the partitions)
    must not get the old table's deferred indexes added to its new one afterwards."""
    for statement in schema_editor.deferred_sql:
        schema_editor.execute(statement)
    schema_editor.deferred_sql.clear()


class Migration(migrations.Migration):
    replaces = [
        ("datahub", "0009_registered_systems_and_oidc_audit"),
        ("datahub", "0010_catalog_grants_trail"),
        ("datahub", "0011_oidc_consent"),
        ("datahub", "0012_trail_partitioned_by_month_and_append_only_on_postgresql"),
        ("datahub", "0013_side_posts"),
        ("datahub", "0014_trail_head_keeps_its_link"),
        ("datahub", "0015_job_language"),
        ("datahub", "0016_user_language_and_version_note_keyed"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.OAUTH2_PROVIDER_APPLICATION_MODEL),
        ("datahub", "0008_import_jobs"),
        # The whole OAuth chain before our models exist: applied later (after the apps that sort before
        # "oauth2_provider"), each of its ~115 operations re-rendered every model related to the user.
        ("oauth2_provider", "0022_refreshtoken_token_family_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="detail",
            field=models.CharField(
                blank=True, help_text="如接入系统名称与客户端标识、授权范围", max_length=300, verbose_name="说明"
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("read", "查看个人信息"),
                    ("export", "导出个人信息"),
                    ("sign_in_failed", "登录失败"),
                    ("token_issued", "签发访问令牌"),
                    ("token_revoked", "吊销访问令牌"),
                    ("sys_registered", "登记接入系统"),
                    ("sys_changed", "修改接入系统"),
                    ("sys_secret", "更换系统密钥"),
                    ("sys_suspended", "停用接入系统"),
                    ("sys_resumed", "恢复接入系统"),
                ],
                max_length=16,
                verbose_name="事件",
            ),
        ),
        migrations.CreateModel(
            name="Subject",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sub", models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="唯一标识")),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="oidc_subject",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="人员",
                    ),
                ),
            ],
            options={
                "verbose_name": "统一身份标识",
                "verbose_name_plural": "统一身份标识",
            },
        ),
        migrations.CreateModel(
            name="RegisteredSystem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="系统名称")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("sign_in", "单点登录（人员通过本平台登录该系统）"),
                            ("service", "系统接口调用（以系统身份调用本平台接口）"),
                            ("both", "单点登录与接口调用"),
                        ],
                        max_length=16,
                        verbose_name="接入方式",
                    ),
                ),
                ("scopes", models.JSONField(default=list, verbose_name="可申请的授权范围")),
                ("contact_name", models.CharField(max_length=50, verbose_name="联系人")),
                ("contact_phone", models.CharField(blank=True, max_length=24, verbose_name="联系电话")),
                ("contact_email", models.EmailField(blank=True, max_length=254, verbose_name="联系邮箱")),
                ("description", models.CharField(blank=True, max_length=500, verbose_name="用途说明")),
                (
                    "status",
                    models.CharField(
                        choices=[("active", "启用"), ("suspended", "已停用")],
                        default="active",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="登记时间")),
                ("secret_rotated_at", models.DateTimeField(blank=True, null=True, verbose_name="密钥更换时间")),
                ("suspended_at", models.DateTimeField(blank=True, null=True, verbose_name="停用时间")),
                ("suspend_reason", models.CharField(blank=True, max_length=200, verbose_name="停用原因")),
                (
                    "application",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="registration",
                        to=settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
                        verbose_name="OAuth2 客户端",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="registered_systems",
                        to="datahub.orgunit",
                        verbose_name="所属单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "接入系统",
                "verbose_name_plural": "接入系统",
                "ordering": ["org_unit__path", "name"],
                "constraints": [
                    models.UniqueConstraint(fields=("org_unit", "name"), name="registered_system_unique_name_per_unit")
                ],
            },
        ),
        migrations.CreateModel(
            name="TrailHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveBigIntegerField(default=0, verbose_name="最新序号")),
                (
                    "hash",
                    models.CharField(
                        default="0000000000000000000000000000000000000000000000000000000000000000",
                        max_length=64,
                        verbose_name="最新摘要",
                    ),
                ),
            ],
            options={
                "verbose_name": "调用日志链头",
                "verbose_name_plural": "调用日志链头",
            },
        ),
        migrations.CreateModel(
            name="Dataset",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "code",
                    models.CharField(
                        max_length=32,
                        unique=True,
                        validators=[datahub.catalog.models.validate_code],
                        verbose_name="代码",
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                ("summary", models.CharField(max_length=1000, verbose_name="摘要")),
                (
                    "format",
                    models.CharField(
                        choices=[("table", "数据库表"), ("api", "接口"), ("file", "文件")],
                        default="api",
                        max_length=8,
                        verbose_name="格式",
                    ),
                ),
                (
                    "share_type",
                    models.CharField(
                        choices=[
                            ("unconditional", "无条件共享"),
                            ("conditional", "有条件共享"),
                            ("not_shared", "不予共享"),
                        ],
                        db_index=True,
                        max_length=16,
                        verbose_name="共享类型",
                    ),
                ),
                ("share_condition", models.CharField(blank=True, max_length=500, verbose_name="共享条件")),
                ("share_method", models.CharField(default="接口调用", max_length=100, verbose_name="共享方式")),
                ("legal_basis", models.CharField(blank=True, max_length=500, verbose_name="不予共享依据")),
                (
                    "open_attr",
                    models.CharField(
                        choices=[("open", "无条件开放"), ("conditional", "有条件开放"), ("closed", "不予开放")],
                        default="closed",
                        max_length=16,
                        verbose_name="开放属性",
                    ),
                ),
                (
                    "update_cycle",
                    models.CharField(
                        choices=[
                            ("realtime", "实时"),
                            ("daily", "每日"),
                            ("monthly", "每月"),
                            ("quarterly", "每季度"),
                            ("yearly", "每年"),
                            ("irregular", "不定期"),
                        ],
                        max_length=16,
                        verbose_name="更新周期",
                    ),
                ),
                ("published_on", models.DateField(blank=True, null=True, verbose_name="发布日期")),
                ("related_codes", models.CharField(blank=True, max_length=300, verbose_name="关联资源代码")),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "草稿"), ("published", "已发布"), ("retired", "已停用")],
                        default="draft",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, verbose_name="版本")),
                (
                    "declaration_key",
                    models.CharField(
                        blank=True, editable=False, max_length=60, null=True, unique=True, verbose_name="声明标识"
                    ),
                ),
                ("external_url", models.CharField(blank=True, max_length=300, verbose_name="在线资源地址")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "provider",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="提供方",
                    ),
                ),
            ],
            options={
                "verbose_name": "信息资源",
                "verbose_name_plural": "信息资源目录",
                "ordering": ["code"],
            },
        ),
        migrations.CreateModel(
            name="DatasetItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=60, verbose_name="信息项标识")),
                ("label", models.CharField(max_length=100, verbose_name="信息项名称")),
                ("data_type", models.CharField(max_length=8, verbose_name="数据类型")),
                ("description", models.CharField(blank=True, max_length=300, verbose_name="说明")),
                ("personal", models.BooleanField(default=False, verbose_name="个人信息")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="顺序")),
                (
                    "dataset",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="datahub.dataset",
                        verbose_name="信息资源",
                    ),
                ),
            ],
            options={
                "verbose_name": "信息项",
                "verbose_name_plural": "信息项",
                "ordering": ["dataset", "position"],
            },
        ),
        migrations.CreateModel(
            name="DatasetVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.PositiveIntegerField(verbose_name="版本")),
                ("items", models.JSONField(default=list, verbose_name="信息项")),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="变更说明")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间")),
                (
                    "dataset",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="versions",
                        to="datahub.dataset",
                        verbose_name="信息资源",
                    ),
                ),
            ],
            options={
                "verbose_name": "目录版本",
                "verbose_name_plural": "目录版本",
                "ordering": ["dataset", "-version"],
            },
        ),
        migrations.CreateModel(
            name="Grant",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("items", models.JSONField(default=list, verbose_name="授权信息项")),
                ("personal_in_full", models.BooleanField(default=False, verbose_name="个人信息不脱敏")),
                (
                    "row_scope",
                    models.CharField(
                        choices=[("own", "本单位及下级"), ("unit", "指定机构及下级"), ("all", "全部")],
                        default="own",
                        max_length=8,
                        verbose_name="数据范围",
                    ),
                ),
                ("purpose", models.CharField(blank=True, max_length=500, verbose_name="用途")),
                ("valid_from", models.DateField(verbose_name="有效期自")),
                ("valid_to", models.DateField(verbose_name="有效期至")),
                ("ticket_id", models.PositiveIntegerField(blank=True, null=True, verbose_name="申请单号")),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="撤销时间")),
                ("revoke_reason", models.CharField(blank=True, max_length=300, verbose_name="撤销原因")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="授权时间")),
                (
                    "application",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="data_grants",
                        to=settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
                        verbose_name="使用系统",
                    ),
                ),
                (
                    "approved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="批准人",
                    ),
                ),
                (
                    "consumer_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="使用单位",
                    ),
                ),
                (
                    "dataset",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="grants",
                        to="datahub.dataset",
                        verbose_name="信息资源",
                    ),
                ),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="撤销人",
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
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="data_grants",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="使用人",
                    ),
                ),
            ],
            options={
                "verbose_name": "共享授权",
                "verbose_name_plural": "共享授权",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="TrailRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveBigIntegerField(unique=True, verbose_name="序号")),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间")),
                (
                    "kind",
                    models.CharField(
                        choices=[("call", "接口调用"), ("export", "目录导出")],
                        default="call",
                        max_length=8,
                        verbose_name="类型",
                    ),
                ),
                ("caller_app_id", models.BigIntegerField(blank=True, null=True, verbose_name="调用系统编号")),
                ("caller_label", models.CharField(max_length=200, verbose_name="调用方")),
                ("dataset_code", models.CharField(blank=True, max_length=64, verbose_name="资源代码")),
                ("items", models.CharField(blank=True, max_length=1000, verbose_name="信息项")),
                ("row_scope", models.CharField(blank=True, max_length=100, verbose_name="数据范围")),
                ("filter", models.CharField(blank=True, max_length=500, verbose_name="查询条件")),
                ("rows", models.PositiveIntegerField(default=0, verbose_name="返回行数")),
                ("bytes", models.PositiveBigIntegerField(default=0, verbose_name="字节数")),
                ("status", models.PositiveSmallIntegerField(verbose_name="状态码")),
                ("duration_ms", models.PositiveIntegerField(default=0, verbose_name="耗时（毫秒）")),
                ("prev_hash", models.CharField(max_length=64, verbose_name="前一条摘要")),
                ("hash", models.CharField(max_length=64, verbose_name="本条摘要")),
                (
                    "caller_unit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="调用方单位",
                    ),
                ),
                (
                    "caller_user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="调用人",
                    ),
                ),
                (
                    "dataset",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="datahub.dataset",
                        verbose_name="信息资源",
                    ),
                ),
            ],
            options={
                "verbose_name": "调用日志",
                "verbose_name_plural": "调用日志",
                "ordering": ["-seq"],
            },
        ),
        migrations.AddConstraint(
            model_name="dataset",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("share_type", "not_shared"), _negated=True),
                    models.Q(("legal_basis", ""), _negated=True),
                    _connector="OR",
                ),
                name="dataset_not_shared_cites_basis",
                violation_error_message="不予共享的资源必须填写法律法规或政策依据。",
            ),
        ),
        migrations.AddConstraint(
            model_name="datasetitem",
            constraint=models.UniqueConstraint(fields=("dataset", "name"), name="datasetitem_unique_name"),
        ),
        migrations.AddConstraint(
            model_name="datasetversion",
            constraint=models.UniqueConstraint(fields=("dataset", "version"), name="datasetversion_unique"),
        ),
        migrations.AddIndex(
            model_name="grant",
            index=models.Index(fields=["dataset", "application"], name="grant_dataset_app"),
        ),
        migrations.AddIndex(
            model_name="grant",
            index=models.Index(fields=["dataset", "user"], name="grant_dataset_user"),
        ),
        migrations.AddConstraint(
            model_name="grant",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("user__isnull", True), ("application__isnull", False)),
                    models.Q(("user__isnull", False), ("application__isnull", True)),
                    _connector="OR",
                ),
                name="grant_one_consumer",
                violation_error_message="授权对象必须是一个人员或一个系统。",
            ),
        ),
        migrations.AddConstraint(
            model_name="grant",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("row_scope", "unit"), _negated=True), ("row_unit__isnull", False), _connector="OR"
                ),
                name="grant_named_subtree_has_unit",
                violation_error_message="数据范围为指定机构时必须选择机构。",
            ),
        ),
        migrations.AddConstraint(
            model_name="grant",
            constraint=models.CheckConstraint(
                condition=models.Q(("valid_to__gte", models.F("valid_from"))),
                name="grant_period_ordered",
                violation_error_message="有效期截止日不能早于起始日。",
            ),
        ),
        migrations.AddIndex(
            model_name="trailrecord",
            index=models.Index(fields=["dataset", "at"], name="trail_dataset_at"),
        ),
        migrations.AddIndex(
            model_name="trailrecord",
            index=models.Index(fields=["caller_user", "at"], name="trail_user_at"),
        ),
        migrations.AddIndex(
            model_name="trailrecord",
            index=models.Index(fields=["caller_app_id", "at"], name="trail_app_at"),
        ),
        migrations.AddIndex(
            model_name="trailrecord",
            index=models.Index(fields=["caller_unit", "at"], name="trail_unit_at"),
        ),
        migrations.AddIndex(
            model_name="trailrecord",
            index=models.Index(fields=["at"], name="trail_at"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("read", "查看个人信息"),
                    ("export", "导出个人信息"),
                    ("sign_in_failed", "登录失败"),
                    ("token_issued", "签发访问令牌"),
                    ("token_revoked", "吊销访问令牌"),
                    ("sys_registered", "登记接入系统"),
                    ("sys_changed", "修改接入系统"),
                    ("sys_secret", "更换系统密钥"),
                    ("sys_suspended", "停用接入系统"),
                    ("sys_resumed", "恢复接入系统"),
                    ("consent_granted", "同意系统授权"),
                    ("consent_revoked", "撤销系统授权"),
                ],
                max_length=16,
                verbose_name="事件",
            ),
        ),
        migrations.CreateModel(
            name="Consent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("scopes", models.JSONField(default=list, verbose_name="已同意的授权范围")),
                ("granted_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="首次授权时间")),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="最近授权时间")),
                (
                    "system",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="consents",
                        to="datahub.registeredsystem",
                        verbose_name="接入系统",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="oidc_consents",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="人员",
                    ),
                ),
            ],
            options={
                "verbose_name": "授权记录",
                "verbose_name_plural": "授权记录",
                "ordering": ["-updated_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("user", "system"), name="oidc_consent_one_per_person_system")
                ],
            },
        ),
        migrations.CreateModel(
            name="SidePost",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=200, verbose_name="兼职岗位")),
                ("started_on", models.DateField(verbose_name="起始日期")),
                ("ended_on", models.DateField(blank=True, null=True, verbose_name="结束日期")),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="side_posts",
                        to="datahub.orgunit",
                        verbose_name="兼职单位/部门",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="side_posts",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="人员",
                    ),
                ),
            ],
            options={
                "verbose_name": "兼职岗位",
                "verbose_name_plural": "兼职岗位",
                "ordering": ["person_id", "started_on", "pk"],
            },
        ),
        migrations.AddField(
            model_name="trailhead",
            name="prev_hash",
            field=models.CharField(
                default="0000000000000000000000000000000000000000000000000000000000000000",
                max_length=64,
                verbose_name="前一条摘要",
            ),
        ),
        migrations.AddField(
            model_name="exportjob",
            name="language",
            field=models.CharField(default=datahub.models.job_language, max_length=10, verbose_name="语言"),
        ),
        migrations.AddField(
            model_name="importjob",
            name="language",
            field=models.CharField(default=datahub.models.job_language, max_length=10, verbose_name="语言"),
        ),
        migrations.AddField(
            model_name="datasetversion",
            name="note_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=300, verbose_name="消息原文"),
        ),
        migrations.AddField(
            model_name="datasetversion",
            name="note_values",
            field=models.JSONField(blank=True, default=dict, editable=False, verbose_name="消息参数"),
        ),
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("zh-hans", "简体中文"), ("en", "English")],
                default="",
                max_length=10,
                verbose_name="界面语言",
            ),
        ),
        migrations.RunPython(deferred_sql_now, migrations.RunPython.noop),
        migrations.RunPython(partition, unpartition),  # 0012_trail_partitioned_by_month_and_append_only_on_postgresql
        migrations.RunPython(make_head, migrations.RunPython.noop),  # 0014_trail_head_keeps_its_link
    ]
