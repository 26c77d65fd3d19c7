"""The card import checked and written set-based where the database allows (PostgreSQL: the sheet staged in
a temporary table, the new cards written with INSERT … SELECT). Whichever path runs, a file is refused with
the same sentences, row by row and column by column, nothing is written when any row fails, and the cards,
their history rows and their booking movements are the same to the last field."""

import csv
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from assets import imports
from assets.imports import COLUMNS
from assets.models import Asset, CapitalisationThreshold, Movement
from datahub import staging

from .factories import card
from .test_imports import row, xlsx

pytestmark = pytest.mark.django_db


def csv_file(rows, header=COLUMNS) -> BytesIO:
    text = StringIO()
    csv.writer(text).writerows([header, *rows])
    return BytesIO(text.getvalue().encode("utf-8"))


def run_csv(actor, rows):
    return imports.import_cards(actor=actor, rows=imports.CardImporter().read(csv_file(rows), "cards.csv"))


def refusal(actor, rows, *, sheet=xlsx) -> list[str]:
    read = imports.read_xlsx(sheet(rows)) if sheet is xlsx else imports.CardImporter().read(sheet(rows), "cards.csv")
    with pytest.raises(ValidationError) as exc:
        imports.import_cards(actor=actor, rows=read)
    return exc.value.messages


def on_both_paths(monkeypatch, call):
    """``call()`` as the database runs it (staged on PostgreSQL), then on the row path."""
    staged = call()
    monkeypatch.setattr(staging, "available", lambda: False)
    try:
        return staged, call()
    finally:
        monkeypatch.undo()


@pytest.fixture(params=["database", "row_path"])
def path(request, monkeypatch):
    """Each test twice: as the database runs it (staged on PostgreSQL), and on the row path everywhere."""
    if request.param == "row_path":
        monkeypatch.setattr(staging, "available", lambda: False)
    return request.param


# Every check of a row, each failing alone after a good row: row numbers as Excel shows them (header = row 1).
BAD = [
    row("OK-1"),  # 2: good
    row("X" * 41),  # 3: number longer than 40
    row("OK-1"),  # 4: the number of row 2 again
    row("N-1", name=""),  # 5: no name
    row("N-2", name="名" * 101),  # 6: name too long
    row("N-3", code="Z99"),  # 7: no such category
    row("N-4", **{"数量": 0}),  # 8: quantity 0
    row("N-5", **{"数量": "两台"}),  # 9: quantity not a number
    row("N-6", value="abc"),  # 10: value not a number
    row("N-7", value=0),  # 11: value 0
    row("N-8", value=-4800),  # 12: negative value
    row("N-9", value=300),  # 13: below the capitalisation threshold (1,000)
    row("N-10", value=4800, **{"数量": 5}),  # 14: 960 a piece, below the threshold
    row("N-11", **{"取得日期": "明天"}),  # 15: not a date
    row("N-12", **{"取得日期": "2025-02-29"}),  # 16: no such day
    row("N-13", **{"取得日期": ""}),  # 17: no acquisition date
    row("N-14", **{"入账日期": "2026-13-01"}),  # 18: booking date not a date
    row("N-15", **{"取得日期": "2026-02-01", "入账日期": "2026-01-15"}),  # 19: acquired after booked
    row("N-16", **{"取得方式": "捡到"}),  # 20: unknown acquisition way
    row("N-17", **{"经费来源": "借款"}),  # 21: unknown funding source
    row("N-18", unit="ZZ"),  # 22: no such unit
    row("N-19", unit="B"),  # 23: a unit the importer does not administer
    row("N-20", **{"折旧年限（月）": "五年"}),  # 24: life not a whole number
    row("N-21", **{"已提折旧月数": "1.5"}),  # 25: months not a whole number
    row("N-22", **{"累计折旧": "很多"}),  # 26: accumulated not an amount
    row("N-23", value=4800, **{"累计折旧": 5000}),  # 27: accumulated above the value
    row("N-24", **{"折旧年限（月）": 12}),  # 28: life below the category's minimum (72 months)
    row("N-25", value="1,5OO"),  # 29: a letter O among the digits
    row("", name="", code="Z99", value="x", unit="ZZ", **{"取得日期": "?"}),  # 30: several problems in one row
    row("OK-2", value="1,234.5"),  # 31: good (a thousands separator)
    row("OK-3", **{"取得日期": "2025/06/10", "入账日期": "2025.06.15"}),  # 32: good (slashes and dots)
]


def test_every_bad_row_refused_with_the_same_sentences_on_both_paths(admins, cats, monkeypatch):
    staged, row_path = on_both_paths(monkeypatch, lambda: refusal(admins.a, BAD))
    assert staged == row_path
    assert not Asset.objects.exists() and not Movement.objects.exists() and not Asset.history.exists()
    assert {int(m[1 : m.index("行")]) for m in staged} == set(range(3, 31))
    for sentence in [
        "第3行“资产编号”：不超过40个字符。",
        "第4行“资产编号”：与第2行重复。",
        "第5行“资产名称”：请填写资产名称（不超过100个字符）。",
        "第7行“分类代码”：没有代码为“Z99”的资产分类（GB/T 14885-2022）。",
        "第8行“数量”：请填写大于0的整数。",
        "第10行“原值”：原值必须是大于0的金额。",
        "第13行“原值”：单价300.00元低于资本化起点1000.00元，属于低值易耗品，不建资产卡片。",
        "第14行“原值”：单价960.00元低于资本化起点1000.00元，属于低值易耗品，不建资产卡片。",
        "第16行“取得日期”：请填写日期，如 2026-01-15。",
        "第18行“入账日期”：请填写日期，如 2026-01-15，或留空表示今天。",
        "第19行“取得日期”：取得日期不能晚于入账日期。",
        "第22行“所属单位编码”：没有编码为“ZZ”的机构。",
        "第23行“所属单位编码”：您没有管理“乙厅”资产的权限。",
        "第25行“折旧年限（月）”：折旧年限和已提折旧月数须为整数。",
        "第26行“累计折旧”：请填写金额。",
        "第27行“累计折旧”：累计折旧须在0与原值之间。",
        "第28行“折旧年限（月）”：折旧年限不能低于分类“台式计算机”的最低年限72个月（财会〔2017〕4号）。",
    ]:
        assert sentence in staged
    assert [m.split("“")[1].split("”")[0] for m in staged if m.startswith("第30行")] == [
        "资产名称", "分类代码", "原值", "取得日期", "所属单位编码"
    ]  # fmt: skip


def test_the_same_refusals_from_a_csv_file(admins, cats, monkeypatch):
    staged, row_path = on_both_paths(monkeypatch, lambda: refusal(admins.a, BAD, sheet=csv_file))
    assert staged == row_path == refusal(admins.a, BAD)


def test_a_third_repeat_names_the_row_before_it(admins, cats, path):
    messages = refusal(admins.a, [row("R-1"), row("R-1"), row("R-1")])
    assert messages == ["第3行“资产编号”：与第2行重复。", "第4行“资产编号”：与第3行重复。"]


def test_a_bad_row_at_the_end_of_a_long_file_writes_nothing(admins, cats, path):
    rows = [row(f"L-{i:04d}") for i in range(400)] + [row("L-LAST", value="四千八")]
    assert refusal(admins.a, rows, sheet=csv_file) == ["第402行“原值”：原值必须是大于0的金额。"]
    assert not Asset.objects.exists() and not Movement.objects.exists() and not Asset.history.exists()


def test_only_the_first_200_problems_are_listed_on_both_paths(admins, cats, monkeypatch):
    rows = [row(f"E-{i:04d}", value="x", code="Z99") for i in range(150)]
    staged, row_path = on_both_paths(monkeypatch, lambda: refusal(admins.a, rows, sheet=csv_file))
    assert staged == row_path
    assert len(staged) == 201 and staged[-1] == "错误较多，仅列出前200条。"
    assert staged[199].startswith("第101行")


def test_the_unit_value_is_rounded_half_to_even_against_the_threshold(admins, cats, path):
    """2,000.01 for 2 pieces is 1,000.005 a piece: rounded half to even (Decimal.quantize) 1,000.00, below a
    threshold of 1,000.01; rounded half up it would be 1,000.01 and pass."""
    CapitalisationThreshold.objects.create(effective_from=date(2025, 1, 1), general=Decimal("1000.01"),
                                           special_equipment=Decimal("1500"))  # fmt: skip
    assert refusal(admins.a, [row("T-1", value="2000.01", **{"数量": 2})]) == [
        "第2行“原值”：单价1000.00元低于资本化起点1000.01元，属于低值易耗品，不建资产卡片。"
    ]
    # Booked before the new row took effect: the old threshold (1,000) applies.
    old = row("T-2", value="2000.01", **{"数量": 2, "取得日期": "2024-06-01", "入账日期": "2024-06-02"})
    assert imports.import_cards(actor=admins.a, rows=imports.read_xlsx(xlsx([old]))).created == 1


def test_special_equipment_is_held_to_its_own_threshold(admins, cats, path):
    messages = refusal(admins.a, [row("S-1", code="A0232", value=1400, name="监护仪")])
    assert messages == ["第2行“原值”：单价1400.00元低于资本化起点1500.00元，属于低值易耗品，不建资产卡片。"]


def test_each_row_is_held_to_the_threshold_in_force_on_its_booking_day(admins, cats, path):
    """Several threshold rows: a card booked before the first takes the regulation's default (1,000 / 1,500),
    one booked on or after a row's effective day that row, until the next one takes effect."""
    for day, general, special in ((date(2024, 1, 1), "1500", "2000"), (date(2025, 7, 1), "2500", "3000")):
        CapitalisationThreshold.objects.create(effective_from=day, general=Decimal(general),
                                               special_equipment=Decimal(special))  # fmt: skip
    on = lambda booked, **cells: {"取得日期": "2023-06-01", "入账日期": booked, **cells}  # noqa: E731
    rows = [
        row("H-1", value=1200, **on("2023-12-31")),  # 2: the default, 1,000: a card
        row("H-2", value=1200, **on("2024-01-01")),  # 3: 1,500 from that day: refused
        row("H-3", value=2400, **on("2025-06-30")),  # 4: still 1,500: a card
        row("H-4", value=2400, **on("2025-07-01")),  # 5: 2,500 from that day: refused
        row("H-5", value=2900, code="A0232", name="监护仪", **on("2025-07-01")),  # 6: special 3,000: refused
        row("H-6", value=1900, code="A0232", name="监护仪", **on("2024-03-01")),  # 7: special 2,000: refused
        row("H-7", value=1400, code="A0232", name="监护仪", **on("2023-03-01", **{"取得日期": "2023-01-01"})),
    ]
    assert refusal(admins.a, rows, sheet=csv_file) == [
        "第3行“原值”：单价1200.00元低于资本化起点1500.00元，属于低值易耗品，不建资产卡片。",
        "第5行“原值”：单价2400.00元低于资本化起点2500.00元，属于低值易耗品，不建资产卡片。",
        "第6行“原值”：单价2900.00元低于资本化起点3000.00元，属于低值易耗品，不建资产卡片。",
        "第7行“原值”：单价1900.00元低于资本化起点2000.00元，属于低值易耗品，不建资产卡片。",
        "第8行“原值”：单价1400.00元低于资本化起点1500.00元，属于低值易耗品，不建资产卡片。",
    ]
    assert not Asset.objects.exists()
    assert run_csv(admins.a, [rows[0], rows[2]]).created == 2


def test_booking_movements_follow_the_cards_in_the_files_order(admins, cats, path):
    """One booking movement per new card, written in the cards' order, each naming its card, its unit and the
    importer; the history rows likewise."""
    run_csv(admins.a, [row(f"M-{i}", unit="A1" if i % 2 else "A") for i in range(5)])
    cards = list(Asset.objects.order_by("pk").values_list("pk", "asset_number", "org_unit"))
    assert [n for _, n, _ in cards] == [f"M-{i}" for i in range(5)]
    moves = list(Movement.objects.order_by("pk").values_list("asset", "to_unit", "actor", "kind"))
    assert moves == [(pk, unit, admins.a.pk, "book") for pk, _, unit in cards]
    history = list(Asset.history.order_by("history_id").values_list("id", "history_user", "history_type"))
    assert history == [(pk, admins.a.pk, "+") for pk, _, _ in cards]


GOOD = [
    row("G-1"),
    row("", name="文件柜", code="A05010502", value="1,800.005"),
    row("G-2", value="7200", **{"累计折旧": 1200, "已提折旧月数": 12, "折旧年限（月）": 96, "备注": "从旧系统转入"}),
    row("", name="打印机", code="A020210", **{"数量": 3, "原值": 9000, "计量单位": "", "入账日期": ""}),
    row("G-3", name="展品", code="A03", value=50000, **{"累计折旧": 100, "已提折旧月数": 3}),  # not depreciated
    row("G-4", value=7200, **{"累计折旧": 7200, "已提折旧月数": 20}),  # fully depreciated: no next month
    row("G-5", **{"取得日期": "2025/06/10", "入账日期": "2025.06.15", "取得方式": "调入", "经费来源": ""}),
]
CARD_FIELDS = [f.attname for f in Asset._meta.concrete_fields if f.attname not in ("id", "created_at")]


def _written():
    cards = list(Asset.objects.order_by("pk").values_list(*CARD_FIELDS))
    history = list(
        Asset.history.order_by("id").values_list("asset_number", "history_type", "history_change_reason",
                                                 "history_user", "original_value", "useful_life_months")
    )  # fmt: skip
    moves = list(
        Movement.objects.order_by("asset__pk").values_list("asset__asset_number", "kind", "actor", "to_unit",
                                                           "to_status", "amount", "note", "from_status", "party")
    )  # fmt: skip
    return cards, history, moves


def _generated(values, actor):
    """The drawn numbers differ from run to run: compared by their order in the file."""
    cards, history, moves = values
    drawn = sorted({c[0] for c in cards if c[0].startswith("ZC")})
    name = {n: f"drawn-{i}" for i, n in enumerate(drawn)}
    rename = lambda rows: [(name.get(r[0], r[0]), *r[1:]) for r in rows]  # noqa: E731
    return rename(cards), rename(history), rename(moves)


def test_the_same_cards_history_and_movements_on_both_paths(admins, cats, monkeypatch):
    def imported():
        Movement.objects.all()._raw_delete(connection.alias)
        Asset.history.all().delete()
        Asset.objects.all()._raw_delete(connection.alias)
        result = imports.import_cards(actor=admins.a, rows=imports.read_xlsx(xlsx(GOOD)))
        assert (result.created, result.updated, result.unchanged) == (7, 0, 0)
        return _generated(_written(), admins.a)

    staged, row_path = on_both_paths(monkeypatch, imported)
    assert staged == row_path
    cards = {c.asset_number: c for c in Asset.objects.all()}
    assert cards["G-2"].next_depreciation_month == date(2027, 1, 1) and cards["G-2"].useful_life_months == 96
    assert not cards["G-3"].depreciates and cards["G-3"].accumulated_depreciation == 0
    assert cards["G-4"].next_depreciation_month is None
    filing, printer = sorted((c for c in cards.values() if c.asset_number.startswith("ZC")), key=lambda c: c.pk)
    assert filing.name == "文件柜" and filing.original_value == Decimal("1800.00")  # .005 to even
    assert printer.unit_of_measure == "台" and printer.quantity == 3 and filing.asset_number < printer.asset_number
    assert Movement.objects.filter(kind="book").count() == 7 and Asset.history.filter(history_type="+").count() == 7


def test_excel_date_cells_are_read_as_their_day(admins, cats, path):
    cells = row("D-1", **{"取得日期": datetime(2025, 3, 4, 0, 0), "入账日期": date(2025, 3, 9)})
    imports.import_cards(actor=admins.a, rows=imports.read_xlsx(xlsx([cells])))
    card = Asset.objects.get()
    assert (card.acquired_on, card.booked_on, card.next_depreciation_month) == (
        date(2025, 3, 4), date(2025, 3, 9), date(2025, 3, 1)
    )  # fmt: skip


def test_a_cell_only_the_rules_read_still_imports(admins, cats):
    """A date fromisoformat reads but the staged check does not ("20250610"): the row path takes the file."""
    rows = [row("C-1", **{"取得日期": "20250610"}), row("C-2", value="4_800")]
    result = run_csv(admins.a, rows)
    assert result.created == 2
    assert Asset.objects.get(asset_number="C-1").acquired_on == date(2025, 6, 10)
    assert Asset.objects.get(asset_number="C-2").original_value == 4800


def test_existing_cards_are_updated_or_left_alone_among_new_ones(admins, cats, path):
    run_csv(admins.a, [row("U-1"), row("U-2")])
    result = run_csv(admins.a, [row("U-1", name="台式机"), row("U-2"), row("U-3")])
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert Asset.objects.get(asset_number="U-1").name == "台式机"
    assert Movement.objects.filter(kind="import", asset__asset_number="U-1").count() == 1
    assert Asset.history.filter(asset_number="U-1", history_type="~").count() == 1


def test_an_existing_card_of_another_unit_is_refused(admins, cats, tree, path):
    card(admins.b, tree.b, cats["A02010105"], asset_number="OTHER-1")
    card(admins.a, tree.a, cats["A02010105"], asset_number="MINE-1")
    messages = refusal(admins.a, [row("OTHER-1"), row("MINE-1", unit="A1")])
    assert messages == [
        "第2行“资产编号”：资产OTHER-1属于您无权管理的单位。",
        "第3行“所属单位编码”：已有卡片的所属单位须通过调拨变更，不能由导入修改。",
    ]


def test_file_level_refusals_come_before_any_row(admins, cats, path):
    assert run_csv(admins.a, []) == imports.Result()  # a header and no rows: nothing to do
    with pytest.raises(ValidationError) as exc:
        imports.CardImporter().read(BytesIO(b""), "cards.csv")
    assert exc.value.messages == ["上传的CSV文件是空文件（0字节），请选择填好数据的文件。"]
    header = [c for c in COLUMNS if c not in ("原值", "取得日期")]
    with pytest.raises(ValidationError) as exc:
        imports.CardImporter().read(csv_file([], header=header), "cards.csv")
    assert exc.value.messages == ["第1行缺少列：原值、取得日期。"]
    with pytest.raises(ValidationError) as exc:
        imports.CardImporter().read(BytesIO("资产编号\n".encode("utf-16")), "cards.csv")
    assert "空字符" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        imports.CardImporter().read(BytesIO(b"x"), "cards.txt")
    assert exc.value.messages == ["只支持 .xlsx 或 .csv 文件。"]
    assert not Asset.objects.exists()


def test_no_staging_table_left_behind(admins, cats):
    run_csv(admins.a, [row("K-1")])
    with pytest.raises(ValidationError):
        run_csv(admins.a, BAD)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'assets_import_%%'")
            assert cursor.fetchone()[0] == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the staged path is PostgreSQL's")
def test_the_staged_import_runs_as_many_statements_for_300_rows_as_for_3(admins, cats, django_assert_max_num_queries):
    def statements(n):
        rows = imports.CardImporter().read(csv_file([row(f"Q{n}-{i:03d}") for i in range(n)]), "cards.csv")
        with django_assert_max_num_queries(100) as captured:
            imports.import_cards(actor=admins.a, rows=rows)
        return len(captured)

    statements(1)  # the first import of the test looks up what is kept afterwards (the importer's grants)
    assert statements(3) == statements(300)
