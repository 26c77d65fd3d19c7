"""公物仓 pages: browsing across units, changing only one's own, requesting, 先仓后购, query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assetpool.models import ListingStatus, PoolListing
from assets.models import Asset
from portal.models import Ticket
from tests.unit_paths import shown

from .factories import card, listing

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_other_units_browse_the_pool_by_category_and_text(login, pool_staff, tree, idle_card):
    offered = listing(pool_staff.asset_a, idle_card, description="带显示器")
    client = login(pool_staff.clerk_b1)
    response = client.get(reverse("assetpool:pool-list"), {"q": "显示器", "category": idle_card.category_id})
    assert response.status_code == 200
    assert list(response.context["page"]) == [offered]
    response = client.get(reverse("assetpool:pool-list"), {"condition": "repair"})
    assert list(response.context["page"]) == []
    response = client.get(reverse("assetpool:pool-list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX


def test_unit_b_cannot_change_unit_a_listing_by_page(login, pool_staff, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    client = login(pool_staff.asset_b)
    assert client.get(reverse("assetpool:listing-detail", args=[offered.pk])).status_code == 200
    assert client.get(reverse("assetpool:listing-edit", args=[offered.pk])).status_code == 403
    response = client.post(
        reverse("assetpool:listing-edit", args=[offered.pk]), {"mode": "virtual", "condition": "repair"}
    )
    assert response.status_code == 403
    client.post(reverse("assetpool:listing-withdraw", args=[offered.pk]), {"reason": "想撤"})
    offered.refresh_from_db()
    assert (offered.status, offered.condition) == (ListingStatus.LISTED, "good")
    assert Asset.objects.get(pk=idle_card.pk).status == "in_pool"


def test_publish_page_puts_an_idle_asset_in_the_pool(login, pool_staff, idle_card):
    client = login(pool_staff.asset_a)
    response = client.post(
        reverse("assetpool:publish"),
        {"asset_number": idle_card.asset_number, "mode": "physical", "store_text": "局机关一号仓", "condition": "good"},
    )
    offered = PoolListing.objects.get(asset=idle_card)
    assert response.status_code == 302 and response["Location"].endswith(f"/pool/{offered.pk}/")
    assert offered.store_label == "局机关一号仓"


def test_publish_page_explains_a_bad_entry_and_writes_nothing(login, pool_staff, tree, idle_card):
    theirs = card(pool_staff.asset_b, tree.b, status="idle")
    client = login(pool_staff.asset_a)
    response = client.post(
        reverse("assetpool:publish"), {"asset_number": theirs.asset_number, "mode": "virtual", "condition": "good"}
    )
    assert "不在您管理的单位" in response.context["form"].errors["asset_number"][0]
    response = client.post(
        reverse("assetpool:publish"), {"asset_number": idle_card.asset_number, "mode": "physical", "condition": "good"}
    )
    assert "实体仓须选择存放房间或填写存放仓库。" in response.context["form"].errors["store_room"]
    assert not PoolListing.objects.exists()


def test_request_from_the_listing_page_files_a_ticket(login, pool_staff, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    client = login(pool_staff.clerk_b1)
    due = timezone.localdate() + timedelta(days=20)
    response = client.post(
        reverse("assetpool:listing-request", args=[offered.pk]),
        {"way": "loan", "return_date": due.isoformat(), "purpose": "迎检借用"},
    )
    ticket = Ticket.objects.get(kind="pool_request")
    assert response["Location"] == reverse("portal:ticket", args=[ticket.pk])
    assert ticket.requester == pool_staff.clerk_b1


def test_a_loan_request_without_return_date_is_refused_on_the_page(login, pool_staff, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    client = login(pool_staff.clerk_b1)
    response = client.post(
        reverse("assetpool:listing-request", args=[offered.pk]), {"way": "loan", "purpose": "借用"}, follow=True
    )
    assert "借用须填写归还日期。" in [str(m) for m in response.context["messages"]]
    assert not Ticket.objects.exists()


def test_idle_list_page_is_for_asset_administrators(login, pool_staff, idle_card):
    assert login(pool_staff.clerk_a1).get(reverse("assetpool:idle-list")).status_code == 403
    response = login(pool_staff.asset_a).get(reverse("assetpool:idle-list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX


def test_prepurchase_page_shows_pool_items_before_the_purchase_request(login, pool_staff, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    client = login(pool_staff.clerk_b1)
    response = client.get(reverse("assetpool:prepurchase"), {"category": idle_card.category_id})
    assert list(response.context["items"]) == [offered]
    assert response.context["purchase_url"] == reverse("portal:new", args=["asset_purchase"])
    assert reverse("portal:new", args=["asset_purchase"]) in response.content.decode()


def test_pool_list_page_uses_a_fixed_number_of_queries(login, pool_staff, many_listings, django_assert_num_queries):
    client = login(pool_staff.clerk_b1)
    client.get(reverse("assetpool:pool-list"))  # warm the session
    with django_assert_num_queries(9):
        response = client.get(reverse("assetpool:pool-list"))
    assert len(response.context["page"]) == 12


def test_managed_reuse_and_idle_pages_use_a_fixed_number_of_queries(
    login, pool_staff, tree, many_listings, django_assert_num_queries
):
    from dateutil.relativedelta import relativedelta

    from assetpool import rules
    from assetpool import services as pool

    from .test_flow import approve_all, handle

    for offered in many_listings[:3]:
        ticket = pool.file_pool_request(
            requester=pool_staff.clerk_b1,
            listing=offered,
            way="loan",
            purpose="借用",
            return_date=timezone.localdate() + timedelta(days=9),
        )
        approve_all(ticket)
        handle(ticket, pool_staff.asset_b)
    for i in range(5):
        card(pool_staff.asset_a, tree.a, name=f"闲置桌{i}", status="idle")
    client = login(pool_staff.asset_a)
    client.get(reverse("assetpool:reuse-list"))
    with django_assert_num_queries(8):
        response = client.get(reverse("assetpool:pool-list"), {"mine": "1"})
    assert len(response.context["page"]) == 12
    with django_assert_num_queries(7):
        response = client.get(reverse("assetpool:reuse-list"))
    assert len(response.context["page"]) == 3
    reuse = response.context["page"][0]
    # Both ends named as people tell units apart (a department with its agency), in the same queries.
    assert f"<td>{shown(reuse.from_unit)}</td><td>{shown(reuse.org_unit)}</td>" in response.content.decode()
    due = timezone.localdate() + relativedelta(months=rules.IDLE_MONTHS_FOR_HAND_IN)
    with django_assert_num_queries(7):
        response = client.get(reverse("assetpool:idle-list"), {"as_of": due.isoformat()})
    assert len(response.context["page"]) == 5


def test_portal_pages_show_the_pool_request_to_requester_and_publisher(login, pool_staff, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    client = login(pool_staff.clerk_b1)
    assert client.get(reverse("portal:new", args=["pool_request"])).status_code == 200
    response = client.post(
        reverse("portal:new", args=["pool_request"]), {"listing": offered.pk, "way": "transfer", "purpose": "办公"}
    )
    ticket = Ticket.objects.get(kind="pool_request")
    assert response["Location"] == reverse("portal:ticket", args=[ticket.pk])
    assert client.get(reverse("portal:ticket", args=[ticket.pk])).status_code == 200
    from .test_flow import approve_all

    first = ticket.steps.get(index=1)
    from portal import services as portal

    portal.decide(actor=pool_staff.head_b1, ticket=ticket, step_id=first.pk, decision="approved")
    # The publishing unit's administrator is asked, and sees the ticket in the inbox.
    page = login(pool_staff.asset_a).get(reverse("portal:ticket", args=[ticket.pk]))
    assert page.status_code == 200
    approve_all(ticket)
    ticket.refresh_from_db()
    assert ticket.status == "approved"


@pytest.mark.parametrize("bad", ["²", "abc", "99999999999999999999"])
def test_pool_list_ignores_a_garbage_category_or_unit(login, pool_staff, idle_card, bad):
    """ "²".isdigit() is True but int("²") fails: the filter is dropped instead of a 500."""
    client = login(pool_staff.asset_a)
    for params in ({"category": bad, "unit": bad}, {"category": bad, "mine": "1"}):
        assert client.get(reverse("assetpool:pool-list"), params).status_code == 200
    assert client.get("/api/v1/assetpool/listings/matching/", {"category": bad}).status_code == 404


@pytest.mark.parametrize("bad", ["2026-13-45", "0001-01-01", "yesterday"])
def test_idle_list_ignores_an_impossible_as_of_date(login, pool_staff, idle_card, bad):
    response = login(pool_staff.asset_a).get(reverse("assetpool:idle-list"), {"as_of": bad})
    assert response.status_code == 200
    assert response.context["as_of"] is None
