"""The engine against numbers produced by the R package QCA (reference data in ``reference/``).

* ``r_calibrate.json``: produced by running R (see ``reference/README.md``): QCA's fuzzy direct
  (logistic) calibration and R's ``quantile()`` (type 7) on the raw teaching data (LR, CVR) and
  on generated raw data (``random_raw.csv``); compared to 1e-9.
* ``qca315_docs.json``: the truth tables, solutions and parameters of fit printed in QCA 3.15's
  rendered examples (3 decimals): row numbers, OUT, n and cases, models and their term order,
  essential terms, cases of each term, simplifying assumptions, fit values to ±0.0005.
"""

import csv
import json
from pathlib import Path

import pytest

from assessment.qca import calibrate, minimize, necessity, quantile_anchors, truth_table

from .conftest import read_dataset

REFERENCE = Path(__file__).parent / "reference"
R_CALIBRATE = json.loads((REFERENCE / "r_calibrate.json").read_text(encoding="utf-8"))
DOCS = json.loads((REFERENCE / "qca315_docs.json").read_text(encoding="utf-8"))
ROUNDED = 5e-4 + 1e-12  # values printed to 3 decimals


def _raw(dataset: str, column: str) -> list[float]:
    if dataset == "random_raw":
        with (REFERENCE / "random_raw.csv").open(encoding="utf-8") as fh:
            return [float(r[column]) for r in csv.DictReader(fh)]
    return read_dataset(dataset)[1][column]


@pytest.mark.parametrize(
    "entry", R_CALIBRATE["quantiles"], ids=lambda e: f"{e['dataset']}-{e['column']}-{e['probs'][0]}"
)
def test_quantile_anchors_as_r(entry):
    x = _raw(entry["dataset"], entry["column"])
    assert list(quantile_anchors(x, entry["probs"])) == pytest.approx(entry["quantiles"], abs=1e-9, rel=0)


@pytest.mark.parametrize("entry", R_CALIBRATE["calibrate"], ids=lambda e: e["id"])
def test_calibrate_as_r(entry):
    x = _raw(entry["dataset"], entry["column"])
    assert x == pytest.approx(entry["x"], abs=0, rel=0)
    fs = calibrate(x, *entry["thresholds"], idm=entry["idm"])
    assert list(fs) == pytest.approx(entry["fs"], abs=1e-9, rel=0)


def _table(entry):
    cases, columns = read_dataset(entry["dataset"])
    return truth_table(columns, entry["outcome"], entry["conditions"], incl_cut=entry["incl_cut"], cases=cases)


@pytest.mark.parametrize("entry", DOCS["truth_tables"], ids=lambda e: e["id"])
def test_truth_table_as_qca_docs(entry):
    tt = _table(entry)
    observed = {r.number: r for r in tt.rows if r.n > 0}
    assert sorted(observed) == sorted(row[0] for row in entry["rows"])
    for number, out, n, incl, pri, cases in entry["rows"]:
        row = observed[number]
        assert (row.out, row.n) == (out, n)
        assert row.consistency == pytest.approx(incl, abs=ROUNDED)
        assert row.pri == pytest.approx(pri, abs=ROUNDED)
        if cases is not None:
            assert ",".join(row.cases) == cases


def _solution(entry):
    tt = _table(entry)
    result = minimize(tt, include_remainders=True, directional_expectations=entry.get("dir_exp"))
    if entry["solution"] == "intermediate":
        (solution,) = [s for s in result.intermediate if s.name == entry["name"]]
        return solution
    return getattr(result, entry["solution"])


def _printed(model, essential):
    """A model as QCA prints it: the essential terms, then the others in brackets."""
    ess = [t.expression for t in model.terms if t.expression in essential]
    rest = [t.expression for t in model.terms if t.expression not in essential]
    return " + ".join(ess + ([f"({' + '.join(rest)})"] if rest and ess else rest))


def _check_term(term, ref):
    assert term.expression == ref["expression"]
    for key in ("inclS", "PRI", "covS", "covU"):
        if ref[key] is None:
            assert getattr(term, key) is None, key
        else:
            assert getattr(term, key) == pytest.approx(ref[key], abs=ROUNDED), key
    if "cases" in ref:
        assert term.cases_text == ref["cases"]


@pytest.mark.parametrize("entry", DOCS["minimize"], ids=lambda e: e["id"])
def test_minimize_as_qca_docs(entry):
    solution = _solution(entry)
    if "models" in entry:
        assert solution.expressions == entry["models"]
    if "models_printed" in entry:
        assert list(solution.essential) == entry["essential"]
        assert [_printed(m, solution.essential) for m in solution.models] == entry["models_printed"]
    if "term_order" in entry:
        assert [t.expression for t in solution.terms] == entry["term_order"]
    if "terms" in entry:
        terms = list(solution.terms)
        if entry.get("terms_printed_order"):  # QCA prints the essential terms first
            terms = [t for t in terms if t.expression in solution.essential] + [
                t for t in terms if t.expression not in solution.essential
            ]
        assert [t.expression for t in terms] == [t["expression"] for t in entry["terms"]]
        for term, ref in zip(terms, entry["terms"], strict=True):
            _check_term(term, ref)
            for model, covu in zip(solution.models, ref.get("covU_per_model", [0] * len(solution.models)), strict=True):
                if "covU_per_model" not in ref:
                    break
                in_model = {t.expression: t for t in model.terms}
                if covu is None:
                    assert term.expression not in in_model
                else:
                    assert in_model[term.expression].covU == pytest.approx(covu, abs=ROUNDED)
    for model, fit in zip(solution.models, entry.get("model_fit", [None] * len(solution.models)), strict=True):
        if fit is not None:
            assert (model.consistency, model.pri, model.coverage) == pytest.approx(tuple(fit), abs=ROUNDED)
    if "simplifying_assumptions" in entry:
        assert [list(s) for s in solution.simplifying_assumptions] == entry["simplifying_assumptions"]
    if "pi_chart_columns" in entry:
        assert sorted({r for t in solution.terms for r in t.rows}) == entry["pi_chart_columns"]


@pytest.mark.parametrize("entry", DOCS["necessity"], ids=lambda e: e["id"])
def test_necessity_as_qca_docs(entry):
    cases, columns = read_dataset(entry["dataset"])
    rows = {r.label: r for r in necessity(columns, entry["outcome"], entry["conditions"], cases=cases)}
    for label, incl, ron, cov in entry["rows"]:
        row = rows[label]
        assert (row.inclN, row.RoN, row.covN) == pytest.approx((incl, ron, cov), abs=ROUNDED)
