"""Naming configurational paths by their core conditions, as the study does (REFERENCE §6.1).

Hand-made solutions: each term is ``(expression, literals, core codes)``; the core codes are
what the parsimonious solution keeps of the term.
"""

import pytest

from assessment import rules


def _lits(*codes):
    return [(c.lstrip("~"), 0 if c.startswith("~") else 1) for c in codes]


def _term(core, *codes):
    return ("*".join(codes), _lits(*codes), set(core))


def test_technology_pair_as_core_is_technology_driven():
    (a,) = rules.name_paths([_term({"T1", "T2"}, "T1", "T2", "O2")])
    assert (a.name, a.kind, a.variant) == ("技术驱动型", "technology", "1")


def test_vertical_pressure_as_core_with_peripheral_platform_and_attention_is_pressure_driven():
    # the study's path 2: core E1, T2 and O1 peripheral (山西)
    (a,) = rules.name_paths([_term({"E1"}, "T2", "O1", "E1")])
    assert (a.name, a.kind) == ("压力驱动型", "pressure")


def test_technology_pair_and_pressure_as_core_is_synergy():
    # the study's path 3: core T1, T2, E1; O1 and O2 peripheral (北京, 浙江)
    (a,) = rules.name_paths([_term({"T1", "T2", "E1"}, "T1", "T2", "O1", "O2", "E1")])
    assert (a.name, a.kind) == ("协同共生型", "synergy")


def test_a_term_matching_no_rule_is_named_other():
    (a,) = rules.name_paths([_term({"O1"}, "O1", "O2")])
    assert (a.name, a.kind) == ("其他组态", "other")
    # the technology pair absent (⊗) is not the technology path
    (b,) = rules.name_paths([_term({"T1", "T2"}, "~T1", "~T2", "O1")])
    assert b.kind == "other"


def test_pressure_with_only_one_technology_condition_in_the_core_is_still_pressure_driven():
    (a,) = rules.name_paths([_term({"E1", "T1"}, "T1", "O1", "E1")])
    assert a.kind == "pressure"


def test_terms_sharing_a_core_are_one_path_with_variants():
    # the study's configuration table: 1a, 1b share the technology core; 2 and 3 are single
    solution = [
        _term({"T1", "T2"}, "T1", "T2", "O2"),
        _term({"E1"}, "T2", "O1", "E1"),
        _term({"T1", "T2"}, "T1", "T2", "O1", "E2"),
        _term({"T1", "T2", "E1"}, "T1", "T2", "O1", "O2", "E1"),
    ]
    got = [(a.path, a.variant, a.name) for a in rules.name_paths(solution)]
    assert got == [
        (1, "1a", "技术驱动型"),
        (2, "2", "压力驱动型"),
        (1, "1b", "技术驱动型"),
        (3, "3", "协同共生型"),
    ]


def test_two_different_cores_of_one_kind_are_numbered():
    solution = [_term({"T1", "T2"}, "T1", "T2", "O1"), _term({"T1", "T2", "O2"}, "T1", "T2", "O2")]
    assert [a.name for a in rules.name_paths(solution)] == ["技术驱动型Ⅰ", "技术驱动型Ⅱ"]


def test_rules_are_data_tried_in_order():
    assert [r.kind for r in rules.PATH_RULES] == ["synergy", "technology", "pressure"]
    assert rules.path_rule(frozenset({"T1", "T2", "E2"})).name == "协同共生型"
    assert rules.path_rule(frozenset()).name == "其他组态"


def test_intergovernmental_pressure_is_the_mean_of_the_neighbours_outcome():
    # a hand-made map: A–B, A–C, B–C, C–D; D also borders X, which is not in the sample
    adjacency = {"A": ("B", "C"), "B": ("A", "C"), "C": ("A", "B", "D"), "D": ("C", "X"), "X": ("D",)}
    outcome = {"A": 80.0, "B": 60.0, "C": 40.0, "D": 10.0}
    assert rules.neighbour_mean(outcome, adjacency) == {
        "A": (60 + 40) / 2,
        "B": (80 + 40) / 2,
        "C": (80 + 60 + 10) / 3,
        "D": 40.0,  # X is outside the sample
    }
    # an island with no neighbour in the sample has no value
    assert rules.neighbour_mean({"A": 1.0, "Z": 2.0}, adjacency)["Z"] is None


def test_the_study_measures_intergovernmental_pressure_on_the_outcome():
    assert rules.ADJACENT_BASIS["E2"] == "Y"


def test_on_time_share_and_mean_rating_by_hand():
    assert rules.on_time_share([(1, 2), (3, 2), (4, None), (2, 2)]) == 75.0  # closing at the limit is on time
    assert rules.on_time_share([]) is None
    assert rules.mean_rating([5, None, 2, 4]) == pytest.approx(11 / 3)
    assert rules.mean_rating([None]) is None
