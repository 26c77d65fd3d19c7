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
    term's consistency, PRI and raw coverage are computed once; the unique coverage (which
    depends on the model's other terms) and the model's own fit are computed for many models
    at once, as arrays. Same figures as :func:`sufficiency` on each model's terms."""

    CHUNK = 256  #: models per array pass (256 models × 10 terms × 1,000 cases ≈ 20 MB)

    def __init__(self, memberships: list[np.ndarray], y: np.ndarray):
        self.y = y
        self.sum_y = float(y.sum())
        self.mems = np.stack(memberships)
        self.pmins = np.minimum(self.mems, y)
        self.raw = [self._one(x, p) for x, p in zip(self.mems, self.pmins, strict=True)]

    def _one(self, x: np.ndarray, pmin: np.ndarray) -> tuple[float | None, float | None, float | None]:
        return self._ratios(float(x.sum()), float(pmin.sum()), float(np.minimum(pmin, 1.0 - self.y).sum()))

    def _ratios(self, sx: float, sp: float, neg: float) -> tuple[float | None, float | None, float | None]:
        return _ratio(sp, sx), _ratio(sp - neg, sx - neg), _ratio(sp, self.sum_y)

    def model(self, idx: list[int], floor: float) -> tuple[list[SufficiencyFit], SufficiencyFit, np.ndarray]:
        """``(fit of each term, fit of the model, the model's membership)`` for terms ``idx``."""
        return next(self.models([idx], floor))

    def models(self, covers: list[list[int]], floor: float):
        """:meth:`model` for each list of term positions in ``covers`` (all of the same length,
        as the models of one solution), in that order."""
        for start in range(0, len(covers), self.CHUNK):
            chunk = np.asarray(covers[start : start + self.CHUNK], dtype=np.intp)
            m = chunk.shape[1]
            pm = self.pmins[chunk]  # models × terms × cases
            shared = None
            if m > 1:
                # case by case the largest and second largest term: the max over the others
                top = pm.argmax(axis=1)[:, None, :]
                first = np.take_along_axis(pm, top, axis=1)
                masked = pm.copy()
                np.put_along_axis(masked, top, -np.inf, axis=1)
                second = masked.max(axis=1)[:, None, :]
                others = np.where(top == np.arange(m)[None, :, None], second, first)
                shared = np.minimum(pm, others).sum(axis=2)  # each row summed as a 1-D sum of it
            unions = self.mems[chunk].max(axis=1)
            u_pmin = np.minimum(unions, self.y)
            sx = unions.sum(axis=1)
            sp = u_pmin.sum(axis=1)
            neg = np.minimum(u_pmin, 1.0 - self.y).sum(axis=1)
            for row, idx in enumerate(chunk.tolist()):
                fits = []
                for n, i in enumerate(idx):
                    incl, pri, cov = self.raw[i]
                    unique = None
                    if shared is not None and cov is not None:
                        unique = cov - float(shared[row, n]) / self.sum_y
                    fits.append(
                        SufficiencyFit(
                            _floor(incl, floor), _floor(pri, floor), _floor(cov, floor), _floor(unique, floor)
                        )
                    )
                incl, pri, cov = self._ratios(float(sx[row]), float(sp[row]), float(neg[row]))
                yield fits, SufficiencyFit(_floor(incl, floor), _floor(pri, floor), _floor(cov, floor)), unions[row]
