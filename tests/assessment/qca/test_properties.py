"""Property tests (hypothesis) of the truth table and the minimization."""

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assessment.qca import NothingToExplainError, minimize, necessity, truth_table
from assessment.qca.implicants import covers, from_code

membership = st.one_of(
    st.sampled_from([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]),
    st.floats(0, 1, allow_nan=False),
)


@st.composite
def analyses(draw):
    k = draw(st.integers(1, 5))
    n = draw(st.integers(2, 24))
    crisp = draw(st.booleans())
    values = st.integers(0, 1).map(float) if crisp else membership
    conds = [f"X{i}" for i in range(k)]
    data = {c: draw(st.lists(values, min_size=n, max_size=n)) for c in conds}
    data["Y"] = draw(st.lists(values, min_size=n, max_size=n))
    outcome = draw(st.sampled_from(["Y", "~Y"]))
    incl_cut = draw(st.sampled_from([0.5, 0.7, 0.75, 0.8, 0.9, 1.0]))
    pri_cut = draw(st.sampled_from([0.0, 0.0, 0.5]))
    n_cut = draw(st.sampled_from([1, 1, 2]))
    expectations = {c: draw(st.sampled_from([1, 0, "-"])) for c in conds}
    return data, outcome, conds, incl_cut, pri_cut, n_cut, expectations


def unit(value):
    return value is None or (0.0 <= value <= 1.0)


def all_solutions(result):
    return [s for s in (result.conservative, result.parsimonious, *result.intermediate) if s is not None]


def run(case):
    data, outcome, conds, incl_cut, pri_cut, n_cut, expectations = case
    try:
        tt = truth_table(data, outcome, conds, incl_cut=incl_cut, pri_cut=pri_cut, n_cut=n_cut)
        result = minimize(tt, directional_expectations=expectations)
    except NothingToExplainError:
        assume(False)
    return tt, result


SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@SETTINGS
@given(analyses())
def test_fit_values_lie_in_the_unit_interval(case):
    tt, result = run(case)
    for row in tt.rows:
        assert unit(row.consistency) and unit(row.pri)
    for solution in all_solutions(result):
        for term in solution.terms + tuple(t for m in solution.models for t in m.terms):
            for v in (term.inclS, term.PRI, term.covS, term.covU):
                assert unit(v)
            assert np.all((term.membership >= 0) & (term.membership <= 1))
        for model in solution.models:
            assert unit(model.consistency) and unit(model.pri) and unit(model.coverage)
    data, outcome, conds, *_ = case
    for row in necessity(data, outcome, conds):
        assert unit(row.inclN) and unit(row.covN) and unit(row.RoN)


@SETTINGS
@given(analyses())
def test_every_model_covers_the_positive_rows_and_no_negative_row(case):
    tt, result = run(case)
    positive = [r.index for r in tt.positive]
    negative = [r.index for r in tt.negative]
    for solution in all_solutions(result):
        assert solution.models
        for model in solution.models:
            imps = [from_code(t.code) for t in model.terms]
            assert all(any(covers(i, r) for i in imps) for r in positive)
            assert not any(covers(i, r) for i in imps for r in negative)
            # and no term is redundant: it is a minimal cover
            for j in range(len(imps)):
                rest = imps[:j] + imps[j + 1 :]
                assert not all(any(covers(i, r) for i in rest) for r in positive)
        sizes = {len(m.terms) for m in solution.models}
        assert len(sizes) == 1  # all models equally minimal


@SETTINGS
@given(analyses())
def test_conservative_terms_contain_a_parsimonious_prime_implicant(case):
    _, result = run(case)
    assume(result.parsimonious is not None)
    primes = result.parsimonious.prime_implicant_codes
    for term in result.conservative.terms:
        assert any(all(p == 0 or p == c for p, c in zip(prime, term.code, strict=True)) for prime in primes)


@SETTINGS
@given(analyses())
def test_parsimonious_models_are_never_longer_than_conservative_ones(case):
    _, result = run(case)
    assume(result.parsimonious is not None)
    shortest_conservative = min(len(m.terms) for m in result.conservative.models)
    for model in result.parsimonious.models:
        assert len(model.terms) <= shortest_conservative
    for inter in result.intermediate:
        assert len(inter.models[0].terms) <= shortest_conservative
