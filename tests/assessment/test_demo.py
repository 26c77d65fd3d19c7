"""The demo round: 29 regions under their own root, labelled 演示数据, seeded once."""

import io

import pytest

from assessment import demo
from assessment.models import Analysis, IndicatorValue, Round, Score
from datahub.models import OrgUnit
from tests.factories import superuser


@pytest.fixture
def seeded(db):
    superuser()
    out = io.StringIO()
    round_ = demo.seed(out)
    return round_, out.getvalue()


def test_demo_round_has_29_regions_clearly_labelled(seeded):
    round_, message = seeded
    assert round_.is_demo and "演示数据" in round_.name
    root = OrgUnit.objects.get(code=demo.ROOT_CODE)
    assert "演示数据" in root.name
    regions = OrgUnit.objects.filter(code__startswith=f"{demo.ROOT_CODE}-", level="region")
    assert regions.count() == 29
    assert all("（演示）" in r.name for r in regions)
    assert "29 个省级区域" in message


def test_demo_round_is_scored_and_analysed(seeded):
    round_, message = seeded
    assert Score.objects.filter(round=round_).count() == 29
    # 府际竞争压力 computed from the adjacency table for every region.
    assert IndicatorValue.objects.filter(round=round_, indicator__code="E2", origin="computed").count() == 29
    analysis = Analysis.objects.get(round=round_)
    assert analysis.result["paths"], message
    assert len(analysis.result["cases"]) == 29


def test_seeding_twice_changes_nothing(seeded):
    assert demo.seed(io.StringIO()) is None
    assert Round.objects.filter(is_demo=True).count() == 1
    assert OrgUnit.objects.filter(code__startswith=demo.ROOT_CODE).count() == 30


def test_demo_analysis_finds_the_three_paths_of_the_study(seeded):
    analysis = Analysis.objects.get(round=seeded[0])
    names = sorted(p["name"] for p in analysis.result["paths"])
    assert names == ["压力驱动型", "多元协同型", "技术驱动型"]
