"""Directional expectations of the intermediate solution and QCA's rule for its easy
counterfactuals (see :mod:`assessment.qca.minimize`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .errors import DataError, gettext_noop
from .implicants import from_code


def parse_directional_expectations(spec, conditions: Sequence[str]) -> tuple[int, ...]:
    """Directional expectations → per condition 2 (present contributes to the outcome),
    1 (absence contributes) or 0 (no expectation).

    Accepted: a mapping ``{"DEV": 1, "IND": 0, "LIT": "-"}``; a list of names, ``~`` for an
    expected absence (``["DEV", "URB", "~IND"]``) or one string ``"DEV, URB, ~IND"``; or a
    list with one entry per condition of ``1`` / ``0`` / ``"-"`` (QCA's older form).
    Conditions not mentioned have no expectation.
    """
    conditions = list(conditions)
    out = [0] * len(conditions)

    def set_(name: str, value) -> None:
        name = str(name).strip()
        if name not in conditions:
            raise DataError(
                gettext_noop("方向预期中的“%(name)s”不是所选的条件之一（条件：%(conditions)s）。"),
                name=name,
                conditions="、".join(conditions),
            )
        if value in (None, "-", "", "dc"):
            v = 0
        elif value in (1, "1", True, 2):
            v = 2
        elif value in (0, "0", False):
            v = 1
        else:
            raise DataError(
                gettext_noop(
                    "条件“%(name)s”的方向预期“%(value)s”无法识别：请用 1（存在有利于结果）、0（缺失有利于结果）或 -（无预期）。"
                ),
                name=name,
                value=value,
            )
        j = conditions.index(name)
        if out[j] and v and out[j] != v:
            raise DataError(gettext_noop("条件“%(name)s”的方向预期相互矛盾（既预期存在又预期缺失）。"), name=name)
        out[j] = v or out[j]

    if isinstance(spec, Mapping):
        for name, value in spec.items():
            set_(name, value)
        return tuple(out)
    items = _expectation_items(spec)
    if len(items) == len(conditions) and all(str(s).strip() in ("1", "0", "-") or s in (0, 1) for s in items):
        for name, value in zip(conditions, items, strict=True):
            set_(name, value if not isinstance(value, str) else value.strip())
        return tuple(out)
    for item in items:
        text = str(item).strip()
        if "*" in text:
            continue  # a conjunctural expectation: see conjunctural_expectations()
        if text.startswith("~"):
            set_(text[1:], 0)
        else:
            set_(text, 1)
    return tuple(out)


def _expectation_items(spec) -> list:
    if isinstance(spec, str):
        spec = [s for s in spec.replace(";", ",").split(",") if s.strip()]
    return list(spec)


def conjunctural_expectations(spec, conditions: Sequence[str]) -> tuple[tuple[int, ...], ...]:
    """The conjunctural directional expectations in ``spec`` (``"DEV, STB, ~LIT*IND"`` has
    one, ``~LIT*IND``), each as a code per condition: 2 present, 1 absent, 0 not in it."""
    if spec is None or isinstance(spec, Mapping):
        return ()
    conditions = list(conditions)
    out = []
    for item in _expectation_items(spec):
        text = str(item).strip()
        if "*" not in text:
            continue
        code = [0] * len(conditions)
        for literal in (p.strip() for p in text.split("*")):
            name = literal[1:].strip() if literal.startswith("~") else literal
            if name not in conditions:
                raise DataError(
                    gettext_noop("方向预期中的“%(name)s”不是所选的条件之一（条件：%(conditions)s）。"),
                    name=name,
                    conditions="、".join(conditions),
                )
            code[conditions.index(name)] = 1 if literal.startswith("~") else 2
        out.append(tuple(code))
    return tuple(out)


def _easy_counterfactuals(
    dem: Sequence[int], c_codes, p_codes, sa_rows: Sequence[int], k: int, conjunctural=()
) -> list[int]:
    """QCA's rule for the easy counterfactuals of one (conservative, parsimonious) model pair.

    For each conservative term inside a parsimonious term, the literals the parsimonious term
    dropped are tested against the expectations: a literal is removed when its condition has
    a single expectation that it contradicts. With conjunctural expectations QCA tests the
    dropped literals against each of them in turn, starting again from the conservative term
    each time, so the last conjunctural expectation decides (literals removed when the
    dropped literals it names do not all agree with it). The remainders inside the resulting
    terms are the easy counterfactuals."""
    ec: set[int] = set()
    sa = np.asarray(sa_rows, dtype=np.int64)
    for comp in c_codes:
        for pars in p_codes:
            if any(p and p != c for p, c in zip(pars, comp, strict=True)):
                continue  # the conservative term is not inside this parsimonious term
            dropped = [bool(comp[j]) and not pars[j] for j in range(k)]
            res = list(comp)
            for j in range(k):
                if dropped[j] and dem[j] and dem[j] != comp[j]:
                    res[j] = 0
            for row in conjunctural:
                res = list(comp)
                if not all(row[j] == comp[j] for j in range(k) if dropped[j] and row[j]):
                    for j in range(k):
                        if dropped[j] and row[j]:
                            res[j] = 0
            mask, value = from_code(res)
            ec.update(sa[(sa & mask) == value].tolist())
    return sorted(ec)
