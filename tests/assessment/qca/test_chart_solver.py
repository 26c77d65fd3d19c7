"""The prime implicant chart solver: the reductions keep every minimal cover, the search finds
all of them (checked against brute force), and a chart too hard for the time limit stops with
TooComplexError instead of holding the request.

Charts are written as in the engine: ``chart[p]`` is the bitmask of the truth-table rows
(columns of the chart) implicant ``p`` covers.
"""

import random
import subprocess
import sys
import time
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from assessment import qca
from assessment.qca import ParameterError, TooComplexError, minimize, truth_table
from assessment.qca import cover as chart_solver
from assessment.qca.cover import (
    Deadline,
    dominated_rows,
    dominating_implicants,
    essential_implicants,
    minimal_covers,
)

ROOT = Path(__file__).resolve().parents[3]


def items(chart):
    return list(enumerate(chart))


def brute_force(chart, n_rows):
    """Every cover with the fewest implicants, by trying all sets of 1, 2, … implicants."""
    everything = (1 << n_rows) - 1
    for size in range(len(chart) + 1):
        found = []
        for combo in combinations(range(len(chart)), size):
            got = 0
            for p in combo:
                got |= chart[p]
            if got & everything == everything:
                found.append(combo)
        if found:
            return found
    raise AssertionError("chart not coverable")


# --------------------------------------------------------------------------- the reductions


def test_an_implicant_alone_on_a_row_is_essential_and_in_every_model():
    # row 0 is covered by implicant 0 only; rows 1–3 by several
    chart = [0b0011, 0b0110, 0b1100, 0b1010]
    assert essential_implicants(items(chart), 0b1111) == [0]
    covers = minimal_covers(chart, 4, limit=100)
    assert covers == [(0, 2)]
    assert all(0 in c for c in covers)


def test_a_row_covered_by_every_implicant_of_another_row_is_dropped():
    # row 0 is covered by {0, 1}; row 1 by {0, 1, 2}: whatever covers row 0 covers row 1
    chart = [0b011, 0b011, 0b110]
    assert dominated_rows(items(chart), 0b111) == 0b010
    # rows covered by the same implicants: the first is kept, the later one dropped
    assert dominated_rows(items([0b11, 0b11]), 0b11) == 0b10


def test_a_dominated_implicant_is_left_out_of_the_reduced_chart_but_not_of_the_models():
    # implicant 1 covers a subset of implicant 0's rows; 3 covers the same rows as 2
    chart = [0b0111, 0b0011, 0b1100, 0b1100]
    assert dominating_implicants(items(chart), 0b1111) == [0, 2]
    # row dominance alone would keep only 0 + 2; QCA lists every minimal model
    assert minimal_covers(chart, 4, limit=100) == [(0, 2), (0, 3), (1, 2), (1, 3)]


def test_independent_blocks_are_solved_apart_and_combined():
    # rows 0–1 and rows 2–3 share no implicant: 2 × 2 models
    chart = [0b0001 | 0b0010, 0b0011, 0b1100, 0b0100 | 0b1000]
    assert minimal_covers(chart, 4, limit=100) == brute_force(chart, 4) == [(0, 2), (0, 3), (1, 2), (1, 3)]


@pytest.mark.parametrize("lp_rows", [0, chart_solver.LP_MIN_ROWS])
def test_every_minimal_cover_is_found_on_random_charts(monkeypatch, lp_rows):
    """With the linear-programming bound on every chart (0) and as configured."""
    monkeypatch.setattr(chart_solver, "LP_MIN_ROWS", lp_rows)
    rng = random.Random(17)
    for _ in range(60):
        n = rng.randint(1, 12)
        density = rng.uniform(0.15, 0.6)
        chart = [sum(1 << r for r in range(n) if rng.random() < density) for _ in range(rng.randint(2, 14))]
        chart.append((1 << n) - 1 if rng.random() < 0.2 else 1 << rng.randrange(n))
        covered = 0
        for bits in chart:
            covered |= bits
        if covered != (1 << n) - 1:
            with pytest.raises(ValueError):
                minimal_covers(chart, n, limit=10_000)
            continue
        assert minimal_covers(chart, n, limit=10_000) == brute_force(chart, n)


def test_more_equally_minimal_models_than_the_limit_is_too_complex():
    # four independent rows, each covered by two implicants: 2^4 = 16 minimal models
    chart = [1 << (p // 2) for p in range(8)]
    assert len(minimal_covers(chart, 4, limit=16)) == 16
    with pytest.raises(TooComplexError, match="同样最简"):
        minimal_covers(chart, 4, limit=15)


# --------------------------------------------------------------------------- the time limit


def scattered_data(k, n=100, seed=0):
    """Memberships drawn independently (Beta(0.4, 0.4)): cases scatter over the truth table."""
    rng = np.random.default_rng(seed)
    x = np.round(rng.beta(0.4, 0.4, (n, k)), 2)
    y = np.maximum(np.minimum(x[:, 0], x[:, 1]), np.minimum(x[:, 2], 1 - x[:, 3]))
    y = np.round(np.clip(y + rng.normal(0, 0.1, n), 0, 1), 2)
    conds = [f"C{i + 1}" for i in range(k)]
    return {c: x[:, i] for i, c in enumerate(conds)} | {"Y": y}, conds


def test_a_huge_problem_stops_at_the_time_limit_with_a_clear_message():
    # 12 scattered conditions, 300 cases, every solution with every intermediate pair, and no
    # cap on the number of models: far more work than half a second
    data, conds = scattered_data(12, n=300, seed=5)
    tt = truth_table(data, "Y", conds, incl_cut=0.75)
    with pytest.raises(TooComplexError, match=r"0\.5 秒的时间限制") as caught:
        minimize(tt, include_remainders=True, directional_expectations=conds, max_models=10**9, time_limit=0.5)
    assert "请减少条件数" in str(caught.value)


def test_a_deadline_that_has_passed_stops_the_solver():
    deadline = Deadline(1e-6)
    time.sleep(0.01)
    with pytest.raises(TooComplexError, match="时间限制"):
        deadline.check()
    Deadline(None).check()  # no limit: never raises


@pytest.mark.parametrize("bad", [0, -1, "10", True, float("nan")])
def test_the_time_limit_must_be_a_positive_number_of_seconds(bad):
    data, conds = scattered_data(4, seed=1)
    tt = truth_table(data, "Y", conds, incl_cut=0.8)
    with pytest.raises(ParameterError, match="time_limit"):
        minimize(tt, time_limit=bad)
    with pytest.raises(ValueError):
        qca.set_default_time_limit(bad)


def test_the_default_time_limit_can_be_set_by_the_project():
    data, conds = scattered_data(12, n=300, seed=5)
    tt = truth_table(data, "Y", conds, incl_cut=0.75)
    before = qca.default_time_limit()
    qca.set_default_time_limit(0.2)
    try:
        with pytest.raises(TooComplexError, match=r"0\.2 秒"):
            minimize(tt, include_remainders=True, directional_expectations=conds, max_models=10**9)
    finally:
        qca.set_default_time_limit(before)


def test_the_django_setting_is_the_engines_default(settings):
    # handed over when the assessment app starts (AssessmentConfig.ready)
    assert qca.default_time_limit() == settings.QCA_TIME_LIMIT_SECONDS


def test_the_engine_imports_and_runs_without_django_settings():
    code = (
        "import sys\n"
        "from assessment.qca import truth_table, minimize, default_time_limit\n"
        "tt = truth_table({'A': [0.9, 0.1, 0.8], 'B': [0.7, 0.2, 0.1], 'Y': [0.9, 0.1, 0.7]}, 'Y', ['A', 'B'])\n"
        "print(minimize(tt).conservative.expressions[0], default_time_limit())\n"
        "assert 'django' not in sys.modules\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}  # no DJANGO_SETTINGS_MODULE
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.split() == ["A", str(chart_solver.DEFAULT_TIME_LIMIT)]


# --------------------------------------------------------------------------- only what is asked


def test_only_the_solution_asked_for_is_computed():
    data, conds = scattered_data(5, seed=3)
    tt = truth_table(data, "Y", conds, incl_cut=0.8)
    full = minimize(tt, include_remainders=True, directional_expectations=conds[:2])
    conservative_only = minimize(tt, solutions="asked")
    assert conservative_only.computed == ("conservative",)
    assert conservative_only.parsimonious is None and conservative_only.intermediate == ()
    assert conservative_only.solution.expressions == full.conservative.expressions
    parsimonious_only = minimize(tt, include_remainders=True, solutions="asked")
    assert parsimonious_only.conservative is None
    assert parsimonious_only.solution.expressions == full.parsimonious.expressions
    assert parsimonious_only.parsimonious.simplifying_assumptions == full.parsimonious.simplifying_assumptions
    assert parsimonious_only.to_dict()["conservative"] is None
    # intermediate needs the other two; the default still computes everything
    asked = minimize(tt, include_remainders=True, directional_expectations=conds[:2], solutions="asked")
    assert [s.expressions for s in asked.intermediate] == [s.expressions for s in full.intermediate]
    assert full.computed == ("conservative", "parsimonious", "intermediate")
    named = minimize(tt, solutions=["parsimonious"])
    assert named.computed == ("parsimonious",) and named.conservative is None


@pytest.mark.parametrize("bad", ["simple", [], ["conservative", "complex"]])
def test_an_unknown_solution_name_is_refused(bad):
    data, conds = scattered_data(4, seed=1)
    tt = truth_table(data, "Y", conds, incl_cut=0.8)
    with pytest.raises(ParameterError, match="solutions"):
        minimize(tt, solutions=bad)


def test_the_fit_of_each_model_is_the_fit_of_its_terms_computed_alone(monkeypatch):
    """ModelFits (terms' figures computed once for all the models) gives exactly what
    sufficiency() gives on the model's terms, ties between terms included."""
    from assessment.qca.fit import ModelFits, sufficiency

    rng = np.random.default_rng(4)
    y = np.round(rng.uniform(0, 1, 30), 2)
    mems = [np.round(rng.uniform(0, 1, 30), 1) for _ in range(6)]  # one decimal: many ties
    fits = ModelFits(mems, y)
    for idx in ([0], [1, 2], [0, 3, 5], [5, 4, 3, 2, 1, 0], [2, 2]):
        expected_terms, expected_model = sufficiency([mems[i] for i in idx], y, floor=1e-4)
        got_terms, got_model, union = fits.model(list(idx), floor=1e-4)
        assert got_terms == expected_terms
        assert got_model == expected_model
        assert np.array_equal(union, np.max(np.stack([mems[i] for i in idx]), axis=0))
    # many models at once, across more than one array pass
    covers = [list(c) for c in combinations(range(6), 3)]
    monkeypatch.setattr(ModelFits, "CHUNK", 7)
    for cover, (got_terms, got_model, _) in zip(covers, fits.models(covers, floor=1e-5), strict=True):
        assert (got_terms, got_model) == sufficiency([mems[i] for i in cover], y, floor=1e-5)
