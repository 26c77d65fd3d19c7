"""清查盘点 fixtures: 甲厅's rooms, two of its people and a book of cards in known places."""

from types import SimpleNamespace

import pytest

from datahub.roles import Role
from tests.factories import UserFactory, grant
from tests.sharing import shared_fixture

from .factories import RoomFactory, card


def build_st_staff(staff, tree):
    """asset_a (shared fixture) manages 甲厅; asset_b manages 乙厅."""
    return SimpleNamespace(
        **vars(staff),
        asset_b=grant(UserFactory(username="asset_b", name="乙资产员", org_unit=tree.b), Role.ASSET_ADMIN, tree.b),
        p1=UserFactory(username="zhang", name="张一", org_unit=tree.a1),
        p2=UserFactory(username="li", name="李二", org_unit=tree.a1),
    )


shared_st_staff, st_staff = shared_fixture("st_staff", build_st_staff)


def build_book(st_staff, tree):
    """Five cards of 甲厅 in room r1 with 张一, one card of 乙厅."""
    r1 = RoomFactory(org_unit=tree.a, number="501")
    r2 = RoomFactory(org_unit=tree.a, floor=r1.floor, number="502")
    a = st_staff.asset_a

    def pc(name):
        return card(a, tree.a, name=name, location=r1, custodian=st_staff.p1)

    return SimpleNamespace(
        r1=r1,
        r2=r2,
        matched=pc("相符电脑"),
        moved=pc("换了房间的电脑"),
        handed=pc("换了人的电脑"),
        both=pc("房间和人都换了的电脑"),
        missing=pc("找不到的电脑"),
        theirs=card(st_staff.asset_b, tree.b, name="乙厅电脑"),
    )


shared_book, book = shared_fixture("book", build_book)


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user
