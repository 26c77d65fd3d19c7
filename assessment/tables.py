"""The tables of a stored analysis (``Analysis.result``), as plain rows: one definition for the
analysis page and for its Excel export, so both always show the same figures.

The configuration table uses the study's notation (Ragin & Fiss): ● core condition present,
• peripheral condition present, ⊗ condition absent (large when core, small when peripheral),
blank when the condition does not matter. One column per term of the solution, headed by its
path and variant (1a, 1b … when terms share a core), with consistency, raw and unique coverage
per column and the solution's consistency and coverage below.
"""

from __future__ import annotations

CORE_PRESENT = "●"
PERIPHERAL_PRESENT = "•"
ABSENT = "⊗"
LEGEND = "● 核心条件出现，• 边缘条件出现，⊗ 条件不出现（大号为核心条件、小号为边缘条件），空白表示该条件无关紧要。"


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
        ("一致性", [conf.get("consistency") for conf in configurations]),
        ("原始覆盖度", [conf.get("raw_coverage") for conf in configurations]),
        ("唯一覆盖度", [conf.get("unique_coverage") for conf in configurations]),
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
    out["校准"] = [
        ["变量", "名称", "完全不隶属", "交叉点", "完全隶属"],
        *([c, names.get(c, ""), *(_r(a) for a in result.get("anchors", {}).get(c, []))] for c in codes),
    ]
    out["必要性"] = [
        ["条件", "一致性", "覆盖度", "RoN", "必要条件（≥0.9）"],
        *(
            [n["label"], _r(n["inclN"]), _r(n["covN"]), _r(n["RoN"]), "是" if n["necessary"] else ""]
            for n in result.get("necessity", [])
        ),
    ]
    out["真值表"] = [
        ["#", *result["conditions"], "OUT", "n", "一致性", "PRI", "案例"],
        *(
            [r["number"], *r["values"], r["out"], r["n"], _r(r["consistency"]), _r(r["pri"]), "、".join(r["cases"])]
            for r in result.get("truth_table", {}).get("rows", [])
        ),
    ]
    solutions = [["解", "模型", "项", "一致性", "PRI", "原始覆盖度", "唯一覆盖度", "案例"]]
    minimize = result.get("minimize", {})
    named = [("复杂解", minimize.get("conservative")), ("简约解", minimize.get("parsimonious"))]
    named += [(f"中间解 {s.get('name', '')}", s) for s in minimize.get("intermediate", [])]
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
    out["解"] = solutions
    table = configuration(result)
    config_rows = [["条件", "名称", *(c["label"] for c in table["columns"])]]
    for row in table["rows"]:
        config_rows.append([row["condition"], row["name"], *((cell or {}).get("symbol", "") for cell in row["cells"])])
    for label, values in table["fit"]:
        config_rows.append([label, "", *(_r(v) for v in values)])
    config_rows.append(["解的一致性", "", _r(table["solution"]["consistency"])])
    config_rows.append(["解的覆盖度", "", _r(table["solution"]["coverage"])])
    config_rows.append([LEGEND])
    out["组态表"] = config_rows
    out["路径"] = [
        ["路径", "变体", "组态", "核心条件", "一致性", "原始覆盖度", "唯一覆盖度", "覆盖的案例"],
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
    out["案例"] = [
        [
            "案例",
            *(f"{c}（原始值）" for c in codes),
            *(f"{c}（隶属度）" for c in codes),
            *(f"{n}（隶属度）" for n in labels),
            "解的隶属度",
            "所属路径",
        ],
        *(
            [
                case["name"],
                *(case["raw"][c] for c in codes),
                *(_r(case["calibrated"][c]) for c in codes),
                *(_r(case["memberships"].get(n)) for n in labels),
                _r(case["solution"]),
                "、".join(case["paths"]) or "无",
            ]
            for case in result.get("cases", [])
        ),
    ]
    return out
