"""资产领用 used a category list of its own (办公设备, 计算机及外设, 家具, 办公用品, 其他); it now uses the
GB/T 14885-2022 classification the cards use. The old values become the nearest class's code (办公用品 are
用具 under A05 家具和用具; 其他 the top class A02 设备); the next migration makes the column a key."""

from django.db import migrations

OLD_TO_CODE = {
    "office_equipment": "A0202",  # 办公设备
    "computer": "A0201",  # 信息化设备 (计算机及外设)
    "furniture": "A0501",  # 家具
    "supplies": "A05",  # 家具和用具
    "other": "A02",  # 设备
}


def forwards(apps, schema_editor):
    for name in ("AssetRequisition", "AssetIssueRecord"):
        model = apps.get_model("assets", name)
        for old, code in OLD_TO_CODE.items():
            model.objects.filter(category=old).update(category=code)


def backwards(apps, schema_editor):
    for name in ("AssetRequisition", "AssetIssueRecord"):
        model = apps.get_model("assets", name)
        for old, code in OLD_TO_CODE.items():
            model.objects.filter(category=code).update(category=old)
        model.objects.exclude(category__in=list(OLD_TO_CODE)).update(category="other")


class Migration(migrations.Migration):
    dependencies = [("assets", "0007_card_building_and_early_disposal")]

    # elidable: it only converts rows that existed before; a fresh database has none, so the squash leaves it out.
    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
