"""The tables of a stored analysis (``Analysis.result``), as plain rows: one definition for the
analysis page and for its Excel export, so both always show the same figures.

The configuration table uses the study's notation (Ragin & Fiss): ● core condition present,
• peripheral condition present, ⊗ condition absent (large when core, small when peripheral),
blank when the condition does not matter. One column per term of the solution, headed by its
path and variant (1a, 1b … when terms share a core), with consistency, raw and unique coverage
per column and the solution's consistency and coverage below.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CORE_PRESENT = "●"
PERIPHERAL_PRESENT = "•"
ABSENT = "⊗"
LEGEND = gettext_lazy(
    "● 核心条件出现，• 边缘条件出现，⊗ 条件不出现（大号为核心条件、小号为边缘条件），空白表示该条件无关紧要。"
)


def symbol(cell: dict | None) -> str:
    """The study's symbol of one cell of the configuration table ('' when it does not matter)."""
    if not cell:
        return ""
    if cell.get("present"):
        return CORE_PRESENT if cell.get("core") else PERIPHERAL_PRESENT
    return ABSENT


def configuration(result: dict) -> dict:
    """``{"columns": [...], "rows": [{"condition", "name", "cells": [{"symbol", "core"}|None]}],
    "fit": [(label, [values])], "solution": {"consistency", "coverage"}}``."""
    config = result.get("configuration", {})
    names = result.get("names", {})
    paths = result.get("paths", [])
    configurations = config.get("configurations", [])
    columns = []
    for i, conf in enumerate(configurations):
        p = paths[i] if i < len(paths) else {}
        columns.append(
            {
                "label": p.get("label", p.get("name", conf.get("name", ""))),
                "path": p.get("name", ""),
                "variant": p.get("variant", str(i + 1)),
                "expression": conf.get("expression", ""),
            }
        )
    rows = []
    for c in config.get("conditions", []):
        cells = []
        for conf in configurations:
            cell = conf["cells"].get(c)
            cells.append(None if not cell else {"symbol": symbol(cell), "core": bool(cell.get("core"))})
        rows.append({"condition": c, "name": names.get(c, ""), "cells": cells})
    fit = [
        (_("一致性"), [conf.get("consistency") for conf in configurations]),
        (_("原始覆盖度"), [conf.get("raw_coverage") for conf in configurations]),
        (_("唯一覆盖度"), [conf.get("unique_coverage") for conf in configurations]),
    ]
    return {
        "columns": columns,
        "rows": rows,
        "fit": fit,
        "solution": {
            "consistency": config.get("solution_consistency", result.get("solution_consistency")),
            "coverage": config.get("solution_coverage", result.get("solution_coverage")),
        },
    }


def _r(value, places: int = 4):
    return None if value is None else round(float(value), places)


def sheets(result: dict) -> dict[str, list[list]]:
    """Every table of the analysis as sheets of rows (title → rows, the first row the header):
    calibration, necessity, truth table, the solutions, the configuration table, paths, cases."""
    names = result.get("names", {})
    codes = [result["outcome"].lstrip("~"), *result["conditions"]]
    paths = result.get("paths", [])
    labels = [p.get("label", p["name"]) for p in paths]
    out: dict[str, list[list]] = {}
    out[_("校准")] = [
        [_("变量"), _("名称"), _("完全不隶属"), _("交叉点"), _("完全隶属")],
        *([c, names.get(c, ""), *(_r(a) for a in result.get("anchors", {}).get(c, []))] for c in codes),
    ]
    out[_("必要性")] = [
        [_("条件"), _("一致性"), _("覆盖度"), "RoN", _("必要条件（≥0.9）")],
        *(
            [n["label"], _r(n["inclN"]), _r(n["covN"]), _r(n["RoN"]), _("是") if n["necessary"] else ""]
            for n in result.get("necessity", [])
        ),
    ]
    out[_("真值表")] = [
        ["#", *result["conditions"], "OUT", "n", _("一致性"), "PRI", _("案例")],
        *(
            [r["number"], *r["values"], r["out"], r["n"], _r(r["consistency"]), _r(r["pri"]), "、".join(r["cases"])]
            for r in result.get("truth_table", {}).get("rows", [])
        ),
    ]
    solutions = [[_("解"), _("模型"), _("项"), _("一致性"), "PRI", _("原始覆盖度"), _("唯一覆盖度"), _("案例")]]
    minimize = result.get("minimize", {})
    named = [(_("复杂解"), minimize.get("conservative")), (_("简约解"), minimize.get("parsimonious"))]
    named += [(_("中间解 %(get)s") % {"get": s.get("name", "")}, s) for s in minimize.get("intermediate", [])]
    for title, sol in named:
        if not sol:
            continue
        for m in sol.get("models", []):
            solutions.append([title, m["name"], m["expression"], _r(m["consistency"]), _r(m["pri"]), _r(m["coverage"])])
            for t in m.get("terms", []):
                cases = "；".join("、".join(c) for c in t.get("cases", []))
                solutions.append(
                    ["", "", t["expression"], _r(t["inclS"]), _r(t["PRI"]), _r(t["covS"]), _r(t["covU"]), cases]
                )
    out[_("解")] = solutions
    table = configuration(result)
    config_rows = [[_("条件"), _("名称"), *(c["label"] for c in table["columns"])]]
    for row in table["rows"]:
        config_rows.append([row["condition"], row["name"], *((cell or {}).get("symbol", "") for cell in row["cells"])])
    for label, values in table["fit"]:
        config_rows.append([label, "", *(_r(v) for v in values)])
    config_rows.append([_("解的一致性"), "", _r(table["solution"]["consistency"])])
    config_rows.append([_("解的覆盖度"), "", _r(table["solution"]["coverage"])])
    config_rows.append([LEGEND])
    out[_("组态表")] = config_rows
    out[_("路径")] = [
        [
            _("路径"),
            _("变体"),
            _("组态"),
            _("核心条件"),
            _("一致性"),
            _("原始覆盖度"),
            _("唯一覆盖度"),
            _("覆盖的案例"),
        ],
        *(
            [
                p["name"],
                p.get("variant", ""),
                p["expression"],
                "、".join(p.get("core", [])),
                _r(p["consistency"]),
                _r(p["raw_coverage"]),
                _r(p["unique_coverage"]),
                "、".join(p["cases"]),
            ]
            for p in paths
        ),
    ]
    out[_("案例")] = [
        [
            _("案例"),
            *(_("%(c)s（原始值）") % {"c": c} for c in codes),
            *(_("%(c)s（隶属度）") % {"c": c} for c in codes),
            *(_("%(n)s（隶属度）") % {"n": n} for n in labels),
            _("解的隶属度"),
            _("所属路径"),
        ],
        *(
            [
                case["name"],
                *(case["raw"][c] for c in codes),
                *(_r(case["calibrated"][c]) for c in codes),
                *(_r(case["memberships"].get(n)) for n in labels),
                _r(case["solution"]),
                "、".join(case["paths"]) or _("无"),
            ]
            for case in result.get("cases", [])
        ),
    ]
    return out
