"""Count-sheet import: row-level errors with row numbers, all rows or none."""

import pytest
from django.core.exceptions import ValidationError

from stocktake import imports
from stocktake import services as st
from stocktake.models import Count

from .factories import sheet, stocktake

pytestmark = pytest.mark.django_db


def test_a_good_sheet_is_imported(st_staff, tree, book):
    take = stocktake(st_staff.asset_a, tree.a)
    building = book.r2.building.code
    rows = imports.read_xlsx(
        sheet(
            [
                (book.matched.asset_number, building, "501", "zhang", "", "", ""),
                (book.moved.asset_number, building, "502", "", "", "", "在会议室"),
                ("无标签-7", "", "", "", "是", "文件柜", ""),
            ]
        )
    )
    assert st.import_counts(actor=st_staff.asset_a, stocktake=take, rows=rows) == 3
    moved = Count.objects.get(stocktake=take, code=book.moved.asset_number)
    assert (moved.observed_room, moved.source, moved.note) == (book.r2, "import", "在会议室")
    assert Count.objects.get(stocktake=take, code="无标签-7").surplus_name == "文件柜"


def test_bad_rows_are_reported_by_row_and_nothing_is_written(st_staff, tree, book):
    take = stocktake(st_staff.asset_a, tree.a)
    st.record_count(actor=st_staff.asset_a, stocktake=take, code=book.handed.asset_number)
    building = book.r1.building.code
    rows = imports.read_xlsx(
        sheet(
            [
                (book.matched.asset_number, building, "501", "", "", "", ""),  # fine
                (book.matched.asset_number, "", "", "", "", "", ""),  # row 3: repeats row 2
                ("ZC-NOPE", "", "", "", "", "", ""),  # row 4: not on the books, not flagged
                (book.moved.asset_number, building, "999", "", "", "", ""),  # row 5: no such room
                (book.both.asset_number, "", "", "nobody", "", "", ""),  # row 6: no such person
                (book.handed.asset_number, "", "", "", "", "", ""),  # row 7: counted already
                ("", building, "", "", "", "", "x"),  # row 8: no number, half a room
            ]
        )
    )
    with pytest.raises(ValidationError) as exc:
        st.import_counts(actor=st_staff.asset_a, stocktake=take, rows=rows)
    messages = exc.value.messages
    assert "第3行“资产编号”：与第2行重复。" in messages
    assert any(m.startswith("第4行“资产编号”") and "不在账上" in m for m in messages)
    assert any(m.startswith("第5行“房间号”") for m in messages)
    assert any(m.startswith("第6行“使用人”") for m in messages)
    assert "第7行“资产编号”：该资产已盘点过。" in messages
    assert "第8行“资产编号”：不能为空。" in messages
    assert not any(m.startswith("第2行") for m in messages)
    assert list(Count.objects.filter(stocktake=take).values_list("code", flat=True)) == [book.handed.asset_number]


def test_a_file_that_is_not_a_sheet_or_lacks_the_number_column_is_refused(st_staff, tree, book):
    from io import BytesIO

    with pytest.raises(ValidationError, match=r"\.xlsx"):
        imports.read_xlsx(BytesIO(b"not an excel file"))
    with pytest.raises(ValidationError, match="缺少列：资产编号"):
        imports.read_xlsx(sheet([("x",)], header=("编号",)))
