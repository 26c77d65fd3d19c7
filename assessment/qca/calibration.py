"""Calibration of raw values into set membership scores.

* :func:`calibrate` – the direct method (Ragin 2008) with the logistic function, as QCA's
  ``calibrate(x, type = "fuzzy", thresholds = c(e, c, i), logistic = TRUE, idm = 0.95)``;
  with ``logistic=False`` the piecewise (linear, or power with ``below`` / ``above``) form,
  optionally through the empirical distribution (``ecdf=True``); with six anchors the bell,
  triangle and trapezoid forms (and their inverse); ``method="indirect"`` Ragin's indirect
  method (see :mod:`assessment.qca.calibration_extra`).
* :func:`quantile_anchors` – anchors from sample quantiles, interpolated as R's default
  ``quantile(type = 7)`` (NumPy's default ``linear`` method).
* :func:`calibrate_crisp` – crisp sets by thresholds, as QCA's ``calibrate(type = "crisp")``
  (R's ``findInterval``): the result is the number of thresholds at or below the value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from . import calibration_extra
from .data import _to_float
from .errors import AnchorError, ParameterError, TooFewCasesError, gettext_noop

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
        raise AnchorError(gettext_noop("%(label)s“%(value)s”不是数字。"), label=label, value=value) from None
    if math.isnan(number) or math.isinf(number):
        raise AnchorError(gettext_noop("%(label)s必须是有限的数字。"), label=label)
    return number


def calibrate(
    x,
    exclusion=None,
    crossover=None,
    inclusion=None,
    idm: float = 0.95,
    *,
    thresholds=None,
    method: str = "direct",
    logistic: bool = True,
    ecdf: bool = False,
    below: float = 1,
    above: float = 1,
    name: str = "x",
) -> np.ndarray:
    """Fuzzy calibration, as QCA's ``calibrate(x, type = "fuzzy", method, thresholds,
    logistic, idm, ecdf, below, above)``.

    The anchors are either the three positional ``exclusion, crossover, inclusion`` or
    ``thresholds=``: three (``"e=…, c=…, i=…"``), six (``"e1, c1, i1, i2, c2, e2"``: bell,
    triangle, trapezoid or their inverse) or, with ``method="indirect"``, any number of
    class boundaries. Three anchors with ``logistic=True`` (the default) use the logistic
    function below; ``logistic=False`` the piecewise form with the exponents ``below`` /
    ``above`` (1 = linear) or, with ``ecdf=True``, the empirical distribution. See
    :mod:`assessment.qca.calibration_extra` for those formulas.
    """
    if method not in ("direct", "indirect"):
        raise ParameterError(
            gettext_noop("校准方法 method 只能是 direct（直接法）或 indirect（间接法），现在是“%(method)s”。"),
            method=method,
        )
    if thresholds is not None:
        if any(a is not None for a in (exclusion, crossover, inclusion)):
            raise ParameterError("锚点请只用一种方式给出：三个位置参数，或 thresholds。")
        anchors, _ = calibration_extra.parse_thresholds(thresholds)
    else:
        anchors = [a for a in (exclusion, crossover, inclusion) if a is not None]
        if method == "direct" and len(anchors) != 3:
            raise AnchorError("直接法校准需要三个锚点：完全不隶属、交叉点、完全隶属。")
    if method == "indirect":
        values = _values(x, name)
        fs = calibration_extra.indirect(values, [_anchor(a, "阈值") for a in anchors], name=name)
        return _clip(fs)
    if len(anchors) == 6:
        values = _values(x, name)
        return _clip(calibration_extra.bell(values, [_anchor(a, "锚点") for a in anchors], below, above))
    if len(anchors) != 3:
        raise AnchorError(gettext_noop("直接法校准需要 3 个或 6 个锚点，现在给了 %(count)s 个。"), count=len(anchors))
    if not logistic:
        e, c, i = (_anchor(a, "锚点") for a in anchors)
        values = _values(x, name)
        return _clip(calibration_extra.linear(values, e, c, i, below, above, ecdf))
    if ecdf:
        raise ParameterError("ecdf = True 只能与 logistic = False 一起使用（与 QCA 相同）。")
    return _logistic(x, *anchors, idm=idm, name=name)


def _clip(fs: np.ndarray) -> np.ndarray:
    fs[fs < FLOOR] = 0.0
    fs[fs > 1 - FLOOR] = 1.0
    return fs


def _logistic(x, exclusion, crossover, inclusion, idm: float = 0.95, *, name: str = "x") -> np.ndarray:
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
        raise ParameterError(gettext_noop("隶属度参数 idm 必须大于 0.5 且小于 1，现在是 %(idm)s。"), idm=f"{idm:g}")
    if not (e <= c <= i or e >= c >= i) or (e == i and c != e):
        raise AnchorError(
            gettext_noop(
                "校准锚点的顺序不对：完全不隶属 %(e)s、交叉点 %(c)s、完全隶属 %(i)s。交叉点必须位于两个端点之间（递增集合：不隶属 < 交叉点 < 完全隶属；递减集合则反过来）。"
            ),
            e=f"{e:g}",
            c=f"{c:g}",
            i=f"{i:g}",
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
        raise TooFewCasesError(
            gettext_noop("“%(name)s”只有 %(size)s 个数值，至少需要 2 个才能计算分位数。"), name=name, size=values.size
        )
    ps = [_anchor(p, "分位数") for p in probs]
    for p in ps:
        if not 0 <= p <= 1:
            raise ParameterError(gettext_noop("分位数必须在 0 到 1 之间，现在是 %(p)s。"), p=f"{p:g}")
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
        raise TooFewCasesError(gettext_noop("“%(name)s”没有数值。"), name=name)
    lo, hi = float(values.min()), float(values.max())
    for t in th:
        if t < lo or t > hi:
            raise AnchorError(
                gettext_noop("阈值 %(t)s 超出了“%(name)s”的数据范围 [%(lo)s, %(hi)s]。"),
                t=f"{t:g}",
                name=name,
                lo=f"{lo:g}",
                hi=f"{hi:g}",
            )
    return np.searchsorted(np.asarray(th), values, side="right").astype(int)
