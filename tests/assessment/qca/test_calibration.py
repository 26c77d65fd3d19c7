"""Calibration: direct method (logistic), quantile anchors, crisp thresholds."""

import math

import numpy as np
import pytest

from assessment.qca import AnchorError, ParameterError, calibrate, calibrate_crisp, quantile_anchors
from assessment.qca.errors import MissingValueError, NonNumericError, QCAError

#: Ragin's fsQCA software uses log-odds of ±3 at the anchors: idm = 1 / (1 + e^-3).
RAGIN_IDM = 1 / (1 + math.exp(-3))


def test_anchors_get_qca_default_memberships():
    # QCA's default idm = 0.95: log-odds ±ln(19) = ±2.944 at the anchors, 0.5 at the crossover.
    fs = calibrate([10, 20, 30], 10, 20, 30)
    assert fs[0] == pytest.approx(0.05, abs=1e-12)
    assert fs[1] == 0.5
    assert fs[2] == pytest.approx(0.95, abs=1e-12)


def test_logistic_formula_by_hand():
    log_odds = math.log(0.95 / 0.05)
    x = [12.0, 27.5]
    fs = calibrate(x, 10, 20, 30)
    assert fs[0] == pytest.approx(1 / (1 + math.exp(-(12 - 20) * log_odds / (20 - 10))), abs=1e-15)
    assert fs[1] == pytest.approx(1 / (1 + math.exp(-(27.5 - 20) * log_odds / (30 - 20))), abs=1e-15)
    # asymmetric anchors: each side uses its own distance to the crossover
    fs = calibrate([5.0, 40.0], 0, 10, 50)
    assert fs[0] == pytest.approx(1 / (1 + math.exp(-(5 - 10) * log_odds / 10)), abs=1e-15)
    assert fs[1] == pytest.approx(1 / (1 + math.exp(-(40 - 10) * log_odds / 40)), abs=1e-15)


def test_idm_parameter_gives_ragins_plus_minus_three():
    fs = calibrate([10, 30], 10, 20, 30, idm=RAGIN_IDM)
    assert fs[1] == pytest.approx(1 / (1 + math.exp(-3)), abs=1e-12)  # 0.9526, not 0.95
    assert fs[0] == pytest.approx(1 / (1 + math.exp(3)), abs=1e-12)


def test_lipset_development_reproduces_the_packages_fuzzy_data(lr, lf):
    # LF (QCA's fuzzy Lipset data, after Ragin 2009) calibrates GDP per capita with the
    # anchors 400 / 550 / 900 USD and Ragin's ±3 log-odds: all 18 cases match to 2 decimals.
    _, raw = lr
    _, fuzzy = lf
    fs = calibrate(raw["DEV"], 400, 550, 900, idm=RAGIN_IDM)
    assert np.round(fs, 2).tolist() == fuzzy["DEV"]


def test_exactly_at_crossover_is_one_half():
    assert calibrate([3.3], 1.1, 3.3, 7.7)[0] == 0.5
    assert calibrate([3.3], 7.7, 3.3, 1.1)[0] == 0.5


def test_decreasing_set_when_exclusion_above_inclusion():
    up = calibrate([12, 15, 25], 10, 20, 30)
    down = calibrate([12, 15, 25], 30, 20, 10)
    assert np.allclose(down, 1 - up)
    assert down[0] > down[1] > down[2]
    # at the anchors of a decreasing set
    assert calibrate([30, 10], 30, 20, 10).tolist() == pytest.approx([0.05, 0.95], abs=1e-12)


def test_floor_and_ceiling():
    # beyond the anchors memberships get tiny / close to 1: < 1e-4 → 0 and > 0.9999 → 1
    fs = calibrate([-1000, 1000, 25], 10, 20, 30)
    assert fs[0] == 0.0
    assert fs[1] == 1.0
    assert 0 < fs[2] < 1
    log_odds = math.log(19)
    # a value whose membership is just above 1e-4 is kept as is
    x = 20 - 10 * math.log((1 - 2e-4) / 2e-4) / log_odds
    assert calibrate([x], 10, 20, 30)[0] == pytest.approx(2e-4, rel=1e-9)


@pytest.mark.parametrize(
    ("anchors", "x", "expected"),
    [
        ((20, 20, 30), [10, 20, 25], [0.0, 0.5, None]),  # exclusion = crossover: a step below
        ((10, 20, 20), [15, 20, 25], [None, 0.5, 1.0]),  # crossover = inclusion: a step above
        ((20, 20, 20), [19, 20, 21], [0.0, 0.5, 1.0]),  # all three equal: a step function
        ((30, 20, 20), [15, 20, 25], [1.0, 0.5, None]),  # decreasing, crossover = inclusion
    ],
)
def test_degenerate_anchors_do_not_divide_by_zero(anchors, x, expected):
    with np.errstate(all="raise"):
        fs = calibrate(x, *anchors)
    assert not np.isnan(fs).any()
    for got, want in zip(fs, expected, strict=True):
        if want is None:
            assert 0 < got < 1
        else:
            assert got == want


@pytest.mark.parametrize("anchors", [(10, 30, 20), (20, 10, 30), (30, 40, 10), (10, 5, 10)])
def test_anchors_in_the_wrong_order_are_refused(anchors):
    with pytest.raises(AnchorError, match="锚点的顺序不对"):
        calibrate([1, 2, 3], *anchors)


def test_bad_calibration_input():
    with pytest.raises(MissingValueError, match="第 2 个案例"):
        calibrate([1, None, 3], 1, 2, 3, name="数字平台构建")
    with pytest.raises(MissingValueError, match="数字平台构建"):
        calibrate([1, float("nan"), 3], 1, 2, 3, name="数字平台构建")
    with pytest.raises(MissingValueError):
        calibrate(np.array([1.0, np.nan]), 1, 2, 3)
    with pytest.raises(NonNumericError, match="“高”不是数字"):
        calibrate([1, "高", 3], 1, 2, 3)
    with pytest.raises(AnchorError):
        calibrate([1, 2], "低", 2, 3)
    with pytest.raises(ParameterError, match="idm"):
        calibrate([1, 2], 1, 2, 3, idm=0.4)
    assert issubclass(AnchorError, ValueError) and issubclass(QCAError, ValueError)


def test_numeric_strings_are_read():
    assert calibrate(["10", " 20 ", "30"], 10, 20, 30).tolist() == pytest.approx([0.05, 0.5, 0.95])


def test_quantile_anchors_use_r_type_7():
    # R: quantile(1:5, c(.05, .5, .95)) = 1.2, 3.0, 4.8 (type 7: 1 + p (n - 1))
    assert quantile_anchors([5, 3, 1, 4, 2]) == pytest.approx((1.2, 3.0, 4.8))
    x = [0.3, 9.1, 2.2, 7.7, 4.4, 5.0, 1.9]
    s = sorted(x)
    for p, q in zip((0.05, 0.5, 0.95), quantile_anchors(x), strict=True):
        h = (len(x) - 1) * p
        lo = math.floor(h)
        assert q == pytest.approx(s[lo] + (h - lo) * (s[min(lo + 1, len(s) - 1)] - s[lo]))
    assert quantile_anchors(x, (0.25, 0.75)) == pytest.approx(tuple(np.quantile(x, [0.25, 0.75])))
    # the study's use: full membership at the 95% quantile, non-membership at the 5% one
    fs = calibrate(x, *quantile_anchors(x))
    assert fs[np.argmax(x)] > 0.95 and fs[np.argmin(x)] < 0.05


def test_quantile_anchors_refuse_bad_input():
    with pytest.raises(QCAError, match="至少需要 2 个"):
        quantile_anchors([1.0])
    with pytest.raises(ParameterError):
        quantile_anchors([1, 2, 3], (0.5, 1.5))


def test_crisp_calibration_reproduces_lipset_crisp_data(lr, lc):
    # The package's documentation of LC (man/Lipset.Rd) gives the thresholds: DEV 550 USD,
    # URB 50%, LIT 75%, IND 30%, STB 1 when fewer than 10 cabinets, SURV 1 when positive.
    _, raw = lr
    _, crisp = lc
    assert calibrate_crisp(raw["DEV"], 550).tolist() == crisp["DEV"]
    assert calibrate_crisp(raw["URB"], [50]).tolist() == crisp["URB"]
    assert calibrate_crisp(raw["LIT"], [75]).tolist() == crisp["LIT"]
    assert calibrate_crisp(raw["IND"], [30]).tolist() == crisp["IND"]
    assert (1 - calibrate_crisp(raw["STB"], [10])).tolist() == crisp["STB"]
    assert calibrate_crisp(raw["SURV"], [0]).tolist() == crisp["SURV"]


def test_crisp_multi_value_and_bounds():
    # findInterval: the number of thresholds at or below the value
    assert calibrate_crisp([1, 2, 3, 4, 5], [2, 4]).tolist() == [0, 1, 1, 2, 2]
    with pytest.raises(AnchorError, match="超出"):
        calibrate_crisp([1, 2, 3], [5])
