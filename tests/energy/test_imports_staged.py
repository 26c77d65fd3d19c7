"""The energy import read from CSV, and checked and written set-based where the database allows
(PostgreSQL: staged in a temporary table). Whichever path runs, a file is refused with the same
sentences, nothing is written when any row fails, and what is written is the same to the last digit."""

import csv
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from datahub import figures, staging
from energy import conversion, imports
from energy.models import ConsumptionRecord

from .test_imports import good_rows, xlsx

HEADER = list(imports.COLUMNS)


def csv_file(rows) -> BytesIO:
    text = StringIO()
    out = csv.writer(text)
    out.writerow(HEADER)
    out.writerows(rows)
    return BytesIO(text.getvalue().encode("utf-8"))


def run_csv(actor, rows):
    return imports.import_records(actor=actor, rows=imports.RecordImporter().read(csv_file(rows), "records.csv"))


@pytest.fixture(params=["database", "row_path"])
def path(request, monkeypatch):
    """Each test twice: as the database runs it (staged on PostgreSQL), and on the row path everywhere."""
    if request.param == "row_path":
        monkeypatch.setattr(staging, "available", lambda: False)
    return request.param


def refusal(actor, rows) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        imports.import_records(actor=actor, rows=imports.read_xlsx(xlsx(rows)))
    return exc.value.messages


def test_a_csv_file_imports_like_the_excel_sheet(energy_people, path):
    result = run_csv(energy_people.reporter_b, good_rows())
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert ConsumptionRecord.objects.get(energy_type="natural_gas").base_quantity == 5000
    assert ConsumptionRecord.history.filter(history_type="+").count() == 4
    again = imports.import_records(actor=energy_people.reporter_b, rows=imports.read_xlsx(xlsx(good_rows())))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


# Every kind of bad row, after a good one: row numbers as Excel shows them (the header is row 1).
BAD_ROWS = [
    ["B", 2025, 1, "电", 12000, "kWh", 9600, "计量付费"],  # 2: good
    ["Z", 2025, 1, "电", 1, "kWh", 1, ""],  # 3: no such institution
    ["A", 2025, 1, "电", 1, "kWh", 1, ""],  # 4: another unit's
    ["B1", 2025, 1, "电", 1, "kWh", 1, ""],  # 5: a department, not an institution (and not covered)
    ["B", 1999, 1, "电", 1, "kWh", 1, ""],  # 6: year out of range
    ["B", 2025, 13, "电", 1, "kWh", 1, ""],  # 7: month out of range
    ["B", "二〇二五", 1, "电", 1, "kWh", 1, ""],  # 8: year not a number
    ["B", 2025, 2, "沼气", 1, "m³", 1, ""],  # 9: unknown type
    ["B", 2025, 2, "电", 1, "kWh", 1, "估算"],  # 10: unknown collection
    ["B", 2025, 3, "电", "", "kWh", 1, ""],  # 11: no quantity
    ["B", 2025, 4, "电", "许多", "kWh", 1, ""],  # 12: quantity not a number
    ["B", 2025, 5, "电", -5, "kWh", 1, ""],  # 13: negative
    ["B", 2025, 6, "电", 1e14, "kWh", 1, ""],  # 14: too large
    ["B", 2025, 7, "电", 1, "吨", 1, ""],  # 15: a unit electricity is not measured in
    ["B", 2025, 8, "电", 1, "kWh", "免费", ""],  # 16: cost not a number
    ["B", 2025, 9, "电", 1, "kWh", -1, ""],  # 17: negative cost
    ["B", 2025, 10, "电", "1e3", "kWh", "", ""],  # 18: good (an exponent, no cost)
    ["B", 2025, 1, "electricity", 5, "kWh", 4, ""],  # 19: the same period as row 2 (type by its code)
    ["B", 2025, 10, "电", 7, "万kWh", 4, ""],  # 20: the same period as row 18
    ["Z", 2025, 11, "煤炭", -1, "升", "x", "估算"],  # 21: several problems in one row
]


def test_every_bad_row_refused_with_the_same_sentences_on_both_paths(energy_people, monkeypatch):
    staged = refusal(energy_people.reporter_b, BAD_ROWS)
    assert not ConsumptionRecord.objects.exists()
    monkeypatch.setattr(staging, "available", lambda: False)
    assert refusal(energy_people.reporter_b, BAD_ROWS) == staged
    rows = {int(m[1 : m.index("行")]) for m in staged}
    assert rows == set(range(3, 22)) - {18}
    assert "第19行“月份”：与第2行是同一机构、同一月份、同一能源品种，重复。" in staged
    assert "第20行“月份”：与第18行是同一机构、同一月份、同一能源品种，重复。" in staged
    assert "第3行“机构编码”：没有编码为“Z”的机构。" in staged
    assert any(m.startswith("第14行“实物量”") and "过大" in m for m in staged)
    assert next(m for m in staged if m.startswith("第21行")).startswith("第21行“机构编码”")


def test_one_bad_row_at_the_end_of_a_long_file_writes_nothing(energy_people, path):
    rows = [["B", 2000 + i // 12, i % 12 + 1, "电", 100 + i, "kWh", 80, "计量付费"] for i in range(600)]
    rows.append(["B", 2099, 1, "电", "一百", "kWh", 80, "计量付费"])
    messages = refusal(energy_people.reporter_b, rows)
    assert messages == ["第602行“实物量”：电实物量必须是数字。"]
    assert not ConsumptionRecord.objects.exists() and not ConsumptionRecord.history.exists()


def test_a_cell_only_the_rules_read_still_imports(energy_people):
    """A quantity Decimal reads but the staged check does not ("1_000"): the row path takes the file."""
    rows = [["B", 2025, 1, "电", "1_000", "kWh", "", ""]]
    result = imports.import_records(actor=energy_people.reporter_b, rows=imports.read_xlsx(xlsx(rows)))
    assert result.created == 1 and ConsumptionRecord.objects.get().quantity == 1000


def test_numbers_in_other_digits_are_read_as_the_rules_read_them(energy_people, path):
    """Full-width digits ("２０２５", int() and Decimal() read them) are not the plain digits the staged check
    casts directly: the careful check refuses them and the rules, accepting them, take the file on both paths."""
    rows = [["B", "２０２５", "１", "电", "１２.５", "kWh", "８", ""], ["B", 2025, 2, "电", "²", "kWh", "", ""]]
    messages = refusal(energy_people.reporter_b, rows)
    assert messages == ["第3行“实物量”：电实物量必须是数字。"]
    result = run_csv(energy_people.reporter_b, rows[:1])
    assert result.created == 1
    record = ConsumptionRecord.objects.get()
    assert (record.year, record.month, record.quantity, record.cost) == (2025, 1, Decimal("12.5"), 8)


@pytest.mark.parametrize("stored", [False, True], ids=["new_month", "with_stored_records"])
def test_a_row_the_coefficients_cannot_convert_refuses_the_file(energy_people, path, stored):
    """Without a coefficient for its type, a row is refused as the row path words it and nothing is written,
    whether every row is new (the records are then written in one statement before the refusal, and taken back)
    or some name stored records."""
    if stored:
        run_csv(energy_people.reporter_b, good_rows())
    version = conversion.current_version()
    version.coefficients.filter(energy_type="coal").delete()
    before = (ConsumptionRecord.objects.count(), ConsumptionRecord.history.count())
    rows = [["B", 2025, 3, "电", 100, "kWh", "", ""], ["B", 2025, 3, "煤炭", 5, "t", "", ""], *good_rows()]
    with pytest.raises(ValidationError) as exc:
        run_csv(energy_people.reporter_b, rows)
    assert exc.value.messages == [f"第3行“计量单位”：折算系数版本“{version}”缺少“煤炭”的系数。"]
    assert (ConsumptionRecord.objects.count(), ConsumptionRecord.history.count()) == before


def test_stored_figures_identical_on_both_paths(energy_people, monkeypatch):
    # Ties at the 4th place round half to even (Decimal.quantize): 0.00005 → 0.0000, 0.00015 → 0.0002.
    rows = [
        ["B", 2025, 1, "水", "0.00005", "m³", "", ""],
        ["B", 2025, 2, "水", "0.00015", "m³", "", ""],
        ["B", 2025, 1, "汽油", "123.4567", "L", "987.65", "不计量付费"],
        ["B", 2025, 1, "天然气", "0.5", "万m³", 17500, ""],
        ["B", 2025, 1, "电", "12345.678", "万kWh", "", ""],
        ["B", 2025, 1, "热力", "3.3", "GJ", "", ""],
    ]
    fields = ("year", "month", "energy_type", "quantity", "unit", "cost", "collection", "source", "base_quantity",
              "kgce", "kgco2", "coefficient_version")  # fmt: skip

    def imported():
        imports.import_records(actor=energy_people.reporter_b, rows=imports.read_xlsx(xlsx(rows)))
        return list(ConsumptionRecord.objects.order_by("year", "month", "energy_type").values_list(*fields))

    first = imported()
    water = ConsumptionRecord.objects.filter(energy_type="water").order_by("month")
    assert [r.base_quantity for r in water] == [Decimal("0.0000"), Decimal("0.0002")]
    ConsumptionRecord.history.all().delete()
    ConsumptionRecord.objects.all().delete()
    monkeypatch.setattr(staging, "available", lambda: False)
    assert imported() == first


def test_changed_rows_updated_with_their_history(energy_people, path):
    run_csv(energy_people.reporter_b, good_rows())
    changed = good_rows()
    changed[0][4] = 13000
    changed[1][6] = ""
    result = run_csv(energy_people.reporter_b, changed)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 2)
    power = ConsumptionRecord.objects.get(energy_type="electricity")
    assert power.quantity == 13000 and power.base_quantity == 13000
    assert ConsumptionRecord.objects.get(energy_type="water").cost is None
    updates = ConsumptionRecord.history.filter(history_type="~")
    assert sorted(updates.values_list("energy_type", "quantity")) == [("electricity", 13000), ("water", 300)]
    assert set(updates.values_list("history_user", flat=True)) == {energy_people.reporter_b.pk}


def test_no_staging_table_left_behind(energy_people):
    run_csv(energy_people.reporter_b, good_rows())
    with pytest.raises(ValidationError):
        run_csv(energy_people.reporter_b, BAD_ROWS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'energy_import_%%'")
            assert cursor.fetchone()[0] == 0


def test_an_import_tells_the_command_center_which_months_moved(energy_people, path, django_capture_on_commit_callbacks):
    """The bulk writes skip post_save, so the import announces its units and months itself, once, at the commit."""
    heard = []

    def listen(unit_ids, months, **kwargs):
        heard.append((unit_ids, months))

    figures.figures_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run_csv(energy_people.reporter_b, good_rows())
        with django_capture_on_commit_callbacks(execute=True):
            run_csv(energy_people.reporter_b, good_rows())  # unchanged: nothing moved, nothing announced
    finally:
        figures.figures_changed.disconnect(listen)
    unit = ConsumptionRecord.objects.values_list("org_unit_id", flat=True).first()
    assert heard == [({unit}, {date(2025, 1, 1), date(2025, 2, 1)})]


def test_new_records_numbered_in_the_files_order(energy_people, path):
    """The ids are drawn in the file's order on both paths (the staged path inserts the new records sorted by row)."""
    months = [5, 1, 12, 3]
    run_csv(energy_people.reporter_b, [["B", 2025, m, "电", 100 + m, "kWh", "", ""] for m in months])
    assert list(ConsumptionRecord.objects.order_by("pk").values_list("month", flat=True)) == months
    history = ConsumptionRecord.history.order_by("id").values_list("month", "history_user")
    assert list(history) == [(m, energy_people.reporter_b.pk) for m in months]
