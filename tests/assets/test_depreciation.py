"""Depreciation (政府会计准则第3号 and its 应用指南, 财会〔2017〕4号): straight-line, monthly, zero
residual; "当月增加的固定资产，当月开始计提折旧；当月减少的固定资产，当月不再计提折旧" — the booking
month is the first month, the disposal month is not depreciated; stopped when fully depreciated;
rounded per month so the months sum to the original value."""

from datetime import date
from decimal import Decimal

import pytest

from assets import rules, services
from assets.models import Asset, DepreciationEntry, DepreciationRun
from assets.rules import add_months
from assets.tasks import post_monthly_depreciation

from .factories import card

pytestmark = pytest.mark.django_db


def entries(asset):
    return list(DepreciationEntry.objects.filter(asset=asset).order_by("month").values_list("month", "amount"))


def test_first_month_is_the_booking_month_on_a_hand_computed_card(admins, tree, cats):
    # A 7,200元 desktop PC, minimum life 6 years = 72 months, booked on 15 January 2026:
    # 7,200 ÷ 72 = 100.00元 a month, January 2026 the first month (当月增加当月提).
    pc = card(admins.a, tree.a, cats["A02010105"], original_value=Decimal("7200"))
    assert pc.next_depreciation_month == date(2026, 1, 1)
    services.post_depreciation(month=date(2025, 12, 1))
    assert entries(pc) == []
    services.post_depreciation(month=date(2026, 1, 1))
    assert entries(pc) == [(date(2026, 1, 1), Decimal("100.00"))]
    services.post_depreciation(month=date(2026, 2, 1))
    assert entries(pc) == [(date(2026, 1, 1), Decimal("100.00")), (date(2026, 2, 1), Decimal("100.00"))]
    pc.refresh_from_db()
    assert pc.accumulated_depreciation == Decimal("200.00") and pc.net_book_value == Decimal("7000.00")
    assert pc.next_depreciation_month == date(2026, 3, 1)


def test_first_month_is_the_acquisition_month_not_the_booking_month_on_a_hand_computed_card(admins, tree, cats):
    # A 7,200元 desktop acquired on 20 October 2025 and booked here on 15 January 2026: 7,200 ÷ 72 = 100.00元
    # a month from October 2025 (取得当月起提, REFERENCE §4.2); the January run catches up October–January.
    pc = card(
        admins.a,
        tree.a,
        cats["A02010105"],
        original_value=Decimal("7200"),
        acquired_on=date(2025, 10, 20),
        booked_on=date(2026, 1, 15),
    )
    assert pc.next_depreciation_month == date(2025, 10, 1)
    services.post_depreciation(month=date(2026, 1, 1))
    assert entries(pc) == [(date(2025, m, 1), Decimal("100.00")) for m in (10, 11, 12)] + [
        (date(2026, 1, 1), Decimal("100.00"))
    ]
    pc.refresh_from_db()
    assert (pc.accumulated_depreciation, pc.depreciated_months) == (Decimal("400.00"), 4)
    assert "取得当月起提" in rules.DEPRECIATION_TIMING


def test_the_last_month_is_the_seventy_second_counted_from_the_booking_month(admins, tree, cats):
    # Booked January 2026, 72 months: January 2026 … December 2031, nothing in January 2032.
    pc = card(admins.a, tree.a, cats["A02010105"], original_value=Decimal("7200"))
    services.post_depreciation(month=date(2032, 1, 1))
    rows = entries(pc)
    assert (rows[0][0], rows[-1][0], len(rows)) == (date(2026, 1, 1), date(2031, 12, 1), 72)


def test_rounding_sums_exactly_to_the_original_value(admins, tree, cats):
    # 1,000元 over 72 months: 13.888… → 13.89 for 71 months (986.19), the last month takes 13.81.
    pc = card(admins.a, tree.a, cats["A02010105"], original_value=Decimal("1000"))
    services.post_depreciation(month=add_months(date(2026, 1, 1), 71))
    rows = entries(pc)
    assert len(rows) == 72
    assert {amount for _, amount in rows[:-1]} == {Decimal("13.89")}
    assert rows[-1] == (date(2031, 12, 1), Decimal("13.81"))
    assert sum(a for _, a in rows) == Decimal("1000.00")


def test_full_depreciation_stops_and_net_book_value_is_zero(admins, tree, cats):
    pc = card(admins.a, tree.a, cats["A02010105"], original_value=Decimal("7200"))
    services.post_depreciation(month=date(2032, 6, 1))  # well past the 72 months
    pc.refresh_from_db()
    assert pc.depreciated_months == 72
    assert pc.accumulated_depreciation == Decimal("7200.00") and pc.net_book_value == Decimal("0")
    assert pc.next_depreciation_month is None
    services.post_depreciation(month=date(2032, 7, 1))
    assert DepreciationEntry.objects.filter(asset=pc).count() == 72


def test_disposal_month_is_no_longer_depreciated(admins, tree, cats):
    pc = card(admins.a, tree.a, cats["A02010105"], original_value=Decimal("7200"))
    services.post_depreciation(month=date(2026, 4, 1))  # Jan, Feb, Mar, Apr
    services.dispose(asset=pc, way=rules.DisposalWay.SCRAP, actor=admins.a, on=date(2026, 6, 20))
    services.post_depreciation(month=date(2026, 9, 1))
    # May, then nothing: June, the month it leaves the books, is not depreciated (当月减少当月不提).
    assert [m for m, _ in entries(pc)] == [date(2026, m, 1) for m in (1, 2, 3, 4, 5)]
    pc.refresh_from_db()
    assert pc.accumulated_depreciation == Decimal("500.00") and pc.next_depreciation_month is None
    assert pc.depreciation_end == date(2026, 6, 1)


def test_non_depreciating_categories_post_nothing(admins, tree, cats):
    relic = card(admins.a, tree.a, cats["A03"], original_value=Decimal("50000"))
    book = card(admins.a, tree.a, cats["A04"], original_value=Decimal("2000"))
    services.post_depreciation(month=date(2027, 1, 1))
    assert entries(relic) == entries(book) == []


def test_missed_month_is_caught_up(admins, tree, cats):
    pc = card(admins.a, tree.a, cats["A02010105"], original_value=Decimal("7200"))
    services.post_depreciation(month=date(2026, 2, 1))
    # March's run never happened; April's run posts March and April.
    services.post_depreciation(month=date(2026, 4, 1))
    assert [m for m, _ in entries(pc)] == [date(2026, m, 1) for m in (1, 2, 3, 4)]
    assert DepreciationRun.objects.get(month=date(2026, 3, 1)).cards == 1


def test_monthly_task_twice_posts_once(admins, tree, cats, eager_celery):
    """Eager on purpose: the beat task runs in-process so its result can be checked here."""
    pc = card(admins.a, tree.a, cats["A02010105"], original_value=Decimal("7200"))
    other = card(admins.a, tree.a, cats["A0501"], original_value=Decimal("3600"))  # furniture, 180 months
    first = post_monthly_depreciation.delay("2026-03-01").get()
    second = post_monthly_depreciation.delay("2026-03-01").get()
    assert first == {
        "2026-01": {"cards": 2, "total": "120.00"},  # 7,200/72 + 3,600/180, from the booking month
        "2026-02": {"cards": 2, "total": "120.00"},
        "2026-03": {"cards": 2, "total": "120.00"},
    }
    assert second == {"2026-03": {"cards": 2, "total": "120.00"}}  # nothing left to post
    assert DepreciationEntry.objects.filter(asset__in=[pc, other]).count() == 6
    assert Asset.objects.get(pk=other.pk).accumulated_depreciation == Decimal("60.00")


def test_a_tiny_value_is_depreciated_in_cents_and_never_beyond_it(admins, tree, cats):
    # 1,000.10元 over 72 months is 13.89 a month; however the rounding falls, the months sum to the
    # original value and none is negative (the one rule, rules.MONTHLY_AMOUNT_SQL).
    pc = card(admins.a, tree.a, cats["A02010105"], original_value=Decimal("1000.10"))
    services.post_depreciation(month=date(2032, 6, 1))
    rows = entries(pc)
    assert sum(a for _, a in rows) == Decimal("1000.10") and min(a for _, a in rows) > 0
