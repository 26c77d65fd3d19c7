"""datahub 0001–0008 squashed: what a fresh database runs instead of the chain (kept beside it for
databases that ran it; delete the old files once every deployment has). The model state after the chain, one
CreateModel per model with its final fields in column order (a relation closing a cycle added after, as the
chain did); the state equals the chain's (tests/test_migrations_squashed.py).

The data steps run last, on the final tables, copied from 0005_audit_append_only_on_postgresql.
Left out (elidable: they convert rows a fresh database cannot have): 0007_start_password_clocks.
"""

import django.contrib.auth.models
import django.contrib.auth.validators
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import datahub.idnumbers

# From 0005_audit_append_only_on_postgresql.
CREATE = """
CREATE OR REPLACE FUNCTION datahub_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION '审计日志只能追加，不能修改。';
    END IF;
    IF OLD.at > now() - interval '183 days' THEN
        RAISE EXCEPTION '保留期（183天）内的审计日志不能删除。';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER datahub_auditentry_append_only
    BEFORE UPDATE OR DELETE ON datahub_auditentry
    FOR EACH ROW EXECUTE FUNCTION datahub_auditentry_append_only();
"""


DROP = """
DROP TRIGGER IF EXISTS datahub_auditentry_append_only ON datahub_auditentry;
DROP FUNCTION IF EXISTS datahub_auditentry_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


def deferred_sql_now(apps, schema_editor):
    """The indexes and foreign keys Django defers to a migration's end are made before the data steps below, as
    the chain made them (its tables came from earlier migrations): a step that rebuilds a table (the partitions)
    must not get the old table's deferred indexes added to its new one afterwards."""
    for statement in schema_editor.deferred_sql:
        schema_editor.execute(statement)
    schema_editor.deferred_sql.clear()


class Migration(migrations.Migration):
    replaces = [
        ("datahub", "0001_initial"),
        ("datahub", "0002_export_job"),
        ("datahub", "0003_export_job_heartbeat_and_retry"),
        ("datahub", "0004_audit_trail_and_personal_data"),
        ("datahub", "0005_audit_append_only_on_postgresql"),
        ("datahub", "0006_api_tokens_and_password_history"),
        ("datahub", "0007_start_password_clocks"),
        ("datahub", "0008_import_jobs"),
    ]

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="DirectoryCheck",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("ran_at", models.DateTimeField(auto_now_add=True, verbose_name="检查时间")),
                ("units_checked", models.PositiveIntegerField(default=0, verbose_name="检查机构数")),
                ("findings", models.JSONField(default=list, verbose_name="发现的问题")),
            ],
            options={
                "verbose_name": "组织机构一致性检查",
                "verbose_name_plural": "组织机构一致性检查",
                "ordering": ["-ran_at"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="OrgUnit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("path", models.CharField(max_length=255, unique=True)),
                ("depth", models.PositiveIntegerField()),
                ("numchild", models.PositiveIntegerField(default=0)),
                (
                    "code",
                    models.CharField(
                        help_text="本平台内的唯一编码，导入与对接时使用。",
                        max_length=32,
                        unique=True,
                        verbose_name="机构编码",
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                (
                    "level",
                    models.CharField(
                        choices=[("region", "行政区域"), ("institution", "机关/单位"), ("department", "内设机构")],
                        max_length=16,
                        verbose_name="层级",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        blank=True,
                        choices=[("party_gov", "党政机关"), ("public_inst", "事业单位"), ("other", "其他公共机构")],
                        max_length=16,
                        verbose_name="机构类型",
                    ),
                ),
                (
                    "uscc",
                    models.CharField(
                        blank=True,
                        max_length=18,
                        null=True,
                        unique=True,
                        validators=[datahub.idnumbers.validate_uscc],
                        verbose_name="统一社会信用代码",
                    ),
                ),
                (
                    "region_code",
                    models.CharField(
                        max_length=6, validators=[datahub.idnumbers.validate_region_code], verbose_name="行政区划代码"
                    ),
                ),
                ("staffing_quota", models.PositiveIntegerField(default=0, verbose_name="编制数")),
                ("is_active", models.BooleanField(default=True, verbose_name="在用")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
            ],
            options={
                "verbose_name": "组织机构",
                "verbose_name_plural": "组织机构",
                "ordering": ["path"],
                "permissions": [
                    ("role_civil_servant", "角色：机关工作人员"),
                    ("role_approver", "角色：处室负责人（审批人）"),
                    ("role_vehicle_dispatcher", "角色：车辆调度员"),
                    ("role_space_admin", "角色：房产管理员"),
                    ("role_asset_admin", "角色：资产管理员"),
                    ("role_energy_reporter", "角色：能耗填报员"),
                    ("role_data_steward", "角色：数据管理员"),
                    ("role_bureau_admin", "角色：机关事务管理局管理员"),
                    ("role_leader", "角色：领导"),
                    ("role_auditor", "角色：审计员"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("level", "institution"), _negated=True),
                            models.Q(("kind", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="orgunit_institution_has_kind",
                        violation_error_message="机关/单位必须填写机构类型。",
                    )
                ],
                "indexes": [],
            },
        ),
        migrations.CreateModel(
            name="User",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("password", models.CharField(max_length=128, verbose_name="password")),
                ("last_login", models.DateTimeField(blank=True, null=True, verbose_name="last login")),
                (
                    "is_superuser",
                    models.BooleanField(
                        default=False,
                        help_text="Designates that this user has all permissions without explicitly assigning them.",
                        verbose_name="superuser status",
                    ),
                ),
                (
                    "username",
                    models.CharField(
                        error_messages={"unique": "A user with that username already exists."},
                        help_text="Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
                        max_length=150,
                        unique=True,
                        validators=[django.contrib.auth.validators.UnicodeUsernameValidator()],
                        verbose_name="username",
                    ),
                ),
                ("first_name", models.CharField(blank=True, max_length=150, verbose_name="first name")),
                ("last_name", models.CharField(blank=True, max_length=150, verbose_name="last name")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="email address")),
                (
                    "is_staff",
                    models.BooleanField(
                        default=False,
                        help_text="Designates whether the user can log into this admin site.",
                        verbose_name="staff status",
                    ),
                ),
                (
                    "is_active",
                    models.BooleanField(
                        default=True,
                        help_text="Designates whether this user should be treated as active. Unselect this instead of deleting accounts.",
                        verbose_name="active",
                    ),
                ),
                ("date_joined", models.DateTimeField(default=django.utils.timezone.now, verbose_name="date joined")),
                ("name", models.CharField(max_length=50, verbose_name="姓名")),
                (
                    "post_level",
                    models.CharField(
                        choices=[
                            ("101", "国家级正职"),
                            ("102", "国家级副职"),
                            ("111", "省部级正职"),
                            ("112", "省部级副职"),
                            ("121", "厅局级正职"),
                            ("122", "厅局级副职"),
                            ("131", "县处级正职"),
                            ("132", "县处级副职"),
                            ("141", "乡科级正职"),
                            ("142", "乡科级副职"),
                            ("150", "科员级"),
                            ("160", "办事员级"),
                            ("199", "未定职"),
                        ],
                        default="199",
                        max_length=3,
                        verbose_name="职务级别",
                    ),
                ),
                (
                    "rank",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("inspector_1", "一级巡视员"),
                            ("inspector_2", "二级巡视员"),
                            ("researcher_1", "一级调研员"),
                            ("researcher_2", "二级调研员"),
                            ("researcher_3", "三级调研员"),
                            ("researcher_4", "四级调研员"),
                            ("principal_staff_1", "一级主任科员"),
                            ("principal_staff_2", "二级主任科员"),
                            ("principal_staff_3", "三级主任科员"),
                            ("principal_staff_4", "四级主任科员"),
                            ("staff_1", "一级科员"),
                            ("staff_2", "二级科员"),
                        ],
                        max_length=24,
                        verbose_name="职级",
                    ),
                ),
                (
                    "is_main_post",
                    models.BooleanField(
                        default=True, help_text="兼职人员不占本单位办公用房标准。", verbose_name="主职"
                    ),
                ),
                ("job_title", models.CharField(blank=True, max_length=100, verbose_name="职务名称")),
                (
                    "phone",
                    models.CharField(
                        blank=True,
                        max_length=24,
                        validators=[datahub.idnumbers.validate_phone],
                        verbose_name="联系电话",
                    ),
                ),
                (
                    "id_number",
                    models.CharField(
                        blank=True,
                        max_length=18,
                        validators=[datahub.idnumbers.validate_id_number],
                        verbose_name="身份证号",
                    ),
                ),
                (
                    "staffing_seats",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="在编在岗为1，编外或兼职为0。",
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="占编",
                    ),
                ),
                (
                    "groups",
                    models.ManyToManyField(
                        blank=True,
                        help_text="The groups this user belongs to. A user will get all permissions granted to each of their groups.",
                        related_name="user_set",
                        related_query_name="user",
                        to="auth.group",
                        verbose_name="groups",
                    ),
                ),
                (
                    "user_permissions",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Specific permissions for this user.",
                        related_name="user_set",
                        related_query_name="user",
                        to="auth.permission",
                        verbose_name="user permissions",
                    ),
                ),
                (
                    "org_unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="datahub.orgunit",
                        verbose_name="所在单位/部门",
                    ),
                ),
            ],
            options={
                "verbose_name": "人员",
                "verbose_name_plural": "人员",
                "ordering": ["org_unit__path", "username"],
                "permissions": [("view_full_id_number", "查看完整身份证号"), ("view_full_phone", "查看完整联系电话")],
                "indexes": [],
                "constraints": [],
            },
            managers=[
                ("objects", django.contrib.auth.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name="HistoricalOrgUnit",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("path", models.CharField(db_index=True, max_length=255)),
                ("depth", models.PositiveIntegerField()),
                (
                    "code",
                    models.CharField(
                        db_index=True,
                        help_text="本平台内的唯一编码，导入与对接时使用。",
                        max_length=32,
                        verbose_name="机构编码",
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                (
                    "level",
                    models.CharField(
                        choices=[("region", "行政区域"), ("institution", "机关/单位"), ("department", "内设机构")],
                        max_length=16,
                        verbose_name="层级",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        blank=True,
                        choices=[("party_gov", "党政机关"), ("public_inst", "事业单位"), ("other", "其他公共机构")],
                        max_length=16,
                        verbose_name="机构类型",
                    ),
                ),
                (
                    "uscc",
                    models.CharField(
                        blank=True,
                        db_index=True,
                        max_length=18,
                        null=True,
                        validators=[datahub.idnumbers.validate_uscc],
                        verbose_name="统一社会信用代码",
                    ),
                ),
                (
                    "region_code",
                    models.CharField(
                        max_length=6, validators=[datahub.idnumbers.validate_region_code], verbose_name="行政区划代码"
                    ),
                ),
                ("staffing_quota", models.PositiveIntegerField(default=0, verbose_name="编制数")),
                ("is_active", models.BooleanField(default=True, verbose_name="在用")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="创建时间")),
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
            ],
            options={
                "verbose_name": "historical 组织机构",
                "verbose_name_plural": "historical 组织机构",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalUser",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "is_superuser",
                    models.BooleanField(
                        default=False,
                        help_text="Designates that this user has all permissions without explicitly assigning them.",
                        verbose_name="superuser status",
                    ),
                ),
                (
                    "username",
                    models.CharField(
                        db_index=True,
                        error_messages={"unique": "A user with that username already exists."},
                        help_text="Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
                        max_length=150,
                        validators=[django.contrib.auth.validators.UnicodeUsernameValidator()],
                        verbose_name="username",
                    ),
                ),
                ("first_name", models.CharField(blank=True, max_length=150, verbose_name="first name")),
                ("last_name", models.CharField(blank=True, max_length=150, verbose_name="last name")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="email address")),
                (
                    "is_staff",
                    models.BooleanField(
                        default=False,
                        help_text="Designates whether the user can log into this admin site.",
                        verbose_name="staff status",
                    ),
                ),
                (
                    "is_active",
                    models.BooleanField(
                        default=True,
                        help_text="Designates whether this user should be treated as active. Unselect this instead of deleting accounts.",
                        verbose_name="active",
                    ),
                ),
                ("date_joined", models.DateTimeField(default=django.utils.timezone.now, verbose_name="date joined")),
                ("name", models.CharField(max_length=50, verbose_name="姓名")),
                (
                    "post_level",
                    models.CharField(
                        choices=[
                            ("101", "国家级正职"),
                            ("102", "国家级副职"),
                            ("111", "省部级正职"),
                            ("112", "省部级副职"),
                            ("121", "厅局级正职"),
                            ("122", "厅局级副职"),
                            ("131", "县处级正职"),
                            ("132", "县处级副职"),
                            ("141", "乡科级正职"),
                            ("142", "乡科级副职"),
                            ("150", "科员级"),
                            ("160", "办事员级"),
                            ("199", "未定职"),
                        ],
                        default="199",
                        max_length=3,
                        verbose_name="职务级别",
                    ),
                ),
                (
                    "rank",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("inspector_1", "一级巡视员"),
                            ("inspector_2", "二级巡视员"),
                            ("researcher_1", "一级调研员"),
                            ("researcher_2", "二级调研员"),
                            ("researcher_3", "三级调研员"),
                            ("researcher_4", "四级调研员"),
                            ("principal_staff_1", "一级主任科员"),
                            ("principal_staff_2", "二级主任科员"),
                            ("principal_staff_3", "三级主任科员"),
                            ("principal_staff_4", "四级主任科员"),
                            ("staff_1", "一级科员"),
                            ("staff_2", "二级科员"),
                        ],
                        max_length=24,
                        verbose_name="职级",
                    ),
                ),
                (
                    "is_main_post",
                    models.BooleanField(
                        default=True, help_text="兼职人员不占本单位办公用房标准。", verbose_name="主职"
                    ),
                ),
                ("job_title", models.CharField(blank=True, max_length=100, verbose_name="职务名称")),
                (
                    "phone",
                    models.CharField(
                        blank=True,
                        max_length=24,
                        validators=[datahub.idnumbers.validate_phone],
                        verbose_name="联系电话",
                    ),
                ),
                (
                    "id_number",
                    models.CharField(
                        blank=True,
                        max_length=18,
                        validators=[datahub.idnumbers.validate_id_number],
                        verbose_name="身份证号",
                    ),
                ),
                (
                    "staffing_seats",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="在编在岗为1，编外或兼职为0。",
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="占编",
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
                        verbose_name="所在单位/部门",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 人员",
                "verbose_name_plural": "historical 人员",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalOrgUnitUserPermission",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
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
                    "permission",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="auth.permission",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "content_object",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="组织机构",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 角色授权",
                "verbose_name_plural": "historical 角色授权",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="OrgUnitGroupPermission",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "content_object",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="datahub.orgunit"),
                ),
                ("group", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="auth.group")),
                ("permission", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="auth.permission")),
            ],
            options={
                "verbose_name": "用户组授权",
                "verbose_name_plural": "用户组授权",
                "abstract": False,
                "unique_together": {("group", "permission", "content_object")},
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="OrgUnitUserPermission",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "content_object",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="datahub.orgunit", verbose_name="组织机构"
                    ),
                ),
                ("permission", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="auth.permission")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "角色授权",
                "verbose_name_plural": "角色授权",
                "abstract": False,
                "unique_together": {("user", "permission", "content_object")},
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="ExportJob",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=50, verbose_name="导出内容")),
                ("params", models.JSONField(default=dict, verbose_name="筛选条件")),
                ("filename", models.CharField(max_length=200, verbose_name="文件名")),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "排队中"), ("running", "生成中"), ("done", "已完成"), ("failed", "失败")],
                        default="pending",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("rows_total", models.PositiveIntegerField(default=0, verbose_name="总行数")),
                ("rows_done", models.PositiveIntegerField(default=0, verbose_name="已完成行数")),
                ("file", models.FileField(blank=True, upload_to="exports/", verbose_name="文件")),
                ("error", models.CharField(blank=True, max_length=500, verbose_name="错误")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="完成时间")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="export_jobs",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="导出人",
                    ),
                ),
                ("attempt", models.PositiveIntegerField(default=1, verbose_name="第几次执行")),
                ("heartbeat_at", models.DateTimeField(blank=True, null=True, verbose_name="最近心跳")),
                ("queued_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="排队时间")),
                ("run_token", models.CharField(blank=True, max_length=32, verbose_name="执行标记")),
                ("runs", models.PositiveSmallIntegerField(default=0, verbose_name="本次执行的启动次数")),
                ("client_agent", models.CharField(blank=True, max_length=500, verbose_name="浏览器标识")),
                ("client_ip", models.GenericIPAddressField(blank=True, null=True, verbose_name="请求 IP")),
                ("client_path", models.CharField(blank=True, max_length=500, verbose_name="请求地址")),
            ],
            options={
                "verbose_name": "导出任务",
                "verbose_name_plural": "导出任务",
                "ordering": ["-created_at"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="AuditEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="时间")),
                (
                    "kind",
                    models.CharField(
                        choices=[("read", "查看个人信息"), ("export", "导出个人信息"), ("sign_in_failed", "登录失败")],
                        max_length=16,
                        verbose_name="事件",
                    ),
                ),
                ("actor_username", models.CharField(blank=True, max_length=150, verbose_name="操作人用户名")),
                ("subject_name", models.CharField(blank=True, max_length=50, verbose_name="被查看人姓名")),
                (
                    "fields",
                    models.CharField(
                        blank=True, help_text="id_number、phone，逗号分隔", max_length=64, verbose_name="字段"
                    ),
                ),
                (
                    "surface",
                    models.CharField(
                        blank=True, help_text="page、api、export、admin、sign_in", max_length=16, verbose_name="途径"
                    ),
                ),
                ("path", models.CharField(blank=True, max_length=500, verbose_name="请求地址")),
                ("ip", models.GenericIPAddressField(blank=True, null=True, verbose_name="IP 地址")),
                ("user_agent", models.CharField(blank=True, max_length=500, verbose_name="浏览器标识")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
                (
                    "actor_unit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="操作人单位",
                    ),
                ),
                (
                    "subject",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="被查看人",
                    ),
                ),
                (
                    "subject_unit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="被查看人单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "审计日志",
                "verbose_name_plural": "审计日志",
                "ordering": ["-at", "-pk"],
                "indexes": [
                    models.Index(fields=["subject", "at"], name="audit_subject_at"),
                    models.Index(fields=["actor", "at"], name="audit_actor_at"),
                    models.Index(fields=["kind", "at"], name="audit_kind_at"),
                ],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("digest", models.CharField(editable=False, max_length=64, unique=True, verbose_name="令牌摘要")),
                ("prefix", models.CharField(editable=False, max_length=8, verbose_name="令牌前缀")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="签发时间"),
                ),
                ("expires_at", models.DateTimeField(db_index=True, verbose_name="到期时间")),
                ("last_used_at", models.DateTimeField(blank=True, editable=False, null=True, verbose_name="最近使用")),
                ("revoked_at", models.DateTimeField(blank=True, editable=False, null=True, verbose_name="吊销时间")),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="吊销人",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="用户",
                    ),
                ),
            ],
            options={
                "verbose_name": "API令牌",
                "verbose_name_plural": "API令牌",
                "ordering": ["-created_at"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="PasswordRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("password", models.CharField(editable=False, max_length=128, verbose_name="密码摘要")),
                (
                    "changed_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="设置时间"),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="password_records",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="用户",
                    ),
                ),
            ],
            options={
                "verbose_name": "历史密码",
                "verbose_name_plural": "历史密码",
                "ordering": ["-changed_at", "-pk"],
                "indexes": [models.Index(fields=["user", "-changed_at"], name="password_record_latest")],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="ImportJob",
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
                ("kind", models.CharField(max_length=50, verbose_name="导入内容")),
                ("params", models.JSONField(blank=True, default=dict, verbose_name="导入对象")),
                ("filename", models.CharField(max_length=200, verbose_name="上传的文件名")),
                ("file", models.FileField(blank=True, upload_to="imports/", verbose_name="上传的文件")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "排队中"),
                            ("validating", "校验中"),
                            ("writing", "写入中"),
                            ("done", "已完成"),
                            ("failed", "失败"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("rows_total", models.PositiveIntegerField(default=0, verbose_name="数据行数")),
                ("rows_checked", models.PositiveIntegerField(default=0, verbose_name="已校验行数")),
                ("rows_written", models.PositiveIntegerField(default=0, verbose_name="已写入行数")),
                ("row_errors", models.JSONField(blank=True, default=list, verbose_name="行错误")),
                ("error_count", models.PositiveIntegerField(default=0, verbose_name="错误条数")),
                ("result", models.JSONField(blank=True, default=dict, verbose_name="导入结果")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="import_jobs",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="导入人",
                    ),
                ),
            ],
            options={
                "verbose_name": "导入任务",
                "verbose_name_plural": "导入任务",
                "ordering": ["-created_at"],
                "indexes": [models.Index(fields=["user", "-created_at"], name="importjob_user_recent")],
                "constraints": [],
            },
        ),
        migrations.RunPython(deferred_sql_now, migrations.RunPython.noop),
        migrations.RunPython(create, drop),  # 0005_audit_append_only_on_postgresql
    ]
