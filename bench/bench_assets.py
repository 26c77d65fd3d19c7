"""Assets benchmark: the Excel import of asset cards and the monthly depreciation posting.

- ``assets.import_xlsx`` (rows/s): 100,000 card rows (× --scale) written to an .xlsx with openpyxl,
  then ``imports.read_xlsx`` + ``imports.import_cards`` (validate every row, then bulk-insert the
  cards, their history rows and their booking movements, all in one transaction). The time to
  write the file is reported separately (``assets.write_xlsx``) and not counted.
- ``assets.depreciation_month`` (rows/s): one month's ``services.post_depreciation`` over
  1,000,000 depreciating cards (× --scale): the import's cards plus cards generated in SQL
  (``generate_series``). One INSERT … SELECT of the entries and one UPDATE … FROM of the cards.
- ``assets.depreciation_rerun`` (s): the same month again (posts nothing: idempotent).
"""

import os
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal

from django.db import connection
from openpyxl import Workbook

from assets import imports, services
from assets.models import Asset, Category, DepreciationEntry
from datahub.models import OrgUnit, User

IMPORT_ROWS = 100_000
CARDS = 1_000_000
MONTH = date(2026, 10, 1)


def _scale() -> float:
    if "--scale" in sys.argv:
        return float(sys.argv[sys.argv.index("--scale") + 1])
    for arg in sys.argv:
        if arg.startswith("--scale="):
            return float(arg.split("=", 1)[1])
    return 1.0


def _actor() -> User:
    user = User.objects.filter(is_superuser=True).first()
    if user is None:
        user = User.objects.create(username="bench-assets", name="基准测试", is_superuser=True, is_staff=True)
    return user


def _write_xlsx(path: str, rows: int, unit_codes: list[str]) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(imports.COLUMNS))
    codes = [("A02010105", "台式计算机", 4800), ("A02010108", "便携式计算机", 6500), ("A05010502", "文件柜", 1800),
             ("A020210", "打印机", 2400), ("A0203", "公务轿车", 150000)]  # fmt: skip
    for i in range(rows):
        code, name, value = codes[i % len(codes)]
        sheet.append([f"IMP{i:08d}", name, code, "型号", 1, "台", value + i % 100, "2025-06-10", "购置", "财政拨款",
                      unit_codes[i % len(unit_codes)], "2025-06-15", "", "", "", ""])  # fmt: skip
    book.save(path)


def _generate_cards(count: int, unit_ids: list[int], category_id: int) -> None:
    """Cards straight in SQL (the import above is measured; this is only the depreciation's load)."""
    ids = "{" + ",".join(str(i) for i in unit_ids) + "}"
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO assets_asset (asset_number, name, category_id, spec, quantity, unit_of_measure,
                original_value, acquired_on, acquisition_way, funding_source, org_unit_id, status, under_repair,
                booked_on, lent_to_party, disposal_way, depreciates, useful_life_months, accumulated_depreciation,
                depreciated_months, next_depreciation_month, note, created_at)
            SELECT 'GEN' || lpad(g::text, 9, '0'), '台式计算机', %(cat)s, '', 1, '台',
                1000 + (g %% 9000) + (g %% 100) / 100.0, DATE '2024-01-10', 'purchase', 'fiscal',
                (%(ids)s::bigint[])[1 + g %% %(n)s], 'in_use', false,
                DATE '2024-01-15', '', '', true, 72, 0, 0, %(month)s, '', now()
            FROM generate_series(1, %(count)s) AS g
            """,
            {"cat": category_id, "ids": ids, "n": len(unit_ids), "month": MONTH, "count": count},
        )
        cursor.execute("ANALYZE assets_asset")


def run():
    scale = _scale()
    import_rows = max(1000, int(IMPORT_ROWS * scale))
    cards = max(import_rows, int(CARDS * scale))
    actor = _actor()
    units = list(OrgUnit.objects.filter(level=OrgUnit.Level.INSTITUTION, is_active=True).values_list("code", "pk"))
    if not units:
        units = [(u.code, u.pk) for u in OrgUnit.objects.filter(is_active=True)[:1]]

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "cards.xlsx")
        t = time.perf_counter()
        _write_xlsx(path, import_rows, [c for c, _ in units])
        yield {
            "name": "assets.write_xlsx",
            "value": round(time.perf_counter() - t, 2),
            "unit": "s",
            "rows": import_rows,
        }

        t = time.perf_counter()
        with open(path, "rb") as fh:
            rows = imports.read_xlsx(fh)
        read_s = time.perf_counter() - t
        result = imports.import_cards(actor=actor, rows=rows)
        seconds = time.perf_counter() - t
    yield {
        "name": "assets.import_xlsx",
        "value": round(import_rows / seconds),
        "unit": "rows/s",
        "rows": import_rows,
        "seconds": round(seconds, 2),
        "read_seconds": round(read_s, 2),
        "created": result.created,
    }

    # Bring the imported cards to the bench month, then add generated cards up to the total.
    Asset.objects.update(next_depreciation_month=MONTH)
    desktop = Category.objects.get(code="A02010105")
    t = time.perf_counter()
    _generate_cards(cards - import_rows, [pk for _, pk in units], desktop.pk)
    yield {"name": "assets.generate_cards", "value": round(time.perf_counter() - t, 2), "unit": "s", "cards": cards}

    t = time.perf_counter()
    runs = services.post_depreciation(month=MONTH)
    seconds = time.perf_counter() - t
    posted = DepreciationEntry.objects.filter(month=MONTH).count()
    yield {
        "name": "assets.depreciation_month",
        "value": round(posted / seconds),
        "unit": "rows/s",
        "cards": posted,
        "seconds": round(seconds, 2),
        "total": str(runs[-1].total if runs else Decimal("0")),
    }

    t = time.perf_counter()
    services.post_depreciation(month=MONTH)
    yield {"name": "assets.depreciation_rerun", "value": round(time.perf_counter() - t, 2), "unit": "s",
           "entries": DepreciationEntry.objects.filter(month=MONTH).count()}  # fmt: skip
