"""vehicles 0001–0010 squashed: what a fresh database runs instead of the chain (kept beside it for
databases that ran it; delete the old files once every deployment has). The model state after the chain, one
CreateModel per model with its final fields in column order (a relation closing a cycle added after, as the
chain did); the state equals the chain's (tests/test_migrations_squashed.py).

The data steps run last, on the final tables, copied from 0002_no_overlap_and_caps,
0005_vehicle_use_and_versioned_renewal_share.
Left out (elidable: they convert rows a fresh database cannot have): 0006_vehicle_is_an_asset_card,
0007_trip_riders_link_the_directory.
"""

from decimal import Decimal

import django.contrib.postgres.operations
import django.core.validators
import django.db.models.deletion
import django.db.models.functions.comparison
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import portal.models
import vehicles.models

# From 0002_no_overlap_and_caps.
CONSTRAINTS = [
    (
        "dispatch_vehicle_no_overlap",
        "vehicle_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&",
        "status <> 'cancelled'",
    ),
    (
        "dispatch_driver_no_overlap",
        "driver_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&",
        "status <> 'cancelled' AND driver_id IS NOT NULL",
    ),
]


def add_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expr, where in CONSTRAINTS:
        schema_editor.execute(
            f"ALTER TABLE vehicles_dispatch ADD CONSTRAINT {name} EXCLUDE USING gist ({expr}) WHERE ({where})"
        )


def drop_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE vehicles_dispatch DROP CONSTRAINT IF EXISTS {name}")


def seed_caps(apps, schema_editor):
    from vehicles.rules import PURCHASE_CAPS

    Version = apps.get_model("vehicles", "PurchaseCapVersion")
    Cap = apps.get_model("vehicles", "PurchaseCap")
    version, created = Version.objects.get_or_create(
        code=PURCHASE_CAPS["code"],
        defaults={"title": PURCHASE_CAPS["title"], "effective_from": PURCHASE_CAPS["effective_from"]},
    )
    if created:
        Cap.objects.bulk_create(
            Cap(version=version, category=c, nev_only=nev, max_price=p, max_displacement=d, label=label)
            for c, nev, p, d, label in PURCHASE_CAPS["rows"]
        )


# From 0005_vehicle_use_and_versioned_renewal_share.
def nev_sedan_cap_everywhere(apps, schema_editor):
    """The new-energy sedan cap (≤18万元) applies to every category, 机要通信 and 特种 included: add the
    rows an existing install lacks (a fresh install got them from rules.PURCHASE_CAPS in 0002)."""
    from vehicles.rules import PURCHASE_CAPS  # the seed as it is now: the rows to make sure of

    Version = apps.get_model("vehicles", "PurchaseCapVersion")
    Cap = apps.get_model("vehicles", "PurchaseCap")
    version = Version.objects.filter(code=PURCHASE_CAPS["code"]).first()
    if version is None:
        return
    for category, nev, price, displacement, label in PURCHASE_CAPS["rows"]:
        if nev and not Cap.objects.filter(version=version, category=category, nev_only=True).exists():
            Cap.objects.create(
                version=version,
                category=category,
                nev_only=True,
                max_price=price,
                max_displacement=displacement,
                label=label,
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
        ("vehicles", "0001_initial"),
        ("vehicles", "0002_no_overlap_and_caps"),
        ("vehicles", "0003_dispatch_live_starts"),
        ("vehicles", "0004_attachment_content_check"),
        ("vehicles", "0005_vehicle_use_and_versioned_renewal_share"),
        ("vehicles", "0006_vehicle_is_an_asset_card"),
        ("vehicles", "0007_trip_riders_link_the_directory"),
        ("vehicles", "0008_trip_reviewer_label"),
        ("vehicles", "0009_attachment_refusal_in_chinese"),
        ("vehicles", "0010_dispatch_live_vehicle_until"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("assets", "0007_card_building_and_early_disposal"),
        ("datahub", "0013_side_posts"),
        ("portal", "0007_attachment_refusal_in_chinese"),
    ]

    operations = [
        django.contrib.postgres.operations.BtreeGistExtension(),
        migrations.CreateModel(
            name="PurchaseCapVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=20, unique=True, verbose_name="版本")),
                ("title", models.CharField(max_length=200, verbose_name="依据文件")),
                ("effective_from", models.DateField(unique=True, verbose_name="施行日期")),
                (
                    "new_energy_share_min",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0.30"),
                        help_text="如0.30表示30%。",
                        max_digits=3,
                        verbose_name="新能源最低占比",
                    ),
                ),
                (
                    "renewal_mileage_km",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="国家规定无里程标准；地方另有规定时填写。",
                        null=True,
                        verbose_name="可更新里程（公里）",
                    ),
                ),
                (
                    "renewal_years",
                    models.PositiveSmallIntegerField(
                        default=8,
                        help_text="使用年限超过该年数的车辆可以更新（第二十二条）。",
                        verbose_name="可更新使用年限（年）",
                    ),
                ),
            ],
            options={
                "verbose_name": "购置标准版本",
                "verbose_name_plural": "购置标准版本",
                "ordering": ["-effective_from"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="Driver",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "licence_class",
                    models.CharField(
                        choices=[
                            ("A1", "A1 大型客车"),
                            ("A2", "A2 牵引车"),
                            ("A3", "A3 城市公交车"),
                            ("B1", "B1 中型客车"),
                            ("B2", "B2 大型货车"),
                            ("C1", "C1 小型汽车"),
                            ("C2", "C2 小型自动挡汽车"),
                        ],
                        max_length=2,
                        verbose_name="准驾车型",
                    ),
                ),
                ("licence_expires", models.DateField(verbose_name="驾驶证有效期至")),
                (
                    "status",
                    models.CharField(
                        choices=[("on_duty", "在岗"), ("leave", "休假"), ("off", "离岗")],
                        default="on_duty",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="所属单位",
                    ),
                ),
                (
                    "person",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="driver",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="人员",
                    ),
                ),
            ],
            options={
                "verbose_name": "驾驶员",
                "verbose_name_plural": "驾驶员",
                "ordering": ["org_unit__path", "person__name"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="Vehicle",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("plate", models.CharField(max_length=10, unique=True, verbose_name="号牌号码")),
                ("vin", models.CharField(max_length=17, unique=True, verbose_name="车辆识别代号")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("confidential", "机要通信用车"),
                            ("emergency", "应急保障用车"),
                            ("enforcement", "执法执勤用车"),
                            ("special", "特种专业技术用车"),
                            ("other", "其他公务用车"),
                        ],
                        max_length=16,
                        verbose_name="车辆类别",
                    ),
                ),
                ("brand", models.CharField(max_length=50, verbose_name="品牌")),
                ("model_name", models.CharField(max_length=80, verbose_name="型号")),
                (
                    "energy_type",
                    models.CharField(
                        choices=[
                            ("gasoline", "燃油（汽油）"),
                            ("diesel", "燃油（柴油）"),
                            ("hybrid", "油电混合（非插电）"),
                            ("phev", "插电式混合动力"),
                            ("erev", "增程式"),
                            ("bev", "纯电动"),
                            ("fcev", "燃料电池"),
                        ],
                        max_length=12,
                        verbose_name="能源类型",
                    ),
                ),
                (
                    "displacement",
                    models.DecimalField(
                        blank=True,
                        decimal_places=1,
                        help_text="纯电动、燃料电池车留空。",
                        max_digits=3,
                        null=True,
                        verbose_name="排量（升）",
                    ),
                ),
                ("seats", models.PositiveSmallIntegerField(default=5, verbose_name="核定座位数")),
                (
                    "licence_needed",
                    models.CharField(
                        choices=[
                            ("A1", "A1 大型客车"),
                            ("A2", "A2 牵引车"),
                            ("A3", "A3 城市公交车"),
                            ("B1", "B1 中型客车"),
                            ("B2", "B2 大型货车"),
                            ("C1", "C1 小型汽车"),
                            ("C2", "C2 小型自动挡汽车"),
                        ],
                        default="C1",
                        max_length=2,
                        verbose_name="准驾车型",
                    ),
                ),
                ("odometer_km", models.PositiveIntegerField(default=0, verbose_name="里程表读数（公里）")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("available", "可用"),
                            ("on_trip", "出车中"),
                            ("maintenance", "维修中"),
                            ("sealed", "封存"),
                            ("disposed", "已处置"),
                        ],
                        db_index=True,
                        default="available",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="备注")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="vehicles",
                        to="datahub.orgunit",
                        verbose_name="所属单位",
                    ),
                ),
                (
                    "body_type",
                    models.CharField(
                        choices=[
                            ("sedan", "轿车"),
                            ("off_road", "越野车"),
                            ("mpv", "多用途乘用车"),
                            ("bus", "客车"),
                            ("truck", "货车"),
                            ("special", "专用汽车"),
                        ],
                        default="sedan",
                        max_length=12,
                        verbose_name="车型",
                    ),
                ),
                (
                    "fixed_use",
                    models.BooleanField(
                        default=False,
                        help_text="配备给领导干部固定使用（越野车不得作为固定用车）。",
                        verbose_name="固定用车",
                    ),
                ),
                (
                    "use_scope",
                    models.CharField(
                        choices=[("general", "一般使用"), ("city_only", "仅在市内使用"), ("fixed_route", "固定线路")],
                        default="general",
                        max_length=12,
                        verbose_name="使用范围",
                    ),
                ),
                (
                    "asset",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assets.asset",
                        verbose_name="资产卡片",
                    ),
                ),
            ],
            options={
                "verbose_name": "公务用车",
                "verbose_name_plural": "公务用车",
                "ordering": ["plate"],
                "indexes": [
                    models.Index(fields=["org_unit", "category", "status"], name="vehicles_ve_org_uni_75060f_idx")
                ],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="Dispatch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("starts_at", models.DateTimeField(verbose_name="预订开始")),
                ("ends_at", models.DateTimeField(verbose_name="预订结束")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("scheduled", "已派车"),
                            ("departed", "已出车"),
                            ("returned", "已归还"),
                            ("cancelled", "已取消"),
                        ],
                        default="scheduled",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("departed_at", models.DateTimeField(blank=True, null=True, verbose_name="出车时间")),
                ("returned_at", models.DateTimeField(blank=True, null=True, verbose_name="归还时间")),
                ("odometer_out", models.PositiveIntegerField(blank=True, null=True, verbose_name="出车里程（公里）")),
                ("odometer_in", models.PositiveIntegerField(blank=True, null=True, verbose_name="归还里程（公里）")),
                ("distance_km", models.PositiveIntegerField(blank=True, null=True, verbose_name="行驶里程（公里）")),
                ("notes", models.CharField(blank=True, max_length=500, verbose_name="备注")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="派车时间")),
                (
                    "dispatched_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "ticket",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.ticket",
                        verbose_name="用车申请",
                    ),
                ),
                (
                    "driver",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="dispatches",
                        to="vehicles.driver",
                        verbose_name="驾驶员",
                    ),
                ),
                (
                    "vehicle",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="dispatches",
                        to="vehicles.vehicle",
                        verbose_name="车辆",
                    ),
                ),
            ],
            options={
                "verbose_name": "派车单",
                "verbose_name_plural": "派车单",
                "ordering": ["-starts_at"],
                "indexes": [
                    models.Index(fields=["vehicle", "starts_at"], name="vehicles_di_vehicle_69cb96_idx"),
                    models.Index(fields=["driver", "starts_at"], name="vehicles_di_driver__1d1d0a_idx"),
                    models.Index(
                        condition=models.Q(("status", "cancelled"), _negated=True),
                        fields=["starts_at"],
                        name="dispatch_live_starts",
                    ),
                    models.Index(
                        models.F("vehicle"),
                        django.db.models.functions.comparison.Greatest(
                            "ends_at", django.db.models.functions.comparison.Coalesce("returned_at", "ends_at")
                        ),
                        condition=models.Q(("status", "cancelled"), _negated=True),
                        name="dispatch_live_vehicle_until",
                    ),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("ends_at__gt", models.F("starts_at"))), name="dispatch_ends_after"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalDriver",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "licence_class",
                    models.CharField(
                        choices=[
                            ("A1", "A1 大型客车"),
                            ("A2", "A2 牵引车"),
                            ("A3", "A3 城市公交车"),
                            ("B1", "B1 中型客车"),
                            ("B2", "B2 大型货车"),
                            ("C1", "C1 小型汽车"),
                            ("C2", "C2 小型自动挡汽车"),
                        ],
                        max_length=2,
                        verbose_name="准驾车型",
                    ),
                ),
                ("licence_expires", models.DateField(verbose_name="驾驶证有效期至")),
                (
                    "status",
                    models.CharField(
                        choices=[("on_duty", "在岗"), ("leave", "休假"), ("off", "离岗")],
                        default="on_duty",
                        max_length=10,
                        verbose_name="状态",
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
                        verbose_name="所属单位",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="人员",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 驾驶员",
                "verbose_name_plural": "historical 驾驶员",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalQuotaChange",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("confidential", "机要通信用车"),
                            ("emergency", "应急保障用车"),
                            ("enforcement", "执法执勤用车"),
                            ("special", "特种专业技术用车"),
                            ("other", "其他公务用车"),
                        ],
                        max_length=16,
                        verbose_name="车辆类别",
                    ),
                ),
                ("delta", models.IntegerField(verbose_name="增减数量")),
                ("approved", models.BooleanField(default=False, verbose_name="已批准")),
                ("document", models.CharField(blank=True, max_length=100, verbose_name="批准文号")),
                ("reason", models.CharField(max_length=300, verbose_name="理由")),
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
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 编制调整",
                "verbose_name_plural": "historical 编制调整",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalVehicle",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("plate", models.CharField(db_index=True, max_length=10, verbose_name="号牌号码")),
                ("vin", models.CharField(db_index=True, max_length=17, verbose_name="车辆识别代号")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("confidential", "机要通信用车"),
                            ("emergency", "应急保障用车"),
                            ("enforcement", "执法执勤用车"),
                            ("special", "特种专业技术用车"),
                            ("other", "其他公务用车"),
                        ],
                        max_length=16,
                        verbose_name="车辆类别",
                    ),
                ),
                ("brand", models.CharField(max_length=50, verbose_name="品牌")),
                ("model_name", models.CharField(max_length=80, verbose_name="型号")),
                (
                    "energy_type",
                    models.CharField(
                        choices=[
                            ("gasoline", "燃油（汽油）"),
                            ("diesel", "燃油（柴油）"),
                            ("hybrid", "油电混合（非插电）"),
                            ("phev", "插电式混合动力"),
                            ("erev", "增程式"),
                            ("bev", "纯电动"),
                            ("fcev", "燃料电池"),
                        ],
                        max_length=12,
                        verbose_name="能源类型",
                    ),
                ),
                (
                    "displacement",
                    models.DecimalField(
                        blank=True,
                        decimal_places=1,
                        help_text="纯电动、燃料电池车留空。",
                        max_digits=3,
                        null=True,
                        verbose_name="排量（升）",
                    ),
                ),
                ("seats", models.PositiveSmallIntegerField(default=5, verbose_name="核定座位数")),
                (
                    "licence_needed",
                    models.CharField(
                        choices=[
                            ("A1", "A1 大型客车"),
                            ("A2", "A2 牵引车"),
                            ("A3", "A3 城市公交车"),
                            ("B1", "B1 中型客车"),
                            ("B2", "B2 大型货车"),
                            ("C1", "C1 小型汽车"),
                            ("C2", "C2 小型自动挡汽车"),
                        ],
                        default="C1",
                        max_length=2,
                        verbose_name="准驾车型",
                    ),
                ),
                ("odometer_km", models.PositiveIntegerField(default=0, verbose_name="里程表读数（公里）")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("available", "可用"),
                            ("on_trip", "出车中"),
                            ("maintenance", "维修中"),
                            ("sealed", "封存"),
                            ("disposed", "已处置"),
                        ],
                        db_index=True,
                        default="available",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="备注")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="登记时间")),
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
                        verbose_name="所属单位",
                    ),
                ),
                (
                    "body_type",
                    models.CharField(
                        choices=[
                            ("sedan", "轿车"),
                            ("off_road", "越野车"),
                            ("mpv", "多用途乘用车"),
                            ("bus", "客车"),
                            ("truck", "货车"),
                            ("special", "专用汽车"),
                        ],
                        default="sedan",
                        max_length=12,
                        verbose_name="车型",
                    ),
                ),
                (
                    "fixed_use",
                    models.BooleanField(
                        default=False,
                        help_text="配备给领导干部固定使用（越野车不得作为固定用车）。",
                        verbose_name="固定用车",
                    ),
                ),
                (
                    "use_scope",
                    models.CharField(
                        choices=[("general", "一般使用"), ("city_only", "仅在市内使用"), ("fixed_route", "固定线路")],
                        default="general",
                        max_length=12,
                        verbose_name="使用范围",
                    ),
                ),
                (
                    "asset",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assets.asset",
                        verbose_name="资产卡片",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 公务用车",
                "verbose_name_plural": "historical 公务用车",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalVehicleQuota",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("confidential", "机要通信用车"),
                            ("emergency", "应急保障用车"),
                            ("enforcement", "执法执勤用车"),
                            ("special", "特种专业技术用车"),
                            ("other", "其他公务用车"),
                        ],
                        max_length=16,
                        verbose_name="车辆类别",
                    ),
                ),
                ("quota", models.PositiveIntegerField(verbose_name="编制数")),
                ("document", models.CharField(blank=True, max_length=100, verbose_name="核定文号")),
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
                "verbose_name": "historical 车辆编制",
                "verbose_name_plural": "historical 车辆编制",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PurchaseCap",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("confidential", "机要通信用车"),
                            ("emergency", "应急保障用车"),
                            ("enforcement", "执法执勤用车"),
                            ("special", "特种专业技术用车"),
                            ("other", "其他公务用车"),
                        ],
                        max_length=16,
                        verbose_name="车辆类别",
                    ),
                ),
                ("nev_only", models.BooleanField(default=False, verbose_name="仅限新能源")),
                (
                    "max_price",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(Decimal("0"), message="不能为负数。")],
                        verbose_name="价格上限（元）",
                    ),
                ),
                (
                    "max_displacement",
                    models.DecimalField(
                        blank=True, decimal_places=1, max_digits=3, null=True, verbose_name="排量上限（升）"
                    ),
                ),
                ("label", models.CharField(max_length=100, verbose_name="名称")),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="caps",
                        to="vehicles.purchasecapversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "购置标准",
                "verbose_name_plural": "购置标准",
                "ordering": ["version", "category", "max_price"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="HistoricalPurchaseCap",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("confidential", "机要通信用车"),
                            ("emergency", "应急保障用车"),
                            ("enforcement", "执法执勤用车"),
                            ("special", "特种专业技术用车"),
                            ("other", "其他公务用车"),
                        ],
                        max_length=16,
                        verbose_name="车辆类别",
                    ),
                ),
                ("nev_only", models.BooleanField(default=False, verbose_name="仅限新能源")),
                (
                    "max_price",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(Decimal("0"), message="不能为负数。")],
                        verbose_name="价格上限（元）",
                    ),
                ),
                (
                    "max_displacement",
                    models.DecimalField(
                        blank=True, decimal_places=1, max_digits=3, null=True, verbose_name="排量上限（升）"
                    ),
                ),
                ("label", models.CharField(max_length=100, verbose_name="名称")),
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
                        to="vehicles.purchasecapversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 购置标准",
                "verbose_name_plural": "historical 购置标准",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="QuotaChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("confidential", "机要通信用车"),
                            ("emergency", "应急保障用车"),
                            ("enforcement", "执法执勤用车"),
                            ("special", "特种专业技术用车"),
                            ("other", "其他公务用车"),
                        ],
                        max_length=16,
                        verbose_name="车辆类别",
                    ),
                ),
                ("delta", models.IntegerField(verbose_name="增减数量")),
                ("approved", models.BooleanField(default=False, verbose_name="已批准")),
                ("document", models.CharField(blank=True, max_length=100, verbose_name="批准文号")),
                ("reason", models.CharField(max_length=300, verbose_name="理由")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "编制调整",
                "verbose_name_plural": "编制调整",
                "ordering": ["-created_at"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="TripRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("starts_at", models.DateTimeField(verbose_name="用车开始")),
                ("ends_at", models.DateTimeField(verbose_name="用车结束")),
                ("origin", models.CharField(max_length=100, verbose_name="出发地")),
                ("destinations", models.CharField(max_length=300, verbose_name="目的地")),
                (
                    "passengers",
                    models.PositiveSmallIntegerField(
                        default=1, validators=[django.core.validators.MinValueValidator(1)], verbose_name="乘车人数"
                    ),
                ),
                ("purpose", models.CharField(max_length=300, verbose_name="事由")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("confidential", "机要通信用车"),
                            ("emergency", "应急保障用车"),
                            ("enforcement", "执法执勤用车"),
                            ("special", "特种专业技术用车"),
                            ("other", "其他公务用车"),
                        ],
                        default="other",
                        help_text="如机要文件交换选机要通信用车。",
                        max_length=16,
                        verbose_name="车辆类别",
                    ),
                ),
                ("needs_driver", models.BooleanField(default=True, verbose_name="需要驾驶员")),
                ("out_of_city", models.BooleanField(default=False, verbose_name="市外出行")),
                ("emergency", models.BooleanField(default=False, verbose_name="紧急用车")),
                ("reviewed_at", models.DateTimeField(blank=True, null=True, verbose_name="事后审核时间")),
                ("review_comment", models.CharField(blank=True, max_length=300, verbose_name="事后审核意见")),
                (
                    "dispatch",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="trips",
                        to="vehicles.dispatch",
                        verbose_name="派车单",
                    ),
                ),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="事后审核人",
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
                ("guest_names", models.CharField(blank=True, max_length=200, verbose_name="外单位来宾")),
                (
                    "riders",
                    models.ManyToManyField(
                        blank=True, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="乘车人（人员名录）"
                    ),
                ),
            ],
            options={
                "verbose_name": "用车申请",
                "verbose_name_plural": "用车申请",
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="HistoricalDisposal",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "method",
                    models.CharField(
                        choices=[("auction", "拍卖"), ("take_back", "厂家回收"), ("scrap", "报废")],
                        max_length=12,
                        verbose_name="处置方式",
                    ),
                ),
                ("date", models.DateField(verbose_name="处置日期")),
                (
                    "proceeds",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0"),
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(Decimal("0"), message="不能为负数。")],
                        verbose_name="处置收入（元）",
                    ),
                ),
                ("document", models.CharField(max_length=100, verbose_name="批准文号")),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="备注")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="录入时间")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "created_by",
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
                (
                    "ticket",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="portal.ticket",
                        verbose_name="资产处置申请",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 车辆处置",
                "verbose_name_plural": "historical 车辆处置",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDispatch",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("starts_at", models.DateTimeField(verbose_name="预订开始")),
                ("ends_at", models.DateTimeField(verbose_name="预订结束")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("scheduled", "已派车"),
                            ("departed", "已出车"),
                            ("returned", "已归还"),
                            ("cancelled", "已取消"),
                        ],
                        default="scheduled",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("departed_at", models.DateTimeField(blank=True, null=True, verbose_name="出车时间")),
                ("returned_at", models.DateTimeField(blank=True, null=True, verbose_name="归还时间")),
                ("odometer_out", models.PositiveIntegerField(blank=True, null=True, verbose_name="出车里程（公里）")),
                ("odometer_in", models.PositiveIntegerField(blank=True, null=True, verbose_name="归还里程（公里）")),
                ("distance_km", models.PositiveIntegerField(blank=True, null=True, verbose_name="行驶里程（公里）")),
                ("notes", models.CharField(blank=True, max_length=500, verbose_name="备注")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="派车时间")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "dispatched_by",
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
                    "driver",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="vehicles.driver",
                        verbose_name="驾驶员",
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
                    "ticket",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="portal.ticket",
                        verbose_name="用车申请",
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
                "verbose_name": "historical 派车单",
                "verbose_name_plural": "historical 派车单",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCostRecord",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("fuel", "加油/充电"),
                            ("maintenance", "维修保养"),
                            ("insurance", "保险"),
                            ("inspection", "年检"),
                            ("toll", "通行费"),
                            ("parking", "停车费"),
                        ],
                        db_index=True,
                        max_length=12,
                        verbose_name="类别",
                    ),
                ),
                ("date", models.DateField(verbose_name="日期")),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(Decimal("0"), message="不能为负数。")],
                        verbose_name="金额（元）",
                    ),
                ),
                (
                    "fuel",
                    models.CharField(
                        blank=True,
                        choices=[("gasoline", "汽油"), ("diesel", "柴油"), ("electricity", "电")],
                        max_length=12,
                        verbose_name="燃料",
                    ),
                ),
                (
                    "quantity",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=10,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(Decimal("0"), message="不能为负数。")],
                        verbose_name="数量（升/千瓦时）",
                    ),
                ),
                ("odometer_km", models.PositiveIntegerField(blank=True, null=True, verbose_name="里程表读数（公里）")),
                ("supplier", models.CharField(blank=True, max_length=100, verbose_name="供应商/保险公司")),
                ("items", models.CharField(blank=True, max_length=300, verbose_name="项目")),
                (
                    "valid_until",
                    models.DateField(
                        blank=True, help_text="保险止期或年检有效期。", null=True, verbose_name="有效期至"
                    ),
                ),
                ("reminded_at", models.DateTimeField(blank=True, null=True, verbose_name="到期提醒时间")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="录入时间")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "created_by",
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
                    "dispatch",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="vehicles.dispatch",
                        verbose_name="出车",
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
                "verbose_name": "historical 车辆费用记录",
                "verbose_name_plural": "historical 车辆费用记录",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Disposal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "method",
                    models.CharField(
                        choices=[("auction", "拍卖"), ("take_back", "厂家回收"), ("scrap", "报废")],
                        max_length=12,
                        verbose_name="处置方式",
                    ),
                ),
                ("date", models.DateField(verbose_name="处置日期")),
                (
                    "proceeds",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0"),
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(Decimal("0"), message="不能为负数。")],
                        verbose_name="处置收入（元）",
                    ),
                ),
                ("document", models.CharField(max_length=100, verbose_name="批准文号")),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="备注")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="录入时间")),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "vehicle",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disposal",
                        to="vehicles.vehicle",
                        verbose_name="车辆",
                    ),
                ),
                (
                    "ticket",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.ticket",
                        verbose_name="资产处置申请",
                    ),
                ),
            ],
            options={
                "verbose_name": "车辆处置",
                "verbose_name_plural": "车辆处置",
                "ordering": ["-date"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="CostRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("fuel", "加油/充电"),
                            ("maintenance", "维修保养"),
                            ("insurance", "保险"),
                            ("inspection", "年检"),
                            ("toll", "通行费"),
                            ("parking", "停车费"),
                        ],
                        db_index=True,
                        max_length=12,
                        verbose_name="类别",
                    ),
                ),
                ("date", models.DateField(verbose_name="日期")),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(Decimal("0"), message="不能为负数。")],
                        verbose_name="金额（元）",
                    ),
                ),
                (
                    "fuel",
                    models.CharField(
                        blank=True,
                        choices=[("gasoline", "汽油"), ("diesel", "柴油"), ("electricity", "电")],
                        max_length=12,
                        verbose_name="燃料",
                    ),
                ),
                (
                    "quantity",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=10,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(Decimal("0"), message="不能为负数。")],
                        verbose_name="数量（升/千瓦时）",
                    ),
                ),
                ("odometer_km", models.PositiveIntegerField(blank=True, null=True, verbose_name="里程表读数（公里）")),
                ("supplier", models.CharField(blank=True, max_length=100, verbose_name="供应商/保险公司")),
                ("items", models.CharField(blank=True, max_length=300, verbose_name="项目")),
                (
                    "valid_until",
                    models.DateField(
                        blank=True, help_text="保险止期或年检有效期。", null=True, verbose_name="有效期至"
                    ),
                ),
                ("reminded_at", models.DateTimeField(blank=True, null=True, verbose_name="到期提醒时间")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="录入时间")),
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
                    "dispatch",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="records",
                        to="vehicles.dispatch",
                        verbose_name="出车",
                    ),
                ),
                (
                    "vehicle",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="records",
                        to="vehicles.vehicle",
                        verbose_name="车辆",
                    ),
                ),
            ],
            options={
                "verbose_name": "车辆费用记录",
                "verbose_name_plural": "车辆费用记录",
                "ordering": ["-date", "-pk"],
                "indexes": [models.Index(fields=["vehicle", "kind", "date"], name="vehicles_co_vehicle_5f7fc7_idx")],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="VehiclePhoto",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "file",
                    models.FileField(
                        upload_to=vehicles.models.photo_path,
                        validators=[
                            django.core.validators.FileExtensionValidator(
                                ["jpg", "jpeg", "png"],
                                message="不能上传“.%(extension)s”格式的文件；可以上传的格式：%(allowed_extensions)s。",
                            ),
                            portal.models.validate_attachment_size,
                            portal.models.validate_attachment_content,
                        ],
                        verbose_name="照片",
                    ),
                ),
                ("caption", models.CharField(blank=True, max_length=100, verbose_name="说明")),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="上传时间")),
                (
                    "vehicle",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photos",
                        to="vehicles.vehicle",
                        verbose_name="车辆",
                    ),
                ),
            ],
            options={
                "verbose_name": "车辆照片",
                "verbose_name_plural": "车辆照片",
                "ordering": ["vehicle", "uploaded_at"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="VehicleQuota",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("confidential", "机要通信用车"),
                            ("emergency", "应急保障用车"),
                            ("enforcement", "执法执勤用车"),
                            ("special", "特种专业技术用车"),
                            ("other", "其他公务用车"),
                        ],
                        max_length=16,
                        verbose_name="车辆类别",
                    ),
                ),
                ("quota", models.PositiveIntegerField(verbose_name="编制数")),
                ("document", models.CharField(blank=True, max_length=100, verbose_name="核定文号")),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "车辆编制",
                "verbose_name_plural": "车辆编制",
                "ordering": ["org_unit__path", "category"],
                "indexes": [],
                "constraints": [models.UniqueConstraint(fields=("org_unit", "category"), name="vehiclequota_unique")],
            },
        ),
        migrations.RunPython(deferred_sql_now, migrations.RunPython.noop),
        migrations.RunPython(add_constraints, drop_constraints),  # 0002_no_overlap_and_caps
        migrations.RunPython(seed_caps, migrations.RunPython.noop),  # 0002_no_overlap_and_caps
        migrations.RunPython(
            nev_sedan_cap_everywhere, migrations.RunPython.noop
        ),  # 0005_vehicle_use_and_versioned_renewal_share
    ]
