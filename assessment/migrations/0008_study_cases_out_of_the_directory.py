"""Study cases leave the directory: the demo's 29 regions (OrgUnits ``QCA-DEMO-…`` under the root
``QCA-DEMO``) become ``StudyCase`` rows owned by the province the demo readers hold their grants on
(``ZJ``, else the first top-level real unit); their values and scores follow them, the rounds over
``QCA-DEMO`` become external rounds of that unit, and the units (with their grants) are deleted —
or, if another table still protects one, deactivated and renamed so no list shows them."""

from django.db import migrations, transaction
from django.db.models import ProtectedError

ROOT = "QCA-DEMO"


def forwards(apps, schema_editor):
    OrgUnit = apps.get_model("datahub", "OrgUnit")
    Round = apps.get_model("assessment", "Round")
    StudyCase = apps.get_model("assessment", "StudyCase")
    IndicatorValue = apps.get_model("assessment", "IndicatorValue")
    Score = apps.get_model("assessment", "Score")
    root = OrgUnit.objects.filter(code=ROOT).first()
    if root is None:
        return
    owner = (
        OrgUnit.objects.filter(code="ZJ").first()
        or OrgUnit.objects.filter(depth=1).exclude(pk=root.pk).order_by("path").first()
    )
    if owner is None:
        return
    units = list(OrgUnit.objects.filter(path__startswith=root.path).exclude(pk=root.pk).order_by("path"))
    for unit in units:
        code = unit.code.removeprefix(f"{ROOT}-")
        case, _ = StudyCase.objects.get_or_create(
            owner=owner,
            code=code,
            defaults={
                "name": unit.name.replace("（演示）", ""),
                "region_code": unit.region_code or "",
                "note": "演示数据",
            },
        )
        IndicatorValue.objects.filter(org_unit=unit).update(org_unit=None, study_case=case)
        Score.objects.filter(org_unit=unit).update(org_unit=None, study_case=case)
    Round.objects.filter(org_unit=root).update(org_unit=owner, external=True)
    for unit in [*reversed(units), root]:
        try:
            with transaction.atomic():
                OrgUnit.objects.filter(pk=unit.pk).delete()
        except ProtectedError:
            OrgUnit.objects.filter(pk=unit.pk).update(is_active=False, name=f"（已停用）{unit.code}")


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0007_study_cases"),
        ("datahub", "0012_trail_partitioned_by_month_and_append_only_on_postgresql"),
    ]

    # elidable: it only converts rows that existed before; a fresh database has none, so the squash leaves it out.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
