"""Analysis of necessary conditions: each condition and its negation against the outcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .data import as_dataset, check_design, parse_outcome
from .fit import necessity_fit

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
