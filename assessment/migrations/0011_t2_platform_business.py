"""数字平台构建 (T2) is now the share of the unit's business handled on the platform — requests, energy
reports, dispatches and asset movements, pooled (issue #18; ``rules.PLATFORM_PARTS``) — no longer the
share of its portal requests that were closed. The seeded TOE framework's T2 follows, where its source
and definition are still as shipped by 0002 (an administrator's edit is kept). New sources: the domains
in use and 一数一源."""

from django.db import migrations, models

OLD_SOURCE = "portal_online"
NEW_SOURCE = "platform_business"
OLD = "机关事务业务在平台上的办理程度：服务门户中网上提交并网上办结的申请占全部已提交申请的比例"
NEW = "机关事务业务在平台上的办理程度：申请、能耗报送、用车派车、资产变动中经平台办理的比例（合并计数，见计算公式）"


def forwards(apps, schema_editor):
    Indicator = apps.get_model("assessment", "Indicator")
    Indicator.objects.filter(framework__code="TOE", code="T2", source=OLD_SOURCE, definition=OLD).update(
        source=NEW_SOURCE, definition=NEW
    )


def backwards(apps, schema_editor):
    Indicator = apps.get_model("assessment", "Indicator")
    Indicator.objects.filter(framework__code="TOE", code="T2", source=NEW_SOURCE, definition=NEW).update(
        source=OLD_SOURCE, definition=OLD
    )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0010_attachment_refusal_in_chinese")]
    operations = [
        migrations.AlterField(
            model_name="indicator",
            name="source",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "—"),
                    ("portal_online", "服务门户网上申请并网上办结的比例（%）"),
                    ("adjacent_mean", "相邻省份同一指标的平均值"),
                    ("portal_on_time", "服务门户已办结申请中在办结时限内办结的比例（%）"),
                    ("portal_satisfaction", "服务门户已评价申请的平均满意度（1–5 分）"),
                    ("portal_domains", "已通过服务门户办理业务的领域占平台全部业务领域的比例（%）"),
                    ("sharing_entries", "数据共享：本单位（含下级）提供的已发布数据目录条目数"),
                    ("sharing_grants", "数据共享：本单位（含下级）给出与获得的共享授权数（评估年度内有效）"),
                    ("sharing_calls", "数据共享：本单位（含下级）评估年度内成功的数据交换调用次数"),
                    ("platform_business", "数字平台构建：本单位业务在平台上办理的比例（%）"),
                    ("platform_domains", "数字平台构建：在平台上办理过业务的领域数"),
                    ("one_source", "一数一源：本单位跨应用事实取自来源（而非重复录入）的比例（%）"),
                ],
                max_length=20,
                verbose_name="计算来源",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
