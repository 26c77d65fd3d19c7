"""The engine against a real run of the R package QCA (``reference/r_qca*.json``).

``reference/README.md`` says how the file was produced (R and QCA versions, the exact calls).
For every analysis (dataset, outcome, cut-offs) this compares, with QCA's defaults:

* the truth table: every row's OUT, n, consistency, PRI and cases;
* the conservative, parsimonious and intermediate solutions: the list of models (each a list
  of terms, in QCA's order), the essential terms, the table of terms (order, inclS, PRI, covS,
  covU, cases), each model's own table and fit, the simplifying assumptions, the easy and
  difficult counterfactuals;
* necessity (inclN, RoN, covN) of each condition and its negation.

Fit values to 1e-9; everything else exactly.
"""

import csv
import json
from pathlib import Path

import pytest

from assessment.qca import NothingToExplainError, minimize, necessity, truth_table

from .conftest import read_dataset

REFERENCE = Path(__file__).parent / "reference"
ANALYSES = [
    entry
    for name in ("r_qca.json", "r_qca_extra.json", "r_qca_more.json")
    for entry in json.loads((REFERENCE / name).read_text(encoding="utf-8"))["analyses"]
]
TOL = 1e-9


def _as_list(value) -> list:
    """jsonlite writes a vector of length 1 as a scalar."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _dataset(name: str) -> tuple[list[str], dict[str, list[float]]]:
    path = REFERENCE / f"{name}.csv"
    if not path.exists():
        return read_dataset(name)
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cases = [r["case"] for r in rows]
    return cases, {k: [float(r[k]) for r in rows] for k in rows[0] if k != "case"}


def _table(entry):
    cases, columns = _dataset(entry["dataset"])
    return truth_table(
        columns,
        entry["outcome"],
        entry["conditions"],
        incl_cut=entry["incl_cut"],
        n_cut=int(entry["n_cut"]),
        pri_cut=entry["pri_cut"],
        cases=cases,
    )


def _approx(value, expected, what):
    if expected is None:
        assert value is None, what
    else:
        assert value is not None, what
        assert abs(value - expected) <= TOL, f"{what}: {value!r} != {expected!r}"


def _ids(entries):
    return [e["id"] for e in entries]


@pytest.mark.parametrize("entry", ANALYSES, ids=_ids(ANALYSES))
def test_truth_table(entry):
    tt = _table(entry)
    rows = {r.number: r for r in tt.rows}
    for ref in entry["truth_table"]:
        row = rows[ref["number"]]
        what = f"row {ref['number']}"
        assert (row.out, row.n) == (ref["OUT"], ref["n"]), what
        if ref["incl"] is not None:
            _approx(row.consistency, ref["incl"], f"{what} incl")
            _approx(row.pri, ref["PRI"], f"{what} PRI")
        elif ref["n"] == 0:
            assert row.consistency is None, what
        if ref["OUT"] != "?":
            assert ",".join(row.cases) == ref["cases"], what
    if len(entry["conditions"]) < 8:  # QCA lists the complete table only below 8 conditions
        assert sorted(rows) == sorted(r["number"] for r in entry["truth_table"])


def _check_terms(terms, ref_terms, what):
    assert [t.expression for t in terms] == [r["term"] for r in ref_terms], what
    for term, ref in zip(terms, ref_terms, strict=True):
        w = f"{what} {ref['term']}"
        _approx(term.inclS, ref["inclS"], f"{w} inclS")
        _approx(term.PRI, ref["PRI"], f"{w} PRI")
        _approx(term.covS, ref["covS"], f"{w} covS")
        _approx(term.covU, ref.get("covU"), f"{w} covU")
        if ref.get("cases") is not None:
            assert term.cases_text == ref["cases"], f"{w} cases"


def _check_solution(solution, ref, what):
    assert solution is not None, what
    assert [[t.expression for t in m.terms] for m in solution.models] == [_as_list(m) for m in ref["models"]], (
        f"{what} models"
    )
    assert list(solution.essential) == _as_list(ref["essential"]), f"{what} essential"
    ic = ref["IC"]
    _check_terms(solution.terms, _as_list(ic["overall"]), f"{what} terms")
    for model, ind in zip(solution.models, _as_list(ic["individual"]), strict=True):
        _check_terms(model.terms, _as_list(ind["terms"]), f"{what} {model.name}")
        _approx(model.consistency, ind["fit"]["inclS"], f"{what} {model.name} inclS")
        _approx(model.pri, ind["fit"]["PRI"], f"{what} {model.name} PRI")
        _approx(model.coverage, ind["fit"]["covS"], f"{what} {model.name} covS")


def _run(entry, dir_exp=None):
    return minimize(_table(entry), include_remainders=True, directional_expectations=dir_exp)


@pytest.mark.parametrize("entry", ANALYSES, ids=_ids(ANALYSES))
def test_conservative(entry):
    ref = entry["conservative"]
    if "error" in ref:
        with pytest.raises(NothingToExplainError):
            _run(entry)
        return
    _check_solution(_run(entry).conservative, ref, "conservative")


@pytest.mark.parametrize("entry", ANALYSES, ids=_ids(ANALYSES))
def test_parsimonious(entry):
    ref = entry["parsimonious"]
    if "error" in ref:
        if "Nothing to explain" in ref["error"] or "None of the values" in ref["error"]:
            with pytest.raises(NothingToExplainError):
                _run(entry)
        else:  # no negative row: everything is minimized away
            assert _run(entry).parsimonious is None
        return
    solution = _run(entry).parsimonious
    _check_solution(solution, ref, "parsimonious")
    assert [list(sa) for sa in solution.simplifying_assumptions] == [_as_list(sa) for sa in ref["SA"].values()]


INTERMEDIATE = [(e, i) for e in ANALYSES for i in e["intermediate"]]


@pytest.mark.parametrize(("entry", "ref"), INTERMEDIATE, ids=[f"{e['id']}-{i['dir_exp']}" for e, i in INTERMEDIATE])
def test_intermediate(entry, ref):
    if "error" in ref:
        result = None
        try:
            result = _run(entry, ref["dir_exp"])
        except NothingToExplainError:
            return
        assert not result.intermediate, ref["error"]
        return
    result = _run(entry, ref["dir_exp"])
    ref_sols = _as_list(ref["i_sol"])
    if set(ref["dir_exp"].replace(",", "").strip()) == {"-"}:
        # No expectation at all: QCA keeps the conservative model, but stores it as a plain
        # vector of terms, so its fit table treats each term as a model of its own. The
        # engine returns the conservative model; compare the terms and their table.
        for solution, r in zip(result.intermediate, ref_sols, strict=True):
            assert [t.expression for t in solution.models[0].terms] == _as_list(r["models"])
            _check_terms(solution.terms, _as_list(r["IC"]["overall"]), r["name"])
            assert not solution.easy_counterfactuals and not _as_list(r["EC"])
        return
    assert [s.name for s in result.intermediate] == [r["name"] for r in ref_sols]
    for solution, r in zip(result.intermediate, ref_sols, strict=True):
        what = f"intermediate {r['name']}"
        _check_solution(solution, r, what)
        assert list(solution.easy_counterfactuals) == _as_list(r["EC"]), f"{what} EC"
        assert list(solution.difficult_counterfactuals) == _as_list(r["DC"]), f"{what} DC"


@pytest.mark.parametrize("entry", ANALYSES, ids=_ids(ANALYSES))
def test_necessity(entry):
    cases, columns = _dataset(entry["dataset"])
    # the reference lists the conditions, then their negations; the engine each condition
    # followed by its negation
    rows = {r.label: r for r in necessity(columns, entry["outcome"], entry["conditions"], cases=cases)}
    assert sorted(rows) == sorted(r["label"] for r in entry["necessity"])
    for ref in entry["necessity"]:
        row = rows[ref["label"]]
        _approx(row.inclN, ref["inclN"], f"{ref['label']} inclN")
        _approx(row.RoN, ref["RoN"], f"{ref['label']} RoN")
        _approx(row.covN, ref["covN"], f"{ref['label']} covN")
