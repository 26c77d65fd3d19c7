"""公物仓 fixtures: asset administrators and department heads on both agencies, idle cards of 甲厅."""

from types import SimpleNamespace

import pytest

from datahub.roles import Role
from tests.factories import UserFactory, grant
from tests.sharing import shared_fixture

from .factories import card


def build_pool_staff(staff, tree):
    """asset_a (shared fixture) manages 甲厅; asset_b manages 乙厅; head_b1 heads 乙厅办公室."""
    return SimpleNamespace(
        **vars(staff),
        asset_b=grant(UserFactory(username="asset_b", name="乙资产员", org_unit=tree.b), Role.ASSET_ADMIN, tree.b),
        head_b1=grant(UserFactory(username="head_b1", name="乙处长", org_unit=tree.b1), Role.APPROVER, tree.b1),
    )


shared_pool_staff, pool_staff = shared_fixture("pool_staff", build_pool_staff)


@pytest.fixture
def idle_card(pool_staff, tree):
    """An idle desktop PC on 甲厅's books."""
    return card(pool_staff.asset_a, tree.a, name="台式计算机（闲置）", status="idle")


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def many_listings(pool_staff, tree):
    """Twelve listed items of 甲厅 (virtual and physical) for the list pages' query counts."""
    from .factories import RoomFactory, listing

    store = RoomFactory(org_unit=tree.a)
    out = []
    for i in range(12):
        c = card(pool_staff.asset_a, tree.a, name=f"闲置电脑{i}", status="idle")
        out.append(
            listing(pool_staff.asset_a, c, mode="physical", store_room=store)
            if i % 2
            else listing(pool_staff.asset_a, c)
        )
    return out
