"""The other teaching datasets: the crisp Lipset data (published solutions) and the
Cebotari & Vink and Nieuwbeerta data (fit values recomputed by hand, several models)."""

import pytest

from assessment.qca import minimize, truth_table

from .conftest import read_dataset
from .test_lipset import suff, unique_cov

LIPSET = ["DEV", "URB", "LIT", "IND", "STB"]


def test_crisp_lipset_published_solutions():
    # Rihoux & De Meur (2009), "Crisp-Set Qualitative Comparative Analysis (csQCA)", in
    # Rihoux & Ragin (eds.), Configurational Comparative Methods: without remainders
    # GNPCAP*urbaniza*LITERACY*GOVSTAB + GNPCAP*LITERACY*INDLAB*GOVSTAB, with remainders
    # GNPCAP*GOVSTAB (here DEV, URB, LIT, IND, STB; lower case = absence = ~).
    cases, columns = read_dataset("LC")
    tt = truth_table(columns, "SURV", LIPSET, incl_cut=1, cases=cases)
    result = minimize(tt, include_remainders=True)
    assert result.conservative.expressions == ["DEV*~URB*LIT*STB + DEV*LIT*IND*STB"]
    assert result.parsimonious.expressions == ["DEV*STB"]
    term = result.parsimonious.models[0].terms[0]
    assert term.cases_text == "FI,IE; FR,SE; BE,CZ,NL,UK"
    assert (term.inclS, term.covS, term.covU) == (1.0, 1.0, None)


@pytest.mark.parametrize(
    ("name", "outcome", "conditions", "incl_cut", "expectations"),
    [
        (
            "CVF",
            "PROTEST",
            ["DEMOC", "ETHFRACT", "GEOCON", "POLDIS", "NATPRIDE"],
            0.8,
            "DEMOC, ETHFRACT, GEOCON, POLDIS, ~NATPRIDE",
        ),
        ("CVF", "PROTEST", ["DEMOC", "ETHFRACT", "GEOCON", "POLDIS", "NATPRIDE"], 0.85, None),
        ("NF", "W", ["A", "I", "M", "U"], 0.8, ["A", "I", "M", "U"]),
        ("NF", "~W", ["A", "I", "M", "U"], 0.75, None),
    ],
)
def test_fit_of_every_model_by_hand(name, outcome, conditions, incl_cut, expectations):
    cases, columns = read_dataset(name)
    tt = truth_table(columns, outcome, conditions, incl_cut=incl_cut, cases=cases)
    result = minimize(tt, directional_expectations=expectations)
    y = columns[outcome.lstrip("~")]
    if outcome.startswith("~"):
        y = [1 - v for v in y]
    solutions = [s for s in (result.conservative, result.parsimonious, *result.intermediate) if s]
    several = False
    for solution in solutions:
        several |= len(solution.models) > 1
        all_terms = [dict(t.literals) for t in solution.terms]
        for t, term in zip(solution.terms, all_terms, strict=True):
            incl, pri, cov = suff(columns, [term], y)
            assert (t.inclS, t.PRI, t.covS) == pytest.approx((incl, pri, cov), abs=1e-12)
            if len(all_terms) > 1:
                others = [o for o in all_terms if o is not term]
                assert t.covU == pytest.approx(unique_cov(columns, term, others, y), abs=1e-12)
        for model in solution.models:
            terms = [dict(t.literals) for t in model.terms]
            assert (model.consistency, model.pri, model.coverage) == pytest.approx(suff(columns, terms, y), abs=1e-12)
    if name == "CVF" and incl_cut == 0.8:
        assert several  # the parsimonious solution has several equally minimal models
