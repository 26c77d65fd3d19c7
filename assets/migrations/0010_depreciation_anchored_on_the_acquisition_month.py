"""Depreciation starts in the month the asset was acquired (政府会计准则第3号应用指南, REFERENCE §4.2), not the
month it was booked on this platform (#15). Cards booked before this change had their first month set from
the booking date; a card with nothing posted yet is re-anchored on its 取得日期 (plus the months an imported
opening balance already counts). A card with posted months keeps them: posted entries are the books."""

from django.db import migrations


def _add_months(month, n):
    index = month.year * 12 + month.month - 1 + n
    return month.replace(year=index // 12, month=index % 12 + 1, day=1)


def reanchor(apps, schema_editor):
    Asset = apps.get_model("assets", "Asset")
    DepreciationEntry = apps.get_model("assets", "DepreciationEntry")
    posted = DepreciationEntry.objects.values("asset_id")
    for card in Asset.objects.filter(next_depreciation_month__isnull=False).exclude(pk__in=posted).iterator():
        first = card.acquired_on.replace(day=1)
        wanted = _add_months(first, card.depreciated_months)
        if wanted != card.next_depreciation_month:
            card.next_depreciation_month = wanted
            card.save(update_fields=["next_depreciation_month"])


class Migration(migrations.Migration):
    dependencies = [("assets", "0009_requisition_category_is_a_gbt14885_key")]

    # elidable: it only converts rows that existed before; a fresh database has none, so the squash leaves it out.
    operations = [migrations.RunPython(reanchor, migrations.RunPython.noop, elidable=True)]
