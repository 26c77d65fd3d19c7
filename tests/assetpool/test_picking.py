"""公物仓申领 picks the pool item (issue #15): by its number on the pool page, the card's number or name, or
its category, among the listed items; a number that is not listed is refused with a clear message."""

import pytest
from django.urls import reverse

from assetpool import services
from portal.models import Ticket
from portal.registry import detail_form, get

from .factories import listing

pytestmark = pytest.mark.django_db


def pool_form(requester, text):
    return detail_form(get("pool_request"), requester, {"listing": text, "way": "transfer", "purpose": "办公"})


def test_a_listed_item_is_picked_by_its_pool_number_or_its_card_number(pool_staff, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    for text in (str(offered.pk), idle_card.asset_number, idle_card.asset_number.lower()):
        form = pool_form(pool_staff.clerk_b1, text)
        assert form.is_valid(), (text, form.errors)
        assert form.cleaned_data["listing"] == offered


def test_a_number_that_is_not_in_the_pool_is_refused_and_nothing_filed(login, pool_staff, idle_card):
    form = pool_form(pool_staff.clerk_b1, idle_card.asset_number)  # on the books, but never published
    assert not form.is_valid()
    assert f"公物仓中没有编号为“{idle_card.asset_number}”" in form.errors["listing"][0]
    client = login(pool_staff.clerk_b1)
    response = client.post(
        reverse("portal:new", args=["pool_request"]), {"listing": "ZC-NOPE-9", "way": "transfer", "purpose": "办公"}
    )
    assert response.status_code == 200 and "公物仓中没有编号为“ZC-NOPE-9”" in response.content.decode()
    assert not Ticket.objects.filter(kind="pool_request").exists()


def test_a_withdrawn_item_cannot_be_picked(pool_staff, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    services.withdraw(actor=pool_staff.asset_a, listing=offered)
    assert not pool_form(pool_staff.clerk_b1, str(offered.pk)).is_valid()


def test_picker_searches_the_listed_items_by_name_or_category(
    login, pool_staff, idle_card, django_assert_max_num_queries
):
    offered = listing(pool_staff.asset_a, idle_card)
    client = login(pool_staff.clerk_b1)
    url = reverse("assetpool:pick")
    for query in ("闲置", idle_card.category.code[:3], idle_card.asset_number):
        assert f'value="{offered.pk}"' in client.get(url, {"listing": query}).content.decode(), query
    assert "<option" not in client.get(url, {"listing": "没有这种东西"}).content.decode()
    with django_assert_max_num_queries(10):
        client.get(url, {"listing": "闲置"})
