"""Every file of the bad-file corpus (tests/badfiles.py) fed to every import, through the page or
the API the user uses: a Chinese message that says what is wrong, and the target tables unchanged.

Time is bounded by construction rather than by a timed assertion: the files that would cost time
(huge dimension, zip bomb, binaries) are refused by the reader's pre-check, which raises when the
reader is called — before it hands out a row iterator, so no row of them is ever parsed.
"""

import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from datahub import sheets
from datahub.roles import Role
from tests import importing
from tests.badfiles import CORPUS, build
from tests.factories import UserFactory, grant


def _energy(tree, staff):
    from energy import imports
    from energy.models import ConsumptionRecord

    user = grant(UserFactory(username="bf_energy", org_unit=tree.b), Role.ENERGY_REPORTER, tree.b)
    return user, imports.COLUMNS, [ConsumptionRecord]


def energy_page(tree, staff):
    user, header, tables = _energy(tree, staff)
    return user, reverse("energy:record-import"), header, tables


def energy_api(tree, staff):
    user, header, tables = _energy(tree, staff)
    return user, "/api/v1/energy/records/import/", header, tables


def assets_page(tree, staff):
    from assets import imports
    from assets.models import Asset, Movement

    return staff.asset_a, reverse("assets:card-import"), imports.COLUMNS, [Asset, Movement]


def officespace_page(tree, staff):
    from officespace import imports
    from officespace.models import Building, Floor, Room

    return staff.space_a, reverse("officespace:room-import"), imports.COLUMNS, [Building, Floor, Room]


def stocktake_page(tree, staff):
    from stocktake import imports, services
    from stocktake.models import Count

    take = services.open_stocktake(actor=staff.asset_a, title="坏文件清查", org_unit=tree.a)
    return staff.asset_a, reverse("stocktake:import", args=[take.pk]), imports.COLUMNS, [Count]


def vehicles_page(tree, staff):
    from vehicles import imports
    from vehicles.models import Vehicle

    user = grant(UserFactory(username="bf_dispatcher", org_unit=tree.a), Role.VEHICLE_DISPATCHER, tree.a)
    return user, reverse("vehicles:vehicle-import"), imports.COLUMNS, [Vehicle]


def _round(tree):
    from assessment import services
    from assessment.models import Framework, Indicator, IndicatorValue

    bureau = grant(UserFactory(username="bf_bureau", org_unit=tree.r), Role.BUREAU_ADMIN, tree.r)
    framework = Framework.objects.create(code="BADFILES", version=1, name="坏文件测试框架")
    Indicator.objects.create(
        framework=framework, code="T1", name="技术指标", dimension="T", direction=1, weight=Decimal("1"),
        min_value=Decimal("0"), max_value=Decimal("100"), order=0, unit="分",
    )  # fmt: skip
    round_ = services.create_round(
        actor=bureau, name="坏文件", year=2026, framework=framework, org_unit=tree.r, case_level="institution"
    )
    return bureau, round_, ("单位编码", "T1"), [IndicatorValue]


def assessment_page(tree, staff):
    user, round_, header, tables = _round(tree)
    return user, reverse("assessment:round-import", args=[round_.pk]), header, tables


def assessment_api(tree, staff):
    user, round_, header, tables = _round(tree)
    return user, f"/api/v1/assessment/rounds/{round_.pk}/import/", header, tables


@dataclass(frozen=True)
class Importer:
    name: str
    setup: object
    api: bool = False


IMPORTERS = [
    Importer("energy_page", energy_page),
    Importer("energy_api", energy_api, api=True),
    Importer("assets_page", assets_page),
    Importer("officespace_page", officespace_page),
    Importer("stocktake_page", stocktake_page),
    Importer("vehicles_page", vehicles_page),
    Importer("assessment_page", assessment_page),
    Importer("assessment_api", assessment_api, api=True),
]


def counts(tables) -> dict:
    return {model.__name__: model.objects.count() for model in tables}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("bad", CORPUS, ids=lambda b: b.name)
@pytest.mark.parametrize("importer", IMPORTERS, ids=lambda i: i.name)
def test_every_bad_file_is_refused_in_chinese_and_changes_nothing(importer, bad, tree, staff, client, api):
    user, url, header, tables = importer.setup(tree, staff)
    content = build(bad.name, tuple(header), ("不存在",) * len(header))
    upload = SimpleUploadedFile(bad.filename, content, content_type="application/octet-stream")
    before = counts(tables)
    if importer.api:
        # Refused at upload (400), or accepted (202) and refused by its job (run eagerly: tests/importing.py).
        done = importing.upload(api(user), url, {"file": upload}, api=True)
        assert done.response.status_code in (400, 202)
        text = json.dumps(done.response.json(), ensure_ascii=False) + importing.describe(done.job)
        if done.response.status_code == 202:
            assert done.job.status == "failed"
    else:
        client.force_login(user)
        done = importing.upload(client, url, {"file": upload})
        assert done.response.status_code in (200, 400)
        text = done.text
    assert re.search(bad.says, text, re.S), text[-3000:]
    assert counts(tables) == before


@pytest.mark.parametrize("bad", [b for b in CORPUS if b.precheck], ids=lambda b: b.name)
def test_costly_or_foreign_files_are_refused_before_a_row_is_read(bad):
    content = build(bad.name, ("编码", "名称"), ("不存在", "不存在"))
    with pytest.raises(sheets.SheetRefused) as refused:
        # The reader has not returned its row iterator yet: nothing of the sheet was parsed.
        sheets.table_rows(io.BytesIO(content), bad.filename, max_rows=5000)
    assert re.search(bad.says, refused.value.messages[0])


ORDINARY = ("empty_workbook", "wrong_columns", "bad_rows")


@pytest.mark.parametrize("name", ORDINARY)
def test_small_ordinary_files_pass_the_reader_for_the_importer_to_judge(name):
    rows = list(
        sheets.table_rows(io.BytesIO(build(name, ("编码", "名称"), ("不存在", "不存在"))), "数据.xlsx", max_rows=5000)
    )
    assert len(rows) <= 2


@pytest.mark.parametrize("bad", [b for b in CORPUS if not b.precheck and b.name not in ORDINARY], ids=lambda b: b.name)
def test_files_whose_sizes_lie_are_stopped_while_reading(bad):
    content = build(bad.name, ("编码", "名称"), ("不存在", "不存在"))
    with pytest.raises(ValidationError, match=bad.says) as refused:
        list(sheets.table_rows(io.BytesIO(content), bad.filename, max_rows=5000))
    assert not isinstance(refused.value, sheets.SheetRefused)


def test_a_gbk_csv_from_excel_and_a_utf8_one_read_the_same():
    text = "单位编码,名称\n330100,杭州市\n"
    gbk = list(sheets.csv_rows(io.BytesIO(text.encode("gbk")), max_rows=10))
    utf8 = list(sheets.csv_rows(io.BytesIO(("\ufeff" + text).encode("utf-8")), max_rows=10))
    assert gbk == utf8 == [(1, ("单位编码", "名称")), (2, ("330100", "杭州市"))]


def test_limits_are_settings(settings):
    settings.SHEET_LIMITS = {"max_columns": 2}
    content = build("bad_rows", ("甲", "乙", "丙"), ("1", "2", "3"))
    with pytest.raises(sheets.SheetRefused, match="有3列，超过上限2列"):
        sheets.xlsx_rows(io.BytesIO(content), max_rows=10)


def test_a_misspelt_limit_fails_the_system_check(settings):
    settings.SHEET_LIMITS = {"max_colums": 2}
    assert [e.id for e in sheets.check_limits()] == ["datahub.E001"]


def test_a_dimension_within_the_caps_is_read_normally():
    rows = sheets.xlsx_rows(io.BytesIO(build("bad_rows", ("编码", "名称"), ("A1", "甲"))), max_rows=10)
    assert list(rows) == [(1, ("编码", "名称")), (2, ("A1", "甲"))]
