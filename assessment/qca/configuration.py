"""Core and peripheral conditions, and the Ragin–Fiss configuration table as data.

Following Fiss (2011), a condition of an intermediate (or conservative) term is *core* when
it also appears in a parsimonious term contained in it (the parsimonious term's literals
are a subset of the term's), and *peripheral* otherwise. In the table (the study's notation),
a core condition present is ●, a peripheral one •, an absent condition ⊗ (drawn large when
core, small when peripheral); a blank cell means the condition does not matter.
"""

from __future__ import annotations

from .minimize import MinimizeResult, Model, Term

PRESENT = "●"
PERIPHERAL_PRESENT = "•"
ABSENT = "⊗"


def core_literals(term: Term, parsimonious_terms) -> set[str]:
    """The conditions of ``term`` that are core: in a parsimonious term inside ``term``."""
    core: set[str] = set()
    mine = set(term.literals)
    for p in parsimonious_terms:
        lits = set(p.literals)
        if lits and lits <= mine:
            core.update(name for name, _ in lits)
    return core


def _pick(result: MinimizeResult, which: str) -> tuple[Model, Model | None]:
    if which == "intermediate" and result.intermediate:
        sol = result.intermediate[0]
        pars = result.parsimonious.models[sol.parsimonious_model or 0] if result.parsimonious else None
        return sol.models[0], pars
    if which in ("intermediate", "conservative"):
        pars = result.parsimonious.models[0] if result.parsimonious else None
        return result.conservative.models[0], pars
    if which == "parsimonious" and result.parsimonious:
        return result.parsimonious.models[0], result.parsimonious.models[0]
    raise ValueError(f"没有可用于构型表的“{which}”解。")


def configuration_table(result: MinimizeResult, which: str = "intermediate", model: Model | None = None) -> dict:
    """The configuration table of one model (by default the first intermediate model; the
    conservative one when no expectations were given).

    Returns ``{"conditions": [...], "configurations": [{"name", "expression", "cells",
    "consistency", "raw_coverage", "unique_coverage", "cases"}], "solution_consistency",
    "solution_coverage"}`` where ``cells[condition]`` is ``None`` (does not matter) or
    ``{"present": bool, "core": bool, "symbol": "●" | "•" | "⊗", "size": "large" | "small"}``.
    """
    chosen, pars = _pick(result, which)
    model = model or chosen
    pars_terms = pars.terms if pars is not None else ()
    configurations = []
    for i, term in enumerate(model.terms):
        core = core_literals(term, pars_terms)
        cells: dict[str, dict | None] = dict.fromkeys(result.table.conditions)
        for name, value in term.literals:
            is_core = name in core
            cells[name] = {
                "present": bool(value),
                "core": is_core,
                "symbol": (PRESENT if is_core else PERIPHERAL_PRESENT) if value else ABSENT,
                "size": "large" if is_core else "small",
            }
        configurations.append(
            {
                "name": str(i + 1),
                "expression": term.expression,
                "cells": cells,
                "consistency": term.inclS,
                "raw_coverage": term.covS,
                "unique_coverage": term.covU,
                "cases": [list(c) for c in term.cases],
            }
        )
    return {
        "outcome": result.table.outcome,
        "conditions": list(result.table.conditions),
        "model": model.expression,
        "configurations": configurations,
        "solution_consistency": model.consistency,
        "solution_coverage": model.coverage,
    }
