"""Forms that pick, not type (issue #15): an asset is picked among the cards the user may pick, by number,
name or category; a number that is not among them is refused (the 资产领用 closing used to write any typed
number to the ledger); 资产配置申请 shows the pool's matching items before the purchase is filed (先仓后购),
and the approver's ticket shows them too."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assetpool import services as pool_services
from assetpool.models import PoolMode
from assets.models import AssetIssueRecord, AssetStatus
from portal import services as portal
from portal.registry import detail_form, get

from .factories import card

pytestmark = pytest.mark.django_db


def requisition(requester):
    return portal.file_request(
        requester=requester,
        kind_code="asset_requisition",
        detail_fields={
            "item_name": "电脑",
            "category_id": "A020101",
            "quantity": 2,
            "purpose": "办公",
            "needed_by": date(2099, 1, 1),
        },
    )


def close(ticket, actor, codes, quantity=1):
    kind = get("asset_requisition")
    return kind.record_outcome(
        ticket=ticket,
        detail=kind.detail_model.objects.get(ticket=ticket),
        actor=actor,
        outcome={"quantity": quantity, "asset_codes": codes},
    )


# --- 资产领用 closing --------------------------------------------------------------------------------


def test_closing_a_requisition_with_a_number_that_does_not_exist_is_refused(staff, tree, cats, admins):
    ticket = requisition(staff.clerk_a1)
    with pytest.raises(ValidationError) as err:
        close(ticket, admins.a, "ZC-NOPE-0001")
    assert "ZC-NOPE-0001" in err.value.message_dict["asset_codes"][0]
    assert "不存在" in err.value.message_dict["asset_codes"][0]
    assert not AssetIssueRecord.objects.filter(ticket=ticket).exists()


def test_one_bad_number_among_good_ones_refuses_the_whole_hand_over(staff, tree, cats, admins):
    good = card(admins.a, tree.a, cats["A02010105"])
    ticket = requisition(staff.clerk_a1)
    with pytest.raises(ValidationError):
        close(ticket, admins.a, f"{good.asset_number}，ZC-NOPE-0002", quantity=2)
    good.refresh_from_db()
    assert good.custodian is None and not AssetIssueRecord.objects.filter(ticket=ticket).exists()


def test_another_units_card_cannot_be_handed_over(staff, tree, cats, admins):
    theirs = card(admins.b, tree.b, cats["A02010105"])
    ticket = requisition(staff.clerk_a1)
    with pytest.raises(ValidationError) as err:
        close(ticket, admins.a, theirs.asset_number)
    assert theirs.asset_number in err.value.message_dict["asset_codes"][0]
    theirs.refresh_from_db()
    assert theirs.custodian is None


def test_a_picked_card_is_issued_and_written_to_the_ledger_as_on_the_books(staff, tree, cats, admins):
    mine = card(admins.a, tree.a, cats["A02010105"])
    ticket = requisition(staff.clerk_a1)
    record = close(ticket, admins.a, f" {mine.asset_number.lower()} ")
    mine.refresh_from_db()
    assert mine.custodian == staff.clerk_a1
    assert record.asset_codes == mine.asset_number


# --- 资产处置: the requester picks one of their own institution's cards ----------------------------------


def disposal_form(requester, number):
    return detail_form(get("asset_disposal"), requester, {"asset": number, "way": "scrap", "reason": "损坏"})


def test_disposal_form_refuses_a_number_that_does_not_exist(staff):
    form = disposal_form(staff.clerk_a1, "ZC-NOPE-0003")
    assert not form.is_valid()
    assert "ZC-NOPE-0003" in form.errors["asset"][0]


def test_disposal_form_refuses_another_institutions_card_and_accepts_its_own(staff, tree, cats, admins):
    theirs = card(admins.b, tree.b, cats["A02010105"])
    mine = card(admins.a, tree.a, cats["A02010105"])
    refused = disposal_form(staff.clerk_a1, theirs.asset_number)
    assert not refused.is_valid() and "本单位没有" in refused.errors["asset"][0]
    accepted = disposal_form(staff.clerk_a1, mine.asset_number)
    assert accepted.is_valid(), accepted.errors
    assert accepted.cleaned_data["asset"] == mine


def test_disposal_form_does_not_offer_a_disposed_card(staff, tree, cats, admins):
    gone = card(admins.a, tree.a, cats["A02010105"])
    type(gone).objects.filter(pk=gone.pk).update(status=AssetStatus.DISPOSED)
    assert not disposal_form(staff.clerk_a1, gone.asset_number).is_valid()


# --- The search behind the picker ----------------------------------------------------------------


def test_picker_finds_own_cards_by_number_name_or_category_and_never_another_units(
    client, staff, tree, cats, admins, django_assert_num_queries
):
    mine = [card(admins.a, tree.a, cats["A02010105"], name=f"台式电脑{i}") for i in range(5)]
    theirs = card(admins.b, tree.b, cats["A02010105"], name="台式电脑乙")
    client.force_login(staff.clerk_a1)
    url = reverse("assets:pick")
    for query in (mine[0].asset_number, "台式电脑", "A0201", cats["A02010105"].name):
        page = client.get(url, {"for": "disposal", "asset": query}).content.decode()
        assert mine[0].asset_number in page, query
        assert theirs.asset_number not in page, query
    client.get(url, {"for": "disposal", "asset": "台式"})  # warm the session
    # The request's own reads (session, user, middleware), the requester's institution, one query of cards:
    # 7, whatever the number of matching cards.
    with django_assert_num_queries(7):
        page = client.get(url, {"for": "disposal", "asset": "台式"}).content.decode()
    assert page.count("<option") == 5
    for i in range(10):
        card(admins.a, tree.a, cats["A02010105"], name=f"台式电脑更多{i}")
    with django_assert_num_queries(7):
        page = client.get(url, {"for": "disposal", "asset": "台式"}).content.decode()
    assert page.count("<option") == 15


def test_picker_for_the_handler_offers_only_the_books_they_keep(client, tree, cats, admins):
    mine = card(admins.a, tree.a, cats["A02010105"])
    theirs = card(admins.b, tree.b, cats["A02010105"])
    client.force_login(admins.b)
    page = client.get(reverse("assets:pick"), {"for": "issue", "asset_codes": "A02"}).content.decode()
    assert theirs.asset_number in page and mine.asset_number not in page
    assert "<option" not in client.get(reverse("assets:pick"), {"for": "nothing", "q": "A02"}).content.decode()


def test_disposal_page_carries_the_picker(client, staff):
    client.force_login(staff.clerk_a1)
    page = client.get(reverse("portal:new", args=["asset_disposal"])).content.decode()
    assert 'hx-get="/assets/pick/?for=disposal"' in page and "<datalist" in page


# --- 先仓后购 ---------------------------------------------------------------------------------------


def purchase_form(requester, category, **extra):
    data = {
        "category": category.pk,
        "item_name": "台式计算机",
        "quantity": 1,
        "unit_price": "4500",
        "reason": "新进人员",
        **extra,
    }
    return detail_form(get("asset_purchase"), requester, data)


@pytest.fixture
def pooled(tree, cats, admins):
    """A desktop 乙厅 published to the pool, and one 甲厅 published itself."""
    theirs = card(admins.b, tree.b, cats["A02010105"], name="乙厅闲置台式机")
    mine = card(admins.a, tree.a, cats["A02010105"], name="甲厅闲置台式机")
    pool_services.publish(actor=admins.b, asset=theirs, mode=PoolMode.VIRTUAL)
    pool_services.publish(actor=admins.a, asset=mine, mode=PoolMode.VIRTUAL)
    return {"theirs": theirs, "mine": mine}


def test_purchase_form_shows_the_pools_matching_items_before_filing(staff, cats, pooled):
    form = purchase_form(staff.clerk_a1, cats["A02010105"])
    assert not form.is_valid()
    message = form.errors["pool_checked"][0]
    assert "先仓后购" in message
    assert f"本单位：{pooled['mine'].asset_number}" in message
    assert f"其他单位：{pooled['theirs'].asset_number}" in message
    assert message.index(pooled["mine"].asset_number) < message.index(pooled["theirs"].asset_number)


def test_purchase_is_filed_once_the_requester_confirms_having_seen_the_pool(staff, cats, pooled):
    form = purchase_form(staff.clerk_a1, cats["A02010105"], pool_checked="on")
    assert form.is_valid(), form.errors
    assert "pool_checked" not in form.cleaned_data
    ticket = portal.file_request(requester=staff.clerk_a1, kind_code="asset_purchase", detail_fields=form.cleaned_data)
    assert ticket.pk


def test_purchase_form_without_pool_items_needs_no_confirmation(staff, cats):
    assert purchase_form(staff.clerk_a1, cats["A02010105"]).is_valid()


def test_approvers_ticket_shows_the_pools_matching_items(client, staff, cats, pooled):
    form = purchase_form(staff.clerk_a1, cats["A02010105"], pool_checked="on")
    assert form.is_valid(), form.errors
    ticket = portal.file_request(requester=staff.clerk_a1, kind_code="asset_purchase", detail_fields=form.cleaned_data)
    client.force_login(staff.head_a1)
    page = client.get(reverse("portal:ticket", args=[ticket.pk])).content.decode()
    assert "公物仓同类资产（先仓后购）" in page
    assert pooled["theirs"].asset_number in page and pooled["mine"].asset_number in page


# --- 资产领用 in the GB/T 14885 categories ----------------------------------------------------------------


def requisition_form(requester, category):
    data = {"item_name": "电脑", "category": category, "quantity": 1, "purpose": "办公", "needed_by": "2099-01-01"}
    return detail_form(get("asset_requisition"), requester, data)


def test_requisition_category_is_a_gbt14885_class_by_code(staff, cats):
    form = requisition_form(staff.clerk_a1, "A020101")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["category"] == cats["A020101"]
    refused = requisition_form(staff.clerk_a1, "computer")  # the old list of its own is gone
    assert not refused.is_valid()
    assert "GB/T 14885" in refused.errors["category"][0]


# --- 先仓后购 live, as the category is picked (HTMX, no inline code) -------------------------------------


def test_purchase_and_requisition_forms_ask_for_the_pools_items_as_the_category_is_picked(client, staff):
    from tests.datahub.test_csp import INLINE

    client.force_login(staff.clerk_a1)
    for kind, url in (
        ("asset_purchase", "/assets/pool-alternatives/"),
        ("asset_requisition", "/assets/pool-alternatives/?by=code"),
    ):
        page = client.get(reverse("portal:new", args=[kind])).content.decode()
        select = (
            page.split('name="category"')[0].rsplit("<select", 1)[1]
            + page.split('name="category"')[1].split("</select>")[0]
        )
        assert f'hx-get="{url}"' in select and 'hx-trigger="change, load"' in select
        assert 'hx-target="#id_category-pool"' in select and '<div id="id_category-pool"' in page
        assert not [label for pattern, label in INLINE if pattern.search(page)], "inline code on the form page"


def test_the_live_hint_lists_own_institutions_items_first_then_others(client, staff, cats, pooled):
    client.force_login(staff.clerk_a1)
    page = client.get(reverse("assets:pool-alternatives"), {"category": cats["A02010105"].pk}).content.decode()
    assert "先仓后购" in page
    mine, theirs = pooled["mine"].asset_number, pooled["theirs"].asset_number
    assert mine in page and theirs in page and page.index(mine) < page.index(theirs)
    by_code = client.get(reverse("assets:pool-alternatives"), {"category": "A02010105", "by": "code"}).content.decode()
    assert mine in by_code and theirs in by_code


def test_the_live_hint_says_nothing_for_an_unknown_or_empty_category_and_asks_a_login(client, staff, cats, pooled):
    client.force_login(staff.clerk_a1)
    for params in (
        {"category": ""},
        {"category": "999999"},
        {"category": "x' OR 1=1"},
        {"category": "Z99", "by": "code"},
    ):
        page = client.get(reverse("assets:pool-alternatives"), params).content.decode()
        assert pooled["mine"].asset_number not in page and "先仓后购" not in page
    other = next(
        c for code, c in sorted(cats.items()) if not code.startswith("A0201") and not "A02010105".startswith(code)
    )
    empty = client.get(reverse("assets:pool-alternatives"), {"category": other.pk}).content.decode()
    assert "公物仓暂无" in empty
    client.logout()
    assert client.get(reverse("assets:pool-alternatives"), {"category": cats["A02010105"].pk}).status_code == 302


def test_the_live_hint_shows_no_withdrawn_item(client, staff, cats, pooled, admins):
    from assetpool.models import PoolListing

    listing = PoolListing.objects.get(asset=pooled["theirs"])
    pool_services.withdraw(actor=admins.b, listing=listing, reason="自用")
    client.force_login(staff.clerk_a1)
    page = client.get(reverse("assets:pool-alternatives"), {"category": cats["A02010105"].pk}).content.decode()
    assert pooled["theirs"].asset_number not in page and pooled["mine"].asset_number in page
