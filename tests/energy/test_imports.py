"""Import of the reporting table: row-level errors with row numbers, all or nothing, idempotent."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from energy import conversion, imports, services
from energy.models import ConsumptionRecord

HEADER = list(imports.COLUMNS)


def xlsx(rows) -> BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def run(actor, rows):
    return imports.import_records(actor=actor, rows=imports.read_xlsx(xlsx(rows)))


def good_rows(code="B"):
    return [
        [code, 2025, 1, "电", 12000, "kWh", 9600, "计量付费"],
        [code, 2025, 1, "水", 300, "m³", 1200, "计量付费"],
        [code, 2025, 2, "天然气", 0.5, "万m³", 17500, "计量付费"],
        [code, 2025, 2, "汽油", 200, "L", 1640, "不计量付费"],
    ]


def test_import_writes_converted_records_and_is_idempotent(energy_people):
    result = run(energy_people.reporter_b, good_rows())
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    gas = ConsumptionRecord.objects.get(energy_type="natural_gas")
    assert gas.base_quantity == 5000 and gas.source == "import"
    # Each new record has its history row, by the importer (COPY path on PostgreSQL, bulk elsewhere).
    created = ConsumptionRecord.history.filter(history_type="+")
    assert created.count() == 4 and set(created.values_list("history_user", flat=True)) == {energy_people.reporter_b.pk}
    assert set(created.values_list("id", flat=True)) == set(ConsumptionRecord.objects.values_list("id", flat=True))
    again = run(energy_people.reporter_b, good_rows())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    changed = good_rows()
    changed[0][4] = 13000
    assert run(energy_people.reporter_b, changed).updated == 1


def test_bad_rows_refused_with_row_numbers_and_nothing_written(energy_people):
    rows = [
        *good_rows(),
        ["B", 2025, 3, "沼气", 10, "m³", 10, "计量付费"],  # row 6: unknown type
        ["B", 2025, 3, "电", -5, "kWh", 10, "计量付费"],  # row 7: negative quantity
        ["B", 2025, 1, "电", 100, "kWh", 80, "计量付费"],  # row 8: same period as row 2
    ]
    with pytest.raises(ValidationError) as exc:
        run(energy_people.reporter_b, rows)
    messages = exc.value.messages
    assert any(m.startswith("第6行“能源品种”") and "沼气" in m for m in messages)
    assert any(m.startswith("第7行“实物量”") and "负数" in m for m in messages)
    assert any(m.startswith("第8行“月份”") and "第2行" in m for m in messages)
    assert not ConsumptionRecord.objects.exists()


def test_other_units_rows_refused(energy_people):
    with pytest.raises(ValidationError) as exc:
        run(energy_people.reporter_b, good_rows("A"))
    assert "第2行“机构编码”" in exc.value.messages[0]
    assert not ConsumptionRecord.objects.exists()


def test_locked_month_refused(energy_people, tree):
    from .factories import profile

    run(energy_people.reporter_b, good_rows())
    profile(tree.b, 2025)
    services.submit(actor=energy_people.reporter_b, org_unit=tree.b, period=services.period_of(year=2025, quarter=1))
    rows = good_rows()
    rows[0][4] = 1
    with pytest.raises(ValidationError) as exc:
        run(energy_people.reporter_b, rows)
    assert "锁定" in exc.value.messages[0]


def test_missing_column_and_not_excel(energy_people):
    wb = Workbook()
    wb.active.append(["机构编码", "年度"])
    buf = BytesIO()
    wb.save(buf)
    buf.seek(0)
    with pytest.raises(ValidationError) as exc:
        imports.read_xlsx(buf)
    assert "缺少列" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        imports.read_xlsx(BytesIO(b"not a workbook"))


def test_clerk_cannot_import(energy_people):
    with pytest.raises(PermissionDenied):
        run(energy_people.clerk_b1, good_rows())


def test_import_over_two_years_uses_each_years_grid_region(energy_people, tree):
    from .factories import profile

    profile(tree.b, 2024, grid_region="north")
    profile(tree.b, 2025, grid_region="south")
    run(
        energy_people.reporter_b,
        [["B", 2024, 1, "电", 10000, "kWh", "", ""], ["B", 2025, 1, "电", 10000, "kWh", "", ""]],
    )
    conv = conversion.Converter(conversion.current_version())
    for year, region in ((2024, "north"), (2025, "south")):
        r = ConsumptionRecord.objects.get(org_unit=tree.b, year=year, month=1, energy_type="electricity")
        assert r.kgco2 == conv.convert("electricity", r.quantity, "kWh", year, region)[2]
