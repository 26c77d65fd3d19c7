"""fsQCA over a round's cases: calibration, necessity, truth table, solutions, named paths."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessment import demo, services
from assessment.models import Analysis, Round
from tests.factories import superuser
from tests.sharing import shared_fixture

CONDITIONS = ["T1", "T2", "O1", "O2", "E1", "E2"]


def build_demo_round(tree):
    """The demo study, seeded once per module (tests/sharing.py): the analyses only read its values. After the
    module's directory (``tree``), as before, when every test found the shared rows already written."""
    admin = superuser()
    demo.seed(io.StringIO())
    return Round.objects.get(is_demo=True, external=True), admin  # the study's round (not the platform one)


shared_demo_round, demo_round = shared_fixture("demo_round", build_demo_round)


def test_analysis_stores_every_step(demo_round):
    round_, admin = demo_round
    analysis = services.run_analysis(actor=admin, round_=round_, name="测试", outcome="Y", conditions=CONDITIONS)
    result = analysis.result
    assert len(result["necessity"]) == 2 * len(CONDITIONS)
    assert result["truth_table"]["rows"]
    assert result["minimize"]["conservative"]["models"]
    assert result["configuration"]["configurations"]
    assert set(result["anchors"]) == {"Y", *CONDITIONS}


def test_quantile_anchors_are_the_5_50_95_percentiles(demo_round):
    from assessment.qca import quantile_anchors

    round_, admin = demo_round
    analysis = services.run_analysis(
        actor=admin, round_=round_, name="测试", outcome="Y", conditions=["T1", "T2", "E1"]
    )
    raw = [c["raw"]["T1"] for c in analysis.result["cases"]]
    assert analysis.result["anchors"]["T1"] == pytest.approx(list(quantile_anchors(raw)))


def test_explicit_anchors_are_used(demo_round):
    round_, admin = demo_round
    analysis = services.run_analysis(
        actor=admin,
        round_=round_,
        name="测试",
        outcome="Y",
        conditions=["T1", "T2"],
        calibration={"T1": {"method": "explicit", "anchors": [60, 75, 90]}},
    )
    assert analysis.result["anchors"]["T1"] == [60, 75, 90]
    for case in analysis.result["cases"]:
        if case["raw"]["T1"] == 75:
            assert case["calibrated"]["T1"] == 0.5


def test_each_case_is_told_which_path_covers_it(demo_round):
    round_, admin = demo_round
    analysis = services.run_analysis(actor=admin, round_=round_, name="测试", outcome="Y", conditions=CONDITIONS)
    for case in analysis.result["cases"]:
        expected = [name for name, m in case["memberships"].items() if m > 0.5]
        assert case["paths"] == expected
    for path in analysis.result["paths"]:
        assert path["cases"] == [c["name"] for c in analysis.result["cases"] if path["label"] in c["paths"]]


def test_paths_get_the_study_names_by_their_core_conditions(demo_round):
    round_, admin = demo_round
    analysis = services.run_analysis(actor=admin, round_=round_, name="测试", outcome="Y", conditions=CONDITIONS)
    for path in analysis.result["paths"]:
        assert path["name"].startswith(("技术驱动型", "压力驱动型", "协同共生型"))
        # the core is what the parsimonious solution keeps of the term
        assert set(path["core"]) <= {c.lstrip("~") for c in path["expression"].split("*")}


def test_paths_can_be_renamed(demo_round):
    round_, admin = demo_round
    analysis = services.run_analysis(actor=admin, round_=round_, name="测试", outcome="Y", conditions=CONDITIONS)
    first = analysis.result["paths"][0]
    services.rename_paths(actor=admin, analysis=analysis, names={first["expression"]: "自定义路径"})
    analysis.refresh_from_db()
    assert analysis.result["paths"][0]["name"] == "自定义路径"
    assert all("自定义路径" in c["paths"] for c in analysis.result["cases"] if c["name"] in first["cases"])


def test_custom_path_names_at_run_time(demo_round):
    round_, admin = demo_round
    a = services.run_analysis(actor=admin, round_=round_, name="测试", outcome="Y", conditions=["T1", "T2", "E1"])
    expression = a.result["paths"][0]["expression"]
    b = services.run_analysis(
        actor=admin,
        round_=round_,
        name="测试",
        outcome="Y",
        conditions=["T1", "T2", "E1"],
        path_names={expression: "数字底座"},
    )
    assert b.result["paths"][0]["name"] == "数字底座"


def test_negated_outcome(demo_round):
    round_, admin = demo_round
    analysis = services.run_analysis(actor=admin, round_=round_, name="非高质量", outcome="~Y", conditions=["T1", "E1"])
    assert analysis.result["outcome"] == "~Y"
    case = analysis.result["cases"][0]
    assert case["y"] == pytest.approx(1 - case["calibrated"]["Y"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"conditions": []}, "至少选择一个条件"),
        ({"conditions": ["T1", "T1"]}, "不能重复"),
        ({"conditions": ["Y", "T1"]}, "不能同时作为条件"),
        ({"conditions": ["NOPE"]}, "不是本轮指标框架中的指标"),
        ({"conditions": ["T1"], "calibration": {"T1": {"method": "explicit", "anchors": [90, 95, 60]}}}, "锚点"),
        ({"conditions": ["T1"], "calibration": {"T1": {"method": "explicit", "anchors": ["a", 1, 2]}}}, "三个数字"),
    ],
)
def test_bad_designs_are_refused_with_clear_messages(demo_round, kwargs, message):
    round_, admin = demo_round
    with pytest.raises(ValidationError) as exc:
        services.run_analysis(actor=admin, round_=round_, name="x", outcome="Y", **kwargs)
    assert message in " ".join(exc.value.messages)


def test_more_conditions_than_the_engine_allows(demo_round, monkeypatch):
    from assessment import qca

    round_, admin = demo_round
    monkeypatch.setattr(qca, "MAX_CONDITIONS", 2)
    with pytest.raises(ValidationError, match="最多 2 个"):
        services.run_analysis(actor=admin, round_=round_, name="x", outcome="Y", conditions=["T1", "T2", "O1"])


def test_missing_values_are_named(round_, bureau):
    services.enter_values(actor=bureau, round_=round_.round, unit=round_.a, values={"T1": 1, "O1": 1, "E1": 1, "Y": 1})
    with pytest.raises(ValidationError, match="缺少以下案例的数值：乙厅、丙厅"):
        services.run_analysis(actor=bureau, round_=round_.round, name="x", outcome="Y", conditions=["T1"])


def test_fewer_than_two_cases(bureau, tree, small_framework):
    r = services.create_round(
        actor=bureau, name="单一", year=2026, framework=small_framework, org_unit=tree.a, case_level="department"
    )
    with pytest.raises(ValidationError, match="至少需要 2 个"):
        services.run_analysis(actor=bureau, round_=r, name="x", outcome="Y", conditions=["T1"])


def test_an_agency_may_not_run_an_analysis_over_the_others(entered, people):
    with pytest.raises(PermissionDenied):
        services.run_analysis(actor=people.admin_a, round_=entered.round, name="x", outcome="Y", conditions=["T1"])


def test_analysis_pages(demo_round, client):
    round_, admin = demo_round
    client.force_login(admin)
    response = client.post(
        reverse("assessment:analysis-create", args=[round_.pk]),
        {
            "name": "页面分析",
            "outcome": "Y",
            "conditions": CONDITIONS,
            "incl_cut": 0.8,
            "n_cut": 1,
            "pri_cut": 0,
            "anchors": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    analysis = Analysis.objects.get(name="页面分析")
    body = client.get(reverse("assessment:analysis", args=[analysis.pk])).content.decode()
    assert "必要性分析" in body and "真值表" in body and "组态表" in body
    assert "<svg" in body and "stroke-dasharray" in body  # XY plots with the diagonal, server-side
    assert "●" in body and "•" in body  # the study's notation: core ● and peripheral • present
    export = client.get(reverse("assessment:analysis", args=[analysis.pk]) + "?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    # every table of the analysis
    assert workbook.sheetnames == ["校准", "必要性", "真值表", "解", "组态表", "路径", "案例"]
    assert workbook["案例"].max_row == 30  # header + 29 regions
    assert workbook["校准"].max_row == 1 + 1 + len(CONDITIONS)
    config = {row[0]: row for row in workbook["组态表"].iter_rows(values_only=True)}
    assert {"原始覆盖度", "唯一覆盖度", "一致性", "解的一致性", "解的覆盖度"} <= set(config)
    assert "●" in config["T1"]
    # the XY plots as image files
    plots = client.get(reverse("assessment:analysis", args=[analysis.pk]) + "?export=plots")
    assert plots["Content-Type"] == "application/zip"
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(b"".join(plots.streaming_content)))
    names = archive.namelist()
    assert len(names) == len(CONDITIONS) + len(analysis.result["paths"])
    assert all(n.endswith(".svg") for n in names)
    assert archive.read(names[0]).decode().count("<circle") == 29


def test_without_expectations_the_paths_are_the_conservative_solution(demo_round):
    round_, admin = demo_round
    analysis = services.run_analysis(
        actor=admin, round_=round_, name="复杂解", outcome="Y", conditions=CONDITIONS, expectations=[]
    )
    assert analysis.result["solution_kind"] == "conservative"
    assert (
        analysis.result["solution_expression"] == analysis.result["minimize"]["conservative"]["models"][0]["expression"]
    )


def test_unknown_expectation_is_refused(demo_round):
    round_, admin = demo_round
    with pytest.raises(ValidationError):
        services.run_analysis(
            actor=admin, round_=round_, name="x", outcome="Y", conditions=["T1", "T2"], expectations=["NOPE"]
        )
