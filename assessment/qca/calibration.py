"""Calibration of raw values into set membership scores.

* :func:`calibrate` – the direct method (Ragin 2008) with the logistic function, as QCA's
  ``calibrate(x, type = "fuzzy", thresholds = c(e, c, i), logistic = TRUE, idm = 0.95)``.
* :func:`quantile_anchors` – anchors from sample quantiles, interpolated as R's default
  ``quantile(type = 7)`` (NumPy's default ``linear`` method).
* :func:`calibrate_crisp` – crisp sets by thresholds, as QCA's ``calibrate(type = "crisp")``
  (R's ``findInterval``): the result is the number of thresholds at or below the value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .data import _to_float
from .errors import AnchorError, ParameterError, TooFewCasesError

#: Memberships below this become 0, above ``1 - FLOOR`` become 1 (as QCA does).
FLOOR = 1e-4


def _values(x, name: str) -> np.ndarray:
    if isinstance(x, np.ndarray) and x.dtype.kind in "fiu":
        values = x.astype(float).ravel()
        if np.isnan(values).any():
            i = int(np.flatnonzero(np.isnan(values))[0])
            return _to_float(name, [None if j == i else v for j, v in enumerate(values.tolist())], _names(len(values)))
        return values
    values = list(x)
    return _to_float(name, values, _names(len(values)))


def _names(n: int) -> list[str]:
    return [str(i + 1) for i in range(n)]


def _anchor(value, label: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise AnchorError(f"{label}“{value}”不是数字。") from None
    if math.isnan(number) or math.isinf(number):
        raise AnchorError(f"{label}必须是有限的数字。")
    return number


def calibrate(x, exclusion, crossover, inclusion, idm: float = 0.95, *, name: str = "x") -> np.ndarray:
    """Direct calibration with the logistic function.

    ``exclusion`` (full non-membership), ``crossover`` (0.5) and ``inclusion`` (full
    membership) are the three anchors. At the inclusion anchor the log-odds are
    ``ln(idm / (1 - idm))`` (2.944 for QCA's default ``idm = 0.95``; Ragin's fsQCA software
    uses 3, i.e. ``idm ≈ 0.9526``), at the exclusion anchor minus that; a value exactly at the
    crossover gets 0.5. When ``exclusion > inclusion`` the set is decreasing (more of the raw
    value means less membership). Memberships below 1e-4 become 0 and above 0.9999 become 1.

    Degenerate anchors: when the crossover equals an outer anchor, that side of the curve is
    the limit of the logistic function (a step: 0 below, 1 above the crossover) instead of a
    division by zero. The crossover must lie between the two outer anchors.
    """
    e = _anchor(exclusion, "完全不隶属锚点（exclusion）")
    c = _anchor(crossover, "交叉点锚点（crossover）")
    i = _anchor(inclusion, "完全隶属锚点（inclusion）")
    idm = _anchor(idm, "隶属度参数 idm")
    if not 0.5 < idm < 1:
        raise ParameterError(f"隶属度参数 idm 必须大于 0.5 且小于 1，现在是 {idm:g}。")
    if not (e <= c <= i or e >= c >= i) or (e == i and c != e):
        raise AnchorError(
            f"校准锚点的顺序不对：完全不隶属 {e:g}、交叉点 {c:g}、完全隶属 {i:g}。"
            "交叉点必须位于两个端点之间（递增集合：不隶属 < 交叉点 < 完全隶属；"
            "递减集合则反过来）。"
        )
    values = _values(x, name)
    decreasing = e > i
    lo, hi = (i, e) if decreasing else (e, i)  # lo: the anchor below the crossover
    log_odds = math.log(idm / (1 - idm))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        below = values < c
        scaled = np.empty_like(values)
        if c - lo > 0:
            scaled[below] = (values[below] - c) * log_odds / (c - lo)
        else:
            scaled[below] = -np.inf
        above = ~below
        if hi - c > 0:
            scaled[above] = (values[above] - c) * log_odds / (hi - c)
        else:
            scaled[above] = np.where(values[above] > c, np.inf, 0.0)
        fs = 1.0 / (1.0 + np.exp(-scaled))
    if decreasing:
        fs = 1.0 - fs
    fs[fs < FLOOR] = 0.0
    fs[fs > 1 - FLOOR] = 1.0
    return fs


def quantile_anchors(x, probs: Sequence[float] = (0.05, 0.5, 0.95), *, name: str = "x") -> tuple[float, ...]:
    """Sample quantiles as anchors, in the order of ``probs``.

    With the default ``(0.05, 0.5, 0.95)`` the result is ``(exclusion, crossover, inclusion)``
    for an increasing set: ``calibrate(x, *quantile_anchors(x))``. Interpolation is R's
    default (type 7), which is NumPy's default ``linear`` method.
    """
    values = _values(x, name)
    if values.size < 2:
        raise TooFewCasesError(f"“{name}”只有 {values.size} 个数值，至少需要 2 个才能计算分位数。")
    ps = [_anchor(p, "分位数") for p in probs]
    for p in ps:
        if not 0 <= p <= 1:
            raise ParameterError(f"分位数必须在 0 到 1 之间，现在是 {p:g}。")
    return tuple(float(q) for q in np.quantile(values, ps))


def calibrate_crisp(x, thresholds: Sequence[float], *, name: str = "x") -> np.ndarray:
    """Crisp calibration: 0 below the first threshold, 1 from it on (2 from the second, …).

    One threshold gives a binary crisp set, several a multi-value set. Thresholds outside
    the range of the data are refused, as QCA does.
    """
    if isinstance(thresholds, (int, float)):
        thresholds = [thresholds]
    th = sorted(_anchor(t, "阈值") for t in thresholds)
    if not th:
        raise AnchorError("请至少给出一个阈值。")
    values = _values(x, name)
    if values.size == 0:
        raise TooFewCasesError(f"“{name}”没有数值。")
    lo, hi = float(values.min()), float(values.max())
    for t in th:
        if t < lo or t > hi:
            raise AnchorError(f"阈值 {t:g} 超出了“{name}”的数据范围 [{lo:g}, {hi:g}]。")
    return np.searchsorted(np.asarray(th), values, side="right").astype(int)
