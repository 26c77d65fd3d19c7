"""The calibration forms of QCA's ``calibrate()`` beyond the logistic direct method.

Written from the formulas of QCA's documentation (``?calibrate``); names and defaults as
QCA's: ``below`` and ``above`` (exponents of the two halves, 1 = linear), ``ecdf``, the
anchors ``e``, ``c``, ``i`` and ``e1, c1, i1, i2, c2, e2``.

* **Piecewise, three anchors** (``logistic = FALSE``), increasing set ``e < c < i``:
  0 up to ``e``; ``((e - x) / (e - c))^below / 2`` up to ``c``; ``1 - ((i - x) / (i - c))^above / 2``
  up to ``i``; 1 beyond. Decreasing set ``i < c < e``: the mirror image (1 up to ``i`` …).
  With ``ecdf = TRUE`` the two halves follow the empirical distribution ``F`` of the values
  lying between the outer anchors: ``F(x) / F(c) / 2`` below the crossover and
  ``1 - (1 - F(x)) / (1 - F(c)) / 2`` above it.
* **Six anchors**: ``e1 < c1 < i1 ≤ i2 < c2 < e2`` gives a bell (``i1 = i2``, a triangle with
  the default exponents) or a trapezoid: the increasing form up to ``i1``, 1 between ``i1``
  and ``i2``, the decreasing form after. ``i1 < c1 < e1 ≤ e2 < c2 < i2`` gives the inverse
  shape (a "valley"). Always piecewise (QCA ignores ``logistic`` here).
* **Indirect method** (Ragin 2008): the values are first placed in ordered classes by the
  thresholds (sorted; ``k`` thresholds give the scores ``0, 1/k, …, 1`` rounded to 3
  decimals, a value above the ``j``-th threshold getting score ``j/k``), then a fractional
  logit model ``score ~ log(x) + √x + x + x²`` is fitted (quasi-binomial GLM, iteratively
  reweighted least squares as R's ``glm()``) and its fitted values, rounded to 6 decimals,
  are the memberships. A value 0 is taken as 0.00001 (QCA does the same, for the log).

As with the logistic form, memberships below 1e-4 become 0 and above 0.9999 become 1.
A value "at" an anchor is decided with R's ``all.equal`` tolerance (relative 1.5e-8).
"""

from __future__ import annotations

import math

import numpy as np

from .errors import AnchorError, ParameterError, gettext_noop

#: R's ``all.equal`` tolerance.
EQUAL_TOL = 1.5e-8


def near(x: np.ndarray, t: float) -> np.ndarray:
    """``isTRUE(all.equal(x, t))`` element-wise: relative difference to ``x`` (absolute
    when ``|x|`` is below the tolerance) at most 1.5e-8."""
    ax = np.abs(x)
    diff = np.abs(x - t)
    return np.where(ax > EQUAL_TOL, diff / np.where(ax > 0, ax, 1.0), diff) <= EQUAL_TOL


def _le(x: np.ndarray, t: float) -> np.ndarray:
    return (x < t) | near(x, t)


def _exponents(below, above) -> tuple[float, float]:
    out = []
    for label, v in (("below", below), ("above", above)):
        try:
            number = float(v)
        except (TypeError, ValueError):
            raise ParameterError(gettext_noop("参数 %(label)s 必须是正数。"), label=label) from None
        if not number > 0 or math.isinf(number):
            raise ParameterError(
                gettext_noop("参数 %(label)s 必须是正数（1 为线性），现在是 %(v)s。"), label=label, v=v
            )
        out.append(number)
    return out[0], out[1]


def _ecdf(sample: np.ndarray):
    s = np.sort(sample)

    def F(v):
        return np.searchsorted(s, v, side="right") / s.size

    return F


def linear(x: np.ndarray, e: float, c: float, i: float, below=1.0, above=1.0, ecdf: bool = False) -> np.ndarray:
    """Three anchors without the logistic function (see the module docstring)."""
    below, above = _exponents(below, above)
    if len({e, c, i}) < 3:
        raise AnchorError(
            gettext_noop("线性校准的三个锚点必须互不相同：完全不隶属 %(e)s、交叉点 %(c)s、完全隶属 %(i)s。"),
            e=f"{e:g}",
            c=f"{c:g}",
            i=f"{i:g}",
        )
    increasing = not (i < c < e)
    if increasing and not (e < c < i):
        raise AnchorError(
            gettext_noop(
                "校准锚点的顺序不对：完全不隶属 %(e)s、交叉点 %(c)s、完全隶属 %(i)s。交叉点必须位于两个端点之间。"
            ),
            e=f"{e:g}",
            c=f"{c:g}",
            i=f"{i:g}",
        )
    F = None
    if ecdf:
        lo, hi = min(e, i), max(e, i)
        inside = x[(x >= lo) & (x <= hi)]
        if inside.size == 0:
            raise AnchorError(
                gettext_noop("没有数值落在锚点 %(lo)s 与 %(hi)s 之间，无法按经验分布函数（ecdf）校准。"),
                lo=f"{lo:g}",
                hi=f"{hi:g}",
            )
        F = _ecdf(inside)
        fc = F(c)
        if fc in (0.0, 1.0):
            raise AnchorError("交叉点两侧都必须有数值，才能按经验分布函数（ecdf）校准。")
    fs = np.empty_like(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        if increasing:
            zone1 = _le(x, e)
            zone2 = ~zone1 & _le(x, c)
            zone3 = ~zone1 & ~zone2 & _le(x, i)
            fs[zone1] = 0.0
            if F is None:
                fs[zone2] = ((e - x[zone2]) / (e - c)) ** below / 2
                fs[zone3] = 1 - ((i - x[zone3]) / (i - c)) ** above / 2
            else:
                fs[zone2] = F(x[zone2]) / F(c) / 2
                fs[zone3] = 1 - (1 - F(x[zone3])) / (1 - F(c)) / 2
            fs[~(zone1 | zone2 | zone3)] = 1.0
        else:
            zone1 = _le(x, i)
            zone2 = ~zone1 & _le(x, c)
            zone3 = ~zone1 & ~zone2 & _le(x, e)
            fs[zone1] = 1.0
            if F is None:
                fs[zone2] = 1 - ((i - x[zone2]) / (i - c)) ** above / 2
                fs[zone3] = ((e - x[zone3]) / (e - c)) ** below / 2
            else:
                fs[zone2] = 1 - F(x[zone2]) / F(c) / 2
                fs[zone3] = (1 - F(x[zone3])) / (1 - F(c)) / 2
            fs[~(zone1 | zone2 | zone3)] = 0.0
    return fs


def bell(x: np.ndarray, anchors, below=1.0, above=1.0) -> np.ndarray:
    """Six anchors ``(e1, c1, i1, i2, c2, e2)``: bell / triangle / trapezoid, or the inverse."""
    below, above = _exponents(below, above)
    e1, c1, i1, i2, c2, e2 = anchors
    text = f"e1={e1:g}, c1={c1:g}, i1={i1:g}, i2={i2:g}, c2={c2:g}, e2={e2:g}"
    if e1 < c1 < i1 <= i2 < c2 < e2:
        up = True
    elif i1 < c1 < e1 <= e2 < c2 < i2:
        up = False
    else:
        raise AnchorError(
            gettext_noop(
                "六个锚点的顺序不对（%(text)s）。钟形或梯形：e1 < c1 < i1 ≤ i2 < c2 < e2；倒钟形：i1 < c1 < e1 ≤ e2 < c2 < i2。"
            ),
            text=text,
        )
    fs = np.empty_like(x)
    rising_a = (lambda v: ((e1 - v) / (e1 - c1)) ** below / 2, lambda v: 1 - ((i1 - v) / (i1 - c1)) ** above / 2)
    falling_a = (lambda v: 1 - ((i2 - v) / (i2 - c2)) ** above / 2, lambda v: ((e2 - v) / (e2 - c2)) ** below / 2)
    if up:
        bounds = [(_le(x, e1), lambda v: 0.0)]
        bounds.append((_le(x, c1), rising_a[0]))
        bounds.append((x < i1, rising_a[1]))
        bounds.append((_le(x, i2), lambda v: 1.0))
        bounds.append((_le(x, c2), falling_a[0]))
        bounds.append((_le(x, e2), falling_a[1]))
        rest = 0.0
    else:
        bounds = [(_le(x, i1), lambda v: 1.0)]
        bounds.append((_le(x, c1), rising_a[1]))
        bounds.append((x < e1, rising_a[0]))
        bounds.append((_le(x, e2), lambda v: 0.0))
        bounds.append((_le(x, c2), falling_a[1]))
        bounds.append((_le(x, i2), falling_a[0]))
        rest = 1.0
    done = np.zeros(x.shape, dtype=bool)
    for zone, f in bounds:
        here = zone & ~done
        fs[here] = f(x[here])
        done |= here
    fs[~done] = rest
    return fs


def indirect(x: np.ndarray, thresholds, name: str = "x") -> np.ndarray:
    """Ragin's indirect method (see the module docstring)."""
    th = np.sort(np.asarray(thresholds, dtype=float))
    if th.size == 0:
        raise AnchorError("间接校准至少需要一个阈值。")
    if (x < 0).any():
        raise ParameterError(gettext_noop("“%(name)s”含有负数：间接校准用到对数，数值不能为负。"), name=name)
    k = th.size
    scores = np.round(np.arange(k + 1) / k, 3)
    y = scores[np.searchsorted(th, x, side="left")]
    v = np.where(x == 0, 1e-5, x)
    design = np.column_stack([np.ones_like(v), np.log(v), np.sqrt(v), v, v**2])
    fs = np.round(_logit_glm(design, y), 6)
    return fs


def _logit_glm(X: np.ndarray, y: np.ndarray, maxit: int = 25, epsilon: float = 1e-8) -> np.ndarray:
    """Fitted values of a binomial-logit GLM by IRLS, as R's ``glm.fit`` (same start
    ``mu = (y + 0.5) / 2``, same convergence test on the deviance, at most 25 iterations).
    The quasi-binomial family has the same fitted values."""
    eps = float(np.finfo(float).eps)

    def linkinv(e):  # R's logit inverse: the odds are clamped beyond ±30
        odds = np.where(e < -30, eps, np.where(e > 30, 1 / eps, np.exp(np.clip(e, -30, 30))))
        return odds / (1 + odds)

    def mu_eta(e):
        ex = np.exp(np.clip(e, -30, 30))
        return np.where(np.abs(e) > 30, eps, ex / (1 + ex) ** 2)

    mu = (y + 0.5) / 2
    eta = np.log(mu / (1 - mu))

    def deviance(m):
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.where(y > 0, y * np.log(y / m), 0.0)
            b = np.where(y < 1, (1 - y) * np.log((1 - y) / (1 - m)), 0.0)
        return float(2 * (a + b).sum())

    dev_old = deviance(mu)
    for _ in range(maxit):
        d = mu_eta(eta)
        z = eta + (y - mu) / d
        w = np.sqrt(d**2 / (mu * (1 - mu)))
        coef, *_ = np.linalg.lstsq(X * w[:, None], z * w, rcond=None)
        eta = X @ coef
        mu = linkinv(eta)
        dev = deviance(mu)
        if abs(dev - dev_old) / (abs(dev) + 0.1) < epsilon:
            break
        dev_old = dev
    return mu


def parse_thresholds(thresholds) -> tuple[list[float], list[str] | None]:
    """QCA's forms: ``"e=165, c=175, i=185"``, ``"1000, 4000, 5000"``, a mapping with the
    names ``e, c, i`` or ``e1, c1, i1, i2, c2, e2``, or a sequence of numbers. Named anchors
    are put in QCA's order whatever order they are written in."""
    names: list[str] | None = None
    if isinstance(thresholds, str):
        parts = [p.strip() for p in thresholds.replace("，", ",").split(",") if p.strip()]
        if parts and all("=" in p for p in parts):
            pairs = [p.split("=", 1) for p in parts]
            thresholds = {k.strip(): v.strip() for k, v in pairs}
        else:
            thresholds = parts
    if isinstance(thresholds, dict):
        names = [str(k) for k in thresholds]
        values = list(thresholds.values())
    else:
        try:
            values = list(thresholds)
        except TypeError:
            values = [thresholds]
    numbers = []
    for v in values:
        try:
            number = float(v)
        except (TypeError, ValueError):
            raise AnchorError(gettext_noop("阈值“%(v)s”不是数字。"), v=v) from None
        if math.isnan(number) or math.isinf(number):
            raise AnchorError("阈值必须是有限的数字。")
        numbers.append(number)
    if names is not None:
        for order in (["e", "c", "i"], ["e1", "c1", "i1", "i2", "c2", "e2"]):
            if sorted(names) == sorted(order):
                numbers = [numbers[names.index(n)] for n in order]
                break
        else:
            raise AnchorError(
                gettext_noop("锚点名称“%(names)s”无法识别：三个锚点用 e、c、i，六个锚点用 e1、c1、i1、i2、c2、e2。"),
                names="、".join(names),
            )
    return numbers, names
