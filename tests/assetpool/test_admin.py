"""Admin pages of the 公物仓 and 清查盘点 models: they load, and list only the administrator's units."""

import pytest
from django.urls import reverse

from stocktake import services as st

from .factories import listing

pytestmark = pytest.mark.django_db

MODELS = [
    "assetpool_poollisting",
    "assetpool_poolrequest",
    "assetpool_reuse",
    "stocktake_stocktake",
    "stocktake_bookline",
    "stocktake_count",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_load_for_an_asset_administrator(login, pool_staff, idle_card, model):
    listing(pool_staff.asset_a, idle_card)
    response = login(pool_staff.asset_a).get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200


def test_admin_lists_are_scoped_to_the_unit(login, pool_staff, tree, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    st.open_stocktake(actor=pool_staff.asset_a, title="甲厅盘点", org_unit=tree.a)
    client = login(pool_staff.asset_b)
    assert list(client.get(reverse("admin:assetpool_poollisting_changelist")).context["cl"].result_list) == []
    assert list(client.get(reverse("admin:stocktake_stocktake_changelist")).context["cl"].result_list) == []
    assert client.get(reverse("admin:assetpool_poollisting_change", args=[offered.pk])).status_code in (302, 403, 404)


def test_admin_edit_of_a_listing_checks_the_store(login, pool_staff, idle_card):
    offered = listing(pool_staff.asset_a, idle_card)
    client = login(pool_staff.asset_a)
    url = reverse("admin:assetpool_poollisting_change", args=[offered.pk])
    response = client.post(url, {"mode": "physical", "store_text": "", "condition": "good", "description": ""})
    assert response.status_code == 200
    assert "实体仓须选择存放房间或填写存放仓库。" in response.content.decode()
    response = client.post(url, {"mode": "physical", "store_text": "二号仓", "condition": "fair", "description": ""})
    assert response.status_code == 302
    offered.refresh_from_db()
    assert (offered.store_text, offered.condition) == ("二号仓", "fair")
