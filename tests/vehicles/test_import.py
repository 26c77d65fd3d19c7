"""Ledger import from Excel: every row checked like a registration, errors by row number in Chinese,
all rows or none."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import Workbook

from tests import importing
from vehicles import imports
from vehicles.models import Vehicle, VehicleQuota

pytestmark = pytest.mark.django_db
HEADER = list(imports.COLUMNS)


def xlsx(rows, header=HEADER) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def row(unit_code, plate="浙A10001", vin="LSVAM4187C2110001", **over):
    values = {
        "号牌号码": plate,
        "车辆识别代号": vin,
        "车辆类别": "其他公务用车",
        "所属单位编码": unit_code,
        "品牌": "红旗",
        "型号": "H5",
        "能源类型": "燃油（汽油）",
        "排量": 1.5,
        "座位数": 5,
        "购置价格": 110000,
        "购置日期": "2023-04-01",
        "里程表读数": 3000,
        "备注": "",
    }
    values.update(over)
    return [values[c] for c in HEADER]


def run(actor, rows):
    return imports.import_vehicles(actor=actor, rows=imports.read_xlsx(xlsx(rows)))


def test_good_file_registers_every_row(fleet, tree):
    assert (
        run(
            fleet.disp_a,
            [
                row("A1"),
                row("A", plate="浙AD10002", vin="LSVAM4187C2110002", 能源类型="纯电动", 排量=None, 购置价格=170000),
            ],
        )
        == 2
    )
    assert Vehicle.objects.count() == 2


def test_bad_rows_are_reported_by_row_number_and_nothing_is_written(fleet, tree):
    with pytest.raises(ValidationError) as exc:
        run(
            fleet.disp_a,
            [
                row("A1"),
                row("A1", plate="浙A1", vin="LSVAM4187C2110003"),
                row("B1", plate="浙A10004", vin="LSVAM4187C2110004"),
                row("A1", plate="浙A10005", vin="LSVAM4187C2110005", 购置价格=200000),
                row("A1", plate="浙A10006", vin="LSVAM4187C2110006", 购置日期="去年"),
                row("A1", plate="浙A10001", vin="LSVAM4187C2110007"),
            ],
        )
    messages = exc.value.messages
    assert any(m.startswith("第3行“号牌号码”：号牌格式不正确") for m in messages)
    assert any(m.startswith("第4行“所属单位编码”：您没有管理“乙厅办公室”") for m in messages)
    assert any(m.startswith("第5行“购置价格”：超出其他公务用车的配备标准") for m in messages)
    assert any(m.startswith("第6行“购置日期”") for m in messages)
    assert any(m.startswith("第7行“号牌号码”") and "已登记" in m for m in messages)  # duplicate of row 2
    assert not Vehicle.objects.exists()


def test_quota_counts_earlier_rows_of_the_same_file(fleet, tree):
    VehicleQuota.objects.filter(org_unit=tree.a1, category="other").update(quota=1)
    with pytest.raises(ValidationError) as exc:
        run(fleet.disp_a, [row("A1"), row("A1", plate="浙A10002", vin="LSVAM4187C2110002")])
    assert exc.value.messages[0].startswith("第3行“车辆类别”") and "超出编制" in exc.value.messages[0]
    assert not Vehicle.objects.exists()


def test_missing_column_and_not_xlsx(fleet):
    with pytest.raises(ValidationError) as exc:
        imports.read_xlsx(xlsx([], header=["号牌号码"]))
    assert "第1行缺少列" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        imports.read_xlsx(io.BytesIO(b"not excel"))


def test_civil_servant_cannot_import(fleet):
    with pytest.raises(PermissionDenied):
        imports.require_importer(fleet.clerk_a1)


def test_import_page_shows_row_errors(client, fleet, tree):
    client.force_login(fleet.disp_a)
    upload = xlsx([row("A1", plate="浙A1")])
    upload.name = "车辆.xlsx"
    done = importing.upload(client, reverse("vehicles:vehicle-import"), {"file": upload})
    assert "第2行“号牌号码”" in done.text
    assert (done.job.row_errors[0]["row"], done.job.row_errors[0]["column"]) == (2, "号牌号码")
    assert not Vehicle.objects.exists()
