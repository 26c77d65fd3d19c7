"""commandcenter 0001–0003 squashed: what a fresh database runs instead of the chain (kept beside it for
databases that ran it; delete the old files once every deployment has). The model state after the chain, one
CreateModel per model with its final fields in column order (a relation closing a cycle added after, as the
chain did); the state equals the chain's (tests/test_migrations_squashed.py).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ("commandcenter", "0001_rollup"),
        ("commandcenter", "0002_subtree_month"),
        ("commandcenter", "0003_unitmonth_bulk"),
    ]

    dependencies = [
        ("datahub", "0012_trail_partitioned_by_month_and_append_only_on_postgresql"),
    ]

    operations = [
        migrations.CreateModel(
            name="UnitMonth",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(verbose_name="月份")),
                ("key", models.CharField(max_length=40, verbose_name="指标")),
                ("value", models.DecimalField(decimal_places=4, max_digits=20, verbose_name="数值")),
                ("refreshed_at", models.DateTimeField(auto_now=True, verbose_name="刷新时间")),
                (
                    "org_unit",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "月度汇总",
                "verbose_name_plural": "月度汇总",
                "indexes": [],
                "constraints": [models.UniqueConstraint(fields=("org_unit", "month", "key"), name="unitmonth_unique")],
            },
        ),
        migrations.CreateModel(
            name="SubtreeMonth",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(verbose_name="月份")),
                ("key", models.CharField(max_length=40, verbose_name="指标")),
                ("value", models.DecimalField(decimal_places=4, max_digits=20, verbose_name="数值")),
                (
                    "org_unit",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "下级合计月度汇总",
                "verbose_name_plural": "下级合计月度汇总",
                "constraints": [
                    models.UniqueConstraint(fields=("org_unit", "month", "key"), name="subtreemonth_unique")
                ],
                "indexes": [],
            },
        ),
    ]
