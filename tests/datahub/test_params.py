"""Query and form values that would make int(), the ORM or date arithmetic raise are treated as absent."""

from datetime import date

from datahub.params import as_date, as_id, as_int


def test_an_id_that_is_not_plain_digits_matches_nothing():
    assert as_id("42") == 42
    for garbage in ("", None, "abc", "1e5", "²", "-1", "4 2", "9" * 40):
        assert as_id(garbage) == 0


def test_a_number_outside_its_range_is_absent():
    assert as_int("2025", 1900, 2100) == 2025
    assert as_int("1899", 1900, 2100) is None
    assert as_int("²", 1900, 2100) is None
    assert as_int(7, 0, 10) == 7


def test_an_impossible_or_extreme_day_is_absent():
    assert as_date("2026-02-28") == date(2026, 2, 28)
    for garbage in ("2026-02-30", "0001-01-01", "9999-12-31", "yesterday", "", None):
        assert as_date(garbage) is None
