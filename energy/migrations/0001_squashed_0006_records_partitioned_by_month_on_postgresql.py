"""energy 0001–0006 squashed: what a fresh database runs instead of the chain (kept beside it for
databases that ran it; delete the old files once every deployment has). The model state after the chain, one
CreateModel per model with its final fields in column order (a relation closing a cycle added after, as the
chain did); the state equals the chain's (tests/test_migrations_squashed.py).

The data steps run last, on the final tables, copied from 0002_seed_tables,
0006_records_partitioned_by_month_on_postgresql.
Left out (elidable: they convert rows a fresh database cannot have): 0004_submission_on_portal_workflow.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from datahub.partitions import ENERGY


# From 0002_seed_tables.
def seed(apps, schema_editor):
    from energy import rules

    Version = apps.get_model("energy", "CoefficientVersion")
    Coefficient = apps.get_model("energy", "Coefficient")
    GridFactor = apps.get_model("energy", "GridFactor")
    Quota = apps.get_model("energy", "Quota")
    Target = apps.get_model("energy", "Target")
    versions = [
        ("GB/T 2589-2020（天然气按气田天然气1.2143）", rules.COEFFICIENTS[rules.EnergyType.NATURAL_GAS].kgce, True),
        ("GB/T 2589-2020（天然气按油田天然气1.3300）", rules.NATURAL_GAS_OILFIELD, False),
    ]
    for name, gas, current in versions:
        version, created = Version.objects.get_or_create(
            name=name,
            defaults={
                "standard": "GB/T 2589-2020",
                "year": 2020,
                "is_current": current,
                "note": "折标准煤系数依据GB/T 2589-2020；电网排放因子为生态环境部、国家统计局公布的全国及区域平均值。",
            },
        )
        if not created:
            continue
        for energy_type, c in rules.COEFFICIENTS.items():
            Coefficient.objects.create(
                version=version,
                energy_type=energy_type,
                kgce_per_unit=gas if energy_type == rules.EnergyType.NATURAL_GAS else c.kgce,
                kgco2_per_unit=c.kgco2,
                density=c.density,
            )
        for year, factors in rules.GRID_FACTORS.items():
            for region, value in factors.items():
                GridFactor.objects.create(version=version, year=year, region=region, kgco2_per_kwh=value)
    for category, zone, indicator, cap, base, guide, source in rules.QUOTAS:
        Quota.objects.get_or_create(
            category=category,
            climate_zone=zone,
            indicator=indicator,
            defaults={"cap": cap, "base": base, "guide": guide, "source": source},
        )
    for indicator, pct in rules.TARGETS.items():
        Target.objects.get_or_create(
            indicator=indicator,
            defaults={
                "reduction_pct": pct,
                "baseline_year": rules.BASELINE_YEAR,
                "target_year": rules.TARGET_YEAR,
                "source": "《“十四五”公共机构节约能源资源工作规划》（国管节能〔2021〕195号）",
            },
        )


# From 0006_records_partitioned_by_month_on_postgresql.
def partition(apps, schema_editor):
    ENERGY.to_partitioned(schema_editor, timezone.localdate())


def unpartition(apps, schema_editor):
    ENERGY.to_plain(schema_editor)


def deferred_sql_now(apps, schema_editor):
    """The indexes and foreign keys Django defers to a migration's end are made before the data steps below, as
    the chain made them (its tables came from earlier migrations): a step that rebuilds a table (the partitions)
    must not get the old table's deferred indexes added to its new one afterwards."""
    for statement in schema_editor.deferred_sql:
        schema_editor.execute(statement)
    schema_editor.deferred_sql.clear()


class Migration(migrations.Migration):
    replaces = [
        ("energy", "0001_initial"),
        ("energy", "0002_seed_tables"),
        ("energy", "0003_profile_correction"),
        ("energy", "0004_submission_on_portal_workflow"),
        ("energy", "0005_submission_ticket_required"),
        ("energy", "0006_records_partitioned_by_month_on_postgresql"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("datahub", "0011_oidc_consent"),
        ("portal", "0006_close_on_approval_action"),
    ]

    operations = [
        migrations.CreateModel(
            name="CoefficientVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="版本名称")),
                (
                    "standard",
                    models.CharField(help_text="如 GB/T 2589-2020。", max_length=100, verbose_name="依据标准"),
                ),
                ("year", models.PositiveIntegerField(verbose_name="标准年份")),
                (
                    "is_current",
                    models.BooleanField(
                        default=False, help_text="新录入的数据按当前版本折算。", verbose_name="当前使用"
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="说明")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
            ],
            options={
                "verbose_name": "折算系数版本",
                "verbose_name_plural": "折算系数版本",
                "ordering": ["-year", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("is_current", True)),
                        fields=("is_current",),
                        name="energy_one_current_version",
                    )
                ],
                "indexes": [],
            },
        ),
        migrations.CreateModel(
            name="HistoricalCoefficient",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "energy_type",
                    models.CharField(
                        choices=[
                            ("electricity", "电"),
                            ("water", "水"),
                            ("coal", "煤炭"),
                            ("natural_gas", "天然气"),
                            ("lpg", "液化石油气"),
                            ("town_gas", "人工煤气"),
                            ("gasoline", "汽油"),
                            ("diesel", "柴油"),
                            ("kerosene", "煤油"),
                            ("heat", "热力"),
                            ("other", "其他能源"),
                        ],
                        max_length=16,
                        verbose_name="能源品种",
                    ),
                ),
                (
                    "kgce_per_unit",
                    models.DecimalField(decimal_places=6, max_digits=12, verbose_name="折标准煤系数（kgce/基准单位）"),
                ),
                (
                    "kgco2_per_unit",
                    models.DecimalField(
                        decimal_places=6,
                        help_text="电力按年度电网排放因子，此处不用。",
                        max_digits=12,
                        verbose_name="CO₂排放因子（kgCO₂/基准单位）",
                    ),
                ),
                (
                    "density",
                    models.DecimalField(
                        blank=True, decimal_places=4, max_digits=8, null=True, verbose_name="密度（kg/L）"
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
                        to="energy.coefficientversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 折算系数",
                "verbose_name_plural": "historical 折算系数",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCoefficientVersion",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("name", models.CharField(db_index=True, max_length=100, verbose_name="版本名称")),
                (
                    "standard",
                    models.CharField(help_text="如 GB/T 2589-2020。", max_length=100, verbose_name="依据标准"),
                ),
                ("year", models.PositiveIntegerField(verbose_name="标准年份")),
                (
                    "is_current",
                    models.BooleanField(
                        default=False, help_text="新录入的数据按当前版本折算。", verbose_name="当前使用"
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="说明")),
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
            ],
            options={
                "verbose_name": "historical 折算系数版本",
                "verbose_name_plural": "historical 折算系数版本",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalConsumptionRecord",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("month", models.PositiveSmallIntegerField(verbose_name="月份")),
                (
                    "energy_type",
                    models.CharField(
                        choices=[
                            ("electricity", "电"),
                            ("water", "水"),
                            ("coal", "煤炭"),
                            ("natural_gas", "天然气"),
                            ("lpg", "液化石油气"),
                            ("town_gas", "人工煤气"),
                            ("gasoline", "汽油"),
                            ("diesel", "柴油"),
                            ("kerosene", "煤油"),
                            ("heat", "热力"),
                            ("other", "其他能源"),
                        ],
                        max_length=16,
                        verbose_name="能源品种",
                    ),
                ),
                ("quantity", models.DecimalField(decimal_places=3, max_digits=16, verbose_name="实物量")),
                ("unit", models.CharField(max_length=8, verbose_name="计量单位")),
                (
                    "cost",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="金额（元）"
                    ),
                ),
                (
                    "collection",
                    models.CharField(
                        choices=[
                            ("metered_paid", "计量付费"),
                            ("metered_unpaid", "计量不付费"),
                            ("unmetered_paid", "不计量付费"),
                            ("unmetered_unpaid", "不计量不付费"),
                        ],
                        default="metered_paid",
                        max_length=20,
                        verbose_name="采集方式",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("form", "表单填报"),
                            ("import", "Excel导入"),
                            ("api", "接口"),
                            ("vehicles", "公务用车（自动汇总）"),
                        ],
                        default="form",
                        max_length=12,
                        verbose_name="来源",
                    ),
                ),
                ("base_quantity", models.DecimalField(decimal_places=4, max_digits=18, verbose_name="折基准单位量")),
                ("kgce", models.DecimalField(decimal_places=4, max_digits=18, verbose_name="折标准煤（kgce）")),
                ("kgco2", models.DecimalField(decimal_places=4, max_digits=18, verbose_name="CO₂（kg）")),
                ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="更新时间")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "coefficient_version",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="energy.coefficientversion",
                        verbose_name="折算系数版本",
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
                        verbose_name="公共机构",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 能源资源消费记录",
                "verbose_name_plural": "historical 能源资源消费记录",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalGridFactor",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("year", models.PositiveIntegerField(verbose_name="数据年度")),
                (
                    "region",
                    models.CharField(
                        choices=[
                            ("national", "全国平均"),
                            ("north", "华北"),
                            ("northeast", "东北"),
                            ("east", "华东"),
                            ("central", "华中"),
                            ("northwest", "西北"),
                            ("south", "南方"),
                            ("southwest", "西南"),
                        ],
                        default="national",
                        max_length=16,
                        verbose_name="区域",
                    ),
                ),
                (
                    "kgco2_per_kwh",
                    models.DecimalField(decimal_places=4, max_digits=8, verbose_name="电网排放因子（kgCO₂/kWh）"),
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
                        to="energy.coefficientversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 电网排放因子",
                "verbose_name_plural": "historical 电网排放因子",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalInstitutionProfile",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("year", models.PositiveIntegerField(verbose_name="年度")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("agency", "机关"),
                            ("university", "高校"),
                            ("school", "中小学"),
                            ("hospital", "医院"),
                            ("venue", "场馆"),
                            ("other", "其他"),
                        ],
                        max_length=16,
                        verbose_name="机构类型",
                    ),
                ),
                (
                    "climate_zone",
                    models.CharField(
                        choices=[
                            ("severe_cold", "严寒地区"),
                            ("cold", "寒冷地区"),
                            ("hscw", "夏热冬冷地区"),
                            ("hsww", "夏热冬暖地区"),
                            ("mild", "温和地区"),
                        ],
                        max_length=16,
                        verbose_name="气候区",
                    ),
                ),
                (
                    "grid_region",
                    models.CharField(
                        choices=[
                            ("national", "全国平均"),
                            ("north", "华北"),
                            ("northeast", "东北"),
                            ("east", "华东"),
                            ("central", "华中"),
                            ("northwest", "西北"),
                            ("south", "南方"),
                            ("southwest", "西南"),
                        ],
                        default="national",
                        max_length=16,
                        verbose_name="电网区域",
                    ),
                ),
                ("building_area", models.DecimalField(decimal_places=2, max_digits=12, verbose_name="建筑面积（m²）")),
                ("area_from_officespace", models.BooleanField(default=False, verbose_name="面积取自办公用房")),
                (
                    "heated_area",
                    models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name="采暖面积（m²）"),
                ),
                ("energy_users", models.PositiveIntegerField(verbose_name="用能人数")),
                ("users_from_directory", models.BooleanField(default=False, verbose_name="人数取自组织机构")),
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
                        verbose_name="公共机构",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 公共机构基本信息",
                "verbose_name_plural": "historical 公共机构基本信息",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalQuota",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("agency", "机关"),
                            ("university", "高校"),
                            ("school", "中小学"),
                            ("hospital", "医院"),
                            ("venue", "场馆"),
                            ("other", "其他"),
                        ],
                        max_length=16,
                        verbose_name="机构类型",
                    ),
                ),
                (
                    "climate_zone",
                    models.CharField(
                        choices=[
                            ("severe_cold", "严寒地区"),
                            ("cold", "寒冷地区"),
                            ("hscw", "夏热冬冷地区"),
                            ("hsww", "夏热冬暖地区"),
                            ("mild", "温和地区"),
                        ],
                        max_length=16,
                        verbose_name="气候区",
                    ),
                ),
                (
                    "indicator",
                    models.CharField(
                        choices=[
                            ("energy_per_m2", "单位建筑面积能耗（kgce/m²）"),
                            ("energy_per_person", "人均综合能耗（kgce/人）"),
                            ("water_per_person", "人均用水量（m³/人）"),
                            ("co2_per_m2", "单位建筑面积碳排放（kgCO₂/m²）"),
                        ],
                        max_length=24,
                        verbose_name="指标",
                    ),
                ),
                ("cap", models.DecimalField(decimal_places=2, max_digits=10, verbose_name="约束值")),
                (
                    "base",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True, verbose_name="基准值"),
                ),
                (
                    "guide",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True, verbose_name="引导值"),
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
                "verbose_name": "historical 能耗定额",
                "verbose_name_plural": "historical 能耗定额",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalTarget",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "indicator",
                    models.CharField(
                        choices=[
                            ("energy_per_m2", "单位建筑面积能耗（kgce/m²）"),
                            ("energy_per_person", "人均综合能耗（kgce/人）"),
                            ("water_per_person", "人均用水量（m³/人）"),
                            ("co2_per_m2", "单位建筑面积碳排放（kgCO₂/m²）"),
                        ],
                        db_index=True,
                        max_length=24,
                        verbose_name="指标",
                    ),
                ),
                (
                    "reduction_pct",
                    models.DecimalField(decimal_places=2, max_digits=5, verbose_name="较基准年下降（%）"),
                ),
                ("baseline_year", models.PositiveIntegerField(default=2020, verbose_name="基准年")),
                ("target_year", models.PositiveIntegerField(default=2025, verbose_name="目标年")),
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
                "verbose_name": "historical 节能目标",
                "verbose_name_plural": "historical 节能目标",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Quota",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("agency", "机关"),
                            ("university", "高校"),
                            ("school", "中小学"),
                            ("hospital", "医院"),
                            ("venue", "场馆"),
                            ("other", "其他"),
                        ],
                        max_length=16,
                        verbose_name="机构类型",
                    ),
                ),
                (
                    "climate_zone",
                    models.CharField(
                        choices=[
                            ("severe_cold", "严寒地区"),
                            ("cold", "寒冷地区"),
                            ("hscw", "夏热冬冷地区"),
                            ("hsww", "夏热冬暖地区"),
                            ("mild", "温和地区"),
                        ],
                        max_length=16,
                        verbose_name="气候区",
                    ),
                ),
                (
                    "indicator",
                    models.CharField(
                        choices=[
                            ("energy_per_m2", "单位建筑面积能耗（kgce/m²）"),
                            ("energy_per_person", "人均综合能耗（kgce/人）"),
                            ("water_per_person", "人均用水量（m³/人）"),
                            ("co2_per_m2", "单位建筑面积碳排放（kgCO₂/m²）"),
                        ],
                        max_length=24,
                        verbose_name="指标",
                    ),
                ),
                ("cap", models.DecimalField(decimal_places=2, max_digits=10, verbose_name="约束值")),
                (
                    "base",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True, verbose_name="基准值"),
                ),
                (
                    "guide",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True, verbose_name="引导值"),
                ),
                ("source", models.CharField(blank=True, max_length=200, verbose_name="依据")),
            ],
            options={
                "verbose_name": "能耗定额",
                "verbose_name_plural": "能耗定额",
                "ordering": ["category", "climate_zone", "indicator"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("category", "climate_zone", "indicator"), name="energy_quota_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("base__isnull", True), ("base__lte", models.F("cap")), _connector="OR"),
                            models.Q(("guide__isnull", True), ("guide__lte", models.F("cap")), _connector="OR"),
                        ),
                        name="energy_quota_ordered",
                        violation_error_message="基准值、引导值不能高于约束值。",
                    ),
                ],
                "indexes": [],
            },
        ),
        migrations.CreateModel(
            name="ReportingPeriod",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                (
                    "quarter",
                    models.PositiveSmallIntegerField(help_text="1–4 为季度报，0 为年报。", verbose_name="季度"),
                ),
                ("due_date", models.DateField(blank=True, null=True, verbose_name="报送截止日")),
            ],
            options={
                "verbose_name": "报送期",
                "verbose_name_plural": "报送期",
                "ordering": ["-year", "-quarter"],
                "constraints": [
                    models.UniqueConstraint(fields=("year", "quarter"), name="energy_period_unique"),
                    models.CheckConstraint(condition=models.Q(("quarter__lte", 4)), name="energy_period_quarter"),
                ],
                "indexes": [],
            },
        ),
        migrations.CreateModel(
            name="HistoricalSubmission",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("version", models.PositiveSmallIntegerField(default=1, verbose_name="版本")),
                ("correction_reason", models.TextField(blank=True, verbose_name="更正原因")),
                ("warnings", models.JSONField(blank=True, default=list, verbose_name="审核提示")),
                ("acknowledged", models.BooleanField(default=False, verbose_name="审核提示已确认")),
                ("figures", models.JSONField(blank=True, default=dict, verbose_name="报送数据快照")),
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
                        verbose_name="公共机构",
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="energy.reportingperiod",
                        verbose_name="报送期",
                    ),
                ),
                ("superseded", models.BooleanField(default=False, verbose_name="已被更正版本替代")),
                (
                    "ticket",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="portal.ticket",
                        verbose_name="申请",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 能耗数据报送",
                "verbose_name_plural": "historical 能耗数据报送",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Submission",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.PositiveSmallIntegerField(default=1, verbose_name="版本")),
                ("correction_reason", models.TextField(blank=True, verbose_name="更正原因")),
                ("warnings", models.JSONField(blank=True, default=list, verbose_name="审核提示")),
                ("acknowledged", models.BooleanField(default=False, verbose_name="审核提示已确认")),
                ("figures", models.JSONField(blank=True, default=dict, verbose_name="报送数据快照")),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="公共机构",
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="submissions",
                        to="energy.reportingperiod",
                        verbose_name="报送期",
                    ),
                ),
                ("superseded", models.BooleanField(default=False, verbose_name="已被更正版本替代")),
            ],
            options={
                "verbose_name": "能耗数据报送",
                "verbose_name_plural": "能耗数据报送",
                "ordering": ["-period__year", "-period__quarter", "org_unit__path", "-version"],
                "indexes": [],
                "constraints": [
                    models.UniqueConstraint(fields=("period", "org_unit", "version"), name="energy_submission_unique")
                ],
            },
        ),
        # Added after the table, as the chain did (0004): its unique index then comes after the period's, so a row
        # that breaks both is refused by the period's first, on a fresh database as on a migrated one.
        migrations.AddField(
            model_name="submission",
            name="ticket",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="portal.ticket",
                verbose_name="申请",
            ),
        ),
        migrations.CreateModel(
            name="Target",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "indicator",
                    models.CharField(
                        choices=[
                            ("energy_per_m2", "单位建筑面积能耗（kgce/m²）"),
                            ("energy_per_person", "人均综合能耗（kgce/人）"),
                            ("water_per_person", "人均用水量（m³/人）"),
                            ("co2_per_m2", "单位建筑面积碳排放（kgCO₂/m²）"),
                        ],
                        max_length=24,
                        unique=True,
                        verbose_name="指标",
                    ),
                ),
                (
                    "reduction_pct",
                    models.DecimalField(decimal_places=2, max_digits=5, verbose_name="较基准年下降（%）"),
                ),
                ("baseline_year", models.PositiveIntegerField(default=2020, verbose_name="基准年")),
                ("target_year", models.PositiveIntegerField(default=2025, verbose_name="目标年")),
                ("source", models.CharField(blank=True, max_length=200, verbose_name="依据")),
            ],
            options={
                "verbose_name": "节能目标",
                "verbose_name_plural": "节能目标",
                "ordering": ["indicator"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("target_year__gt", models.F("baseline_year"))),
                        name="energy_target_years",
                        violation_error_message="目标年必须晚于基准年。",
                    )
                ],
                "indexes": [],
            },
        ),
        migrations.CreateModel(
            name="Anomaly",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("month", models.PositiveSmallIntegerField(verbose_name="月份")),
                (
                    "energy_type",
                    models.CharField(
                        choices=[
                            ("electricity", "电"),
                            ("water", "水"),
                            ("coal", "煤炭"),
                            ("natural_gas", "天然气"),
                            ("lpg", "液化石油气"),
                            ("town_gas", "人工煤气"),
                            ("gasoline", "汽油"),
                            ("diesel", "柴油"),
                            ("kerosene", "煤油"),
                            ("heat", "热力"),
                            ("other", "其他能源"),
                        ],
                        max_length=16,
                        verbose_name="能源品种",
                    ),
                ),
                ("value", models.DecimalField(decimal_places=4, max_digits=18, verbose_name="当月量（基准单位）")),
                (
                    "robust_z",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True, verbose_name="稳健Z值"),
                ),
                (
                    "same_month_change_pct",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=10, null=True, verbose_name="较上年同月（%）"
                    ),
                ),
                ("reason", models.CharField(max_length=200, verbose_name="说明")),
                ("detected_at", models.DateTimeField(auto_now=True, verbose_name="发现时间")),
                ("is_resolved", models.BooleanField(default=False, verbose_name="已处理")),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="公共机构",
                    ),
                ),
            ],
            options={
                "verbose_name": "能耗异常",
                "verbose_name_plural": "能耗异常",
                "ordering": ["-year", "-month", "org_unit__path"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("org_unit", "year", "month", "energy_type"), name="energy_anomaly_unique"
                    )
                ],
                "indexes": [],
            },
        ),
        migrations.CreateModel(
            name="Coefficient",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "energy_type",
                    models.CharField(
                        choices=[
                            ("electricity", "电"),
                            ("water", "水"),
                            ("coal", "煤炭"),
                            ("natural_gas", "天然气"),
                            ("lpg", "液化石油气"),
                            ("town_gas", "人工煤气"),
                            ("gasoline", "汽油"),
                            ("diesel", "柴油"),
                            ("kerosene", "煤油"),
                            ("heat", "热力"),
                            ("other", "其他能源"),
                        ],
                        max_length=16,
                        verbose_name="能源品种",
                    ),
                ),
                (
                    "kgce_per_unit",
                    models.DecimalField(decimal_places=6, max_digits=12, verbose_name="折标准煤系数（kgce/基准单位）"),
                ),
                (
                    "kgco2_per_unit",
                    models.DecimalField(
                        decimal_places=6,
                        help_text="电力按年度电网排放因子，此处不用。",
                        max_digits=12,
                        verbose_name="CO₂排放因子（kgCO₂/基准单位）",
                    ),
                ),
                (
                    "density",
                    models.DecimalField(
                        blank=True, decimal_places=4, max_digits=8, null=True, verbose_name="密度（kg/L）"
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="coefficients",
                        to="energy.coefficientversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "折算系数",
                "verbose_name_plural": "折算系数",
                "ordering": ["version", "energy_type"],
                "constraints": [
                    models.UniqueConstraint(fields=("version", "energy_type"), name="energy_coefficient_unique")
                ],
                "indexes": [],
            },
        ),
        migrations.CreateModel(
            name="ConsumptionRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("month", models.PositiveSmallIntegerField(verbose_name="月份")),
                (
                    "energy_type",
                    models.CharField(
                        choices=[
                            ("electricity", "电"),
                            ("water", "水"),
                            ("coal", "煤炭"),
                            ("natural_gas", "天然气"),
                            ("lpg", "液化石油气"),
                            ("town_gas", "人工煤气"),
                            ("gasoline", "汽油"),
                            ("diesel", "柴油"),
                            ("kerosene", "煤油"),
                            ("heat", "热力"),
                            ("other", "其他能源"),
                        ],
                        max_length=16,
                        verbose_name="能源品种",
                    ),
                ),
                ("quantity", models.DecimalField(decimal_places=3, max_digits=16, verbose_name="实物量")),
                ("unit", models.CharField(max_length=8, verbose_name="计量单位")),
                (
                    "cost",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="金额（元）"
                    ),
                ),
                (
                    "collection",
                    models.CharField(
                        choices=[
                            ("metered_paid", "计量付费"),
                            ("metered_unpaid", "计量不付费"),
                            ("unmetered_paid", "不计量付费"),
                            ("unmetered_unpaid", "不计量不付费"),
                        ],
                        default="metered_paid",
                        max_length=20,
                        verbose_name="采集方式",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("form", "表单填报"),
                            ("import", "Excel导入"),
                            ("api", "接口"),
                            ("vehicles", "公务用车（自动汇总）"),
                        ],
                        default="form",
                        max_length=12,
                        verbose_name="来源",
                    ),
                ),
                ("base_quantity", models.DecimalField(decimal_places=4, max_digits=18, verbose_name="折基准单位量")),
                ("kgce", models.DecimalField(decimal_places=4, max_digits=18, verbose_name="折标准煤（kgce）")),
                ("kgco2", models.DecimalField(decimal_places=4, max_digits=18, verbose_name="CO₂（kg）")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "coefficient_version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="energy.coefficientversion",
                        verbose_name="折算系数版本",
                    ),
                ),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="公共机构",
                    ),
                ),
            ],
            options={
                "verbose_name": "能源资源消费记录",
                "verbose_name_plural": "能源资源消费记录",
                "ordering": ["org_unit__path", "-year", "-month", "energy_type"],
                "indexes": [models.Index(fields=["year", "org_unit"], name="energy_record_year_unit")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("org_unit", "year", "month", "energy_type"), name="energy_record_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("month__gte", 1), ("month__lte", 12)),
                        name="energy_record_month",
                        violation_error_message="月份应为1–12。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("quantity__gte", 0)),
                        name="energy_record_quantity",
                        violation_error_message="实物量不能为负数。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("cost__isnull", True), ("cost__gte", 0), _connector="OR"),
                        name="energy_record_cost",
                        violation_error_message="金额不能为负数。",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="GridFactor",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveIntegerField(verbose_name="数据年度")),
                (
                    "region",
                    models.CharField(
                        choices=[
                            ("national", "全国平均"),
                            ("north", "华北"),
                            ("northeast", "东北"),
                            ("east", "华东"),
                            ("central", "华中"),
                            ("northwest", "西北"),
                            ("south", "南方"),
                            ("southwest", "西南"),
                        ],
                        default="national",
                        max_length=16,
                        verbose_name="区域",
                    ),
                ),
                (
                    "kgco2_per_kwh",
                    models.DecimalField(decimal_places=4, max_digits=8, verbose_name="电网排放因子（kgCO₂/kWh）"),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="grid_factors",
                        to="energy.coefficientversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "电网排放因子",
                "verbose_name_plural": "电网排放因子",
                "ordering": ["version", "year", "region"],
                "constraints": [
                    models.UniqueConstraint(fields=("version", "year", "region"), name="energy_grid_factor_unique")
                ],
                "indexes": [],
            },
        ),
        migrations.CreateModel(
            name="InstitutionProfile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveIntegerField(verbose_name="年度")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("agency", "机关"),
                            ("university", "高校"),
                            ("school", "中小学"),
                            ("hospital", "医院"),
                            ("venue", "场馆"),
                            ("other", "其他"),
                        ],
                        max_length=16,
                        verbose_name="机构类型",
                    ),
                ),
                (
                    "climate_zone",
                    models.CharField(
                        choices=[
                            ("severe_cold", "严寒地区"),
                            ("cold", "寒冷地区"),
                            ("hscw", "夏热冬冷地区"),
                            ("hsww", "夏热冬暖地区"),
                            ("mild", "温和地区"),
                        ],
                        max_length=16,
                        verbose_name="气候区",
                    ),
                ),
                (
                    "grid_region",
                    models.CharField(
                        choices=[
                            ("national", "全国平均"),
                            ("north", "华北"),
                            ("northeast", "东北"),
                            ("east", "华东"),
                            ("central", "华中"),
                            ("northwest", "西北"),
                            ("south", "南方"),
                            ("southwest", "西南"),
                        ],
                        default="national",
                        max_length=16,
                        verbose_name="电网区域",
                    ),
                ),
                ("building_area", models.DecimalField(decimal_places=2, max_digits=12, verbose_name="建筑面积（m²）")),
                ("area_from_officespace", models.BooleanField(default=False, verbose_name="面积取自办公用房")),
                (
                    "heated_area",
                    models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name="采暖面积（m²）"),
                ),
                ("energy_users", models.PositiveIntegerField(verbose_name="用能人数")),
                ("users_from_directory", models.BooleanField(default=False, verbose_name="人数取自组织机构")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="公共机构",
                    ),
                ),
            ],
            options={
                "verbose_name": "公共机构基本信息",
                "verbose_name_plural": "公共机构基本信息",
                "ordering": ["org_unit__path", "-year"],
                "constraints": [
                    models.UniqueConstraint(fields=("org_unit", "year"), name="energy_profile_unique"),
                    models.CheckConstraint(
                        condition=models.Q(("building_area__gt", 0)),
                        name="energy_profile_area_positive",
                        violation_error_message="建筑面积必须大于0。",
                    ),
                ],
                "indexes": [],
            },
        ),
        migrations.CreateModel(
            name="HistoricalProfileCorrection",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("year", models.PositiveIntegerField(verbose_name="年度")),
                (
                    "field",
                    models.CharField(
                        choices=[
                            ("category", "机构类型"),
                            ("climate_zone", "气候区"),
                            ("grid_region", "电网区域"),
                            ("building_area", "建筑面积（m²）"),
                            ("energy_users", "用能人数"),
                        ],
                        max_length=16,
                        verbose_name="更正项目",
                    ),
                ),
                (
                    "value",
                    models.CharField(
                        blank=True, help_text="留空表示撤销更正，恢复取数。", max_length=32, verbose_name="更正值"
                    ),
                ),
                ("derived_value", models.CharField(blank=True, max_length=32, verbose_name="更正时的取数值")),
                ("reason", models.TextField(verbose_name="更正原因")),
                (
                    "document",
                    models.TextField(
                        max_length=100,
                        validators=[
                            django.core.validators.FileExtensionValidator(
                                ["doc", "docx", "jpeg", "jpg", "pdf", "png", "txt", "xls", "xlsx"],
                                message="依据文件只能是PDF、图片或Office文档。",
                            )
                        ],
                        verbose_name="依据文件",
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="登记时间")),
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
                        verbose_name="登记人",
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
                        verbose_name="公共机构",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 基本信息更正",
                "verbose_name_plural": "historical 基本信息更正",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "indexes": [],
                "constraints": [],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ProfileCorrection",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveIntegerField(verbose_name="年度")),
                (
                    "field",
                    models.CharField(
                        choices=[
                            ("category", "机构类型"),
                            ("climate_zone", "气候区"),
                            ("grid_region", "电网区域"),
                            ("building_area", "建筑面积（m²）"),
                            ("energy_users", "用能人数"),
                        ],
                        max_length=16,
                        verbose_name="更正项目",
                    ),
                ),
                (
                    "value",
                    models.CharField(
                        blank=True, help_text="留空表示撤销更正，恢复取数。", max_length=32, verbose_name="更正值"
                    ),
                ),
                ("derived_value", models.CharField(blank=True, max_length=32, verbose_name="更正时的取数值")),
                ("reason", models.TextField(verbose_name="更正原因")),
                (
                    "document",
                    models.FileField(
                        upload_to="energy/corrections/%Y/",
                        validators=[
                            django.core.validators.FileExtensionValidator(
                                ["doc", "docx", "jpeg", "jpg", "pdf", "png", "txt", "xls", "xlsx"],
                                message="依据文件只能是PDF、图片或Office文档。",
                            )
                        ],
                        verbose_name="依据文件",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
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
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="公共机构",
                    ),
                ),
            ],
            options={
                "verbose_name": "基本信息更正",
                "verbose_name_plural": "基本信息更正",
                "ordering": ["org_unit__path", "-year", "field", "-created_at", "-pk"],
                "indexes": [models.Index(fields=["org_unit", "year", "field"], name="energy_correction_lookup")],
                "constraints": [],
            },
        ),
        migrations.RunPython(deferred_sql_now, migrations.RunPython.noop),
        migrations.RunPython(seed, migrations.RunPython.noop),  # 0002_seed_tables
        migrations.RunPython(partition, unpartition),  # 0006_records_partitioned_by_month_on_postgresql
    ]
