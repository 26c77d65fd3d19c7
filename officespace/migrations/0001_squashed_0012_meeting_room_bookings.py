"""officespace 0001–0012 squashed: what a fresh database runs instead of the chain (kept beside it for
databases that ran it; delete the old files once every deployment has). The model state after the chain, one
CreateModel per model with its final fields in column order (a relation closing a cycle added after, as the
chain did); the state equals the chain's (tests/test_migrations_squashed.py).

The data steps run last, on the final tables, copied from 0004_seed_standards, 0012_meeting_room_bookings.
Left out (elidable: they convert rows a fresh database cannot have): 0010_side_post_from_the_directory.
"""

from decimal import Decimal

import django.contrib.postgres.operations
import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import datahub.idnumbers
import portal.models
from officespace.rules import RANK_MAPPING, STANDARD_VERSION, STANDARDS


# From 0004_seed_standards.
def seed(apps, schema_editor):
    StandardVersion = apps.get_model("officespace", "StandardVersion")
    AreaStandard = apps.get_model("officespace", "AreaStandard")
    RankMapping = apps.get_model("officespace", "RankMapping")
    version, _ = StandardVersion.objects.get_or_create(
        code=STANDARD_VERSION["code"],
        defaults={"title": STANDARD_VERSION["title"], "effective_from": STANDARD_VERSION["effective_from"]},
    )
    for admin_class, rows in STANDARDS.items():
        for grade, (label, area) in rows.items():
            AreaStandard.objects.get_or_create(
                version=version, admin_class=str(admin_class), grade=grade, defaults={"label": label, "area": area}
            )
    for (source, code), grade in RANK_MAPPING.items():
        RankMapping.objects.get_or_create(source=source, code=code, defaults={"grade": grade})


# From 0012_meeting_room_bookings.
NO_OVERLAP = (
    "ALTER TABLE officespace_roombooking ADD CONSTRAINT booking_room_no_overlap EXCLUDE USING gist "
    "(room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (status <> 'cancelled')"
)


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NO_OVERLAP)


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE officespace_roombooking DROP CONSTRAINT IF EXISTS booking_room_no_overlap")


def deferred_sql_now(apps, schema_editor):
    """The indexes and foreign keys Django defers to a migration's end are made before the data steps below, as
    the chain made them (its tables came from earlier migrations): a step that rebuilds a table (the partitions)
    must not get the old table's deferred indexes added to its new one afterwards."""
    for statement in schema_editor.deferred_sql:
        schema_editor.execute(statement)
    schema_editor.deferred_sql.clear()


class Migration(migrations.Migration):
    replaces = [
        ("officespace", "0001_initial"),
        ("officespace", "0002_initial"),
        ("officespace", "0003_ledger_standards_checks"),
        ("officespace", "0004_seed_standards"),
        ("officespace", "0005_unit_rollup_excess_index"),
        ("officespace", "0006_building_title_holder"),
        ("officespace", "0007_attachment_content_check"),
        ("officespace", "0008_assessment_basis"),
        ("officespace", "0009_building_structure_simple"),
        ("officespace", "0010_side_post_from_the_directory"),
        ("officespace", "0011_attachment_refusal_in_chinese"),
        ("officespace", "0012_meeting_room_bookings"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("datahub", "0013_side_posts"),
        ("portal", "0006_close_on_approval_action"),
    ]

    operations = [
        django.contrib.postgres.operations.BtreeGistExtension(),
        migrations.CreateModel(
            name="Building",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=32, unique=True, verbose_name="楼宇编码")),
                ("name", models.CharField(max_length=100, verbose_name="楼宇名称")),
                ("address", models.CharField(max_length=200, verbose_name="地址")),
                (
                    "title_status",
                    models.CharField(
                        choices=[("registered", "登记至机关事务管理部门"), ("filed", "权属备案")],
                        default="registered",
                        max_length=16,
                        verbose_name="权属",
                    ),
                ),
                ("title_reason", models.CharField(blank=True, max_length=300, verbose_name="权属备案原因")),
                ("certificate_no", models.CharField(blank=True, max_length=60, verbose_name="不动产权证号")),
                ("year_built", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="建成年份")),
                (
                    "structure",
                    models.CharField(
                        choices=[
                            ("frame", "钢筋混凝土"),
                            ("masonry", "砖混"),
                            ("steel", "钢结构"),
                            ("simple", "简易结构"),
                            ("other", "其他"),
                        ],
                        default="frame",
                        max_length=16,
                        verbose_name="结构",
                    ),
                ),
                (
                    "building_area",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01"), message="面积必须大于0。")
                        ],
                        verbose_name="总建筑面积（m²）",
                    ),
                ),
                (
                    "use_area",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01"), message="面积必须大于0。")
                        ],
                        verbose_name="总使用面积（m²）",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="在用")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="使用单位",
                    ),
                ),
                (
                    "title_holder",
                    models.CharField(
                        blank=True,
                        help_text="不动产登记的权利人，原则上为机关事务管理部门（所有权与使用权分离）。",
                        max_length=100,
                        verbose_name="权利人",
                    ),
                ),
            ],
            options={
                "verbose_name": "楼宇",
                "verbose_name_plural": "楼宇",
                "ordering": ["code"],
                "indexes": [],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("building_area__gt", 0), ("use_area__gt", 0)),
                        name="building_areas_positive",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("use_area__lte", models.F("building_area"))),
                        name="building_use_within_total",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Floor",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.SmallIntegerField(help_text="地下层用负数，如 -1。", verbose_name="楼层")),
                (
                    "use_area",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=12,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01"), message="面积必须大于0。")
                        ],
                        verbose_name="本层使用面积（m²）",
                    ),
                ),
                (
                    "building",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="floors",
                        to="officespace.building",
                        verbose_name="楼宇",
                    ),
                ),
            ],
            options={
                "verbose_name": "楼层",
                "verbose_name_plural": "楼层",
                "ordering": ["building", "number"],
                "indexes": [],
                "constraints": [
                    models.UniqueConstraint(fields=("building", "number"), name="floor_unique_number"),
                    models.CheckConstraint(
                        condition=models.Q(("use_area__isnull", True), ("use_area__gt", 0), _connector="OR"),
                        name="floor_area_positive",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Room",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.CharField(max_length=20, verbose_name="房间号")),
                (
                    "use_area",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01"), message="面积必须大于0。")
                        ],
                        verbose_name="使用面积（m²）",
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("office", "办公室"),
                            ("service", "服务用房"),
                            ("equipment", "设备用房"),
                            ("ancillary", "附属用房"),
                        ],
                        default="office",
                        max_length=16,
                        verbose_name="用房类型",
                    ),
                ),
                (
                    "subtype",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "—"),
                            ("meeting", "会议室"),
                            ("reception", "接待室"),
                            ("archive", "档案室"),
                            ("printing", "文印室"),
                            ("duty", "值班室"),
                            ("storage", "库房"),
                            ("server", "机房"),
                            ("dining", "食堂"),
                            ("toilet", "卫生间"),
                            ("garage", "车库"),
                        ],
                        max_length=16,
                        verbose_name="细分用途",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="在用")),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="备注")),
                (
                    "building",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rooms",
                        to="officespace.building",
                        verbose_name="楼宇",
                    ),
                ),
                (
                    "floor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rooms",
                        to="officespace.floor",
                        verbose_name="楼层",
                    ),
                ),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="分配单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "房间",
                "verbose_name_plural": "房间",
                "ordering": ["building", "floor__number", "number"],
                "indexes": [models.Index(fields=["category", "is_active"], name="officespace_categor_97d7aa_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("floor", "number"), name="room_unique_number_on_floor"),
                    models.CheckConstraint(condition=models.Q(("use_area__gt", 0)), name="room_area_positive"),
                ],
            },
        ),
        migrations.CreateModel(
            name="RepairRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("location", models.CharField(help_text="如：1号楼 502室", max_length=200, verbose_name="报修地点")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("plumbing_electric", "水电"),
                            ("doors_windows", "门窗"),
                            ("air_conditioning", "空调"),
                            ("network", "网络/电话"),
                            ("furniture", "家具"),
                            ("other", "其他"),
                        ],
                        max_length=20,
                        verbose_name="报修类别",
                    ),
                ),
                ("description", models.TextField(max_length=1000, verbose_name="故障描述")),
                ("urgent", models.BooleanField(default=False, verbose_name="紧急")),
                (
                    "estimated_cost",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="预估费用（元）",
                    ),
                ),
                (
                    "contact_phone",
                    models.CharField(
                        max_length=24, validators=[datahub.idnumbers.validate_phone], verbose_name="联系电话"
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
                (
                    "is_major",
                    models.BooleanField(
                        default=False,
                        help_text="结构、设施的大中修须经机关事务管理局审批后方可实施。",
                        verbose_name="大中修",
                    ),
                ),
                (
                    "room",
                    models.ForeignKey(
                        blank=True,
                        help_text="房间页面上的房间编号（可不填）。",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="officespace.room",
                        verbose_name="房间",
                    ),
                ),
            ],
            options={
                "verbose_name": "维修报修",
                "verbose_name_plural": "维修报修",
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="RepairRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("location", models.CharField(max_length=200, verbose_name="维修地点")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("plumbing_electric", "水电"),
                            ("doors_windows", "门窗"),
                            ("air_conditioning", "空调"),
                            ("network", "网络/电话"),
                            ("furniture", "家具"),
                            ("other", "其他"),
                        ],
                        max_length=20,
                        verbose_name="类别",
                    ),
                ),
                (
                    "cost",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="维修费用（元）",
                    ),
                ),
                ("parts", models.CharField(blank=True, max_length=500, verbose_name="更换配件")),
                ("result", models.CharField(max_length=1000, verbose_name="处理结果")),
                ("completed_at", models.DateTimeField(auto_now_add=True, verbose_name="完成时间")),
                (
                    "handled_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="维修人",
                    ),
                ),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="报修单位",
                    ),
                ),
                (
                    "ticket",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.ticket",
                        verbose_name="报修申请",
                    ),
                ),
                ("is_major", models.BooleanField(default=False, verbose_name="大中修")),
                (
                    "room",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="repairs",
                        to="officespace.room",
                        verbose_name="房间",
                    ),
                ),
            ],
            options={
                "verbose_name": "维修台账",
                "verbose_name_plural": "维修台账",
                "ordering": ["-completed_at"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="StandardVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=20, unique=True, verbose_name="版本")),
                ("title", models.CharField(max_length=200, verbose_name="依据文件")),
                ("effective_from", models.DateField(unique=True, verbose_name="施行日期")),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="说明")),
            ],
            options={
                "verbose_name": "办公用房标准版本",
                "verbose_name_plural": "办公用房标准版本",
                "ordering": ["-effective_from"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="AdjustmentRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "purpose",
                    models.CharField(
                        choices=[
                            ("more", "增配用房"),
                            ("change", "调整/置换用房"),
                            ("second_office", "兼职岗位第二办公室"),
                            ("lease_out", "出租/出借办公用房"),
                        ],
                        max_length=20,
                        verbose_name="申请事项",
                    ),
                ),
                (
                    "requested_area",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01"), message="面积必须大于0。")
                        ],
                        verbose_name="申请面积（m²）",
                    ),
                ),
                ("headcount", models.PositiveIntegerField(default=1, verbose_name="涉及人数")),
                ("reason", models.TextField(max_length=1000, verbose_name="申请理由")),
                (
                    "lease_exception",
                    models.CharField(
                        blank=True,
                        help_text="党政机关原则上不得出租出借，须有已批准的例外。",
                        max_length=100,
                        verbose_name="出租出借例外批准文号",
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
                (
                    "side_post",
                    models.ForeignKey(
                        blank=True,
                        help_text="申请第二办公室时，从人员名录中登记的本人在任兼职岗位中选择。",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.sidepost",
                        verbose_name="兼职岗位",
                    ),
                ),
            ],
            options={
                "verbose_name": "用房调整申请",
                "verbose_name_plural": "用房调整申请",
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="HistoricalBuilding",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("code", models.CharField(db_index=True, max_length=32, verbose_name="楼宇编码")),
                ("name", models.CharField(max_length=100, verbose_name="楼宇名称")),
                ("address", models.CharField(max_length=200, verbose_name="地址")),
                (
                    "title_status",
                    models.CharField(
                        choices=[("registered", "登记至机关事务管理部门"), ("filed", "权属备案")],
                        default="registered",
                        max_length=16,
                        verbose_name="权属",
                    ),
                ),
                ("title_reason", models.CharField(blank=True, max_length=300, verbose_name="权属备案原因")),
                ("certificate_no", models.CharField(blank=True, max_length=60, verbose_name="不动产权证号")),
                ("year_built", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="建成年份")),
                (
                    "structure",
                    models.CharField(
                        choices=[
                            ("frame", "钢筋混凝土"),
                            ("masonry", "砖混"),
                            ("steel", "钢结构"),
                            ("simple", "简易结构"),
                            ("other", "其他"),
                        ],
                        default="frame",
                        max_length=16,
                        verbose_name="结构",
                    ),
                ),
                (
                    "building_area",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01"), message="面积必须大于0。")
                        ],
                        verbose_name="总建筑面积（m²）",
                    ),
                ),
                (
                    "use_area",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01"), message="面积必须大于0。")
                        ],
                        verbose_name="总使用面积（m²）",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="在用")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="创建时间")),
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
                        verbose_name="使用单位",
                    ),
                ),
                (
                    "title_holder",
                    models.CharField(
                        blank=True,
                        help_text="不动产登记的权利人，原则上为机关事务管理部门（所有权与使用权分离）。",
                        max_length=100,
                        verbose_name="权利人",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 楼宇",
                "verbose_name_plural": "historical 楼宇",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalRankMapping",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "source",
                    models.CharField(
                        choices=[("post_level", "职务级别"), ("rank", "职级")], max_length=16, verbose_name="依据"
                    ),
                ),
                ("code", models.CharField(max_length=24, verbose_name="职务级别/职级代码")),
                (
                    "grade",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("111", "省部级正职"),
                            ("112", "省部级副职"),
                            ("121", "厅局级正职"),
                            ("122", "厅局级副职"),
                            ("131", "县处级正职"),
                            ("132", "县处级副职"),
                            ("141", "乡科级正职"),
                            ("142", "乡科级副职"),
                            ("150", "科员及以下"),
                        ],
                        help_text="留空表示该项不参照任何标准层次。",
                        max_length=3,
                        verbose_name="对应标准层次",
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
            ],
            options={
                "verbose_name": "historical 职级与面积标准对应",
                "verbose_name_plural": "historical 职级与面积标准对应",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalRoom",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("number", models.CharField(max_length=20, verbose_name="房间号")),
                (
                    "use_area",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01"), message="面积必须大于0。")
                        ],
                        verbose_name="使用面积（m²）",
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("office", "办公室"),
                            ("service", "服务用房"),
                            ("equipment", "设备用房"),
                            ("ancillary", "附属用房"),
                        ],
                        default="office",
                        max_length=16,
                        verbose_name="用房类型",
                    ),
                ),
                (
                    "subtype",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "—"),
                            ("meeting", "会议室"),
                            ("reception", "接待室"),
                            ("archive", "档案室"),
                            ("printing", "文印室"),
                            ("duty", "值班室"),
                            ("storage", "库房"),
                            ("server", "机房"),
                            ("dining", "食堂"),
                            ("toilet", "卫生间"),
                            ("garage", "车库"),
                        ],
                        max_length=16,
                        verbose_name="细分用途",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="在用")),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="备注")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "building",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="officespace.building",
                        verbose_name="楼宇",
                    ),
                ),
                (
                    "floor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="officespace.floor",
                        verbose_name="楼层",
                    ),
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
                        verbose_name="分配单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 房间",
                "verbose_name_plural": "historical 房间",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="RankMapping",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "source",
                    models.CharField(
                        choices=[("post_level", "职务级别"), ("rank", "职级")], max_length=16, verbose_name="依据"
                    ),
                ),
                ("code", models.CharField(max_length=24, verbose_name="职务级别/职级代码")),
                (
                    "grade",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("111", "省部级正职"),
                            ("112", "省部级副职"),
                            ("121", "厅局级正职"),
                            ("122", "厅局级副职"),
                            ("131", "县处级正职"),
                            ("132", "县处级副职"),
                            ("141", "乡科级正职"),
                            ("142", "乡科级副职"),
                            ("150", "科员及以下"),
                        ],
                        help_text="留空表示该项不参照任何标准层次。",
                        max_length=3,
                        verbose_name="对应标准层次",
                    ),
                ),
            ],
            options={
                "verbose_name": "职级与面积标准对应",
                "verbose_name_plural": "职级与面积标准对应",
                "ordering": ["source", "code"],
                "constraints": [models.UniqueConstraint(fields=("source", "code"), name="rankmapping_unique_code")],
                "indexes": [],
            },
        ),
        migrations.CreateModel(
            name="Occupancy",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "is_main",
                    models.BooleanField(
                        default=True, help_text="不勾选表示兼职岗位的第二办公室。", verbose_name="主办公室"
                    ),
                ),
                ("start_date", models.DateField(verbose_name="起始日期")),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="结束日期")),
                (
                    "post_ended_on",
                    models.DateField(
                        blank=True,
                        help_text="调动、退休或兼职结束之日，用于腾退期限。",
                        null=True,
                        verbose_name="离岗/兼职结束日期",
                    ),
                ),
                (
                    "post_end_reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("transfer", "调动"),
                            ("retire", "退休"),
                            ("side_post_ended", "兼职结束"),
                            ("other", "其他"),
                        ],
                        max_length=20,
                        verbose_name="离岗原因",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="备注")),
                (
                    "approval_ticket",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.ticket",
                        verbose_name="批准的申请",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="office_occupancies",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="使用人",
                    ),
                ),
                (
                    "room",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="occupancies",
                        to="officespace.room",
                        verbose_name="房间",
                    ),
                ),
            ],
            options={
                "verbose_name": "办公室使用",
                "verbose_name_plural": "办公室使用",
                "ordering": ["-start_date", "-pk"],
                "indexes": [
                    models.Index(fields=["room", "end_date"], name="officespace_room_id_fb16f4_idx"),
                    models.Index(fields=["person", "end_date"], name="officespace_person__8bcb7d_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("end_date__isnull", True), ("is_main", True)),
                        fields=("person",),
                        name="occupancy_one_current_main_office",
                        violation_error_message="此人已有在用的主办公室。",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("end_date__isnull", True)),
                        fields=("person", "room"),
                        name="occupancy_once_per_room",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("end_date__isnull", True), ("end_date__gte", models.F("start_date")), _connector="OR"
                        ),
                        name="occupancy_ends_after_start",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Assessment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "admin_class",
                    models.CharField(
                        choices=[
                            ("central", "中央机关"),
                            ("provincial", "省级机关"),
                            ("municipal", "市级机关"),
                            ("county", "县级机关"),
                            ("township", "乡级机关"),
                        ],
                        max_length=16,
                        verbose_name="机构级次",
                    ),
                ),
                (
                    "grade",
                    models.CharField(
                        choices=[
                            ("111", "省部级正职"),
                            ("112", "省部级副职"),
                            ("121", "厅局级正职"),
                            ("122", "厅局级副职"),
                            ("131", "县处级正职"),
                            ("132", "县处级副职"),
                            ("141", "乡科级正职"),
                            ("142", "乡科级副职"),
                            ("150", "科员及以下"),
                        ],
                        max_length=3,
                        verbose_name="标准层次",
                    ),
                ),
                ("is_leader", models.BooleanField(default=False, verbose_name="领导职务")),
                ("is_main", models.BooleanField(default=True, verbose_name="主办公室")),
                ("is_current", models.BooleanField(default=True, verbose_name="在用")),
                ("occupants", models.PositiveSmallIntegerField(default=1, verbose_name="同室人数")),
                ("standard", models.DecimalField(decimal_places=2, max_digits=10, verbose_name="标准面积（m²）")),
                ("share", models.DecimalField(decimal_places=2, max_digits=10, verbose_name="实际分摊面积（m²）")),
                (
                    "excess",
                    models.DecimalField(decimal_places=2, default=0, max_digits=10, verbose_name="超标面积（m²）"),
                ),
                ("is_over", models.BooleanField(default=False, verbose_name="超标")),
                (
                    "flag",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "—"),
                            ("second_unapproved", "第二办公室未经批准"),
                            ("second_too_large", "第二办公室不小于标准"),
                            ("second_return_due", "兼职结束应腾退"),
                            ("leaver_return_due", "调离/退休应腾退"),
                        ],
                        max_length=24,
                        verbose_name="提示",
                    ),
                ),
                ("return_due", models.DateField(blank=True, null=True, verbose_name="应腾退日期")),
                ("checked_at", models.DateTimeField(verbose_name="核查时间")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "未整改"),
                            ("in_progress", "整改中"),
                            ("fixed", "已整改"),
                            ("filed", "已备案"),
                        ],
                        default="open",
                        max_length=16,
                        verbose_name="整改状态",
                    ),
                ),
                (
                    "remedy",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "—"),
                            ("adjust", "调整"),
                            ("merge", "合并"),
                            ("partition", "分隔"),
                            ("return", "腾退"),
                        ],
                        max_length=16,
                        verbose_name="整改方式",
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=500, verbose_name="整改说明/备案理由")),
                (
                    "attachment",
                    models.FileField(
                        blank=True,
                        upload_to="officespace/filings/%Y/",
                        validators=[
                            django.core.validators.FileExtensionValidator(
                                ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "txt"],
                                message="不能上传“.%(extension)s”格式的文件；可以上传的格式：%(allowed_extensions)s。",
                            ),
                            portal.models.validate_attachment_size,
                            portal.models.validate_attachment_content,
                        ],
                        verbose_name="备案附件",
                    ),
                ),
                ("handled_at", models.DateTimeField(blank=True, null=True, verbose_name="处理时间")),
                (
                    "handled_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="人员单位",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="人员",
                    ),
                ),
                (
                    "occupancy",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assessment",
                        to="officespace.occupancy",
                        verbose_name="办公室使用",
                    ),
                ),
                (
                    "room",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="officespace.room",
                        verbose_name="房间",
                    ),
                ),
                (
                    "basis",
                    models.CharField(
                        choices=[("post_level", "职务级别"), ("rank", "职级")],
                        default="post_level",
                        max_length=16,
                        verbose_name="认定依据",
                    ),
                ),
            ],
            options={
                "verbose_name": "超标准核查结果",
                "verbose_name_plural": "超标准核查结果",
                "ordering": ["-excess", "pk"],
                "indexes": [
                    models.Index(fields=["org_unit", "is_current"], name="officespace_org_uni_cb8c67_idx"),
                    models.Index(fields=["is_current", "is_over", "status"], name="officespace_is_curr_e67ab6_idx"),
                    models.Index(fields=["is_current", "flag"], name="officespace_is_curr_e75cce_idx"),
                    models.Index(
                        condition=models.Q(("is_current", True)),
                        fields=["-excess", "id"],
                        name="assessment_current_by_excess",
                    ),
                ],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="AdjustmentRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "purpose",
                    models.CharField(
                        choices=[
                            ("more", "增配用房"),
                            ("change", "调整/置换用房"),
                            ("second_office", "兼职岗位第二办公室"),
                            ("lease_out", "出租/出借办公用房"),
                        ],
                        max_length=20,
                        verbose_name="申请事项",
                    ),
                ),
                (
                    "supply",
                    models.CharField(
                        choices=[("reallocate", "调剂"), ("exchange", "置换"), ("lease", "租用"), ("build", "建设")],
                        max_length=16,
                        verbose_name="解决方式",
                    ),
                ),
                (
                    "area",
                    models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name="解决面积（m²）"),
                ),
                ("result", models.CharField(max_length=1000, verbose_name="办理结果")),
                ("completed_at", models.DateTimeField(auto_now_add=True, verbose_name="完成时间")),
                (
                    "handled_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="申请单位",
                    ),
                ),
                (
                    "ticket",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.ticket",
                        verbose_name="申请",
                    ),
                ),
                (
                    "room",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="officespace.room",
                        verbose_name="房间",
                    ),
                ),
            ],
            options={
                "verbose_name": "用房调整台账",
                "verbose_name_plural": "用房调整台账",
                "ordering": ["-completed_at"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAreaStandard",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "admin_class",
                    models.CharField(
                        choices=[
                            ("central", "中央机关"),
                            ("provincial", "省级机关"),
                            ("municipal", "市级机关"),
                            ("county", "县级机关"),
                            ("township", "乡级机关"),
                        ],
                        max_length=16,
                        verbose_name="机构级次",
                    ),
                ),
                (
                    "grade",
                    models.CharField(
                        choices=[
                            ("111", "省部级正职"),
                            ("112", "省部级副职"),
                            ("121", "厅局级正职"),
                            ("122", "厅局级副职"),
                            ("131", "县处级正职"),
                            ("132", "县处级副职"),
                            ("141", "乡科级正职"),
                            ("142", "乡科级副职"),
                            ("150", "科员及以下"),
                        ],
                        max_length=3,
                        verbose_name="职务层次",
                    ),
                ),
                ("label", models.CharField(max_length=50, verbose_name="标准中的名称")),
                (
                    "area",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01"), message="面积必须大于0。")
                        ],
                        verbose_name="使用面积标准（m²/人）",
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
                    "version",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="officespace.standardversion",
                        verbose_name="版本",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 办公室面积标准",
                "verbose_name_plural": "historical 办公室面积标准",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="AreaStandard",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "admin_class",
                    models.CharField(
                        choices=[
                            ("central", "中央机关"),
                            ("provincial", "省级机关"),
                            ("municipal", "市级机关"),
                            ("county", "县级机关"),
                            ("township", "乡级机关"),
                        ],
                        max_length=16,
                        verbose_name="机构级次",
                    ),
                ),
                (
                    "grade",
                    models.CharField(
                        choices=[
                            ("111", "省部级正职"),
                            ("112", "省部级副职"),
                            ("121", "厅局级正职"),
                            ("122", "厅局级副职"),
                            ("131", "县处级正职"),
                            ("132", "县处级副职"),
                            ("141", "乡科级正职"),
                            ("142", "乡科级副职"),
                            ("150", "科员及以下"),
                        ],
                        max_length=3,
                        verbose_name="职务层次",
                    ),
                ),
                ("label", models.CharField(max_length=50, verbose_name="标准中的名称")),
                (
                    "area",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01"), message="面积必须大于0。")
                        ],
                        verbose_name="使用面积标准（m²/人）",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rows",
                        to="officespace.standardversion",
                        verbose_name="版本",
                    ),
                ),
            ],
            options={
                "verbose_name": "办公室面积标准",
                "verbose_name_plural": "办公室面积标准",
                "ordering": ["version", "admin_class", "grade"],
                "indexes": [],
                "constraints": [
                    models.UniqueConstraint(fields=("version", "admin_class", "grade"), name="areastandard_unique_row"),
                    models.CheckConstraint(condition=models.Q(("area__gt", 0)), name="areastandard_area_positive"),
                ],
            },
        ),
        migrations.CreateModel(
            name="UnitClass",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "admin_class",
                    models.CharField(
                        choices=[
                            ("central", "中央机关"),
                            ("provincial", "省级机关"),
                            ("municipal", "市级机关"),
                            ("county", "县级机关"),
                            ("township", "乡级机关"),
                        ],
                        max_length=16,
                        verbose_name="机构级次",
                    ),
                ),
                (
                    "org_unit",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="机构",
                    ),
                ),
            ],
            options={
                "verbose_name": "机构级次（办公用房标准）",
                "verbose_name_plural": "机构级次（办公用房标准）",
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="UnitRollup",
            fields=[
                (
                    "org_unit",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="datahub.orgunit",
                        verbose_name="单位",
                    ),
                ),
                ("people", models.PositiveIntegerField(default=0, verbose_name="人数")),
                (
                    "approved_area",
                    models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name="核定面积"),
                ),
                (
                    "actual_area",
                    models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name="实际面积"),
                ),
                (
                    "excess_area",
                    models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name="超标面积"),
                ),
                ("over_people", models.PositiveIntegerField(default=0, verbose_name="超标人数")),
                ("leader_people", models.PositiveIntegerField(default=0, verbose_name="领导人数")),
                ("leader_over", models.PositiveIntegerField(default=0, verbose_name="领导超标人数")),
                (
                    "leader_approved",
                    models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name="领导核定面积"),
                ),
                (
                    "leader_actual",
                    models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name="领导实际面积"),
                ),
                (
                    "leader_excess",
                    models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name="领导超标面积"),
                ),
                ("staff_over", models.PositiveIntegerField(default=0, verbose_name="工作人员超标人数")),
                (
                    "staff_approved",
                    models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name="工作人员核定面积"),
                ),
                (
                    "staff_actual",
                    models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name="工作人员实际面积"),
                ),
                (
                    "staff_excess",
                    models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name="工作人员超标面积"),
                ),
                ("flagged", models.PositiveIntegerField(default=0, verbose_name="应腾退等提示")),
                ("refreshed_at", models.DateTimeField(verbose_name="汇总时间")),
            ],
            options={
                "verbose_name": "超标准占用单位汇总",
                "verbose_name_plural": "超标准占用单位汇总",
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="MeetingRoomRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("starts_at", models.DateTimeField(verbose_name="会议开始")),
                ("ends_at", models.DateTimeField(verbose_name="会议结束")),
                ("topic", models.CharField(max_length=200, verbose_name="会议名称")),
                (
                    "attendees",
                    models.PositiveSmallIntegerField(
                        default=1,
                        validators=[
                            django.core.validators.MinValueValidator(1, message="参会人数至少为1。"),
                            django.core.validators.MaxValueValidator(1000, message="参会人数不能超过1000。"),
                        ],
                        verbose_name="参会人数",
                    ),
                ),
                (
                    "room",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="officespace.room",
                        verbose_name="会议室",
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
                "verbose_name": "会议室预订",
                "verbose_name_plural": "会议室预订",
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="RoomBooking",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("topic", models.CharField(max_length=200, verbose_name="会议名称")),
                ("starts_at", models.DateTimeField(verbose_name="开始")),
                ("ends_at", models.DateTimeField(verbose_name="结束")),
                (
                    "status",
                    models.CharField(
                        choices=[("held", "待确认"), ("confirmed", "已确认"), ("cancelled", "已取消")],
                        default="held",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="预订时间")),
                ("cancelled_at", models.DateTimeField(blank=True, null=True, verbose_name="取消时间")),
                ("cancel_reason", models.CharField(blank=True, max_length=200, verbose_name="取消原因")),
                (
                    "booked_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="预订人",
                    ),
                ),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="预订单位",
                    ),
                ),
                (
                    "room",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bookings",
                        to="officespace.room",
                        verbose_name="会议室",
                    ),
                ),
                (
                    "ticket",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.ticket",
                        verbose_name="预订申请",
                    ),
                ),
            ],
            options={
                "verbose_name": "会议室预订台账",
                "verbose_name_plural": "会议室预订台账",
                "ordering": ["starts_at", "pk"],
                "indexes": [
                    models.Index(fields=["room", "starts_at"], name="officespace_room_id_c438c6_idx"),
                    models.Index(
                        condition=models.Q(("status", "cancelled"), _negated=True),
                        fields=["starts_at"],
                        name="booking_live_starts",
                    ),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("ends_at__gt", models.F("starts_at"))), name="booking_ends_after"
                    ),
                ],
            },
        ),
        migrations.RunPython(deferred_sql_now, migrations.RunPython.noop),
        migrations.RunPython(seed, migrations.RunPython.noop),  # 0004_seed_standards
        migrations.RunPython(add_constraint, drop_constraint),  # 0012_meeting_room_bookings
        # After the exclusion constraint, as in the chain (0012's deferred SQL made this index after its data step):
        # a booking that breaks both is refused by the overlap first, on a fresh database as on a migrated one.
        migrations.AddConstraint(
            model_name="roombooking",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "cancelled"), _negated=True),
                fields=("ticket",),
                name="booking_one_live_per_ticket",
            ),
        ),
    ]
