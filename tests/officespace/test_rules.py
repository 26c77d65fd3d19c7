"""The 2014 standard as seeded, per class and grade, and the rank mapping (incl. 职级-only ranks)."""

from decimal import Decimal

import pytest

from datahub.rules import PostLevel, Rank
from officespace import rules, selectors

P, C = rules.AdminClass, rules.Grade


@pytest.mark.parametrize(
    ("admin_class", "expected"),
    [
        (P.CENTRAL, {"111": 54, "112": 42, "121": 24, "122": 18, "131": 12, "132": 12, "141": 9, "150": 9}),
        (P.PROVINCIAL, {"111": 54, "112": 42, "121": 30, "122": 24, "131": 18, "132": 12, "141": 9, "150": 9}),
        (P.MUNICIPAL, {"121": 42, "122": 30, "131": 24, "132": 18, "141": 9, "150": 9}),
        (P.COUNTY, {"131": 30, "132": 24, "141": 18, "142": 12, "150": 9}),
    ],
)
def test_seeded_standard_for_each_level_and_rank(db, admin_class, expected):
    table = selectors.current_standards()
    for grade, area in expected.items():
        assert table[(admin_class, grade)] == Decimal(area), (admin_class, grade)


def test_every_class_has_a_row_for_every_grade(db):
    table = selectors.current_standards()
    assert len(table) == len(P.values) * len(C.values)


def test_township_standard_never_above_county_deputy(db):
    table = selectors.current_standards()
    assert max(table[(P.TOWNSHIP, g)] for g in C.values) <= rules.TOWNSHIP_CAP


def test_a_rank_without_the_matching_post_does_not_raise_the_standard_by_default(db):
    mapping = selectors.rank_mapping()
    # A 科员 who holds the rank 二级调研员 stays at the 科员 row: the standard is keyed to the 职务.
    assert rules.grade_for(PostLevel.CLERK, Rank.RESEARCHER_2, mapping, rank_counts=False) == (
        "150",
        False,
        "post_level",
    )
    # A 处长 keeps the post's grade, and is a leader.
    got = rules.grade_for(PostLevel.DIVISION_PRINCIPAL, Rank.PRINCIPAL_STAFF_1, mapping, rank_counts=False)
    assert got == ("131", True, "post_level")
    assert rules.grade_for(PostLevel.UNDETERMINED, "", mapping, rank_counts=False) == ("150", False, "post_level")


def test_where_the_province_decided_so_the_rank_raises_the_standard_and_says_so(db):
    mapping = selectors.rank_mapping()
    # Treated as 县处级正职 (参照), not a leader, and the basis names the 职级.
    assert rules.grade_for(PostLevel.CLERK, Rank.RESEARCHER_2, mapping, rank_counts=True) == ("131", False, "rank")
    # A lower rank never lowers the post's grade; the basis stays the post.
    got = rules.grade_for(PostLevel.DIVISION_PRINCIPAL, Rank.PRINCIPAL_STAFF_1, mapping, rank_counts=True)
    assert got == ("131", True, "post_level")


def test_class_from_region_code():
    assert rules.class_from_region_code("330000") == P.PROVINCIAL
    assert rules.class_from_region_code("330100") == P.MUNICIPAL
    assert rules.class_from_region_code("330106") == P.COUNTY


def test_shares_single_shared_and_mixed_rooms():
    # One person in 20 m² against 18: 2 over.
    assert rules.shares(Decimal(20), [Decimal(18)])[1][0].excess == Decimal("2.00")
    # Two 科员 in 16 m² (9 each): within.
    assert rules.shares(Decimal(16), [Decimal(9)] * 2)[0] == 0
    # Mixed ranks: 18 + 9 = 27 against 36 → 9 over, split 6 / 3 by standard; each share is 18.
    excess, split = rules.shares(Decimal(36), [Decimal(18), Decimal(9)])
    assert excess == Decimal(9)
    assert [s.excess for s in split] == [Decimal("6.00"), Decimal("3.00")]
    assert {s.share for s in split} == {Decimal("18.00")}
