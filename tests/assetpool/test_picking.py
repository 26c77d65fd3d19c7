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


# --- Publishing picks the card (#15: no typed card number) --------------------------------------------


def test_the_publish_form_picks_among_the_cards_the_administrator_keeps(login, pool_staff, tree, idle_card):
    from .factories import card

    theirs = card(pool_staff.asset_b, tree.b, name="乙厅闲置电脑", status="idle")
    client = login(pool_staff.asset_a)
    page = client.get(reverse("assetpool:publish")).content.decode()
    assert 'hx-get="/assets/pick/?for=pool"' in page and "<datalist" in page
    offered = client.get(reverse("assets:pick"), {"for": "pool", "asset_number": "闲置"}).content.decode()
    assert idle_card.asset_number in offered and theirs.asset_number not in offered
    # Another unit's card, typed anyway, is refused and nothing is published.
    response = client.post(
        reverse("assetpool:publish"), {"asset_number": theirs.asset_number, "mode": "virtual", "condition": "good"}
    )
    assert "资产编号：找不到在用或闲置的资产" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == "idle"


def test_a_card_already_in_the_pool_is_not_offered_again(login, pool_staff, idle_card):
    listing(pool_staff.asset_a, idle_card)
    client = login(pool_staff.asset_a)
    offered = client.get(reverse("assets:pick"), {"for": "pool", "asset_number": idle_card.asset_number})
    assert idle_card.asset_number not in offered.content.decode()
