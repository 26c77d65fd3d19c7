"""The 专用设备 classes of 财会〔2017〕4号 table 1 (医疗、电力、核、航空航天、工程机械、安全生产、环境污染防治)
join the category tree flagged as special equipment, so their items are held to the 1,500元
capitalisation threshold (assets/seeding.py reloads the whole data file; idempotent)."""

from django.db import migrations


def seed(apps, schema_editor):
    from assets import seeding  # a migration loads the seeding module at run time, not at import

    seeding.load_categories(apps.get_model("assets", "Category"))


class Migration(migrations.Migration):
    dependencies = [("assets", "0005_depreciation_in_place")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
