"""The configuration table in the study's notation, from a hand-made stored result (no database)."""

from assessment import tables


def _cell(present, core):
    return {"present": present, "core": core}


RESULT = {
    "outcome": "Y",
    "conditions": ["T1", "E1"],
    "names": {"T1": "数字政府发展水平", "E1": "纵向垂直压力"},
    "paths": [
        {"name": "技术驱动型", "label": "技术驱动型（1a）", "variant": "1a"},
        {"name": "技术驱动型", "label": "技术驱动型（1b）", "variant": "1b"},
    ],
    "configuration": {
        "conditions": ["T1", "E1"],
        "configurations": [
            {
                "expression": "T1*E1",
                "cells": {"T1": _cell(True, True), "E1": _cell(True, False)},
                "consistency": 0.91,
                "raw_coverage": 0.5,
                "unique_coverage": 0.2,
            },
            {
                "expression": "T1*~E1",
                "cells": {"T1": _cell(True, True), "E1": _cell(False, False)},
                "consistency": 0.88,
                "raw_coverage": 0.4,
                "unique_coverage": 0.1,
            },
        ],
        "solution_consistency": 0.9,
        "solution_coverage": 0.6,
    },
}


def test_core_present_peripheral_present_absent_and_blank():
    assert tables.symbol({"present": True, "core": True}) == "●"
    assert tables.symbol({"present": True, "core": False}) == "•"
    assert tables.symbol({"present": False, "core": True}) == "⊗"
    assert tables.symbol(None) == ""


def test_configuration_table_columns_are_paths_with_variants_and_fit():
    table = tables.configuration(RESULT)
    assert [c["label"] for c in table["columns"]] == ["技术驱动型（1a）", "技术驱动型（1b）"]
    t1, e1 = table["rows"]
    assert [c["symbol"] for c in t1["cells"]] == ["●", "●"]
    assert [c["symbol"] for c in e1["cells"]] == ["•", "⊗"]
    assert dict(table["fit"])["唯一覆盖度"] == [0.2, 0.1]
    assert table["solution"] == {"consistency": 0.9, "coverage": 0.6}
