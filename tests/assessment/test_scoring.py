"""The composite maturity index, on a hand-computed example.

Values (T1 +, weight 0.5; O1 −, weight 0.3; E1 +, weight 0.2):

    unit  T1  O1  E1    n(T1) n(O1) n(E1)   index = 100·Σ w·n
    甲    10   5  100    0     0     0.5     10
    乙    20   1  100    0.5   1     0.5     65
    丙    30   3  100    1     0.5   0.5     75

E1 is the same everywhere, so every case gets 0.5 on it.
"""

from decimal import Decimal

import pytest

from assessment import rules, services
from assessment.models import Score


def score(unit):
    return Score.objects.get(org_unit=unit)


def test_composite_index_is_the_weighted_min_max_normalised_sum(entered, bureau):
    result = services.score_round(actor=bureau, round_=entered.round)
    assert result.scored == 3 and result.incomplete == []
    assert score(entered.a).index == Decimal("10.00")
    assert score(entered.b).index == Decimal("65.00")
    assert score(entered.c).index == Decimal("75.00")


def test_negative_indicator_rewards_the_lowest_value(entered, bureau):
    services.score_round(actor=bureau, round_=entered.round)
    # O1 is negative: 乙 (1) is best, 甲 (5) worst.
    assert score(entered.b).score_o == Decimal("100.00")
    assert score(entered.a).score_o == Decimal("0.00")
    assert score(entered.c).score_o == Decimal("50.00")


def test_levels_follow_the_thresholds(entered, bureau):
    services.score_round(actor=bureau, round_=entered.round)
    assert (score(entered.a).level, score(entered.a).level_name) == (1, "起步级")
    assert (score(entered.b).level, score(entered.b).level_name) == (3, "集成级")
    assert (score(entered.c).level, score(entered.c).level_name) == (4, "优化级")


def test_rank_is_by_index(entered, bureau):
    services.score_round(actor=bureau, round_=entered.round)
    assert [s.org_unit.code for s in Score.objects.order_by("rank")] == ["C", "B", "A"]


def test_weakest_dimension_gets_its_recommendation(entered, bureau):
    services.score_round(actor=bureau, round_=entered.round)
    c = score(entered.c)  # T 100, O 50, E 50
    assert (c.strongest, c.weakest) == ("T", "O")
    assert c.recommendation == rules.RECOMMENDATIONS["O"]
    a = score(entered.a)  # T 0, O 0, E 50: a tie for weakest goes to T
    assert (a.strongest, a.weakest) == ("E", "T")
    assert a.recommendation == rules.RECOMMENDATIONS["T"]


def test_outcome_indicator_is_not_part_of_the_index(entered, bureau):
    services.enter_values(
        actor=bureau, round_=entered.round, unit=entered.a, values={"T1": "10", "O1": "5", "E1": "100", "Y": "99"}
    )
    services.score_round(actor=bureau, round_=entered.round)
    assert score(entered.a).index == Decimal("10.00")


def test_a_case_without_every_value_is_listed_as_incomplete(round_, bureau):
    for unit, t in ((round_.a, "10"), (round_.b, "20")):
        services.enter_values(
            actor=bureau, round_=round_.round, unit=unit, values={"T1": t, "O1": "1", "E1": "1", "Y": "1"}
        )
    result = services.score_round(actor=bureau, round_=round_.round)
    assert result.scored == 2
    assert result.incomplete == ["丙厅"]


def test_rescoring_is_idempotent(entered, bureau):
    services.score_round(actor=bureau, round_=entered.round)
    services.score_round(actor=bureau, round_=entered.round)
    assert Score.objects.count() == 3


@pytest.mark.parametrize(
    ("index", "level"),
    [(0, 1), (39.99, 1), (40, 2), (55, 3), (69.99, 3), (70, 4), (85, 5), (100, 5)],
)
def test_level_thresholds(index, level):
    assert rules.level_for(index).number == level


def test_level_thresholds_can_be_configured(settings):
    settings.ASSESSMENT_LEVELS = [(1, "低", 0), (2, "中", 50), (3, "高", 90)]
    assert rules.level_for(60).name == "中"
    rules.check_levels(rules.levels())


def test_level_table_must_rise():
    with pytest.raises(ValueError, match="严格递增"):
        rules.check_levels((rules.Level(1, "a", 0), rules.Level(2, "b", 0)))


def test_equal_values_normalise_to_one_half():
    assert rules.normalise({1: 3, 2: 3}, 1) == {1: 0.5, 2: 0.5}
