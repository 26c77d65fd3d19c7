"""Room import from Excel: every bad row reported by row and column, all or nothing, idempotent."""

from io import BytesIO

from django.urls import reverse
from openpyxl import Workbook

from officespace.imports import COLUMNS
from officespace.models import Room
from tests.importing import upload


def xlsx(rows, header=COLUMNS) -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "rooms.xlsx"
    return out


GOOD = [
    ("A-1", 5, "501", 18, "办公室", "", "A1", ""),
    ("A-1", 5, "502", 40, "服务用房", "会议室", "A", "大会议室"),
    ("A-1", 6, "601", 12, "办公室", "", "A1", ""),
]


def test_importing_rooms_creates_them_and_a_missing_floor(login, staff, building):
    done = upload(login(staff.space_a), reverse("officespace:room-import"), {"file": xlsx(GOOD)})
    assert done.job.status == "done"
    assert "新增 3 间" in done.text
    assert Room.objects.count() == 3
    assert Room.objects.get(number="502").get_subtype_display() == "会议室"
    assert building.building.floors.filter(number=6).exists()


def test_importing_the_same_file_twice_changes_nothing(login, staff, building):
    client = login(staff.space_a)
    upload(client, reverse("officespace:room-import"), {"file": xlsx(GOOD)})
    assert "未变 3 间" in upload(client, reverse("officespace:room-import"), {"file": xlsx(GOOD)}).text
    assert Room.objects.count() == 3


def test_every_bad_row_is_reported_and_nothing_is_written(login, staff, building):
    rows = [
        *GOOD,
        ("A-1", 5, "503", 0, "办公室", "", "A1", ""),  # row 5: zero area
        ("NOPE", 5, "504", 10, "办公室", "", "A1", ""),  # row 6: unknown building
        ("A-1", 5, "501", 10, "办公室", "", "A1", ""),  # row 7: duplicate of row 2
        ("A-1", 5, "505", 10, "仓库", "", "B", ""),  # row 8: unknown type, B not ours
    ]
    html = upload(login(staff.space_a), reverse("officespace:room-import"), {"file": xlsx(rows)}).text
    assert "第5行“使用面积”" in html
    assert "第6行“楼宇编码”" in html
    assert "第7行“房间号”：与第2行重复" in html
    assert "第8行“用房类型”" in html and "第8行“分配单位编码”" in html
    assert not Room.objects.exists()


def test_rows_that_overfill_a_floor_are_refused(login, staff, building):
    rows = [("A-1", 5, f"5{i:02d}", 100, "办公室", "", "A1", "") for i in range(5)]  # 500 m² on a 400 m² floor
    html = upload(login(staff.space_a), reverse("officespace:room-import"), {"file": xlsx(rows)}).text
    assert "第6行“使用面积”" in html and "超过该层使用面积400" in html
    assert not Room.objects.exists()


def test_a_file_without_the_columns_is_refused(login, staff, building):
    html = upload(
        login(staff.space_a), reverse("officespace:room-import"), {"file": xlsx([("x",)], header=("房间",))}
    ).text
    assert "第1行缺少列" in html


def test_only_space_administrators_import(login, staff):
    assert login(staff.clerk_a1).get(reverse("officespace:room-import")).status_code == 403
