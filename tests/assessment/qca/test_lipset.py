"""The published Lipset example (fuzzy data LF, outcome SURV, incl.cut 0.8).

Expected solutions:

* parsimonious ``DEV*~IND + URB*STB`` and intermediate (all five conditions expected to
  contribute when present) ``DEV*URB*LIT*STB + DEV*LIT*~IND*STB``: Ragin (2009), "Qualitative
  Comparative Analysis Using Fuzzy Sets (fsQCA)", in Rihoux & Ragin (eds.), *Configurational
  Comparative Methods*, reproduced with QCA in Dușa (2019), *QCA with R*, and quoted in issue 8.
* the truth table's positive rows (10101: FI, IE and 11111: BE, CZ, NL, UK) and the
  conservative solution ``DEV*URB*LIT*IND*STB + DEV*~URB*LIT*~IND*STB`` follow from them
  (the conservative solution is the two positive rows, which differ in two conditions);
  the term order is QCA's (see ``implicants.sort_order``).

Fit values are checked against an independent computation in this file, written directly
from the definitions of QCA's ``pof()`` (loops over the cases, no engine code), to 1e-12.
"""

import pytest

from assessment.qca import configuration_table, core_literals, minimize, necessity, truth_table

CONDITIONS = ["DEV", "URB", "LIT", "IND", "STB"]


@pytest.fixture
def result(lf):
    cases, columns = lf
    tt = truth_table(columns, "SURV", CONDITIONS, incl_cut=0.8, cases=cases)
    return minimize(tt, include_remainders=True, directional_expectations=CONDITIONS)


def memb(columns, term, i):
    """Membership of case i in a term given as {condition: 1 | 0}."""
    return min(columns[c][i] if v else 1 - columns[c][i] for c, v in term.items())


def suff(columns, terms, y):
    """(inclS, PRI, covS) of the union of terms, by hand."""
    n = len(y)
    x = [max(memb(columns, t, i) for t in terms) for i in range(n)]
    smin = sum(min(x[i], y[i]) for i in range(n))
    sneg = sum(min(x[i], y[i], 1 - y[i]) for i in range(n))
    return smin / sum(x), (smin - sneg) / (sum(x) - sneg), smin / sum(y)


def unique_cov(columns, term, others, y):
    n = len(y)
    a = [min(memb(columns, term, i), y[i]) for i in range(n)]
    b = [max(min(memb(columns, o, i), y[i]) for o in others) for i in range(n)]
    return (sum(a) - sum(min(a[i], b[i]) for i in range(n))) / sum(y)


def test_truth_table(lf):
    cases, columns = lf
    tt = truth_table(columns, "SURV", CONDITIONS, incl_cut=0.8, cases=cases)
    assert len(tt.rows) == 32
    assert [(r.number, r.cases) for r in tt.positive] == [(22, ("FI", "IE")), (32, ("BE", "CZ", "NL", "UK"))]
    observed = {r.number: r.n for r in tt.observed}
    assert observed == {1: 3, 2: 2, 5: 2, 6: 1, 22: 2, 23: 1, 24: 2, 31: 1, 32: 4}
    assert sum(r.n for r in tt.rows) == 18
    # row 24 (FR, SE) has consistency 0.709 < 0.8: negative
    assert next(r for r in tt.rows if r.number == 24).out == "0"
    y = columns["SURV"]
    for row in tt.observed:
        term = dict(zip(CONDITIONS, row.values, strict=True))
        incl, pri, _ = suff(columns, [term], y)
        assert row.consistency == pytest.approx(incl, abs=1e-12)
        assert row.pri == pytest.approx(pri, abs=1e-12)
    assert next(r for r in tt.rows if r.number == 3).consistency is None  # unobserved: no value


def test_published_solutions(result):
    assert result.parsimonious.expressions == ["DEV*~IND + URB*STB"]
    assert [s.name for s in result.intermediate] == ["C1P1"]
    assert result.intermediate[0].expressions == ["DEV*URB*LIT*STB + DEV*LIT*~IND*STB"]
    assert result.conservative.expressions == ["DEV*URB*LIT*IND*STB + DEV*~URB*LIT*~IND*STB"]
    assert result.solution is result.intermediate[0]


def test_term_cases(result):
    pars = result.parsimonious.models[0]
    assert [(t.expression, t.cases_text) for t in pars.terms] == [
        ("DEV*~IND", "FI,IE"),
        ("URB*STB", "BE,CZ,NL,UK"),
    ]
    assert [t.rows for t in pars.terms] == [(22,), (32,)]
    assert result.parsimonious.essential == ("DEV*~IND", "URB*STB")


@pytest.mark.parametrize("kind", ["conservative", "parsimonious", "intermediate"])
def test_fit_values_by_hand(lf, result, kind):
    _, columns = lf
    y = columns["SURV"]
    solution = result.intermediate[0] if kind == "intermediate" else getattr(result, kind)
    model = solution.models[0]
    terms = [dict(t.literals) for t in model.terms]
    for t, term in zip(model.terms, terms, strict=True):
        incl, pri, cov = suff(columns, [term], y)
        assert t.inclS == pytest.approx(incl, abs=1e-12)
        assert t.PRI == pytest.approx(pri, abs=1e-12)
        assert t.covS == pytest.approx(cov, abs=1e-12)
        others = [o for o in terms if o is not term]
        assert t.covU == pytest.approx(unique_cov(columns, term, others, y), abs=1e-12)
    incl, pri, cov = suff(columns, terms, y)
    assert model.consistency == pytest.approx(incl, abs=1e-12)
    assert model.pri == pytest.approx(pri, abs=1e-12)
    assert model.coverage == pytest.approx(cov, abs=1e-12)


def test_fit_values_rounded(result):
    # the same figures rounded to 3 decimals, as QCA prints them
    def r3(model):
        return [(t.expression, *(round(v, 3) for v in (t.inclS, t.PRI, t.covS, t.covU))) for t in model.terms] + [
            tuple(round(v, 3) for v in (model.consistency, model.pri, model.coverage))
        ]

    assert r3(result.parsimonious.models[0]) == [
        ("DEV*~IND", 0.815, 0.721, 0.284, 0.194),
        ("URB*STB", 0.874, 0.845, 0.520, 0.430),
        (0.850, 0.819, 0.714),
    ]
    assert r3(result.intermediate[0].models[0]) == [
        ("DEV*URB*LIT*STB", 0.901, 0.879, 0.468, 0.378),
        ("DEV*LIT*~IND*STB", 0.814, 0.721, 0.282, 0.191),
        (0.866, 0.839, 0.660),
    ]
    assert r3(result.conservative.models[0]) == [
        ("DEV*URB*LIT*IND*STB", 0.904, 0.886, 0.454, 0.393),
        ("DEV*~URB*LIT*~IND*STB", 0.804, 0.719, 0.265, 0.204),
        (0.870, 0.843, 0.658),
    ]


def test_counterfactuals(result):
    inter = result.intermediate[0]
    # the easy counterfactual is 11101 (row 30): DEV, URB, LIT, ~IND, STB, inside
    # DEV*LIT*~IND*STB and used by the parsimonious URB*STB / DEV*~IND
    assert inter.easy_counterfactuals == (30,)
    sa = set(result.parsimonious.simplifying_assumptions[0])
    assert set(inter.difficult_counterfactuals) == sa - {30}
    assert all(n not in {r.number for r in result.table.observed} for n in sa)


def test_core_and_peripheral(result):
    pars = result.parsimonious.models[0].terms
    inter = result.intermediate[0].models[0].terms
    assert core_literals(inter[0], pars) == {"URB", "STB"}
    assert core_literals(inter[1], pars) == {"DEV", "IND"}
    table = configuration_table(result)
    assert table["model"] == "DEV*URB*LIT*STB + DEV*LIT*~IND*STB"
    first, second = table["configurations"]
    assert first["cells"]["URB"] == {"present": True, "core": True, "symbol": "●", "size": "large"}
    assert first["cells"]["DEV"] == {"present": True, "core": False, "symbol": "•", "size": "small"}
    assert first["cells"]["IND"] is None
    assert second["cells"]["IND"] == {"present": False, "core": True, "symbol": "⊗", "size": "large"}
    assert table["solution_consistency"] == result.intermediate[0].models[0].consistency


def test_negated_outcome(lf):
    cases, columns = lf
    tt = truth_table(columns, "~SURV", CONDITIONS, incl_cut=0.8, cases=cases)
    assert tt.outcome == "~SURV"
    y = [1 - v for v in columns["SURV"]]
    for row in tt.observed:
        incl, pri, _ = suff(columns, [dict(zip(CONDITIONS, row.values, strict=True))], y)
        assert row.consistency == pytest.approx(incl, abs=1e-12)
        assert row.pri == pytest.approx(pri, abs=1e-12)
    same = truth_table(columns, "SURV", CONDITIONS, incl_cut=0.8, cases=cases, negate_outcome=True)
    assert [r.out for r in same.rows] == [r.out for r in tt.rows]
    result = minimize(tt)
    for model in result.conservative.models:
        incl, _, cov = suff(columns, [dict(t.literals) for t in model.terms], y)
        assert model.consistency == pytest.approx(incl, abs=1e-12)
        assert model.coverage == pytest.approx(cov, abs=1e-12)


def test_necessity(lf):
    cases, columns = lf
    rows = necessity(columns, "SURV", CONDITIONS, cases=cases)
    assert [r.label for r in rows][:4] == ["DEV", "~DEV", "URB", "~URB"]
    y = columns["SURV"]
    n = len(y)
    for r in rows:
        x = [1 - v if r.negated else v for v in columns[r.condition]]
        pmin = [min(x[i], y[i]) for i in range(n)]
        assert r.inclN == pytest.approx(sum(pmin) / sum(y), abs=1e-12)
        assert r.covN == pytest.approx(sum(pmin) / sum(x), abs=1e-12)
        assert r.RoN == pytest.approx(sum(1 - v for v in x) / sum(1 - v for v in pmin), abs=1e-12)
        assert r.necessary == (r.inclN >= 0.9)
    lit = next(r for r in rows if r.label == "LIT")
    assert lit.necessary  # literacy is (trivially) necessary for survival
    neg = necessity(columns, "SURV", CONDITIONS, negate_outcome=True, cases=cases)
    assert neg != rows
    assert neg == necessity(columns, "~SURV", CONDITIONS, cases=cases)
