"""assets 0001–0012 squashed: what a fresh database runs instead of the chain (kept beside it for
databases that ran it; delete the old files once every deployment has). The model state after the chain, one
CreateModel per model with its final fields in column order (a relation closing a cycle added after, as the
chain did); the state equals the chain's (tests/test_migrations_squashed.py).

The data steps run last, on the final tables, copied from 0004_seed_reference_data, 0005_depreciation_in_place,
0006_special_equipment_categories.
Left out (elidable: they convert rows a fresh database cannot have): 0008_requisition_categories_to_gbt14885_codes,
0010_depreciation_anchored_on_the_acquisition_month.
"""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import assets.models


# From 0004_seed_reference_data.
def seed(apps, schema_editor):
    from assets import seeding

    Category = apps.get_model("assets", "Category")
    seeding.load_categories(Category)
    seeding.load_thresholds(apps.get_model("assets", "CapitalisationThreshold"))
    seeding.load_config_standards(
        apps.get_model("assets", "ConfigStandardVersion"), apps.get_model("assets", "ConfigStandard"), Category
    )


# From 0005_depreciation_in_place.
def fillfactor(apps, schema_editor):
    """Leave room on each page of the cards table so the monthly posting's UPDATE of every card
    is a HOT update (no index entries written): the columns it changes are in no index."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE assets_asset SET (fillfactor = 70)")


def reset(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE assets_asset RESET (fillfactor)")


# From 0006_special_equipment_categories.
def seed_special_equipment(apps, schema_editor):
    from assets import seeding  # a migration loads the seeding module at run time, not at import

    seeding.load_categories(apps.get_model("assets", "Category"))


def deferred_sql_now(apps, schema_editor):
    """The indexes and foreign keys Django defers to a migration's end are made before the data steps below, as
    the chain made them (its tables came from earlier migrations): a step that rebuilds a table (the partitions)
    must not get the old table's deferred indexes added to its new one afterwards."""
    for statement in schema_editor.deferred_sql:
        schema_editor.execute(statement)
    schema_editor.deferred_sql.clear()


class Migration(migrations.Migration):
    replaces = [
        ("assets", "0001_initial"),
        ("assets", "0002_initial"),
        ("assets", "0003_asset_cards"),
        ("assets", "0004_seed_reference_data"),
        ("assets", "0005_depreciation_in_place"),
        ("assets", "0006_special_equipment_categories"),
        ("assets", "0007_card_building_and_early_disposal"),
        ("assets", "0008_requisition_categories_to_gbt14885_codes"),
        ("assets", "0009_requisition_category_is_a_gbt14885_key"),
        ("assets", "0010_depreciation_anchored_on_the_acquisition_month"),
        ("assets", "0011_transfer_request_countersigned"),
        ("assets", "0012_movement_note_key"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("datahub", "0012_trail_partitioned_by_month_and_append_only_on_postgresql"),
        ("officespace", "0009_building_structure_simple"),
        ("portal", "0006_close_on_approval_action"),
    ]

    operations = [
        migrations.CreateModel(
            name="Category",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "code",
                    models.CharField(
                        max_length=16,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^(?:[A-Z]\\d{2}(?:\\d{2}){0,4}|\\d{7})$",
                                "分类代码格式不正确：应为 GB/T 14885-2022 的字母加数字代码（如 A02010105）。",
                            )
                        ],
                        verbose_name="分类代码",
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                (
                    "min_life_months",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="财会〔2017〕4号 表1；不计提折旧的分类填0。",
                        verbose_name="最低折旧年限（月）",
                    ),
                ),
                ("depreciates", models.BooleanField(default=True, verbose_name="计提折旧")),
                (
                    "special_equipment",
                    models.BooleanField(default=False, help_text="适用专用设备的资本化起点。", verbose_name="专用设备"),
                ),
                (
                    "standard_version",
                    models.CharField(default="GB/T 14885-2022", max_length=40, verbose_name="标准版本"),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="来源说明")),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="assets.category",
                        verbose_name="上级分类",
                    ),
                ),
            ],
            options={
                "verbose_name": "资产分类",
                "verbose_name_plural": "资产分类",
                "ordering": ["code"],
                "indexes": [],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("depreciates", True), ("min_life_months", 0), _negated=True),
                        name="category_depreciating_has_life",
                        violation_error_message="计提折旧的分类必须填写最低折旧年限。",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="AssetRequisition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("item_name", models.CharField(max_length=100, verbose_name="物品名称")),
                (
                    "category",
                    models.ForeignKey(
                        db_column="category",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assets.category",
                        to_field="code",
                        verbose_name="资产分类",
                    ),
                ),
                (
                    "quantity",
                    models.PositiveIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="数量",
                    ),
                ),
                ("purpose", models.CharField(max_length=500, verbose_name="用途")),
                ("needed_by", models.DateField(validators=[assets.models.validate_not_past], verbose_name="需用日期")),
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
                "verbose_name": "资产领用",
                "verbose_name_plural": "资产领用",
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="AssetIssueRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("item_name", models.CharField(max_length=100, verbose_name="物品名称")),
                (
                    "category",
                    models.ForeignKey(
                        db_column="category",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assets.category",
                        to_field="code",
                        verbose_name="资产分类",
                    ),
                ),
                (
                    "quantity",
                    models.PositiveIntegerField(
                        validators=[django.core.validators.MinValueValidator(1)], verbose_name="发放数量"
                    ),
                ),
                ("asset_codes", models.CharField(blank=True, max_length=500, verbose_name="资产编号")),
                ("issued_at", models.DateTimeField(auto_now_add=True, verbose_name="发放时间")),
                (
                    "issued_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="发放人",
                    ),
                ),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="领用单位",
                    ),
                ),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="领用人",
                    ),
                ),
                (
                    "ticket",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.ticket",
                        verbose_name="领用申请",
                    ),
                ),
            ],
            options={
                "verbose_name": "领用台账",
                "verbose_name_plural": "领用台账",
                "ordering": ["-issued_at"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="AssetNumberSequence",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("prefix", models.CharField(max_length=16, unique=True, verbose_name="前缀")),
                ("last", models.PositiveBigIntegerField(default=0, verbose_name="已用到")),
            ],
            options={
                "verbose_name": "资产编号序列",
                "verbose_name_plural": "资产编号序列",
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="CapitalisationThreshold",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("effective_from", models.DateField(unique=True, verbose_name="施行日期")),
                ("general", models.DecimalField(decimal_places=2, max_digits=12, verbose_name="通用资产起点（元）")),
                (
                    "special_equipment",
                    models.DecimalField(decimal_places=2, max_digits=12, verbose_name="专用设备起点（元）"),
                ),
                ("source", models.CharField(blank=True, max_length=200, verbose_name="依据")),
            ],
            options={
                "verbose_name": "资本化起点",
                "verbose_name_plural": "资本化起点",
                "ordering": ["-effective_from"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="ConfigStandardVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=20, unique=True, verbose_name="版本")),
                ("title", models.CharField(max_length=200, verbose_name="依据文件")),
                ("effective_from", models.DateField(unique=True, verbose_name="施行日期")),
            ],
            options={
                "verbose_name": "配置标准版本",
                "verbose_name_plural": "配置标准版本",
                "ordering": ["-effective_from"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="DepreciationRun",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(unique=True, verbose_name="月份")),
                ("cards", models.PositiveIntegerField(default=0, verbose_name="计提卡片数")),
                (
                    "total",
                    models.DecimalField(
                        decimal_places=2, default=Decimal("0"), max_digits=18, verbose_name="折旧合计（元）"
                    ),
                ),
                ("posted_at", models.DateTimeField(auto_now=True, verbose_name="计提时间")),
            ],
            options={
                "verbose_name": "月度折旧计提",
                "verbose_name_plural": "月度折旧计提",
                "ordering": ["-month"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="Asset",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("asset_number", models.CharField(max_length=40, unique=True, verbose_name="资产编号")),
                ("name", models.CharField(max_length=100, verbose_name="资产名称")),
                ("spec", models.CharField(blank=True, max_length=200, verbose_name="规格型号")),
                (
                    "quantity",
                    models.PositiveIntegerField(
                        default=1, validators=[django.core.validators.MinValueValidator(1)], verbose_name="数量"
                    ),
                ),
                ("unit_of_measure", models.CharField(default="台", max_length=10, verbose_name="计量单位")),
                (
                    "original_value",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=14,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01"), message="金额必须大于0。")
                        ],
                        verbose_name="原值（元）",
                    ),
                ),
                ("acquired_on", models.DateField(verbose_name="取得日期")),
                (
                    "acquisition_way",
                    models.CharField(
                        choices=[
                            ("purchase", "购置"),
                            ("transfer_in", "调入"),
                            ("donation", "接受捐赠"),
                            ("self_built", "自建"),
                            ("surplus", "盘盈"),
                            ("exchange", "置换换入"),
                            ("other", "其他"),
                        ],
                        default="purchase",
                        max_length=16,
                        verbose_name="取得方式",
                    ),
                ),
                (
                    "funding_source",
                    models.CharField(
                        choices=[("fiscal", "财政拨款"), ("non_fiscal", "非财政拨款"), ("other", "其他")],
                        default="fiscal",
                        max_length=16,
                        verbose_name="经费来源",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("in_use", "在用"),
                            ("idle", "闲置"),
                            ("in_pool", "在公物仓"),
                            ("lent", "出租出借"),
                            ("pending_disposal", "待处置"),
                            ("disposed", "已处置"),
                        ],
                        db_index=True,
                        default="in_use",
                        max_length=20,
                        verbose_name="状态",
                    ),
                ),
                ("under_repair", models.BooleanField(default=False, verbose_name="维修中")),
                ("booked_on", models.DateField(verbose_name="入账日期")),
                ("lent_to_party", models.CharField(blank=True, max_length=100, verbose_name="承租/借用方")),
                ("lent_until", models.DateField(blank=True, null=True, verbose_name="出租出借到期日")),
                ("disposed_on", models.DateField(blank=True, null=True, verbose_name="处置日期")),
                (
                    "disposal_way",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("free_transfer", "无偿划转"),
                            ("donation", "对外捐赠"),
                            ("sale", "转让"),
                            ("exchange", "置换"),
                            ("scrap", "报废"),
                            ("write_off", "损失核销"),
                        ],
                        max_length=16,
                        verbose_name="处置方式",
                    ),
                ),
                ("depreciates", models.BooleanField(default=True, verbose_name="计提折旧")),
                ("useful_life_months", models.PositiveSmallIntegerField(default=0, verbose_name="折旧年限（月）")),
                (
                    "accumulated_depreciation",
                    models.DecimalField(
                        decimal_places=2, default=Decimal("0"), max_digits=14, verbose_name="累计折旧（元）"
                    ),
                ),
                ("depreciated_months", models.PositiveSmallIntegerField(default=0, verbose_name="已提折旧月数")),
                ("next_depreciation_month", models.DateField(blank=True, null=True, verbose_name="下次计提月份")),
                (
                    "depreciation_end",
                    models.DateField(
                        blank=True, help_text="处置后该月起不再计提（含该月）。", null=True, verbose_name="停止计提月份"
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="备注")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="建卡时间")),
                (
                    "custodian",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="custodied_assets",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="使用人/保管人",
                    ),
                ),
                (
                    "lent_to_unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="借用单位",
                    ),
                ),
                (
                    "location",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="officespace.room",
                        verbose_name="存放地点",
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
                    "user_department",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="使用部门",
                    ),
                ),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assets",
                        to="assets.category",
                        verbose_name="资产分类",
                    ),
                ),
                (
                    "building",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="officespace.building",
                        verbose_name="楼宇",
                    ),
                ),
            ],
            options={
                "verbose_name": "资产卡片",
                "verbose_name_plural": "资产卡片",
                "ordering": ["asset_number"],
                "indexes": [
                    models.Index(fields=["org_unit", "status"], name="assets_asse_org_uni_03ccdf_idx"),
                    models.Index(fields=["category", "status"], name="assets_asse_categor_c15078_idx"),
                ],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("original_value__gt", 0)), name="asset_value_positive"),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("accumulated_depreciation__gte", 0),
                            ("accumulated_depreciation__lte", models.F("original_value")),
                        ),
                        name="asset_nbv_not_negative",
                        violation_error_message="累计折旧不能超过原值（净值不能为负）。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("depreciates", True), ("useful_life_months", 0), _negated=True),
                        name="asset_depreciating_has_life",
                        violation_error_message="计提折旧的资产必须有折旧年限。",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ConfigStandard",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("label", models.CharField(max_length=50, verbose_name="标准中的名称")),
                ("price_cap", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="单价上限（元）")),
                ("min_life_months", models.PositiveSmallIntegerField(verbose_name="最低使用年限（月）")),
                (
                    "quantity_ratio",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="如 1.00 表示不超过实有人数的100%；留空表示不按人数控制。",
                        max_digits=5,
                        null=True,
                        verbose_name="数量上限（占编制内实有人数比例）",
                    ),
                ),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assets.category",
                        verbose_name="资产分类",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rows",
                        to="assets.configstandardversion",
                        verbose_name="版本",
                    ),
                ),
            ],
            options={
                "verbose_name": "配置标准",
                "verbose_name_plural": "配置标准",
                "ordering": ["version", "category__code"],
                "indexes": [],
                "constraints": [
                    models.UniqueConstraint(fields=("version", "category"), name="configstandard_unique_row"),
                    models.CheckConstraint(
                        condition=models.Q(("price_cap__gt", 0)), name="configstandard_price_positive"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="DepreciationEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(help_text="该月1日。", verbose_name="月份")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="本月折旧（元）")),
                ("accumulated", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="累计折旧（元）")),
                (
                    "asset",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="depreciation",
                        to="assets.asset",
                        verbose_name="资产",
                    ),
                ),
            ],
            options={
                "verbose_name": "折旧记录",
                "verbose_name_plural": "折旧记录",
                "ordering": ["asset", "month"],
                "indexes": [models.Index(fields=["month"], name="assets_depr_month_f00014_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("asset", "month"), name="depreciation_once_per_month"),
                    models.CheckConstraint(condition=models.Q(("amount__gte", 0)), name="depreciation_not_negative"),
                ],
            },
        ),
        migrations.CreateModel(
            name="DisposalRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "way",
                    models.CharField(
                        choices=[
                            ("free_transfer", "无偿划转"),
                            ("donation", "对外捐赠"),
                            ("sale", "转让"),
                            ("exchange", "置换"),
                            ("scrap", "报废"),
                            ("write_off", "损失核销"),
                        ],
                        max_length=16,
                        verbose_name="处置方式",
                    ),
                ),
                ("reason", models.CharField(max_length=500, verbose_name="处置理由")),
                (
                    "original_value",
                    models.DecimalField(
                        decimal_places=2, default=Decimal("0"), max_digits=14, verbose_name="原值（元）"
                    ),
                ),
                (
                    "asset",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assets.asset",
                        verbose_name="资产",
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
                    "early",
                    models.BooleanField(
                        default=False,
                        help_text="未达使用年限（如公务用车未满8年）因安全等原因确需处置的须勾选并说明理由，另经机关事务管理局审批。",
                        verbose_name="提前处置",
                    ),
                ),
            ],
            options={
                "verbose_name": "资产处置申请",
                "verbose_name_plural": "资产处置申请",
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAsset",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("asset_number", models.CharField(db_index=True, max_length=40, verbose_name="资产编号")),
                ("name", models.CharField(max_length=100, verbose_name="资产名称")),
                ("spec", models.CharField(blank=True, max_length=200, verbose_name="规格型号")),
                (
                    "quantity",
                    models.PositiveIntegerField(
                        default=1, validators=[django.core.validators.MinValueValidator(1)], verbose_name="数量"
                    ),
                ),
                ("unit_of_measure", models.CharField(default="台", max_length=10, verbose_name="计量单位")),
                (
                    "original_value",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=14,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01"), message="金额必须大于0。")
                        ],
                        verbose_name="原值（元）",
                    ),
                ),
                ("acquired_on", models.DateField(verbose_name="取得日期")),
                (
                    "acquisition_way",
                    models.CharField(
                        choices=[
                            ("purchase", "购置"),
                            ("transfer_in", "调入"),
                            ("donation", "接受捐赠"),
                            ("self_built", "自建"),
                            ("surplus", "盘盈"),
                            ("exchange", "置换换入"),
                            ("other", "其他"),
                        ],
                        default="purchase",
                        max_length=16,
                        verbose_name="取得方式",
                    ),
                ),
                (
                    "funding_source",
                    models.CharField(
                        choices=[("fiscal", "财政拨款"), ("non_fiscal", "非财政拨款"), ("other", "其他")],
                        default="fiscal",
                        max_length=16,
                        verbose_name="经费来源",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("in_use", "在用"),
                            ("idle", "闲置"),
                            ("in_pool", "在公物仓"),
                            ("lent", "出租出借"),
                            ("pending_disposal", "待处置"),
                            ("disposed", "已处置"),
                        ],
                        db_index=True,
                        default="in_use",
                        max_length=20,
                        verbose_name="状态",
                    ),
                ),
                ("under_repair", models.BooleanField(default=False, verbose_name="维修中")),
                ("booked_on", models.DateField(verbose_name="入账日期")),
                ("lent_to_party", models.CharField(blank=True, max_length=100, verbose_name="承租/借用方")),
                ("lent_until", models.DateField(blank=True, null=True, verbose_name="出租出借到期日")),
                ("disposed_on", models.DateField(blank=True, null=True, verbose_name="处置日期")),
                (
                    "disposal_way",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("free_transfer", "无偿划转"),
                            ("donation", "对外捐赠"),
                            ("sale", "转让"),
                            ("exchange", "置换"),
                            ("scrap", "报废"),
                            ("write_off", "损失核销"),
                        ],
                        max_length=16,
                        verbose_name="处置方式",
                    ),
                ),
                ("depreciates", models.BooleanField(default=True, verbose_name="计提折旧")),
                ("useful_life_months", models.PositiveSmallIntegerField(default=0, verbose_name="折旧年限（月）")),
                (
                    "depreciation_end",
                    models.DateField(
                        blank=True, help_text="处置后该月起不再计提（含该月）。", null=True, verbose_name="停止计提月份"
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="备注")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="建卡时间")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "category",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assets.category",
                        verbose_name="资产分类",
                    ),
                ),
                (
                    "custodian",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="使用人/保管人",
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
                    "lent_to_unit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="借用单位",
                    ),
                ),
                (
                    "location",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="officespace.room",
                        verbose_name="存放地点",
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
                    "user_department",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="使用部门",
                    ),
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
            ],
            options={
                "verbose_name": "historical 资产卡片",
                "verbose_name_plural": "historical 资产卡片",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCapitalisationThreshold",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("effective_from", models.DateField(db_index=True, verbose_name="施行日期")),
                ("general", models.DecimalField(decimal_places=2, max_digits=12, verbose_name="通用资产起点（元）")),
                (
                    "special_equipment",
                    models.DecimalField(decimal_places=2, max_digits=12, verbose_name="专用设备起点（元）"),
                ),
                ("source", models.CharField(blank=True, max_length=200, verbose_name="依据")),
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
                "verbose_name": "historical 资本化起点",
                "verbose_name_plural": "historical 资本化起点",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCategory",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "code",
                    models.CharField(
                        db_index=True,
                        max_length=16,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^(?:[A-Z]\\d{2}(?:\\d{2}){0,4}|\\d{7})$",
                                "分类代码格式不正确：应为 GB/T 14885-2022 的字母加数字代码（如 A02010105）。",
                            )
                        ],
                        verbose_name="分类代码",
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                (
                    "min_life_months",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="财会〔2017〕4号 表1；不计提折旧的分类填0。",
                        verbose_name="最低折旧年限（月）",
                    ),
                ),
                ("depreciates", models.BooleanField(default=True, verbose_name="计提折旧")),
                (
                    "special_equipment",
                    models.BooleanField(default=False, help_text="适用专用设备的资本化起点。", verbose_name="专用设备"),
                ),
                (
                    "standard_version",
                    models.CharField(default="GB/T 14885-2022", max_length=40, verbose_name="标准版本"),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="来源说明")),
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
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assets.category",
                        verbose_name="上级分类",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 资产分类",
                "verbose_name_plural": "historical 资产分类",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalConfigStandard",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("label", models.CharField(max_length=50, verbose_name="标准中的名称")),
                ("price_cap", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="单价上限（元）")),
                ("min_life_months", models.PositiveSmallIntegerField(verbose_name="最低使用年限（月）")),
                (
                    "quantity_ratio",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="如 1.00 表示不超过实有人数的100%；留空表示不按人数控制。",
                        max_digits=5,
                        null=True,
                        verbose_name="数量上限（占编制内实有人数比例）",
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
                    "category",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assets.category",
                        verbose_name="资产分类",
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
                    "version",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assets.configstandardversion",
                        verbose_name="版本",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 配置标准",
                "verbose_name_plural": "historical 配置标准",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Movement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("book", "入账"),
                            ("issue", "领用"),
                            ("return", "归还"),
                            ("transfer", "调拨"),
                            ("lend", "出租出借"),
                            ("return_lent", "出租出借收回"),
                            ("repair_start", "送修"),
                            ("repair_end", "维修完成"),
                            ("dispose", "处置"),
                            ("relocate", "变更存放地点/保管人"),
                            ("status", "状态变更"),
                            ("import", "导入更新"),
                        ],
                        max_length=16,
                        verbose_name="类型",
                    ),
                ),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="时间")),
                (
                    "from_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("in_use", "在用"),
                            ("idle", "闲置"),
                            ("in_pool", "在公物仓"),
                            ("lent", "出租出借"),
                            ("pending_disposal", "待处置"),
                            ("disposed", "已处置"),
                        ],
                        max_length=20,
                        verbose_name="原状态",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("in_use", "在用"),
                            ("idle", "闲置"),
                            ("in_pool", "在公物仓"),
                            ("lent", "出租出借"),
                            ("pending_disposal", "待处置"),
                            ("disposed", "已处置"),
                        ],
                        max_length=20,
                        verbose_name="新状态",
                    ),
                ),
                ("party", models.CharField(blank=True, max_length=100, verbose_name="对方")),
                (
                    "amount",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="金额（元）"
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="说明")),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="经办人",
                    ),
                ),
                (
                    "asset",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="movements",
                        to="assets.asset",
                        verbose_name="资产",
                    ),
                ),
                (
                    "from_person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="原保管人",
                    ),
                ),
                (
                    "from_room",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="officespace.room",
                        verbose_name="原地点",
                    ),
                ),
                (
                    "from_unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="原单位",
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
                        verbose_name="关联申请",
                    ),
                ),
                (
                    "to_person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="新保管人",
                    ),
                ),
                (
                    "to_room",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="officespace.room",
                        verbose_name="新地点",
                    ),
                ),
                (
                    "to_unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="新单位",
                    ),
                ),
                (
                    "note_key",
                    models.CharField(blank=True, default="", editable=False, max_length=300, verbose_name="消息原文"),
                ),
                ("note_values", models.JSONField(blank=True, default=dict, editable=False, verbose_name="消息参数")),
            ],
            options={
                "verbose_name": "资产变动",
                "verbose_name_plural": "资产变动",
                "ordering": ["-at", "-pk"],
                "indexes": [models.Index(fields=["asset", "-at"], name="assets_move_asset_i_ec9ff6_idx")],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="PurchaseRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("item_name", models.CharField(max_length=100, verbose_name="品名")),
                (
                    "quantity",
                    models.PositiveIntegerField(
                        validators=[django.core.validators.MinValueValidator(1)], verbose_name="数量"
                    ),
                ),
                (
                    "unit_price",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=14,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01"), message="金额必须大于0。")
                        ],
                        verbose_name="单价（元）",
                    ),
                ),
                ("reason", models.CharField(max_length=500, verbose_name="配置理由")),
                (
                    "early_renewal",
                    models.BooleanField(
                        default=False,
                        help_text="被替换资产未达最低使用年限时须勾选并说明理由，另经机关事务管理局审批。",
                        verbose_name="申请提前更新",
                    ),
                ),
                ("classified", models.BooleanField(default=False, verbose_name="涉密岗位")),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assets.category",
                        verbose_name="资产分类",
                    ),
                ),
                (
                    "replaces",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assets.asset",
                        verbose_name="更新替换的资产",
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
                "verbose_name": "资产配置申请",
                "verbose_name_plural": "资产配置申请",
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="TransferRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.CharField(max_length=500, verbose_name="调拨理由")),
                (
                    "asset",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assets.asset",
                        verbose_name="资产",
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
                    "to_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="调入单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "资产调拨申请",
                "verbose_name_plural": "资产调拨申请",
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.RunPython(deferred_sql_now, migrations.RunPython.noop),
        migrations.RunPython(seed, migrations.RunPython.noop),  # 0004_seed_reference_data
        migrations.RunPython(fillfactor, reset),  # 0005_depreciation_in_place
        migrations.RunPython(seed_special_equipment, migrations.RunPython.noop),  # 0006_special_equipment_categories
    ]
