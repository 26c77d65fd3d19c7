"""The shared Excel reader every import uses: row numbers as Excel shows them, named missing columns."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from datahub.sheets import cell_text, read_xlsx


def sheet(*rows) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_rows_are_numbered_as_in_excel_and_blank_rows_skipped():
    rows = read_xlsx(sheet(["编码", "名称"], ["A1", "甲"], [None, None], ["B2", "乙"]), ["编码", "名称"], max_rows=10)
    assert rows == [(2, {"编码": "A1", "名称": "甲"}), (4, {"编码": "B2", "名称": "乙"})]


def test_every_missing_required_column_is_named_once():
    with pytest.raises(ValidationError) as error:
        read_xlsx(sheet(["名称"]), ["编码", "名称", "数量", "备注"], required=["编码", "名称", "数量"], max_rows=10)
    assert error.value.messages == ["第1行缺少列：编码、数量。"]


def test_a_file_that_is_not_xlsx_is_refused_in_plain_words():
    with pytest.raises(ValidationError, match=r"请上传 \.xlsx 格式的Excel盘点表"):
        read_xlsx(io.BytesIO(b"not a workbook"), ["编码"], max_rows=10, what="Excel盘点表")


def test_too_many_rows_are_refused_with_the_limit():
    with pytest.raises(ValidationError, match="最多导入2行"):
        read_xlsx(sheet(["编码"], ["a"], ["b"], ["c"]), ["编码"], max_rows=2)


def test_codes_typed_as_numbers_read_back_as_text():
    assert cell_text(2024.0) == "2024"
    assert cell_text(" 0101 ") == "0101"
    assert cell_text(None) == ""
    assert cell_text(1.5) == "1.5"
