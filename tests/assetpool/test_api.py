"""公物仓 API: browse across units, change only one's own, request, 先仓后购, query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assetpool.models import ListingStatus, PoolListing
from portal.models import Ticket

from .factories import card, listing

pytestmark = pytest.mark.django_db
LISTINGS = "/api/v1/assetpool/listings/"


def test_every_unit_browses_the_pool(api, pool_staff, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    body = api(pool_staff.clerk_b1).get(LISTINGS, {"status": "listed"}).json()
    assert [row["id"] for row in body["results"]] == [offered.pk]
    assert body["results"][0]["org_unit_name"] == "甲厅"
    assert api().get(LISTINGS).status_code in (401, 403)


def test_unit_b_cannot_change_or_withdraw_unit_a_listing_by_api(api, pool_staff, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    client = api(pool_staff.asset_b)
    response = client.patch(f"{LISTINGS}{offered.pk}/", {"condition": "repair"}, format="json")
    assert response.status_code == 403
    assert client.post(f"{LISTINGS}{offered.pk}/withdraw/", {}, format="json").status_code == 403
    offered.refresh_from_db()
    assert (offered.status, offered.condition) == (ListingStatus.LISTED, "good")
    # Its own administrator may.
    response = api(pool_staff.asset_a).patch(f"{LISTINGS}{offered.pk}/", {"condition": "repair"}, format="json")
    assert response.status_code == 200 and response.json()["condition"] == "repair"


def test_publish_by_api_refuses_another_units_asset_and_a_bad_store(api, pool_staff, tree, idle_card):
    theirs = card(pool_staff.asset_b, tree.b, status="idle")
    client = api(pool_staff.asset_a)
    response = client.post(LISTINGS, {"asset": theirs.pk, "mode": "virtual"}, format="json")
    assert response.status_code == 400 and "asset" in response.json()["fields"]
    response = client.post(LISTINGS, {"asset": idle_card.pk, "mode": "physical"}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["store_room"] == ["实体仓须选择存放房间或填写存放仓库。"]
    assert not PoolListing.objects.exists()
    response = client.post(LISTINGS, {"asset": idle_card.pk, "mode": "physical", "store_text": "一号仓"}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "listed"


def test_request_by_api_files_the_ticket_and_bad_input_is_named(api, pool_staff, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    client = api(pool_staff.clerk_b1)
    response = client.post(f"{LISTINGS}{offered.pk}/request/", {"way": "loan", "purpose": "借"}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["return_date"] == ["借用须填写归还日期。"]
    assert not Ticket.objects.exists()
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(
        f"{LISTINGS}{offered.pk}/request/", {"way": "loan", "purpose": "借", "return_date": due}, format="json"
    )
    assert response.status_code == 201
    assert Ticket.objects.get(pk=response.json()["ticket"]).kind == "pool_request"


def test_matching_endpoint_for_purchases(api, pool_staff, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    body = api(pool_staff.clerk_b1).get(f"{LISTINGS}matching/", {"category": idle_card.category_id}).json()
    assert [row["id"] for row in body["results"]] == [offered.pk]
    assert api(pool_staff.clerk_b1).get(f"{LISTINGS}matching/").status_code == 404


def test_reuse_ledger_is_scoped(api, pool_staff, idle_card):
    assert api(pool_staff.clerk_b1).get("/api/v1/assetpool/reuses/").json()["results"] == []
    assert api(pool_staff.asset_b).get("/api/v1/assetpool/idle-assets/").json()["results"] == []


def test_listing_endpoint_uses_a_fixed_number_of_queries(api, pool_staff, many_listings, django_assert_num_queries):
    client = api(pool_staff.clerk_b1)
    with django_assert_num_queries(2):
        response = client.get(LISTINGS)
    assert response.json()["count"] == 12
