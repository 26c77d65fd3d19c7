"""Card import from Excel: every bad row reported by row number and column, all or nothing,
idempotent by asset number, refused for units the importer does not administer."""

import csv
from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from assets import imports
from assets.imports import COLUMNS
from assets.models import Asset, Movement
from datahub import figures
from tests import importing

pytestmark = pytest.mark.django_db


def xlsx(rows, header=COLUMNS) -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "cards.xlsx"
    return out


def row(number="", name="台式计算机", code="A02010105", value=4800, unit="A", **extra):
    values = {
        "资产编号": number,
        "资产名称": name,
        "分类代码": code,
        "规格型号": "X1",
        "数量": 1,
        "计量单位": "台",
        "原值": value,
        "取得日期": "2026-01-10",
        "取得方式": "购置",
        "经费来源": "财政拨款",
        "所属单位编码": unit,
        "入账日期": "2026-01-15",
        "折旧年限（月）": "",
        "累计折旧": "",
        "已提折旧月数": "",
        "备注": "",
    }
    values.update(extra)
    return [values[c] for c in COLUMNS]


GOOD = [
    row("OLD-0001"),
    row("OLD-0002", name="文件柜", code="A05010502", value=1800),
    row("", name="打印机", code="A020210"),
]


def test_import_creates_cards_with_booking_movements(login, admins, cats):
    done = importing.upload(login(admins.a), reverse("assets:card-import"), {"file": xlsx(GOOD)})
    assert done.job.status == "done" and done.job.rows_written == 3
    assert "新增 3 张" in done.text
    assert Asset.objects.count() == 3
    generated = Asset.objects.get(name="打印机")
    assert generated.asset_number.startswith("ZC")
    assert Movement.objects.filter(kind="book").count() == 3
    assert generated.history.count() == 1 and generated.history.first().history_user == admins.a
    assert Asset.objects.get(asset_number="OLD-0002").useful_life_months == 180


def test_a_csv_file_is_imported_through_the_page_like_the_sheet(login, admins, cats):
    text = StringIO()
    csv.writer(text).writerows([COLUMNS, *GOOD])
    upload = BytesIO(text.getvalue().encode("utf-8"))
    upload.name = "cards.csv"
    done = importing.upload(login(admins.a), reverse("assets:card-import"), {"file": upload})
    assert done.job.status == "done" and done.job.rows_written == 3
    assert Asset.objects.get(asset_number="OLD-0002").original_value == 1800
    assert Movement.objects.filter(kind="book").count() == 3


def test_importing_the_same_file_twice_changes_nothing(admins, cats):
    rows = [(n, r) for n, r in enumerate(([dict(zip(COLUMNS, x, strict=True)) for x in GOOD[:2]]), start=2)]
    imports.import_cards(actor=admins.a, rows=rows)
    again = imports.import_cards(actor=admins.a, rows=rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Asset.objects.count() == 2


def test_changed_row_updates_the_card_and_records_it(admins, cats):
    imports.import_cards(actor=admins.a, rows=[(2, dict(zip(COLUMNS, GOOD[0], strict=True)))])
    result = imports.import_cards(
        actor=admins.a, rows=[(2, dict(zip(COLUMNS, row("OLD-0001", name="台式机"), strict=True)))]
    )
    assert result.updated == 1
    card = Asset.objects.get(asset_number="OLD-0001")
    assert card.name == "台式机"
    assert Movement.objects.filter(asset=card, kind="import").count() == 1


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(login, admins, cats):
    bad = [
        row("OLD-0001"),
        row("OLD-0002", code="Z99"),
        row("OLD-0003", value="abc"),
        row("OLD-0004", value=300),  # below the capitalisation threshold
        row("OLD-0005", unit="B"),  # a unit the importer does not administer
        row("OLD-0001"),  # duplicate number
        row("OLD-0006", **{"取得日期": "明天"}),
    ]
    html = importing.upload(login(admins.a), reverse("assets:card-import"), {"file": xlsx(bad)}).text
    assert "第3行“分类代码”" in html
    assert "第4行“原值”" in html
    assert "第5行“原值”" in html and "低值易耗品" in html
    assert "第6行“所属单位编码”" in html
    assert "第7行“资产编号”：与第2行重复" in html
    assert "第8行“取得日期”" in html
    assert not Asset.objects.exists() and not Movement.objects.exists()


def test_missing_columns_and_not_an_excel_file(admins):
    with pytest.raises(ValidationError) as err:
        imports.read_xlsx(xlsx([], header=["资产名称"]))
    assert "缺少列" in err.value.messages[0]
    with pytest.raises(ValidationError) as err:
        imports.read_xlsx(BytesIO(b"not excel"))
    assert ".xlsx" in err.value.messages[0]


def test_opening_balance_is_carried_and_depreciation_continues(admins, cats):
    rows = [(2, dict(zip(COLUMNS, row("OLD-9", value=7200, **{"累计折旧": 1200, "已提折旧月数": 12}), strict=True)))]
    imports.import_cards(actor=admins.a, rows=rows)
    card = Asset.objects.get(asset_number="OLD-9")
    assert card.net_book_value == 6000
    assert card.next_depreciation_month.isoformat() == "2027-01-01"  # Jan 2026 (acquisition month) + 12 months posted


def test_an_imported_cards_depreciation_counts_from_its_acquisition_month(admins, cats):
    """Acquired 2023-04-20, booked here 2026-01-15, 6 months already posted elsewhere: 2023-04 + 6 = 2023-10."""
    values = row(
        "OLD-7", value=7200, **{"取得日期": "2023-04-20", "入账日期": "2026-01-15", "累计折旧": 600, "已提折旧月数": 6}
    )
    imports.import_cards(actor=admins.a, rows=[(2, dict(zip(COLUMNS, values, strict=True)))])
    card = Asset.objects.get(asset_number="OLD-7")
    assert card.next_depreciation_month.isoformat() == "2023-10-01"


def test_a_corrected_acquisition_date_moves_the_first_month_until_a_month_is_posted(admins, cats):
    from assets import services
    from assets.models import DepreciationEntry

    first = row("OLD-8", value=7200, **{"取得日期": "2025-11-03", "入账日期": "2026-01-15"})
    imports.import_cards(actor=admins.a, rows=[(2, dict(zip(COLUMNS, first, strict=True)))])
    assert Asset.objects.get(asset_number="OLD-8").next_depreciation_month.isoformat() == "2025-11-01"
    corrected = row("OLD-8", value=7200, **{"取得日期": "2025-09-30", "入账日期": "2026-01-15"})
    imports.import_cards(actor=admins.a, rows=[(2, dict(zip(COLUMNS, corrected, strict=True)))])
    card = Asset.objects.get(asset_number="OLD-8")
    assert card.next_depreciation_month.isoformat() == "2025-09-01"
    services.post_depreciation(month=card.next_depreciation_month)
    posted = list(DepreciationEntry.objects.filter(asset=card).values_list("month", flat=True))
    again = row("OLD-8", value=7200, **{"取得日期": "2025-08-01", "入账日期": "2026-01-15"})
    imports.import_cards(actor=admins.a, rows=[(2, dict(zip(COLUMNS, again, strict=True)))])
    card.refresh_from_db()
    assert card.next_depreciation_month.isoformat() == "2025-10-01"  # posted months stand
    assert list(DepreciationEntry.objects.filter(asset=card).values_list("month", flat=True)) == posted


def test_civil_servant_cannot_import(login, people):
    assert login(people.clerk_a1).get(reverse("assets:card-import")).status_code == 403


def test_an_import_tells_the_command_center_which_months_moved(admins, cats, django_capture_on_commit_callbacks):
    """The cards are written in bulk (no post_save): the import announces their units and months itself."""
    heard = []

    def listen(unit_ids, months, **kwargs):
        heard.append((unit_ids, months))

    figures.figures_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            imports.import_cards(actor=admins.a, rows=[(2, dict(zip(COLUMNS, GOOD[0], strict=True)))])
    finally:
        figures.figures_changed.disconnect(listen)
    card = Asset.objects.get(asset_number="OLD-0001")
    assert heard == [({card.org_unit_id}, {date(2026, 1, 1)})]
