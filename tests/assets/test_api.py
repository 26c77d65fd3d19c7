"""The assets API: scoped like the pages, the services' rules and Chinese messages, and a fixed
number of queries per list."""

from decimal import Decimal

import pytest

from assets.models import Asset, AssetStatus, Movement

from .factories import card

pytestmark = pytest.mark.django_db
API = "/api/v1/assets/"


@pytest.fixture
def two_units(admins, tree, cats):
    return (
        card(admins.a, tree.a, cats["A02010105"], name="甲电脑"),
        card(admins.b, tree.b, cats["A02010105"], name="乙电脑"),
    )


def test_asset_admin_of_a_lists_only_a_cards(api, admins, two_units):
    names = [c["name"] for c in api(admins.a).get(f"{API}cards/").json()["results"]]
    assert names == ["甲电脑"]


def test_asset_admin_of_a_cannot_read_or_move_b_card(api, admins, tree, two_units):
    _, b_card = two_units
    client = api(admins.a)
    assert client.get(f"{API}cards/{b_card.pk}/").status_code == 404
    response = client.post(f"{API}cards/{b_card.pk}/transfer/", {"to_unit": tree.a.pk, "reason": "x"}, format="json")
    assert response.status_code == 404
    assert Asset.objects.get(pk=b_card.pk).org_unit == tree.b


def test_movements_are_scoped(api, admins, two_units):
    a_card, _ = two_units
    rows = api(admins.a).get(f"{API}movements/").json()["results"]
    assert [r["asset"] for r in rows] == [a_card.pk]


def test_booking_through_the_api_and_the_consumable_refusal(api, admins, tree):
    client = api(admins.a)
    body = {
        "name": "笔记本",
        "category": "A02010108",
        "original_value": "6500",
        "acquired_on": "2026-02-01",
        "org_unit": tree.a.pk,
    }
    response = client.post(f"{API}cards/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["asset_number"].startswith("ZC")
    response = client.post(f"{API}cards/", {**body, "original_value": "800"}, format="json")
    assert response.status_code == 400
    assert "低值易耗品" in response.json()["fields"]["original_value"][0]
    assert Asset.objects.filter(name="笔记本").count() == 1


def test_cannot_book_for_another_unit(api, admins, tree):
    body = {"name": "X", "category": "A02010108", "original_value": "6500", "acquired_on": "2026-02-01",
            "org_unit": tree.b.pk}  # fmt: skip
    response = api(admins.a).post(f"{API}cards/", body, format="json")
    assert response.status_code == 400 and "org_unit" in response.json()["fields"]


def test_transfer_and_refused_disposal_of_lent_card_through_the_api(api, admins, tree, two_units):
    a_card, _ = two_units
    client = api(admins.a)
    response = client.post(f"{API}cards/{a_card.pk}/set-status/", {"status": "idle", "reason": "闲置"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "idle"
    response = client.post(f"{API}cards/{a_card.pk}/lend/", {"party": "某公司", "until": "2099-01-01"}, format="json")
    assert response.status_code == 400
    assert "行政单位" in response.json()["fields"]["ticket"][0]
    response = client.post(f"{API}cards/{a_card.pk}/transfer/", {"to_unit": tree.b.pk, "reason": "调剂"}, format="json")
    assert response.status_code == 200 and response.json()["org_unit"] == tree.b.pk
    assert Movement.objects.filter(asset=a_card, kind="transfer").exists()


def test_dispose_through_the_api(api, admins, two_units):
    a_card, _ = two_units
    response = api(admins.a).post(f"{API}cards/{a_card.pk}/dispose/", {"way": "scrap"}, format="json")
    assert response.status_code == 200
    assert Asset.objects.get(pk=a_card.pk).status == AssetStatus.DISPOSED
    response = api(admins.a).post(f"{API}cards/{a_card.pk}/dispose/", {"way": "bogus"}, format="json")
    assert response.status_code == 400 and "way" in response.json()["fields"]


def test_categories_are_reference_data(api, people, cats):
    rows = api(people.clerk_a1).get(f"{API}categories/", {"search": "A0201010"}).json()["results"]
    assert {"A02010104", "A02010105", "A02010108"} <= {r["code"] for r in rows}
    assert api().get(f"{API}categories/").status_code in (401, 403)


def test_card_list_uses_a_fixed_number_of_queries(api, admins, tree, cats, django_assert_num_queries):
    for i in range(25):
        card(admins.a, tree.a, cats["A02010105"], name=f"电脑{i}", original_value=Decimal("5000"))
    client = api(admins.a)
    # count, page (category, unit and custodian joined); the grants were read once on this same user object by
    # card() above, and are kept on it (#17) — a real request's fresh user reads them once more (3).
    with django_assert_num_queries(2):
        response = client.get(f"{API}cards/", {"page_size": 100})
    assert len(response.json()["results"]) == 25
