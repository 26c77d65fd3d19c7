"""Assets benchmark: the Excel import of asset cards and the monthly depreciation posting.

- ``assets.import_xlsx`` (rows/s): 100,000 card rows (× --scale) written to an .xlsx with openpyxl,
  then ``imports.read_xlsx`` + ``imports.import_cards`` (validate every row, then bulk-insert the
  cards, their history rows and their booking movements, all in one transaction). The time to
  write the file is reported separately (``assets.write_xlsx``) and not counted.
- ``assets.import_copy_floor`` (rows/s): the floor of that import, in the same run — the cards it wrote, their
  history rows and their booking movements COPYed again into the three tables (read back beforehand, not
  timed; asset numbers renamed), in one transaction rolled back afterwards.
- ``assets.import_csv`` (rows/s): the same rows as a .csv (``CardImporter().read`` picks the CSV reader by
  the name), after the Excel import's cards are removed; ``vs_copy_floor`` = floor seconds ÷ import seconds.
- ``copy_floor_fk_checks_seconds``: the floor's deferred foreign-key checks, fired before its rollback and timed
  apart (a committed import runs them; the floor, rolled back, would not); with ``BENCH_ASSETS_PARTS=import``
  ``vs_copy_floor_with_fk_checks`` = (floor + those checks) ÷ import is printed beside ``vs_copy_floor``.
- ``rollup_seconds``: the command center's roll-up each import queues at its commit, run afterwards and not
  counted in the import's seconds (a worker runs it; the import job does not wait: see deferred_rollup.py).
- ``assets.depreciation_month`` (rows/s): one month's ``services.post_depreciation`` over
  1,000,000 depreciating cards (× --scale): the import's cards plus cards generated in SQL
  (``generate_series``). One INSERT … SELECT of the entries and one UPDATE … FROM of the cards.
- ``assets.depreciation_rerun`` (s): the same month again (posts nothing: idempotent).

``BENCH_ASSETS_PARTS=import`` runs only the .csv import (timed, then the floor against the cards it wrote): no
.xlsx import, no depreciation; with ``BENCH_ROLLUP=0`` the queued roll-up is not run (``rollup_seconds`` null).
"""

import csv
import os
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal

import deferred_rollup
from cleanup import vacuum
from django.db import connection, transaction
from django.db.models import Q
from openpyxl import Workbook

from assets import imports, services
from assets.models import Asset, Category, DepreciationEntry, DepreciationRun, Movement
from datahub.models import OrgUnit, User

IMPORT_ROWS = 100_000
CARDS = 1_000_000
MONTH = date(2026, 10, 1)
CSV_ONLY = os.environ.get("BENCH_ASSETS_PARTS", "") == "import"


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


def _write_csv(xlsx_path: str, path: str) -> None:
    """The same sheet as a .csv (as Excel's "CSV UTF-8" saves it)."""
    from openpyxl import load_workbook

    book = load_workbook(xlsx_path, read_only=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        for row in book.worksheets[0].iter_rows(values_only=True):
            out.writerow(["" if v is None else v for v in row])
    book.close()


def _remove_imported() -> None:
    """The imported cards gone with their history and movements (raw deletes: nothing else refers to them yet)."""
    cards = Asset.objects.filter(asset_number__startswith="IMP")
    Movement.objects.filter(asset__in=cards)._raw_delete(connection.alias)
    Asset.history.filter(asset_number__startswith="IMP")._raw_delete(connection.alias)
    cards._raw_delete(connection.alias)
    _vacuum_tables()


def _clear_previous() -> None:
    """--reuse: the cards of a previous run (imported and generated), with everything written about them."""
    cards = Asset.objects.filter(Q(asset_number__startswith="IMP") | Q(asset_number__startswith="GEN"))
    DepreciationEntry.objects.filter(asset__in=cards)._raw_delete(connection.alias)
    DepreciationRun.objects.filter(month__gte=MONTH)._raw_delete(connection.alias)
    Movement.objects.filter(asset__in=cards)._raw_delete(connection.alias)
    Asset.history.filter(Q(asset_number__startswith="IMP") | Q(asset_number__startswith="GEN"))._raw_delete(
        connection.alias
    )
    cards._raw_delete(connection.alias)
    _vacuum_tables()


FLOOR_FK_CHECKS = [0.0]  # seconds of the last floor's foreign-key checks


def _copy_floor() -> float:
    """Seconds to COPY the imported cards, their history rows and their movements once more (rolled back)."""
    history = Asset.history.model
    fields = [f.column for f in Asset._meta.concrete_fields if not f.primary_key and f.column != "asset_number"]
    tracked = [f.column for f in history._meta.concrete_fields if f.column not in ("asset_number", "history_id")]
    moves = [f.column for f in Movement._meta.concrete_fields if not f.primary_key]
    where = "asset_number LIKE 'IMP%%'"
    tables = [
        (Asset._meta.db_table, ["asset_number", *fields], f"SELECT asset_number, {', '.join(fields)} FROM {{t}} WHERE {where}"),
        (history._meta.db_table, ["asset_number", *tracked],
         f"SELECT asset_number, {', '.join(tracked)} FROM {{t}} WHERE {where}"),
        (Movement._meta.db_table, moves, f"SELECT {', '.join(moves)} FROM {{t}} WHERE asset_id IN "
         f"(SELECT id FROM assets_asset WHERE {where})"),
    ]  # fmt: skip
    data = []
    with connection.cursor() as cursor:
        for table, columns, select in tables:
            chunks = []
            with cursor.cursor.copy(f"COPY ({select.format(t=table).replace('%%', '%')}) TO STDOUT") as copy:
                chunks = [bytes(c) for c in copy]
            text = b"".join(chunks).decode()
            if columns[0] == "asset_number":  # new numbers: the cards' are unique
                text = "\n".join("FLR" + line[3:] for line in text.splitlines()) + "\n"
            data.append((table, columns, text))
    with transaction.atomic():
        with connection.cursor() as cursor:
            t = time.perf_counter()
            for table, columns, text in data:
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    copy.write(text)
            seconds = time.perf_counter() - t
            # What the floor never pays, rolled back: the foreign-key checks a commit runs (Django's constraints
            # are deferred), fired here and timed apart (``copy_floor_fk_checks_seconds``).
            t = time.perf_counter()
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            FLOOR_FK_CHECKS[0] = time.perf_counter() - t
        transaction.set_rollback(True)
    return seconds


def _generate_cards(count: int, unit_ids: list[int], category_id: int, start: int = 1) -> None:
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
            FROM generate_series(%(start)s, %(start)s + %(count)s - 1) AS g
            """,
            {"cat": category_id, "ids": ids, "n": len(unit_ids), "month": MONTH, "count": count, "start": start},
        )
        cursor.execute("ANALYZE assets_asset")


def _csv_only(xlsx_path: str, tmp: str, import_rows: int, actor):
    """The .csv import alone, then the floor against the cards it wrote (BENCH_ASSETS_PARTS=import)."""
    csv_path = os.path.join(tmp, "cards.csv")
    _write_csv(xlsx_path, csv_path)
    with deferred_rollup.deferred() as queued:
        t = time.perf_counter()
        with open(csv_path, "rb") as fh:
            rows = imports.CardImporter().read(fh, "cards.csv")
        read_s = time.perf_counter() - t
        result = imports.import_cards(actor=actor, rows=rows)
        seconds = time.perf_counter() - t
    rollup = deferred_rollup.run(queued) if deferred_rollup.wanted() else None
    floor = _copy_floor()
    yield {"name": "assets.import_copy_floor", "value": round(import_rows / floor), "unit": "rows/s",
           "rows": import_rows, "seconds": round(floor, 3), "what": "COPY of cards + history + movements",
           "copy_floor_fk_checks_seconds": round(FLOOR_FK_CHECKS[0], 3)}  # fmt: skip
    yield {"name": "assets.import_csv", "value": round(import_rows / seconds), "unit": "rows/s", "rows": import_rows,
           "seconds": round(seconds, 2), "read_seconds": round(read_s, 2), "created": result.created,
           "vs_copy_floor": round(floor / seconds, 3), "rollup_seconds": None if rollup is None else round(rollup, 2),
           "vs_copy_floor_with_fk_checks": round((floor + FLOOR_FK_CHECKS[0]) / seconds, 3),
           "load": round(os.getloadavg()[0], 1)}  # fmt: skip


def run():
    scale = _scale()
    import_rows = max(1000, int(IMPORT_ROWS * scale))
    cards = max(import_rows, int(CARDS * scale))
    actor = _actor()
    _clear_previous()
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

        if CSV_ONLY:
            yield from _csv_only(path, tmp, import_rows, actor)
            return
        with deferred_rollup.deferred() as queued:
            t = time.perf_counter()
            with open(path, "rb") as fh:
                rows = imports.read_xlsx(fh)
            read_s = time.perf_counter() - t
            result = imports.import_cards(actor=actor, rows=rows)
            seconds = time.perf_counter() - t
        rollup = deferred_rollup.run(queued)
        yield {
            "name": "assets.import_xlsx",
            "value": round(import_rows / seconds),
            "unit": "rows/s",
            "rows": import_rows,
            "seconds": round(seconds, 2),
            "read_seconds": round(read_s, 2),
            "created": result.created,
            "rollup_seconds": round(rollup, 2),
            "load": round(os.getloadavg()[0], 1),
        }
        floor = _copy_floor()
        yield {"name": "assets.import_copy_floor", "value": round(import_rows / floor), "unit": "rows/s",
               "rows": import_rows, "seconds": round(floor, 3), "what": "COPY of cards + history + movements",
               "xlsx_vs_copy_floor": round(floor / seconds, 3),
               "copy_floor_fk_checks_seconds": round(FLOOR_FK_CHECKS[0], 3)}  # fmt: skip
        csv_path = os.path.join(tmp, "cards.csv")
        _write_csv(path, csv_path)
        _remove_imported()
        with deferred_rollup.deferred() as queued:
            t = time.perf_counter()
            with open(csv_path, "rb") as fh:
                rows = imports.CardImporter().read(fh, "cards.csv")
            read_s = time.perf_counter() - t
            result = imports.import_cards(actor=actor, rows=rows)
            seconds = time.perf_counter() - t
        rollup = deferred_rollup.run(queued)
        yield {
            "name": "assets.import_csv",
            "value": round(import_rows / seconds),
            "unit": "rows/s",
            "rows": import_rows,
            "seconds": round(seconds, 2),
            "read_seconds": round(read_s, 2),
            "created": result.created,
            "vs_copy_floor": round(floor / seconds, 3),
            "rollup_seconds": round(rollup, 2),
            "load": round(os.getloadavg()[0], 1),
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


def _vacuum_tables() -> None:
    vacuum(*(model._meta.db_table for model in (Asset, Asset.history.model, Movement, DepreciationEntry)))
