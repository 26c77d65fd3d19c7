"""Minimization of a truth table: conservative, parsimonious and intermediate solutions.

As QCA's ``minimize()`` with its defaults (``all.sol = FALSE``, ``row.dom = FALSE``;
``row_dom=True`` applies row dominance to every chart: a prime implicant whose positive rows
are a strict subset of another's is dropped before the chart is solved, and is then not
listed in ``prime_implicants``):

* **conservative** (complex) solution: the prime implicants of the positive rows (OUT = 1)
  alone, by Quine–McCluskey;
* **parsimonious** solution: the remainders may be used; prime implicants that cover no
  negative row, searched as QCA's Consistency Cubes does (see
  :func:`~assessment.qca.implicants.parsimonious_implicants`);
* **intermediate** solution (Ragin & Sonnett): for every pair of a conservative model and a
  parsimonious model, the *easy counterfactuals* are the remainders used by the
  parsimonious model that agree with the directional expectations: for each conservative
  term contained in a parsimonious term, the literals that the parsimonious term dropped
  and that go against an expectation are removed, and the remainders inside the resulting
  term are easy counterfactuals. The positive rows plus those remainders are minimized
  again; the *difficult counterfactuals* are the parsimonious model's other remainders.

In each case the prime implicant chart over the positive rows is solved exactly: every
cover with the fewest prime implicants is returned (several equally minimal models are all
listed, in QCA's order), each with its parameters of fit (see :mod:`assessment.qca.fit`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from .cover import Deadline, default_time_limit
from .errors import DataError, NothingToExplainError, ParameterError, gettext_noop
from .expectations import _easy_counterfactuals, conjunctural_expectations, parse_directional_expectations
from .fit import ModelFits, SufficiencyFit, sufficiency
from .implicants import (
    MAX_MODELS,
    Implicant,
    code_of,
    covers,
    expression,
    from_code,
    minimal_covers,
    parsimonious_implicants,
    quine_mccluskey,
    sort_order,
)
from .truth_table import TruthTable


@dataclass(frozen=True)
class Term:
    """One prime implicant (a path / configuration) with its fit."""

    expression: str  #: QCA notation, e.g. ``DEV*~IND``
    code: tuple[int, ...]  #: per condition: 0 absent from the term, 1 ``~A``, 2 ``A``
    literals: tuple[tuple[str, int], ...]  #: ``(condition, 1 or 0)`` in the term
    inclS: float | None
    PRI: float | None
    covS: float | None
    covU: float | None
    rows: tuple[int, ...]  #: numbers of the positive truth-table rows it covers
    cases: tuple[tuple[str, ...], ...]  #: the cases of each of those rows
    membership: np.ndarray = field(repr=False, compare=False)  #: each case's membership in the term (read-only)

    @property
    def cases_text(self) -> str:
        """As QCA prints them: cases of a row joined by ``,``, rows by ``; ``."""
        return "; ".join(",".join(c) for c in self.cases)

    def to_dict(self) -> dict:
        return {
            "expression": self.expression,
            "literals": [list(lit) for lit in self.literals],
            "inclS": self.inclS,
            "PRI": self.PRI,
            "covS": self.covS,
            "covU": self.covU,
            "rows": list(self.rows),
            "cases": [list(c) for c in self.cases],
        }


@dataclass(frozen=True)
class Model:
    """One equally minimal model (a disjunction of terms) of a solution."""

    name: str  #: "M1", "M2", …
    terms: tuple[Term, ...]
    consistency: float | None
    pri: float | None
    coverage: float | None
    membership: np.ndarray = field(repr=False, compare=False)  #: each case's membership (fuzzy union; read-only)

    @property
    def expression(self) -> str:
        return " + ".join(t.expression for t in self.terms)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "expression": self.expression,
            "consistency": self.consistency,
            "pri": self.pri,
            "coverage": self.coverage,
            "terms": [t.to_dict() for t in self.terms],
        }


@dataclass(frozen=True)
class Solution:
    """A solution: its equally minimal models and the fit of all their terms together."""

    kind: str  #: "conservative", "parsimonious" or "intermediate"
    models: tuple[Model, ...]
    terms: tuple[Term, ...]  #: every term of any model; covU against all of them
    essential: tuple[str, ...]  #: terms found in every model
    prime_implicants: tuple[str, ...]  #: every prime implicant of the chart, in QCA's order
    prime_implicant_codes: tuple[tuple[int, ...], ...] = ()  #: the same as codes (see Term.code)
    name: str = ""  #: "C1P1" for an intermediate solution
    easy_counterfactuals: tuple[int, ...] = ()  #: row numbers (intermediate)
    difficult_counterfactuals: tuple[int, ...] = ()  #: row numbers (intermediate)
    simplifying_assumptions: tuple[tuple[int, ...], ...] = ()  #: per model, row numbers (parsimonious)
    conservative_model: int | None = None  #: 0-based, for an intermediate solution
    parsimonious_model: int | None = None
    _implicants: tuple[Implicant, ...] = field(default=(), repr=False, compare=False)

    @property
    def expressions(self) -> list[str]:
        return [m.expression for m in self.models]

    def to_dict(self) -> dict:
        out = {
            "kind": self.kind,
            "models": [m.to_dict() for m in self.models],
            "terms": [t.to_dict() for t in self.terms],
            "essential": list(self.essential),
            "prime_implicants": list(self.prime_implicants),
        }
        if self.kind == "intermediate":
            out["name"] = self.name
            out["easy_counterfactuals"] = list(self.easy_counterfactuals)
            out["difficult_counterfactuals"] = list(self.difficult_counterfactuals)
        if self.kind == "parsimonious":
            out["simplifying_assumptions"] = [list(s) for s in self.simplifying_assumptions]
        return out


@dataclass(frozen=True, eq=False)
class MinimizeResult:
    table: TruthTable
    conservative: Solution | None  #: None only when not asked for (``solutions=``)
    parsimonious: Solution | None  #: None when no row has OUT = 0 (nothing constrains it), or not asked for
    intermediate: tuple[Solution, ...]  #: one per (conservative, parsimonious) model pair
    directional_expectations: tuple[int, ...] | None  #: per condition: 2 present, 1 absent, 0 none
    include_remainders: bool
    notes: tuple[str, ...] = ()
    #: conjunctural expectations (``"~LIT*IND"``), each as a code per condition (2, 1 or 0)
    conjunctural_expectations: tuple[tuple[int, ...], ...] = ()
    #: the solutions that were computed (``solutions=``; all three by default)
    computed: tuple[str, ...] = ("conservative", "parsimonious", "intermediate")

    @property
    def solution(self) -> Solution:
        """The solution asked for: intermediate when expectations were given, else
        parsimonious with remainders included, else conservative."""
        if self.directional_expectations is not None and self.intermediate:
            return self.intermediate[0]
        if self.include_remainders:
            if self.parsimonious is None:
                raise NothingToExplainError(self.notes[0] if self.notes else "没有简约解。")
            return self.parsimonious
        return self.conservative

    def to_dict(self) -> dict:
        return {
            "outcome": self.table.outcome,
            "conditions": list(self.table.conditions),
            "conservative": None if self.conservative is None else self.conservative.to_dict(),
            "parsimonious": None if self.parsimonious is None else self.parsimonious.to_dict(),
            "intermediate": [s.to_dict() for s in self.intermediate],
            "notes": list(self.notes),
        }


# --------------------------------------------------------------------------- helpers


def _term_membership(code: Sequence[int], data: np.ndarray) -> np.ndarray:
    m = np.ones(data.shape[0])
    for j, c in enumerate(code):
        if c == 2:
            m = np.minimum(m, data[:, j])
        elif c == 1:
            m = np.minimum(m, 1.0 - data[:, j])
    return m


def _make_terms(codes, fits: list[SufficiencyFit], table: TruthTable, pos_rows, memberships) -> tuple[Term, ...]:
    by_number = {r.number: r for r in table.rows}
    out = []
    for code, fit, mem in zip(codes, fits, memberships, strict=True):
        imp = from_code(code)
        rows = tuple(r + 1 for r in pos_rows if covers(imp, r))
        out.append(
            Term(
                expression=expression(code, table.conditions),
                code=tuple(code),
                literals=tuple((name, 1 if c == 2 else 0) for name, c in zip(table.conditions, code, strict=True) if c),
                inclS=fit.incl,
                PRI=fit.pri,
                covS=fit.cov,
                covU=fit.cov_unique,
                rows=rows,
                cases=tuple(by_number[n].cases for n in rows),
                membership=mem,
            )
        )
    return tuple(out)


def _solve(
    kind: str,
    implicants: Sequence[Implicant],
    table: TruthTable,
    pos_rows: Sequence[int],
    max_models: int,
    row_dom: bool = False,
    deadline: Deadline | None = None,
    **extra,
) -> Solution:
    """Sort the implicants as QCA, build the chart over the positive rows, find every
    minimal cover and compute the fit."""
    k = table.k
    codes_all = [code_of(imp, k) for imp in implicants]
    order = sort_order(codes_all)
    imps = [implicants[i] for i in order]
    chart = []
    kept = []
    for imp in imps:
        bits = 0
        for bit, r in enumerate(pos_rows):
            if covers(imp, r):
                bits |= 1 << bit
        if bits:
            chart.append(bits)
            kept.append(imp)
    if row_dom:
        chart, kept = row_dominance(chart, kept)
    deadline = deadline or Deadline(None)
    covers_found = minimal_covers(chart, len(pos_rows), max_models, deadline)
    used = sorted({p for cover in covers_found for p in cover})
    codes = [code_of(kept[p], k) for p in used]
    data, y = table.data, table.y
    mems = [_term_membership(c, data) for c in codes]
    for mem in mems:
        mem.flags.writeable = False
    overall_fits, overall_sol = sufficiency(mems, y, floor=1e-5)
    overall_terms = _make_terms(codes, overall_fits, table, pos_rows, mems)
    position = {p: i for i, p in enumerate(used)}
    idx_of = [[position[p] for p in cover] for cover in covers_found]
    if len(covers_found) > 1:
        per_model = ModelFits(mems, y).models(idx_of, floor=1e-4)
    models = []
    for m_i, idx in enumerate(idx_of):
        deadline.check()
        if len(covers_found) == 1:
            terms = tuple(overall_terms[i] for i in idx)
            sol_fit = overall_sol
            union = np.max(np.stack([mems[i] for i in idx]), axis=0)
        else:
            fits, sol_fit, union = next(per_model)
            # the same term in another model: only its fit differs
            terms = tuple(_with_fit(overall_terms[i], f) for i, f in zip(idx, fits, strict=True))
        union.flags.writeable = False
        models.append(
            Model(
                name=f"M{m_i + 1}",
                terms=terms,
                consistency=sol_fit.incl,
                pri=sol_fit.pri,
                coverage=sol_fit.cov,
                membership=union,
            )
        )
    essential = tuple(overall_terms[position[p]].expression for p in used if all(p in cover for cover in covers_found))
    return Solution(
        kind=kind,
        models=tuple(models),
        terms=overall_terms,
        essential=essential,
        prime_implicants=tuple(expression(code_of(imp, k), table.conditions) for imp in kept),
        prime_implicant_codes=tuple(code_of(imp, k) for imp in kept),
        _implicants=tuple(kept[p] for p in used),
        **extra,
    )


def _with_fit(term: Term, fit: SufficiencyFit) -> Term:
    """The term with the fit it has in one model. A copy of the instance's fields rather than
    dataclasses.replace(), which re-runs __init__: solutions on scattered data have tens of
    thousands of model terms."""
    new = object.__new__(Term)
    new.__dict__.update(term.__dict__, inclS=fit.incl, PRI=fit.pri, covS=fit.cov, covU=fit.cov_unique)
    return new


def row_dominance(chart: Sequence[int], implicants: Sequence) -> tuple[list[int], list]:
    """QCA's row dominance on a prime implicant chart: drop each implicant whose covered
    rows (a bitmask in ``chart``) are a strict subset of another implicant's. Implicants
    covering the same rows are both kept. The order of the others is unchanged."""
    keep = [p for p, bits in enumerate(chart) if not any(o != bits and bits & o == bits for o in chart)]
    return [chart[p] for p in keep], [implicants[p] for p in keep]


def _model_implicants(solution: Solution, model: Model) -> list[tuple[int, ...]]:
    return [t.code for t in model.terms]


SOLUTIONS = ("conservative", "parsimonious", "intermediate")


def _wanted(solutions, include_remainders: bool, directional_expectations) -> set[str]:
    """The solutions to compute: ``"all"``, ``"asked"`` (the one ``MinimizeResult.solution``
    returns) or names from :data:`SOLUTIONS`."""
    if solutions == "all":
        return set(SOLUTIONS)
    if solutions == "asked":
        if directional_expectations is not None:
            return {"intermediate"}
        return {"parsimonious"} if include_remainders else {"conservative"}
    names = [solutions] if isinstance(solutions, str) else list(solutions)
    unknown = [str(n) for n in names if n not in SOLUTIONS]
    if unknown or not names:
        raise ParameterError(
            gettext_noop(
                "solutions 参数“%(unknown)s”无法识别：请用 all、asked，或 conservative（复杂解）、parsimonious（简约解）、intermediate（中间解）中的一个或几个。"
            ),
            unknown="、".join(unknown),
        )
    return set(names)


def _deadline(time_limit) -> Deadline:
    if time_limit is None:
        time_limit = default_time_limit()
    if isinstance(time_limit, bool) or not isinstance(time_limit, int | float) or not time_limit > 0:
        raise ParameterError(
            gettext_noop("时间限制 time_limit（%(time_limit)s）必须是大于 0 的秒数。"), time_limit=f"{time_limit!r}"
        )
    return Deadline(float(time_limit))


def minimize(
    table: TruthTable,
    include_remainders: bool = False,
    directional_expectations=None,
    *,
    max_models: int = MAX_MODELS,
    row_dom: bool = False,
    solutions="all",
    time_limit: float | None = None,
) -> MinimizeResult:
    """Minimize a truth table (see the module docstring).

    ``solutions="all"`` (the default) computes the three solutions (the intermediate one only
    with ``directional_expectations``); ``include_remainders`` then only chooses which one
    :attr:`MinimizeResult.solution` returns. ``solutions="asked"`` computes only that one (and
    what it needs: the intermediate solution needs the other two); a name or a list of names
    from :data:`SOLUTIONS` computes those. The others are ``None`` (see ``computed``).

    The whole minimization stops with ``TooComplexError`` after ``time_limit`` seconds (default:
    :func:`~assessment.qca.cover.default_time_limit`, which the Django project sets from its
    ``QCA_TIME_LIMIT_SECONDS`` setting; ``math.inf`` for no limit), as it does when a solution has
    more than ``max_models`` equally minimal models."""
    if not isinstance(table, TruthTable):
        raise DataError("minimize() 需要 truth_table() 生成的真值表。")
    want = _wanted(solutions, include_remainders, directional_expectations)
    deadline = _deadline(time_limit)
    k = table.k
    pos = [r.index for r in table.positive]
    neg = [r.index for r in table.negative]
    if not pos:
        raise NothingToExplainError(
            gettext_noop(
                "真值表中没有结果为 1 的组态（一致性阈值 %(incl_cut)s），没有可以解释的内容。请检查数据，或在有依据时调整一致性阈值。"
            ),
            incl_cut=f"{table.incl_cut:g}",
        )
    dem = None
    conj: tuple[tuple[int, ...], ...] = ()
    if directional_expectations is not None:
        dem = parse_directional_expectations(directional_expectations, table.conditions)
        conj = conjunctural_expectations(directional_expectations, table.conditions)
    else:
        want.discard("intermediate")
    notes: list[str] = []
    c_imps = quine_mccluskey(pos, k, deadline)
    if len(c_imps) == 1 and c_imps[0][0] == 0:
        raise NothingToExplainError("所有组态的结果都为 1，所有条件都被消去，无法得出有意义的解。请检查真值表。")
    conservative = None
    if want & {"conservative", "intermediate"}:
        conservative = _solve("conservative", c_imps, table, pos, max_models, row_dom, deadline)
    parsimonious = None
    if not neg:
        notes.append("真值表中没有结果为 0 的组态，纳入逻辑余项后所有条件都会被消去，因此没有简约解和中间解。")
    elif want & {"parsimonious", "intermediate"}:
        p_imps = parsimonious_implicants(pos, neg, k, deadline)
        parsimonious = _solve("parsimonious", p_imps, table, pos, max_models, row_dom, deadline)
        parsimonious = _replace(
            parsimonious, simplifying_assumptions=_simplifying_assumptions(parsimonious, pos, k, deadline)
        )
    intermediate: list[Solution] = []
    if "intermediate" in want and parsimonious is not None:
        intermediate = _intermediate(table, conservative, parsimonious, dem, pos, max_models, conj, row_dom, deadline)
    return MinimizeResult(
        table=table,
        conservative=conservative,
        parsimonious=parsimonious,
        intermediate=tuple(intermediate),
        directional_expectations=dem,
        include_remainders=bool(include_remainders),
        notes=tuple(notes),
        conjunctural_expectations=conj,
        computed=tuple(n for n in SOLUTIONS if n in want),
    )


def _simplifying_assumptions(parsimonious: Solution, pos, k: int, deadline: Deadline) -> tuple[tuple[int, ...], ...]:
    """Per model, the numbers of the remainders (rows not positive) its terms cover."""
    numbers = np.arange(1 << k)
    not_positive = np.ones(1 << k, dtype=bool)
    not_positive[list(pos)] = False
    inside: dict[tuple[int, ...], np.ndarray] = {}
    out = []
    for imps in _models_implicants(parsimonious):
        deadline.check()
        covered = np.zeros(1 << k, dtype=bool)
        for mask, value in imps:
            rows = inside.get((mask, value))
            if rows is None:
                rows = inside[(mask, value)] = (numbers & mask) == value
            covered |= rows
        out.append(tuple((np.flatnonzero(covered & not_positive) + 1).tolist()))
    return tuple(out)


def _models_implicants(solution: Solution) -> list[list[Implicant]]:
    return [[from_code(t.code) for t in m.terms] for m in solution.models]


def _replace(solution: Solution, **changes) -> Solution:
    return replace(solution, **changes)


def _intermediate(
    table: TruthTable,
    conservative: Solution,
    parsimonious: Solution,
    dem,
    pos,
    max_models,
    conj=(),
    row_dom=False,
    deadline: Deadline | None = None,
) -> list[Solution]:
    k = table.k
    out = []
    solved: dict[tuple, Solution] = {}  # the same rows to minimize (pairs often share them): one chart
    for ci, cm in enumerate(conservative.models):
        for pi, pm in enumerate(parsimonious.models):
            name = f"C{ci + 1}P{pi + 1}"
            if deadline is not None:
                deadline.check()
            sa = [n - 1 for n in parsimonious.simplifying_assumptions[pi]]
            if not any(dem) and not conj:
                # no expectation at all: QCA returns the conservative model itself
                ec: list[int] = []
                key: tuple = ("conservative", ci)
            else:
                ec = _easy_counterfactuals(dem, [t.code for t in cm.terms], [t.code for t in pm.terms], sa, k, conj)
                key = ("easy", tuple(ec))
            easy = set(ec)
            fields = {
                "name": name,
                "easy_counterfactuals": tuple(r + 1 for r in ec),
                "difficult_counterfactuals": tuple(r + 1 for r in sa if r not in easy),
                "conservative_model": ci,
                "parsimonious_model": pi,
            }
            if key in solved:
                out.append(replace(solved[key], **fields))
                continue
            if key[0] == "conservative":
                imps = [from_code(t.code) for t in cm.terms]
            else:
                imps = quine_mccluskey(sorted(set(pos) | set(ec)), k, deadline)
            sol = solved[key] = _solve("intermediate", imps, table, pos, max_models, row_dom, deadline, **fields)
            out.append(sol)
    return out
