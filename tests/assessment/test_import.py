"""Import of case data: every row checked first, errors by row and column, all or nothing, idempotent."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from assessment import imports
from assessment.models import IndicatorValue
from tests import importing

HEADER = "单位编码,单位名称,T1,组织指标,E1,Y\n"
GOOD = HEADER + "A,甲厅,10,5,100,20\nB,乙厅,20,1,100,60\nC,丙厅,30,3,100,90\n"


def run(round_, actor, text, name="数据.csv"):
    return imports.import_values(actor=actor, round_=round_.round, file=io.BytesIO(text.encode()), filename=name)


def test_import_writes_every_value(round_, bureau):
    result = run(round_, bureau, GOOD)
    assert result == {"created": 12, "updated": 0, "unchanged": 0, "rows": 3}
    assert IndicatorValue.objects.get(org_unit=round_.b, indicator__code="O1").value == 1


def test_importing_the_same_file_twice_changes_nothing(round_, bureau):
    run(round_, bureau, GOOD)
    before = list(IndicatorValue.objects.order_by("pk").values_list("pk", "value", "updated_at"))
    assert run(round_, bureau, GOOD) == {"created": 0, "updated": 0, "unchanged": 12, "rows": 3}
    assert list(IndicatorValue.objects.order_by("pk").values_list("pk", "value", "updated_at")) == before


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(round_, bureau):
    bad = HEADER + "A,甲厅,10,5,100,20\nB,乙厅,二十,1,100,60\nZ,无此单位,1,1,1,1\nC,丙厅,30,3,-1,90\n"
    with pytest.raises(ValidationError) as exc:
        run(round_, bureau, bad)
    assert exc.value.messages == [
        "第3行“T1”列：「技术指标」的值“二十”不是数字。",
        "第4行“单位编码”列：“Z”不是本轮评估对象的单位编码。",
        "第5行“E1”列：「环境指标」的值 -1 超出允许范围 0～1000（分）。",
    ]
    assert not IndicatorValue.objects.exists()


def test_duplicate_unit_and_unknown_column(round_, bureau):
    with pytest.raises(ValidationError) as exc:
        run(round_, bureau, "单位编码,T1,面积\nA,1,2\nA,2,3\n")
    assert "第1行第3列：“面积”不是本轮指标框架中的指标编码或名称。" in exc.value.messages
    assert "第3行“单位编码”列：单位“A”与第2行重复。" in exc.value.messages


def test_missing_unit_column(round_, bureau):
    with pytest.raises(ValidationError, match="缺少“单位编码”列"):
        run(round_, bureau, "名称,T1\n甲厅,1\n")


def test_excel_files_are_read(round_, bureau):
    wb = Workbook()
    ws = wb.active
    ws.append(["单位编码", "T1", "O1", "E1", "Y"])
    ws.append(["A", 10, 5, 100, 20])
    ws.append(["B", 20.5, 1, 100, 60])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    result = imports.import_values(actor=bureau, round_=round_.round, file=buf, filename="数据.xlsx")
    assert result["created"] == 8
    assert str(IndicatorValue.objects.get(org_unit=round_.b, indicator__code="T1").value) == "20.5000"


def test_gbk_csv_is_read(round_, bureau):
    result = imports.import_values(
        actor=bureau, round_=round_.round, file=io.BytesIO(GOOD.encode("gb18030")), filename="数据.csv"
    )
    assert result["created"] == 12


def test_other_formats_are_refused(round_, bureau):
    with pytest.raises(ValidationError, match="只支持"):
        run(round_, bureau, GOOD, name="数据.txt")


def test_an_agency_may_not_import_for_the_round(round_, people):
    with pytest.raises(PermissionDenied):
        run(round_, people.admin_a, GOOD)


def test_import_page_reports_errors(round_, bureau, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(bureau)
    upload = SimpleUploadedFile("数据.csv", (HEADER + "A,甲厅,x,5,100,20\n").encode(), content_type="text/csv")
    done = importing.upload(client, reverse("assessment:round-import", args=[round_.round.pk]), {"file": upload})
    assert done.job.status == "failed"
    assert "第2行“T1”列" in done.text
    assert (done.job.row_errors[0]["row"], done.job.row_errors[0]["column"]) == (2, "T1")


def test_numeric_unit_codes_in_excel_are_matched(round_, bureau):
    from datahub.models import OrgUnit

    OrgUnit.objects.filter(pk=round_.a.pk).update(code="330100")
    wb = Workbook()
    ws = wb.active
    ws.append(["单位编码", "T1"])
    ws.append([330100.0, 10])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    assert imports.import_values(actor=bureau, round_=round_.round, file=buf, filename="数据.xlsx")["created"] == 1
