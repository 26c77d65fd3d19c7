"""Seed the default TOE framework (version 1) from the six conditions of the provincial study.

The rows are copied here (not imported from rules.py) so this migration never changes; it is
idempotent: an existing TOE v1 is left as it is.
"""

from decimal import Decimal

from django.db import migrations

NAME = "机关事务数字化转型成熟度（TOE框架）"
NOTE = (
    "依据省级面板研究的六个条件变量（技术：数字政府发展水平、数字平台构建；组织：注意力分配、财政资源禀赋；"
    "环境：纵向垂直压力、府际竞争压力）与结果变量（机关事务数字化转型质量）。"
)
# (code, name, dimension, definition, unit, direction, weight, measurement, source, min, max)
ROWS = (
    ("T1", "数字政府发展水平", "T", "数字政府发展指数（一体化政务服务能力、在线服务成效度等综合评价，0–100）", "分", 1, "0.20", "entered", "", "0", "100"),
    ("T2", "数字平台构建", "T", "机关事务业务在平台上的办理程度：服务门户中网上提交并网上办结的申请占全部已提交申请的比例", "%", 1, "0.20", "computed", "portal_online", "0", "100"),
    ("O1", "注意力分配", "O", "政府工作报告等文件中与数字化、信息化相关词汇的词频（每万字）", "次/万字", 1, "0.15", "entered", "", "0", "1000"),
    ("O2", "财政资源禀赋", "O", "一般公共预算支出中科学技术与信息化相关支出的占比", "%", 1, "0.15", "entered", "", "0", "100"),
    ("E1", "纵向垂直压力", "E", "上级政府出台的机关事务数字化相关政策文件数量（当年）", "件", 1, "0.15", "entered", "", "0", "1000"),
    ("E2", "府际竞争压力", "E", "相邻省份数字政府发展水平（T1）的平均值", "分", 1, "0.15", "computed", "adjacent_mean", "0", "100"),
    ("Y", "机关事务数字化转型质量", "Y", "机关事务数字化转型质量综合评价（QCA 的结果变量，不计入成熟度指数）", "分", 1, "0", "entered", "", "0", "100"),
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


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
