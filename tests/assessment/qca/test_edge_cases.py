"""Hand-made cases for the edge cases of the truth table and the minimization."""

import itertools

import numpy as np
import pytest

from assessment.qca import (
    NothingToExplainError,
    TooComplexError,
    minimize,
    parse_directional_expectations,
    truth_table,
)
from assessment.qca.implicants import from_code, minimal_covers, quine_mccluskey, sort_order


def crisp_rows(rows):
    """{A, B, C, Y} columns from (a, b, c, y) tuples."""
    return {k: [r[i] for r in rows] for i, k in enumerate("ABCY")}


def test_case_at_exactly_one_half_belongs_to_no_row_but_counts():
    data = {"A": [0.9, 0.8, 0.5, 0.2], "B": [0.7, 0.9, 0.9, 0.1], "Y": [0.8, 0.3, 0.9, 0.2]}
    tt = truth_table(data, "Y", ["A", "B"], cases=["p", "q", "h", "r"])
    rows = {r.number: r for r in tt.rows}
    # h has A = 0.5: dichotomised it would sit in row 2 (A=0, B=1), but it is listed nowhere
    assert rows[2].cases == () and rows[2].n == 0 and rows[2].out == "?"
    assert rows[4].cases == ("p", "q") and rows[4].n == 2
    assert rows[1].cases == ("r",)
    assert sum(len(r.cases) for r in tt.rows) == 3
    # … and still counts in the sums: row 4 (A*B) consistency over all four cases
    x = [min(a, b) for a, b in zip(data["A"], data["B"], strict=True)]
    y = data["Y"]
    expected = sum(min(u, v) for u, v in zip(x, y, strict=True)) / sum(x)
    assert rows[4].consistency == pytest.approx(expected, abs=1e-15)
    assert 0.5 in x  # h's membership in A*B is 0.5, part of the denominator
    # the row QCA would show as observed (h lands there dichotomised) gets a consistency
    assert rows[2].consistency is not None
    assert rows[3].consistency is None


def test_n_cut_turns_thin_rows_into_remainders():
    data = crisp_rows([(1, 1, 0, 1), (1, 1, 0, 1), (0, 0, 0, 0), (1, 0, 0, 1), (0, 1, 0, 0)])
    tt1 = truth_table(data, "Y", ["A", "B"], n_cut=1)
    tt2 = truth_table(data, "Y", ["A", "B"], n_cut=2)
    assert [r.out for r in tt1.rows] == ["0", "0", "1", "1"]
    assert [r.out for r in tt2.rows] == ["?", "?", "?", "1"]
    assert tt2.rows[2].n == 1 and tt2.rows[2].consistency == 1.0  # values still shown


def test_cut_offs_compare_unrounded_values_with_r_tolerance():
    # crisp: row A=1 has 4 of 5 cases with Y: consistency exactly 0.8 → OUT 1 at incl_cut 0.8
    data = {"A": [1, 1, 1, 1, 1, 0, 0], "Y": [1, 1, 1, 1, 0, 0, 1]}
    tt = truth_table(data, "Y", ["A"], incl_cut=0.8)
    assert tt.rows[1].consistency == pytest.approx(0.8, abs=1e-15) and tt.rows[1].out == "1"
    # 0.7999 does not pass 0.8, even though it prints as 0.800
    data = {"A": [1.0, 1.0], "Y": [1.0, 0.5998]}
    tt = truth_table(data, "Y", ["A"], incl_cut=0.8)
    assert round(tt.rows[1].consistency, 3) == 0.8 and tt.rows[1].out == "0"
    # a value below the cut by less than R's tolerance (1.5e-8) passes, as in QCA
    data = {"A": [1.0, 1.0], "Y": [1.0, 0.6 - 1e-9]}
    assert truth_table(data, "Y", ["A"], incl_cut=0.8).rows[1].out == "1"


def test_pri_cut():
    # row A has high consistency for Y but just as high for ~Y: PRI is low
    data = {"A": [0.9, 0.9, 0.1], "Y": [0.6, 0.6, 0.0]}
    tt = truth_table(data, "Y", ["A"], incl_cut=0.6)
    row = tt.rows[1]
    assert row.consistency == pytest.approx(1.2 / 1.9)
    assert row.pri == pytest.approx((1.2 - 0.8) / (1.9 - 0.8))
    assert row.out == "1"
    assert truth_table(data, "Y", ["A"], incl_cut=0.6, pri_cut=0.5).rows[1].out == "0"


def test_several_equally_minimal_models_are_all_returned():
    # Σm(0,1,2,5,6,7) of A, B, C: the classic cyclic chart with two 3-term covers.
    positive = {0, 1, 2, 5, 6, 7}
    rows = [(*bits, int(i in positive)) for i, bits in enumerate(itertools.product((0, 1), repeat=3))]
    tt = truth_table(crisp_rows(rows), "Y", ["A", "B", "C"], incl_cut=1)
    result = minimize(tt)
    # QCA's order of prime implicants here: ~A*~B, ~A*~C, A*B, A*C, ~B*C, B*~C; models are
    # listed in lexicographic order of their implicants' positions.
    assert result.conservative.prime_implicants == ("~A*~B", "~A*~C", "A*B", "A*C", "~B*C", "B*~C")
    assert result.conservative.expressions == ["~A*~B + A*C + B*~C", "~A*~C + A*B + ~B*C"]
    assert result.conservative.essential == ()
    assert [m.name for m in result.conservative.models] == ["M1", "M2"]
    # the solution's term table lists every term of any model, with covU against all six
    assert len(result.conservative.terms) == 6
    m1 = result.conservative.models[0]
    assert m1.consistency == 1.0 and m1.coverage == 1.0
    assert all(t.covU == 0 for t in result.conservative.terms)
    assert [t.covU for t in m1.terms] == pytest.approx([1 / 3, 1 / 3, 1 / 3])  # disjoint within M1
    # no remainders: parsimonious = the same two models
    assert result.parsimonious.expressions == result.conservative.expressions
    with pytest.raises(TooComplexError, match="同样最简"):
        minimize(tt, max_models=1)


def test_no_negative_rows_means_no_parsimonious_solution():
    data = crisp_rows([(1, 1, 0, 1), (1, 0, 0, 1), (0, 1, 1, 1)])
    tt = truth_table(data, "Y", ["A", "B", "C"])
    result = minimize(tt, directional_expectations={"A": 1})
    assert result.parsimonious is None and result.intermediate == ()
    assert "没有结果为 0" in result.notes[0]
    assert result.solution is result.conservative
    with pytest.raises(NothingToExplainError):
        minimize(tt, include_remainders=True).solution  # noqa: B018


def test_nothing_to_explain():
    data = crisp_rows([(1, 1, 0, 0), (1, 0, 0, 0), (0, 1, 1, 1), (0, 1, 1, 0)])
    tt = truth_table(data, "Y", ["A", "B", "C"], incl_cut=0.8)
    with pytest.raises(NothingToExplainError, match="没有结果为 1"):
        minimize(tt)
    every = [(a, b, 0, 1) for a in (0, 1) for b in (0, 1)]
    tt = truth_table(crisp_rows(every), "Y", ["A", "B"])
    with pytest.raises(NothingToExplainError, match="所有条件都被消去"):
        minimize(tt)


def test_remainders_and_parsimonious_on_crisp_data():
    # positive 110, 111; negative 000, 001, 011; remainders 010, 100, 101
    rows = [(1, 1, 0, 1), (1, 1, 1, 1), (0, 0, 0, 0), (0, 0, 1, 0), (0, 1, 1, 0)]
    tt = truth_table(crisp_rows(rows), "Y", ["A", "B", "C"])
    result = minimize(tt, include_remainders=True)
    assert result.conservative.expressions == ["A*B"]
    assert result.parsimonious.expressions == ["A"]
    assert result.solution is result.parsimonious
    assert result.parsimonious.simplifying_assumptions == ((5, 6),)  # rows 100 and 101


def test_intermediate_solution_follows_the_expectations():
    # conservative A*B, parsimonious A (remainders 100 and 101 are used)
    rows = [(1, 1, 0, 1), (1, 1, 1, 1), (0, 0, 0, 0), (0, 0, 1, 0), (0, 1, 1, 0)]
    tt = truth_table(crisp_rows(rows), "Y", ["A", "B", "C"])
    # B expected to contribute when present: A*~B would be a difficult counterfactual, B stays
    inter = minimize(tt, directional_expectations={"B": 1}).intermediate[0]
    assert inter.expressions == ["A*B"]
    assert inter.easy_counterfactuals == ()
    assert inter.difficult_counterfactuals == (5, 6)
    # B expected to contribute when *absent*: A*~B is an easy counterfactual, B is dropped
    inter = minimize(tt, directional_expectations=["~B"]).intermediate[0]
    assert inter.expressions == ["A"]
    assert inter.easy_counterfactuals == (5, 6)
    assert inter.difficult_counterfactuals == ()
    # no expectation at all ("-" everywhere): the intermediate solution is the conservative one
    blank = minimize(tt, directional_expectations=["-", "-", "-"]).intermediate[0]
    assert blank.expressions == ["A*B"] and blank.easy_counterfactuals == ()


def test_intermediate_drops_literals_against_expectations():
    # positive 111 and 110, negative 000: parsimonious A (or B); conservative A*B
    rows = [(1, 1, 1, 1), (1, 1, 0, 1), (0, 0, 0, 0)]
    tt = truth_table(crisp_rows(rows), "Y", ["A", "B", "C"])
    result = minimize(tt, directional_expectations={"A": 1, "B": 0})
    assert result.parsimonious.expressions == ["A", "B"]
    names = [s.name for s in result.intermediate]
    assert names == ["C1P1", "C1P2"]
    # C1P1 (parsimonious A): B was expected absent, so B is dropped from A*B → A
    assert result.intermediate[0].expressions == ["A"]
    # C1P2 (parsimonious B): A is kept (it agrees), so the conservative A*B stays
    assert result.intermediate[1].expressions == ["A*B"]


def test_parse_directional_expectations():
    conds = ["A", "B", "C"]
    assert parse_directional_expectations(["A", "~C"], conds) == (2, 0, 1)
    assert parse_directional_expectations("A, ~C", conds) == (2, 0, 1)
    assert parse_directional_expectations({"A": 1, "B": "-", "C": 0}, conds) == (2, 0, 1)
    assert parse_directional_expectations([1, "-", 0], conds) == (2, 0, 1)
    with pytest.raises(ValueError, match="不是所选的条件"):
        parse_directional_expectations(["D"], conds)
    with pytest.raises(ValueError, match="相互矛盾"):
        parse_directional_expectations(["A", "~A"], conds)


def test_sort_order_reproduces_qca():
    # ~A before A before (no A), condition by condition, fewer literals first …
    codes = [(0, 2, 0), (2, 0, 0), (1, 0, 0), (1, 1, 0)]
    assert [codes[i] for i in sort_order(codes)] == [(1, 0, 0), (2, 0, 0), (0, 2, 0), (1, 1, 0)]
    # … except when every term has the condition: then the last one of the descending pass
    # keeps its place, so with two terms A comes before ~A (QCA prints
    # DEV*URB*LIT*IND*STB + DEV*~URB*LIT*~IND*STB for Lipset).
    assert sort_order([(1, 2), (2, 2)]) == [1, 0]


def test_quine_mccluskey_and_covers():
    primes = quine_mccluskey([0, 1, 2, 5, 6, 7], 3)
    assert sorted(primes) == sorted(
        from_code(c) for c in [(1, 1, 0), (1, 0, 1), (0, 1, 2), (0, 2, 1), (2, 0, 2), (2, 2, 0)]
    )
    # chart: PI p covers rows … → the two minimal covers
    chart = [0b000011, 0b000101, 0b110000, 0b101000, 0b001010, 0b010100]
    assert minimal_covers(chart, 6) == [(0, 3, 5), (1, 2, 4)]


def clustered_data(k, n=200, seed=0, prototypes=24):
    """n cases drawn around a few random configurations; Y = C1*C2 + C3*~C4 plus noise."""
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2, size=(prototypes, k))[rng.integers(0, prototypes, size=n)]
    x = np.round(np.where(bits == 1, rng.uniform(0.8, 1.0, (n, k)), rng.uniform(0.0, 0.2, (n, k))), 2)
    y = np.maximum(np.minimum(x[:, 0], x[:, 1]), np.minimum(x[:, 2], 1 - x[:, 3]))
    y = np.round(np.clip(y + rng.normal(0, 0.1, n), 0, 1), 2)
    conds = [f"C{i + 1}" for i in range(k)]
    return {c: x[:, i] for i, c in enumerate(conds)} | {"Y": y}, conds


def test_twelve_conditions_with_200_cases():
    data, conds = clustered_data(12, seed=1)
    tt = truth_table(data, "Y", conds, incl_cut=0.8)
    assert len(tt.rows) == 4096
    result = minimize(tt, directional_expectations=conds[:4])
    # the structure behind the data is found
    assert result.parsimonious.expressions == ["C1*C2 + C3*~C4"]
    assert result.conservative.models and result.intermediate
