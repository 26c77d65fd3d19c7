"""A fresh install gets the GB/T 14885-2022 category tree, the capitalisation threshold and the
configuration standard (assets/seeding.py; rerun with `manage.py load_asset_categories`)."""

from django.db import migrations


def seed(apps, schema_editor):
    from assets import seeding

    Category = apps.get_model("assets", "Category")
    seeding.load_categories(Category)
    seeding.load_thresholds(apps.get_model("assets", "CapitalisationThreshold"))
    seeding.load_config_standards(
        apps.get_model("assets", "ConfigStandardVersion"), apps.get_model("assets", "ConfigStandard"), Category
    )


class Migration(migrations.Migration):
    dependencies = [("assets", "0003_asset_cards")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
