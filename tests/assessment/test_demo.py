"""The demo round: the study's 29 regions as study cases of the demo province (not org units),
labelled 演示数据, seeded once; its analysis reproduces the study's three named paths with their
typical cases."""

import io

from assessment import demo, rules
from assessment.models import Analysis, IndicatorValue, Round, Score, StudyCase
from tests.factories import superuser
from tests.sharing import shared_fixture


def build_seeded(tree):
    """The demo, seeded once per module (tests/sharing.py); that seeding adds no org unit is checked on an
    unseeded database, in test_demo_directory.py."""
    superuser()
    out = io.StringIO()
    round_ = demo.seed(out)
    return round_, out.getvalue()


shared_seeded, seeded = shared_fixture("seeded", build_seeded)


def test_demo_round_is_the_studys_29_regions_as_study_cases(seeded, tree):
    round_, message = seeded
    assert round_.is_demo and "演示数据" in round_.name
    # an external round of a real unit (the first top-level one here; ZJ in seed_demo)
    assert round_.external and round_.org_unit == tree.r
    regions = StudyCase.objects.filter(owner=tree.r)
    assert regions.count() == 29
    assert all(r.note == "演示数据" for r in regions)
    assert "29 个省级区域" in message
    # the study's sample: the 31 mainland regions without 青海 (63) and 西藏 (54); 新疆 (65) is in
    provinces = {r.region_code[:2] for r in regions}
    assert "63" not in provinces and "54" not in provinces and "65" in provinces
    # every value and score belongs to a study case, none to an org unit
    assert not IndicatorValue.objects.filter(round=round_, org_unit__isnull=False).exists()
    assert not Score.objects.filter(round=round_, org_unit__isnull=False).exists()


def test_demo_round_is_scored_and_analysed(seeded):
    round_, message = seeded
    assert Score.objects.filter(round=round_).count() == 29
    # 府际竞争压力 computed from the neighbours' outcome (adjacency method) for every region.
    assert IndicatorValue.objects.filter(round=round_, indicator__code="E2", origin="computed").count() == 29
    analysis = Analysis.objects.get(round=round_)
    assert analysis.result["paths"], message
    assert len(analysis.result["cases"]) == 29


def test_seeding_twice_changes_nothing(seeded):
    assert demo.seed(io.StringIO()) is None
    assert Round.objects.filter(is_demo=True).count() == 2  # the study, and the round on the platform's data
    assert StudyCase.objects.count() == 29


def test_demo_analysis_reproduces_the_three_named_paths_of_the_study(seeded):
    result = Analysis.objects.get(round=seeded[0]).result
    assert {p["name"] for p in result["paths"]} == {"技术驱动型", "压力驱动型", "协同共生型"}
    by_name = {}
    for p in result["paths"]:
        by_name.setdefault(p["name"], []).append(p)
    # technology-driven: the technology pair is the core
    assert all({"T1", "T2"} <= set(p["core"]) for p in by_name["技术驱动型"])
    # synergy: T1, T2 and E1 core, the organisational conditions peripheral (as in the study)
    (synergy,) = by_name["协同共生型"]
    assert {"T1", "T2", "E1"} <= set(synergy["core"]) and not {"O1", "O2"} & set(synergy["core"])
    assert {"O1", "O2"} <= {c for c, v in _literals(synergy["expression"]) if v}
    # pressure-driven: E1 core without the technology pair, its variants sharing that core
    assert all("E1" in p["core"] and not {"T1", "T2"} <= set(p["core"]) for p in by_name["压力驱动型"])
    assert len({tuple(p["core"]) for p in by_name["压力驱动型"]}) == 1
    # the study's typical cases lie on their paths
    names = rules.province_names()
    for path, codes in demo.TYPICAL.items():
        covered = {c for p in by_name[path] for c in p["cases"]}
        assert all(any(n.startswith(names[c]) for n in covered) for c in codes), (path, covered)
    # consistency and coverage of the order the study reports
    assert result["solution_consistency"] > 0.85 and 0.5 < result["solution_coverage"] < 0.9
    assert all(p["consistency"] > 0.8 for p in result["paths"])


def _literals(expression):
    return [(lit.lstrip("~"), 0 if lit.startswith("~") else 1) for lit in expression.split("*")]


def test_the_demo_also_assesses_the_agencies_on_the_platforms_own_data(seeded, tree):
    """The internal demo round: the first top-level unit's agencies, every indicator computed by the platform
    (数字平台构建, the domains in use, 一数一源, service quality, exchange calls), nothing typed."""
    platform = Round.objects.get(name=demo.PLATFORM_ROUND)
    assert not platform.external and platform.org_unit == tree.r
    sources = set(platform.framework.indicators.values_list("source", flat=True))
    assert {"platform_business", "platform_domains", "one_source", "portal_on_time"} <= sources
    values = IndicatorValue.objects.filter(round=platform)
    assert values.exists() and not values.exclude(origin="computed").exists()
    # the test tree has no business on the platform: no domain is in use
    assert set(values.filter(indicator__code="T3").values_list("value", flat=True)) == {0}
