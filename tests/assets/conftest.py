"""Assets fixtures: the seeded classification, an asset administrator per agency, rooms."""

from types import SimpleNamespace

import pytest

from assets import seeding
from assets.models import Category
from datahub.roles import Role
from tests.factories import UserFactory, grant
from tests.sharing import shared_fixture

from .factories import RoomFactory


def build_cats():
    """The GB/T 14885-2022 categories from assets/data (idempotent: the data migration loaded them already).
    Seeded once per module (tests/sharing.py): ≈ 150 statements that leave the rows as they were."""
    seeding.seed_reference_data()
    return {c.code: c for c in Category.objects.all()}


shared_cats, cats = shared_fixture("cats", build_cats)


def build_admins(staff, tree):
    """asset_a (from the shared fixtures) covers 甲厅; asset_b covers 乙厅; admin_a/admin_b are bureau admins."""
    return SimpleNamespace(
        a=staff.asset_a,
        b=grant(UserFactory(username="asset_b", name="乙资产员", org_unit=tree.b), Role.ASSET_ADMIN, tree.b),
        bureau=staff.admin_a,
    )


shared_admins, admins = shared_fixture("admins", build_admins)


def build_rooms(tree):
    return SimpleNamespace(
        a1=RoomFactory(org_unit=tree.a), a2=RoomFactory(org_unit=tree.a), b1=RoomFactory(org_unit=tree.b)
    )


shared_rooms, rooms = shared_fixture("rooms", build_rooms)


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user
