"""Seed the 2014 office-area standard and the rank mapping from officespace.rules (then editable)."""

from django.db import migrations

# The defaults as they stand in rules.py when the migration runs; afterwards the tables are edited, not rules.py.
from officespace.rules import RANK_MAPPING, STANDARD_VERSION, STANDARDS


def seed(apps, schema_editor):
    StandardVersion = apps.get_model("officespace", "StandardVersion")
    AreaStandard = apps.get_model("officespace", "AreaStandard")
    RankMapping = apps.get_model("officespace", "RankMapping")
    version, _ = StandardVersion.objects.get_or_create(
        code=STANDARD_VERSION["code"],
        defaults={"title": STANDARD_VERSION["title"], "effective_from": STANDARD_VERSION["effective_from"]},
    )
    for admin_class, rows in STANDARDS.items():
        for grade, (label, area) in rows.items():
            AreaStandard.objects.get_or_create(
                version=version, admin_class=str(admin_class), grade=grade, defaults={"label": label, "area": area}
            )
    for (source, code), grade in RANK_MAPPING.items():
        RankMapping.objects.get_or_create(source=source, code=code, defaults={"grade": grade})


class Migration(migrations.Migration):
    dependencies = [("officespace", "0003_ledger_standards_checks")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
