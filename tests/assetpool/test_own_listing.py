"""The 申领 form is not offered on a listing of one's own 机关/单位, which the rule would refuse (issue #19,
bug 7); another unit's people still get it."""

import pytest
from django.urls import reverse

from .factories import listing

pytestmark = pytest.mark.django_db


def test_no_request_form_on_own_institutions_listing(login, pool_staff, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    # clerk_a1 works in 甲厅办公室, a department of 甲厅 which published the item.
    html = login(pool_staff.clerk_a1).get(reverse("assetpool:listing-detail", args=[offered.pk])).content.decode()
    assert reverse("assetpool:listing-request", args=[offered.pk]) not in html
    assert 'id="own-item"' in html


def test_another_institutions_clerk_gets_the_request_form(login, pool_staff, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    html = login(pool_staff.clerk_b1).get(reverse("assetpool:listing-detail", args=[offered.pk])).content.decode()
    assert reverse("assetpool:listing-request", args=[offered.pk]) in html
