"""Calibration beyond the logistic direct method: piecewise (linear, ``below`` / ``above``),
``ecdf``, six anchors (bell, triangle, trapezoid, valley) and the indirect method.

``reference/r_calibrate_forms.json`` holds the memberships computed by R 4.2.2 running QCA's
own ``calibrate()`` (see ``reference/README.md``); the other tests are worked by hand.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from assessment.qca import AnchorError, ParameterError, calibrate

from .conftest import read_dataset

REFERENCE = json.loads((Path(__file__).parent / "reference" / "r_calibrate_forms.json").read_text(encoding="utf-8"))
DATA = {"LR": read_dataset("LR")[1], "CVR": read_dataset("CVR")[1]}


def _random_raw():
    import csv

    with (Path(__file__).parent / "reference" / "random_raw.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {k: [float(r[k]) for r in rows] for k in rows[0] if k != "case"}


DATA["RR"] = _random_raw()


@pytest.mark.parametrize("entry", REFERENCE, ids=[e["id"] for e in REFERENCE])
def test_calibration_forms_match_r_qca(entry):
    x = entry["x"] if "x" in entry else DATA[entry["data"]][entry["column"]]
    kwargs = {k: entry[k] for k in ("logistic", "ecdf", "below", "above", "method") if k in entry}
    fs = calibrate(x, thresholds=entry["thresholds"], **kwargs)
    # The indirect method rounds its fitted logit to 6 places, as QCA does; a fitted value that falls within
    # float noise of a rounding boundary (0.48459550 in "RR C indirect") may round either way depending on the
    # machine's LAPACK, so there the answer may differ by one unit in the 6th place — never more.
    tolerance = 1e-6 + 1e-12 if entry.get("method") == "indirect" else 1e-9
    assert fs == pytest.approx(entry["fs"], abs=tolerance)


def test_the_r_reference_covers_every_form():
    kinds = {e["id"].split()[2] if len(e["id"].split()) > 2 else e["id"] for e in REFERENCE}
    assert {"lin", "lindec", "trap", "bell", "valley", "ecdf", "ecdfdec", "indirect"} <= kinds


def test_linear_calibration_by_hand():
    # e = 10, c = 20, i = 30: a straight line from 0 at 10 through 0.5 at 20 to 1 at 30
    fs = calibrate([5, 10, 15, 20, 25, 30, 35], 10, 20, 30, logistic=False)
    assert fs.tolist() == pytest.approx([0, 0, 0.25, 0.5, 0.75, 1, 1])
    # decreasing set: the mirror image
    fs = calibrate([5, 15, 25, 35], 30, 20, 10, logistic=False)
    assert fs.tolist() == pytest.approx([1, 0.75, 0.25, 0])


def test_below_and_above_bend_the_two_halves():
    # below = 2: ((10 - 15) / (10 - 20))^2 / 2 = 0.125; above = 0.5: 1 - sqrt(0.5) / 2
    fs = calibrate([15, 25], thresholds="e=10, c=20, i=30", logistic=False, below=2, above=0.5)
    assert fs.tolist() == pytest.approx([0.125, 1 - 0.5**0.5 / 2])
    with pytest.raises(ParameterError, match="below"):
        calibrate([15], 10, 20, 30, logistic=False, below=0)


def test_ecdf_uses_the_distribution_between_the_anchors():
    # values inside [0, 10]: 1, 2, 5, 6, 8 → F(5) = 3/5 at the crossover
    x = [-3, 1, 2, 5, 6, 8, 12]
    fs = calibrate(x, 0, 5, 10, logistic=False, ecdf=True)
    # F(1) = 1/5 → (1/5) / (3/5) / 2 = 1/6; F(6) = 4/5 → 1 - (1/5) / (2/5) / 2 = 0.75
    assert fs.tolist() == pytest.approx([0, 1 / 6, 1 / 3, 0.5, 0.75, 1, 1])
    with pytest.raises(ParameterError, match="ecdf"):
        calibrate(x, 0, 5, 10, ecdf=True)


def test_triangle_trapezoid_and_valley_by_hand():
    x = [150, 160, 165, 170, 175, 178, 180, 190, 200]
    triangle = calibrate(x, thresholds="e1=155, c1=165, i1=175, i2=175, c2=185, e2=195")
    assert triangle.tolist() == pytest.approx([0, 0.25, 0.5, 0.75, 1, 0.85, 0.75, 0.25, 0])
    trapezoid = calibrate(x, thresholds=[155, 165, 175, 180, 185, 195])
    assert trapezoid.tolist() == pytest.approx([0, 0.25, 0.5, 0.75, 1, 1, 1, 0.25, 0])
    # named anchors in any order; the valley is 1 at both ends and 0 in the middle
    valley = calibrate(x, thresholds={"i1": 155, "c1": 165, "e1": 175, "e2": 175, "c2": 185, "i2": 195})
    assert valley.tolist() == pytest.approx(1 - triangle)
    with pytest.raises(AnchorError, match="六个锚点的顺序不对"):
        calibrate(x, thresholds=[155, 175, 165, 175, 185, 195])


def test_indirect_method_orders_classes_then_fits_a_fractional_logit():
    # the classes: ≤ 1 → 0, ≤ 2 → 0.5, > 2 → 1, then the fitted curve is increasing
    x = [0.5, 0.8, 1.2, 1.5, 1.8, 2.5, 3.0, 4.0]
    fs = calibrate(x, method="indirect", thresholds=[1, 2])
    assert np.all(np.diff(fs) >= 0)
    assert fs[0] < 0.5 < fs[-1]
    with pytest.raises(ParameterError, match="负数"):
        calibrate([-1, 2, 3], method="indirect", thresholds=[1, 2])


def test_bad_calibration_parameters_are_refused_in_chinese():
    with pytest.raises(AnchorError, match="3 个或 6 个锚点"):
        calibrate([1, 2], thresholds=[1, 2, 3, 4])
    with pytest.raises(AnchorError, match="锚点名称"):
        calibrate([1, 2], thresholds="a=1, b=2, c=3")
    with pytest.raises(ParameterError, match="method"):
        calibrate([1, 2], 1, 2, 3, method="TFR")
    with pytest.raises(ParameterError, match="只用一种方式"):
        calibrate([1, 2], 1, 2, 3, thresholds=[1, 2, 3])
