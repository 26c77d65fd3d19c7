"""府际竞争压力 (E2) is now the mean of the neighbouring provinces' outcome (issue #18, the study's
adjacency method), no longer of their 数字政府发展水平: say so in the seeded TOE framework, where
its definition still reads as shipped by 0002. A definition edited by an administrator is kept."""

from django.db import migrations

OLD = "相邻省份数字政府发展水平（T1）的平均值"
NEW = "相邻省份机关事务数字化转型质量（结果变量 Y）的平均值（邻接法）"


def forwards(apps, schema_editor):
    Indicator = apps.get_model("assessment", "Indicator")
    Indicator.objects.filter(framework__code="TOE", code="E2", definition=OLD).update(definition=NEW)


def backwards(apps, schema_editor):
    Indicator = apps.get_model("assessment", "Indicator")
    Indicator.objects.filter(framework__code="TOE", code="E2", definition=NEW).update(definition=OLD)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0004_attachment_content_check")]
    operations = [migrations.RunPython(forwards, backwards)]
