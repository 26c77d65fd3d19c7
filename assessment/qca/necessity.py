"""Single conditions against the outcome: necessity (:func:`necessity`) and sufficiency
(:func:`sufficiency`), each condition and then its negation, as QCA's ``pof()`` /
``pofind()`` on the columns (see :mod:`assessment.qca.fit` for the formulas)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .data import as_dataset, check_design, parse_outcome
from .errors import ParameterError, gettext_noop
from .fit import necessity_fit
from .fit import sufficiency as _sufficiency_fit

#: A condition is called necessary when its consistency reaches this (the study's rule).
NECESSITY_THRESHOLD = 0.9


@dataclass(frozen=True)
class NecessityRow:
    condition: str  #: the column
    negated: bool
    label: str  #: "DEV" or "~DEV"
    inclN: float | None
    covN: float | None
    RoN: float | None
    necessary: bool  #: inclN ≥ threshold

    def to_dict(self) -> dict:
        return {
            "condition": self.condition,
            "negated": self.negated,
            "label": self.label,
            "inclN": self.inclN,
            "covN": self.covN,
            "RoN": self.RoN,
            "necessary": self.necessary,
        }


def necessity(
    data,
    outcome: str,
    conditions: Sequence[str],
    negate_outcome: bool = False,
    *,
    cases=None,
    threshold: float = NECESSITY_THRESHOLD,
) -> list[NecessityRow]:
    """For each condition, then its negation: consistency ``inclN``, coverage ``covN`` and
    relevance ``RoN`` as necessary conditions of ``outcome`` (``"~Y"`` or
    ``negate_outcome=True`` for the absence of the outcome)."""
    dataset = as_dataset(data, cases)
    name, negated = parse_outcome(outcome, negate_outcome)
    conds = check_design(dataset, name, conditions)
    y = dataset.memberships(name)
    if negated:
        y = 1.0 - y
    rows = []
    for c in conds:
        x = dataset.memberships(c)
        for neg in (False, True):
            incl, cov, ron = necessity_fit(1.0 - x if neg else x, y)
            ok = incl is not None and incl + 1.4901161193847656e-08 > threshold
            rows.append(NecessityRow(c, neg, ("~" if neg else "") + c, incl, cov, ron, ok))
    return rows


@dataclass(frozen=True)
class SufficiencyRow:
    condition: str  #: the column
    negated: bool
    label: str  #: "DEV" or "~DEV"
    inclS: float | None
    PRI: float | None
    covS: float | None
    covU: float | None  #: against the other conditions of the same sign, as QCA's pof(conds, Y)

    def to_dict(self) -> dict:
        return {
            "condition": self.condition,
            "negated": self.negated,
            "label": self.label,
            "inclS": self.inclS,
            "PRI": self.PRI,
            "covS": self.covS,
            "covU": self.covU,
        }


def sufficiency(data, outcome: str, conditions: Sequence[str], negate_outcome: bool = False, *, cases=None):
    """Each condition as a sufficient condition of ``outcome``: ``inclS``, ``PRI``, ``covS``,
    and ``covU`` against the other conditions (QCA's ``pof(data[, conditions], Y, relation =
    "sufficiency")``), then the negations of the conditions the same way (``pof(1 - data[,
    conditions], Y, ...)``). ``"~Y"`` or ``negate_outcome=True`` for the absence of the outcome."""
    dataset = as_dataset(data, cases)
    name, negated = parse_outcome(outcome, negate_outcome)
    conds = check_design(dataset, name, conditions)
    y = dataset.memberships(name)
    if negated:
        y = 1.0 - y
    rows: list[SufficiencyRow] = []
    for neg in (False, True):
        xs = [dataset.memberships(c) for c in conds]
        if neg:
            xs = [1.0 - x for x in xs]
        fits, _ = _sufficiency_fit(xs, y)
        for c, fit in zip(conds, fits, strict=True):
            label = ("~" if neg else "") + c
            rows.append(SufficiencyRow(c, neg, label, fit.incl, fit.pri, fit.cov, fit.cov_unique))
    return rows


def pofind(data, outcome: str, conditions: Sequence[str], relation: str = "necessity", *, cases=None):
    """QCA's ``pofind()``: parameters of fit of single conditions (and their negations), for
    ``relation`` ``"necessity"`` (default) or ``"sufficiency"`` (``"suf"`` is enough)."""
    rel = str(relation).strip().lower()
    if rel and "necessity".startswith(rel):
        return necessity(data, outcome, conditions, cases=cases)
    if rel and "sufficiency".startswith(rel):
        return sufficiency(data, outcome, conditions, cases=cases)
    raise ParameterError(
        gettext_noop("relation 只能是 necessity（必要性）或 sufficiency（充分性），现在是“%(relation)s”。"),
        relation=relation,
    )
