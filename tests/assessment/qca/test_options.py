"""QCA options away from the defaults: ``sort.by``, ``row.dom``, single-condition
sufficiency (``pof(..., relation = "suf")`` / ``pofind``) and the ``minmat`` matrix.

The expected values are QCA's own printed output in its help pages (QCA 3.23, rendered
examples ``inst/staticdocs/{truthTable,minimize,pof}.html`` of GitHub ``cran/QCA`` at
``a3d06f5``), to the 3 decimals printed; the minmat case is worked by hand.
"""

import numpy as np
import pytest

from assessment.qca import ParameterError, minimize, minmat, pofind, sufficiency, truth_table

from .conftest import read_dataset

LIPSET = ["DEV", "URB", "LIT", "IND", "STB"]
CV = ["DEMOC", "ETHFRACT", "GEOCON", "POLDIS", "NATPRIDE"]
REMAINDERS_LC = [3, 4, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 25, 26, 27, 28, 29, 30]


def _lc(**kw):
    cases, data = read_dataset("LC")
    return truth_table(data, "SURV", LIPSET, incl_cut=1, cases=cases, **kw)


def _cvf(outcome="PROTEST", **kw):
    cases, data = read_dataset("CVF")
    return truth_table(data, outcome, CV, incl_cut=0.8, cases=cases, **kw)


def test_sort_by_inclusion_then_n_decreasing_as_qca_prints_it():
    # truthTable(LC, "SURV", complete = TRUE, sort.by = "incl, n")
    assert _lc(sort_by="incl, n").order == (32, 22, 24, 1, 2, 5, 6, 23, 31, *REMAINDERS_LC)


def test_sort_by_with_signs_decreasing_inclusion_increasing_n():
    # truthTable(LC, "SURV", complete = TRUE, sort.by = "incl-, n+")
    assert _lc(sort_by="incl-, n+").order == (22, 24, 32, 6, 23, 31, 2, 5, 1, *REMAINDERS_LC)
    assert _lc(sort_by={"incl": True, "n": False}).order == _lc(sort_by="incl-, n+").order


def test_sort_by_inclusion_on_the_negated_outcome():
    # truthTable(CVF, "~PROTEST", incl.cut = 0.8, sort.by = "incl"): the observed rows
    tt = _cvf("~PROTEST", sort_by="incl")
    observed = [r.number for r in tt.sorted_rows if r.out != "?"]
    assert observed == [10, 6, 28, 14, 2, 20, 8, 22, 30, 5, 27, 16, 29, 32, 24, 31, 15]
    assert [round(r.consistency, 3) for r in tt.sorted_rows[:3]] == [0.976, 0.953, 0.933]
    # the printed order is also the order of to_dict(); rows stay numbered for minimize()
    assert [r["number"] for r in tt.to_dict(remainders=False)["rows"]][:2] == [10, 6]
    assert [r.number for r in tt.rows[:3]] == [1, 2, 3]


def test_unsorted_table_keeps_row_numbers_and_unknown_sort_key_is_refused():
    assert _lc().order == ()
    assert [r.number for r in _lc().sorted_rows][:3] == [1, 2, 3]
    with pytest.raises(ParameterError, match="排序列“coverage”不存在"):
        _lc(sort_by="coverage")


def test_row_dominance_drops_dominated_prime_implicants_cebotari_vink():
    # QCA's help: "DEMOC*ETHFRACT*~POLDIS is dominated by DEMOC*ETHFRACT*GEOCON"; with
    # row.dom = TRUE four prime implicants remain and one model: QCA's M3 of the plain run.
    tt = _cvf()
    plain = minimize(tt, include_remainders=True).parsimonious
    assert len(plain.models) == 4
    dominated = minimize(tt, include_remainders=True, row_dom=True).parsimonious
    assert dominated.prime_implicants == (
        "~NATPRIDE",
        "DEMOC*ETHFRACT*GEOCON",
        "DEMOC*GEOCON*POLDIS",
        "ETHFRACT*GEOCON*POLDIS",
    )
    assert dominated.expressions == [plain.models[2].expression]
    model = dominated.models[0]
    assert [round(v, 3) for v in (model.consistency, model.pri, model.coverage)] == [0.879, 0.782, 0.810]
    # covU within that single model: the (M3) column of QCA's table
    assert [round(t.covU, 3) for t in model.terms] == [0.136, 0.085, 0.065, 0.045]


def test_row_dominance_changes_nothing_without_dominated_rows():
    cases, data = read_dataset("LC")
    tt = truth_table(data, "SURV", LIPSET, incl_cut=1, cases=cases)
    assert minimize(tt, row_dom=True).conservative.expressions == minimize(tt).conservative.expressions


def test_single_condition_sufficiency_as_qcas_pof():
    cases, data = read_dataset("CVF")
    rows = sufficiency(data, "PROTEST", CV, cases=cases)
    # pof(conds, PROTEST, relation = "suf")
    printed = {
        "DEMOC": (0.713, 0.508, 0.741, 0.000),
        "ETHFRACT": (0.755, 0.578, 0.680, 0.002),
        "GEOCON": (0.624, 0.449, 0.904, 0.052),
        "POLDIS": (0.744, 0.624, 0.518, 0.000),
        "NATPRIDE": (0.539, 0.279, 0.708, 0.024),
    }
    for row in rows[:5]:
        assert not row.negated
        assert tuple(round(v, 3) for v in (row.inclS, row.PRI, row.covS, row.covU)) == printed[row.label]
    assert [r.label for r in rows[5:]] == [f"~{c}" for c in CV]
    # pof(conds, 1 - PROTEST, relation = "suf")
    negated = sufficiency(data, "~PROTEST", CV, cases=cases)
    assert [round(r.inclS, 3) for r in negated[:5]] == [0.580, 0.623, 0.529, 0.470, 0.693]
    assert [round(r.covU, 3) for r in negated[:5]] == [0.001, 0.000, 0.000, 0.000, 0.086]
    assert pofind(data, "PROTEST", CV, relation="suf", cases=cases) == rows
    assert pofind(data, "PROTEST", CV, cases=cases)[0].inclN == pytest.approx(0.741, abs=5e-4)
    with pytest.raises(ParameterError, match="relation"):
        pofind(data, "PROTEST", CV, relation="both", cases=cases)


def test_single_condition_sufficiency_by_hand():
    # X = 1, .6, .2; Y = .8, .6, .4: Σmin = 1.6, ΣX = ΣY = 1.8, Σmin(X, Y, 1-Y) = .2 + .4 + .2
    row = sufficiency({"X": [1, 0.6, 0.2], "Y": [0.8, 0.6, 0.4]}, "Y", ["X"])[0]
    assert row.inclS == pytest.approx(1.6 / 1.8)
    assert row.covS == pytest.approx(1.6 / 1.8)
    assert row.PRI == pytest.approx((1.6 - 0.8) / (1.8 - 0.8))
    assert row.covU is None  # alone: no other condition to be unique against


def test_minmat_is_each_cases_membership_in_each_observed_row():
    # A, B for three cases; rows 1 = ~A~B, 2 = ~AB, 3 = A~B, 4 = AB
    data = {"A": [0.9, 0.2, 0.7], "B": [0.3, 0.6, 0.8], "Y": [1, 0, 1]}
    tt = truth_table(data, "Y", ["A", "B"], cases=["甲", "乙", "丙"])
    numbers, m = minmat(tt)
    assert numbers == (2, 3, 4)  # 甲 lands in A~B, 乙 in ~AB, 丙 in AB; ~A~B is unobserved
    expected = np.array(
        [
            [min(0.1, 0.3), min(0.9, 0.7), min(0.9, 0.3)],
            [min(0.8, 0.6), min(0.2, 0.4), min(0.2, 0.6)],
            [min(0.3, 0.8), min(0.7, 0.2), min(0.7, 0.8)],
        ]
    )
    assert m == pytest.approx(expected)
    assert (m > 0.5).sum(axis=0).tolist() == [r.n for r in tt.observed]
