"""Parameters of fit, as QCA's ``pof()``.

Sufficiency of a set X for the outcome Y (each term, and the solution = fuzzy union of its
terms):

* consistency ``inclS = Σ min(X, Y) / Σ X``
* ``PRI = (Σ min(X, Y) - Σ min(X, Y, 1 - Y)) / (Σ X - Σ min(X, Y, 1 - Y))``
* raw coverage ``covS = Σ min(X, Y) / Σ Y``
* unique coverage ``covU = covS - Σ min(min(X, Y), max over the other terms of min(Xo, Y)) / Σ Y``

Necessity of X for Y:

* consistency ``inclN = Σ min(X, Y) / Σ Y``
* coverage ``covN = Σ min(X, Y) / Σ X``
* relevance ``RoN = Σ (1 - X) / Σ (1 - min(X, Y))``

As QCA does, values below ``floor`` (1e-5; 1e-4 for the models of a solution with several
models) are reported as 0, and ``covU`` is not given (``None``) when there is only one term.
An undefined ratio (0 / 0) is ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _ratio(num: float, den: float) -> float | None:
    if den == 0:
        return None
    return float(num / den)


def _floor(value: float | None, floor: float) -> float | None:
    if value is None:
        return None
    return 0.0 if value < floor else value


@dataclass(frozen=True)
class SufficiencyFit:
    incl: float | None
    pri: float | None
    cov: float | None
    cov_unique: float | None = None


def sufficiency(terms: list[np.ndarray], y: np.ndarray, floor: float = 1e-5):
    """Fit of each term and of their union: ``([SufficiencyFit per term], SufficiencyFit)``."""
    sum_y = float(y.sum())
    pmins = [np.minimum(t, y) for t in terms]
    fits = []

    def one(x: np.ndarray, pmin: np.ndarray) -> tuple[float | None, float | None, float | None]:
        sx = float(x.sum())
        sp = float(pmin.sum())
        neg = float(np.minimum(pmin, 1.0 - y).sum())
        return _ratio(sp, sx), _ratio(sp - neg, sx - neg), _ratio(sp, sum_y)

    for i, (x, pmin) in enumerate(zip(terms, pmins, strict=True)):
        incl, pri, cov = one(x, pmin)
        unique = None
        if len(terms) > 1 and cov is not None:
            others = np.max(np.stack([p for j, p in enumerate(pmins) if j != i]), axis=0)
            unique = cov - float(np.minimum(pmin, others).sum()) / sum_y
        fits.append(SufficiencyFit(_floor(incl, floor), _floor(pri, floor), _floor(cov, floor), _floor(unique, floor)))
    union = np.max(np.stack(terms), axis=0) if terms else np.zeros_like(y)
    incl, pri, cov = one(union, np.minimum(union, y))
    return fits, SufficiencyFit(_floor(incl, floor), _floor(pri, floor), _floor(cov, floor))


def necessity_fit(x: np.ndarray, y: np.ndarray, floor: float = 1e-5):
    """``(inclN, covN, RoN)`` of X as a necessary condition for Y."""
    pmin = np.minimum(x, y)
    sp = float(pmin.sum())
    incl = _ratio(sp, float(y.sum()))
    cov = _ratio(sp, float(x.sum()))
    ron = _ratio(float((1.0 - x).sum()), float((1.0 - pmin).sum()))
    return _floor(incl, floor), _floor(cov, floor), _floor(ron, floor)


class ModelFits:
    """The fit of many models made of the same terms (a solution with several models): each
    term's consistency, PRI and raw coverage are computed once, only the unique coverage (which
    depends on the model's other terms) and the model's own fit per model. Same figures as
    :func:`sufficiency` on the model's terms."""

    def __init__(self, memberships: list[np.ndarray], y: np.ndarray):
        self.y = y
        self.sum_y = float(y.sum())
        self.mems = memberships
        self.pmins = [np.minimum(t, y) for t in memberships]
        self.raw = [self._one(x, p) for x, p in zip(memberships, self.pmins, strict=True)]

    def _one(self, x: np.ndarray, pmin: np.ndarray) -> tuple[float | None, float | None, float | None]:
        sx = float(x.sum())
        sp = float(pmin.sum())
        neg = float(np.minimum(pmin, 1.0 - self.y).sum())
        return _ratio(sp, sx), _ratio(sp - neg, sx - neg), _ratio(sp, self.sum_y)

    def model(self, idx: list[int], floor: float) -> tuple[list[SufficiencyFit], SufficiencyFit, np.ndarray]:
        """``(fit of each term, fit of the model, the model's membership)`` for terms ``idx``."""
        uniques: list[float | None] = [None] * len(idx)
        if len(idx) > 1:
            # the largest and second largest of the terms, case by case: the max over the others
            pmins = np.stack([self.pmins[i] for i in idx])
            top = pmins.argmax(axis=0)
            cols = np.arange(pmins.shape[1])
            first = pmins[top, cols]
            masked = pmins.copy()
            masked[top, cols] = -np.inf
            second = masked.max(axis=0)
            others = np.where(top[None, :] == np.arange(len(idx))[:, None], second[None, :], first[None, :])
            shared = np.minimum(pmins, others).sum(axis=1)  # row by row, as a 1-D sum of each
            for n, i in enumerate(idx):
                cov = self.raw[i][2]
                if cov is not None:
                    uniques[n] = cov - float(shared[n]) / self.sum_y
        fits = []
        for n, i in enumerate(idx):
            incl, pri, cov = self.raw[i]
            fits.append(
                SufficiencyFit(_floor(incl, floor), _floor(pri, floor), _floor(cov, floor), _floor(uniques[n], floor))
            )
        union = np.max(np.stack([self.mems[i] for i in idx]), axis=0)
        incl, pri, cov = self._one(union, np.minimum(union, self.y))
        return fits, SufficiencyFit(_floor(incl, floor), _floor(pri, floor), _floor(cov, floor)), union
