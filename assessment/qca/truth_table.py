"""The truth table: every one of the 2^k configurations of k conditions.

Definitions (as QCA's ``truthTable()``):

* a case's membership in a row is the minimum, over the conditions, of ``x`` where the row
  has the condition (1) and ``1 - x`` where it lacks it (0);
* a case *belongs* to the row where all its memberships are > 0.5. A case with a condition
  exactly at 0.5 belongs to no row (it is listed nowhere) but still counts in every sum;
* ``n`` is the number of cases with membership > 0.5 in the row;
* consistency ``Σ min(X, Y) / Σ X``; PRI ``(Σ min(X, Y) - Σ min(X, Y, ~Y)) / (Σ X - Σ min(X, Y, ~Y))``;
* OUT: ``"?"`` (remainder) when ``n < n_cut``, else ``"1"`` when consistency ≥ ``incl_cut``
  and PRI ≥ ``pri_cut``, else ``"0"``. The comparison uses the unrounded values with R's
  tolerance for "greater or equal" (``a + sqrt(machine eps) > b``).

Rows are numbered 1 … 2^k as in QCA: the first condition is the most significant bit.
``sort_by`` (QCA's ``sort.by``) gives the printed order (:attr:`TruthTable.order`): keys among
``OUT``, ``n``, ``incl``, ``PRI`` and the conditions, each decreasing unless suffixed ``+``
(``"incl, n"``, ``"incl-, n+"``); ties keep the row-number order (R's stable ``order()``), a
missing value goes last, and remainders always come last. ``rows`` stays in row-number order.
Consistency and PRI are given for *observed* rows (rows where at least one case lands when
memberships are dichotomised at 0.5, as QCA shows them) and ``None`` for the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .data import Dataset, as_dataset, check_design, parse_outcome
from .errors import NothingToExplainError, ParameterError, gettext_noop

#: R's ``admisc.tol`` (``sqrt(.Machine$double.eps)``), used for "approximately ≥" and "= 0.5".
TOL = float(np.finfo(float).eps) ** 0.5


def agteb(a: float, b: float) -> bool:
    """Approximately greater than or equal, as R's ``admisc::agteb``."""
    return a + TOL > b


@dataclass(frozen=True)
class TruthTableRow:
    number: int  #: 1-based row number, as QCA
    values: tuple[int, ...]  #: 1 = condition present, 0 = absent, per condition
    out: str  #: "1", "0" or "?" (remainder)
    n: int
    consistency: float | None
    pri: float | None
    cases: tuple[str, ...]

    @property
    def index(self) -> int:
        return self.number - 1

    def to_dict(self) -> dict:
        return {
            "number": self.number,
            "values": list(self.values),
            "out": self.out,
            "n": self.n,
            "consistency": self.consistency,
            "pri": self.pri,
            "cases": list(self.cases),
        }


@dataclass(frozen=True, eq=False)
class TruthTable:
    outcome: str  #: as displayed, e.g. "~SURV"
    outcome_column: str
    negated: bool
    conditions: tuple[str, ...]
    rows: tuple[TruthTableRow, ...]
    incl_cut: float
    n_cut: int
    pri_cut: float
    cases: tuple[str, ...]
    data: np.ndarray  #: condition memberships, cases × conditions
    y: np.ndarray  #: outcome memberships (already negated for ~Y)
    order: tuple[int, ...] = ()  #: row numbers in printed order (``sort_by``); empty = by number

    @property
    def sorted_rows(self) -> tuple[TruthTableRow, ...]:
        """The rows in the printed order (``sort_by``), or by number when not sorted."""
        if not self.order:
            return self.rows
        return tuple(self.rows[n - 1] for n in self.order)

    def minmat(self) -> tuple[tuple[int, ...], np.ndarray]:
        """QCA's ``minmat``: each case's membership in each observed row, as
        ``(row numbers, cases × rows matrix)``; the cases are :attr:`cases`."""
        numbers = tuple(r.number for r in self.observed)
        m = row_memberships(self.data)
        return numbers, m[:, [n - 1 for n in numbers]]

    @property
    def k(self) -> int:
        return len(self.conditions)

    def rows_with(self, out: str) -> tuple[TruthTableRow, ...]:
        return tuple(r for r in self.rows if r.out == out)

    @property
    def positive(self) -> tuple[TruthTableRow, ...]:
        return self.rows_with("1")

    @property
    def negative(self) -> tuple[TruthTableRow, ...]:
        return self.rows_with("0")

    @property
    def remainders(self) -> tuple[TruthTableRow, ...]:
        return self.rows_with("?")

    @property
    def observed(self) -> tuple[TruthTableRow, ...]:
        return tuple(r for r in self.rows if r.out != "?")

    def to_dict(self, *, remainders: bool = True) -> dict:
        return {
            "outcome": self.outcome,
            "conditions": list(self.conditions),
            "incl_cut": self.incl_cut,
            "n_cut": self.n_cut,
            "pri_cut": self.pri_cut,
            "rows": [r.to_dict() for r in self.sorted_rows if remainders or r.out != "?"],
        }


def row_memberships(data: np.ndarray) -> np.ndarray:
    """cases × 2^k matrix of each case's membership in each row (first condition = top bit)."""
    n = data.shape[0]
    m = np.ones((n, 1))
    for j in range(data.shape[1]):
        x = data[:, j]
        pair = np.stack([1.0 - x, x], axis=1)  # value 0, value 1
        m = np.minimum(m[:, :, None], pair[:, None, :]).reshape(n, -1)
    return m


def _check_cut(value, label: str, low: float = 0.0, high: float = 1.0) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ParameterError(gettext_noop("%(label)s必须是数字。"), label=label) from None
    if not low <= v <= high:
        raise ParameterError(
            gettext_noop("%(label)s必须在 %(low)s 到 %(high)s 之间，现在是 %(v)s。"),
            label=label,
            low=f"{low:g}",
            high=f"{high:g}",
            v=f"{v:g}",
        )
    return v


def truth_table(
    data,
    outcome: str,
    conditions: Sequence[str],
    incl_cut: float = 0.8,
    n_cut: int = 1,
    pri_cut: float = 0.0,
    *,
    cases=None,
    negate_outcome: bool = False,
    sort_by=None,
    decreasing=True,
) -> TruthTable:
    """Build the truth table of ``outcome`` (``"~Y"`` for the negated outcome) on ``conditions``.

    ``data`` and ``cases``: see :func:`assessment.qca.data.as_dataset`. Values must be
    calibrated memberships in [0, 1]; crisp 0/1 data is fine.
    """
    dataset: Dataset = as_dataset(data, cases)
    out_name, negated = parse_outcome(outcome, negate_outcome)
    conds = check_design(dataset, out_name, conditions)
    incl_cut = _check_cut(incl_cut, "一致性阈值 incl_cut")
    pri_cut = _check_cut(pri_cut, "PRI 阈值 pri_cut")
    if isinstance(n_cut, bool) or not isinstance(n_cut, (int, np.integer)) or n_cut < 1:
        raise ParameterError(
            gettext_noop("案例数阈值 n_cut 必须是不小于 1 的整数，现在是 %(n_cut)s。"), n_cut=f"{n_cut!r}"
        )
    n_cut = int(n_cut)
    x = np.column_stack([dataset.memberships(c) for c in conds])
    y = dataset.memberships(out_name)
    if negated:
        y = 1.0 - y
    k = len(conds)
    m = row_memberships(x)
    sumx = m.sum(axis=0)
    pmin = np.minimum(m, y[:, None])
    sumpmin = pmin.sum(axis=0)
    prisum = np.minimum(pmin, (1.0 - y)[:, None]).sum(axis=0)
    n_in = (m > 0.5).sum(axis=0)
    weights = 1 << np.arange(k - 1, -1, -1)
    line = ((x > 0.5).astype(int) * weights).sum(axis=1)
    at_half = (np.abs(x - 0.5) < TOL).any(axis=1)
    observed = np.zeros(1 << k, dtype=bool)
    observed[line] = True
    members: dict[int, list[str]] = {}
    for i, row in enumerate(line.tolist()):
        if not at_half[i]:
            members.setdefault(row, []).append(dataset.cases[i])
    rows = []
    for r in range(1 << k):
        values = tuple((r >> (k - 1 - j)) & 1 for j in range(k))
        n = int(n_in[r])
        incl = pri = None
        if observed[r]:
            incl = float(sumpmin[r] / sumx[r]) if sumx[r] > 0 else None
            den = sumx[r] - prisum[r]
            pri = float((sumpmin[r] - prisum[r]) / den) if den > 0 else None
        if n < n_cut:
            out = "?"
        else:
            ok = incl is not None and agteb(incl, incl_cut) and pri is not None and agteb(pri, pri_cut)
            out = "1" if ok else "0"
        rows.append(TruthTableRow(r + 1, values, out, n, incl, pri, tuple(members.get(r, ()))))
    if not any(row.out != "?" for row in rows):
        raise NothingToExplainError(
            gettext_noop(
                "按照案例数阈值 n_cut = %(n_cut)s，没有任何组态有足够的案例，真值表全是逻辑余项。请降低 n_cut 或检查数据。"
            ),
            n_cut=n_cut,
        )
    order = _sort_order(rows, conds, sort_by, decreasing) if sort_by else ()
    return TruthTable(
        order=order,
        outcome=("~" if negated else "") + out_name,
        outcome_column=out_name,
        negated=negated,
        conditions=conds,
        rows=tuple(rows),
        incl_cut=incl_cut,
        n_cut=n_cut,
        pri_cut=pri_cut,
        cases=dataset.cases,
        data=x,
        y=y,
    )


def parse_sort_by(sort_by, conditions: Sequence[str], decreasing=True) -> list[tuple[str, bool]]:
    """``"incl, n+"`` → ``[("incl", True), ("n", False)]`` (key, decreasing). Also a list of
    such strings or a mapping ``{"incl": True, "n": False}``; ``decreasing`` (one bool, or one
    per key) is the default direction of keys without a sign, as QCA's ``decreasing``."""
    if isinstance(sort_by, Mapping):
        items = [(str(k), bool(v)) for k, v in sort_by.items()]
    else:
        parts = sort_by.split(",") if isinstance(sort_by, str) else list(sort_by)
        parts = [str(p).strip() for p in parts if str(p).strip()]
        if isinstance(decreasing, bool):
            decreasing = [decreasing] * len(parts)
        decreasing = list(decreasing) + [True] * (len(parts) - len(decreasing))
        items = []
        for part, dec in zip(parts, decreasing, strict=False):
            if part.endswith("+"):
                items.append((part[:-1].strip(), False))
            elif part.endswith("-"):
                items.append((part[:-1].strip(), True))
            else:
                items.append((part, bool(dec)))
    known = {"OUT", "n", "incl", "PRI", *conditions}
    out = []
    for key, dec in items:
        key = {"out": "OUT", "pri": "PRI", "consistency": "incl"}.get(key, key)
        if key not in known:
            raise ParameterError(
                gettext_noop("排序列“%(key)s”不存在：只能按 OUT、n、incl、PRI 或条件（%(conditions)s）排序。"),
                key=key,
                conditions="、".join(conditions),
            )
        out.append((key, dec))
    return out


def _sort_key(row: TruthTableRow, key: str, conditions: Sequence[str]):
    if key == "OUT":
        return row.out
    if key == "n":
        return row.n
    if key == "incl":
        return row.consistency
    if key == "PRI":
        return row.pri
    return row.values[list(conditions).index(key)]


def _sort_order(rows, conditions, sort_by, decreasing) -> tuple[int, ...]:
    keys = parse_sort_by(sort_by, conditions, decreasing)
    order = list(rows)
    for key, dec in reversed(keys):
        present = [r for r in order if _sort_key(r, key, conditions) is not None]
        missing = [r for r in order if _sort_key(r, key, conditions) is None]
        present.sort(key=lambda r: _sort_key(r, key, conditions), reverse=dec)  # stable both ways
        order = present + missing
    order = [r for r in order if r.out != "?"] + [r for r in order if r.out == "?"]
    return tuple(r.number for r in order)


def minmat(table: TruthTable) -> tuple[tuple[int, ...], np.ndarray]:
    """QCA's ``minmat`` of a truth table: ``(observed row numbers, cases × rows memberships)``."""
    return table.minmat()
