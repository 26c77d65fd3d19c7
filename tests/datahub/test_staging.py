"""A CSV staged as it is read (PostgreSQL) holds exactly what the usual reader and ``stage`` would have put in
the temporary table — the same row numbers, cells, empty rows skipped — and is refused with the same sentences."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from datahub import sheets, staging

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="staging is PostgreSQL's (COPY)"),
]

COLUMNS = ("编码", "名称", "数量", "备注")
CELLS = {"code": "编码", "name": "名称", "qty": "数量", "note": "备注"}
TOO_MANY = "一次最多导入{max_rows}行，请分批导入。"

# Quoted commas and line breaks, a tab, a backslash, ideographic and no-break spaces around cells, a blank row,
# a row of empty cells, a short row, a long row, the columns in another order and one optional column missing.
TRICKY = (
    "名称,编码,数量,多余\r\n"
    '"甲, 乙",A1,1,x\r\n'
    "\r\n"
    ",,,\r\n"
    '"两行\n文字",A2,\u30002\u3000,\r\n'
    "有\t制表符,A\\3,\xa03,y,z,w\r\n"
    "短行\r\n"
    ",,,只有多余列\r\n"
)


def csv_file(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def table(name: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number, code, name, qty, note FROM {name} ORDER BY number")
        return cursor.fetchall()


def read_both(text: str, encoding: str = "utf-8", **kw):
    args = {"columns": COLUMNS, "required": ("编码", "名称"), "max_rows": 100, "too_many": TOO_MANY, **kw}
    rows = sheets.read_table(csv_file(text, encoding), "x.csv", **args)
    staging.stage("usual", list(CELLS), rows, list(CELLS.values()))
    staged = staging.read_csv(csv_file(text, encoding), "direct", CELLS, **args)
    return rows, staged


def test_an_importers_plain_test_is_staged_beside_the_cells_it_was_given():
    """Both readers stage whether each row's staged (stripped) cells match the pattern; a row with a cell COPY
    must escape (a tab, a line break, a backslash) never does (with a tab the pattern would see its cells shifted;
    the others are left out with it, which costs only time)."""
    digits = re.compile(r"[^\t]*\t[^\t]*\t[0-9]+\t[^\t]*")
    args = {"columns": COLUMNS, "required": ("编码", "名称"), "max_rows": 100, "too_many": TOO_MANY}
    staging.stage("usual", list(CELLS), sheets.read_table(csv_file(TRICKY), "x.csv", **args), list(CELLS.values()),
                  plain=digits)  # fmt: skip
    staging.read_csv(csv_file(TRICKY), "direct", CELLS, **args, plain=digits)
    for name in ("usual", "direct"):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number, qty, plain FROM {name} ORDER BY number")
            assert cursor.fetchall() == [
                (2, "1", True),
                (5, "2", False),
                (6, "3", False),
                (7, "", False),
                (8, "", False),
            ]


def test_the_staged_table_is_what_the_usual_reader_and_stage_give():
    rows, staged = read_both(TRICKY)
    assert table("direct") == table("usual")
    assert [n for n, *_ in table("direct")] == [2, 5, 6, 7, 8]  # the blank row and the empty cells skipped
    assert table("direct")[1] == (5, "A2", "两行\n文字", "2", "")
    assert len(staged) == len(rows) == 5


def test_the_rows_read_again_from_the_text_are_the_usual_reader_s():
    rows, staged = read_both(TRICKY)
    assert list(staged) == rows
    assert dict(staged)[6] == dict(rows)[6]
    assert staged.distinct("编码") == {"A1", "A2", "A\\3", ""} == staging.distinct(rows, "编码")


def test_a_gbk_file_from_a_chinese_excel_reads_alike():
    _, staged = read_both("编码,名称\r\nA1,办公楼\r\n", encoding="gbk")
    assert table("direct") == table("usual") == [(2, "A1", "办公楼", "", "")]
    assert len(staged) == 1


def test_missing_columns_and_too_many_rows_are_refused_with_the_same_sentences():
    for text, kw in [("名称,数量\r\n甲,1\r\n", {}), ("编码,名称\r\na,1\r\nb,2\r\nc,3\r\n", {"max_rows": 2})]:
        with pytest.raises(ValidationError) as usual:
            read_both(text, **kw)
        with pytest.raises(ValidationError) as staged:
            staging.read_csv(
                csv_file(text), "direct", CELLS, columns=COLUMNS, required=("编码", "名称"),
                too_many=TOO_MANY, **{"max_rows": 100, **kw},
            )  # fmt: skip
        assert staged.value.messages == usual.value.messages
    assert usual.value.messages == ["一次最多导入2行，请分批导入。"]


def test_the_staged_table_is_dropped_by_close():
    _, staged = read_both("编码,名称\r\nA1,甲\r\n")
    staged.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'direct'")
        assert cursor.fetchone()[0] == 0


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


def test_planner_settings_hold_inside_and_are_put_back_after_even_when_the_statement_fails():
    before = _setting("work_mem"), _setting("enable_nestloop")
    with staging.settings(work_mem="64MB", enable_nestloop="off"):
        assert (_setting("work_mem"), _setting("enable_nestloop")) == ("64MB", "off")
    assert (_setting("work_mem"), _setting("enable_nestloop")) == before
    with pytest.raises(ZeroDivisionError), staging.settings(work_mem="32MB"):
        assert _setting("work_mem") == "32MB"
        raise ZeroDivisionError
    assert _setting("work_mem") == before[0]
