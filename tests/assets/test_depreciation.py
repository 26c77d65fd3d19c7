"""Depreciation (政府会计准则第3号, 财会〔2017〕4号): straight-line, monthly, zero residual, from the
month after booking (rules.DepreciationStart, settings.ASSETS_DEPRECIATION_START), stopped when
fully depreciated or disposed; rounded per month so the months sum to the original value."""

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


def test_first_month_is_the_month_after_booking(admins, tree, cats):
    # 7,200元 desktop, 72 months → 100.00 a month; booked 15 January 2026.
    pc = card(admins.a, tree.a, cats["A02010105"], original_value=Decimal("7200"))
    services.post_depreciation(month=date(2026, 1, 1))
    assert entries(pc) == []
    services.post_depreciation(month=date(2026, 2, 1))
    assert entries(pc) == [(date(2026, 2, 1), Decimal("100.00"))]
    pc.refresh_from_db()
    assert pc.accumulated_depreciation == Decimal("100.00") and pc.net_book_value == Decimal("7100.00")
    assert pc.next_depreciation_month == date(2026, 3, 1)


def test_same_month_convention_starts_in_the_booking_month(admins, tree, cats, settings):
    settings.ASSETS_DEPRECIATION_START = rules.DepreciationStart.SAME_MONTH
    pc = card(admins.a, tree.a, cats["A02010105"], original_value=Decimal("7200"))
    services.post_depreciation(month=date(2026, 1, 1))
    assert entries(pc) == [(date(2026, 1, 1), Decimal("100.00"))]


def test_rounding_sums_exactly_to_the_original_value(admins, tree, cats):
    # 1,000元 over 72 months: 13.888… → 13.89 for 71 months (986.19), the last month takes 13.81.
    pc = card(admins.a, tree.a, cats["A02010105"], original_value=Decimal("1000"))
    services.post_depreciation(month=add_months(date(2026, 2, 1), 71))
    rows = entries(pc)
    assert len(rows) == 72
    assert {amount for _, amount in rows[:-1]} == {Decimal("13.89")}
    assert rows[-1] == (date(2032, 1, 1), Decimal("13.81"))
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


def test_disposal_mid_life_stops_after_the_disposal_month(admins, tree, cats):
    pc = card(admins.a, tree.a, cats["A02010105"], original_value=Decimal("7200"))
    services.post_depreciation(month=date(2026, 4, 1))  # Feb, Mar, Apr
    services.dispose(asset=pc, way=rules.DisposalWay.SCRAP, actor=admins.a, on=date(2026, 6, 20))
    services.post_depreciation(month=date(2026, 9, 1))
    # May and June (the disposal month, still depreciated under the default convention), then nothing.
    assert [m for m, _ in entries(pc)] == [date(2026, m, 1) for m in (2, 3, 4, 5, 6)]
    pc.refresh_from_db()
    assert pc.accumulated_depreciation == Decimal("500.00") and pc.next_depreciation_month is None


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
    assert [m for m, _ in entries(pc)] == [date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)]
    assert DepreciationRun.objects.get(month=date(2026, 3, 1)).cards == 1


def test_monthly_task_twice_posts_once(admins, tree, cats, eager_celery):
    """Eager on purpose: the beat task runs in-process so its result can be checked here."""
    pc = card(admins.a, tree.a, cats["A02010105"], original_value=Decimal("7200"))
    other = card(admins.a, tree.a, cats["A0501"], original_value=Decimal("3600"))  # furniture, 180 months
    first = post_monthly_depreciation.delay("2026-03-01").get()
    second = post_monthly_depreciation.delay("2026-03-01").get()
    assert first == {
        "2026-02": {"cards": 2, "total": "120.00"},  # 7,200/72 + 3,600/180
        "2026-03": {"cards": 2, "total": "120.00"},
    }
    assert second == {"2026-03": {"cards": 2, "total": "120.00"}}  # nothing left to post
    assert DepreciationEntry.objects.filter(asset__in=[pc, other]).count() == 4
    assert Asset.objects.get(pk=other.pk).accumulated_depreciation == Decimal("40.00")


def test_monthly_amount_matches_the_sql_rule():
    assert rules.monthly_amount(Decimal("1000"), 72, 0, Decimal("0")) == Decimal("13.89")
    assert rules.monthly_amount(Decimal("1000"), 72, 71, Decimal("986.19")) == Decimal("13.81")
    # A tiny value never goes past the original value.
    assert rules.monthly_amount(Decimal("0.05"), 72, 3, Decimal("0.05")) == Decimal("0")
