"""Shared fixtures: a small directory with two sibling agencies under one region.

region R (浙江省)
├── agency A ── department A1
└── agency B ── department B1
"""

from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from datahub.roles import Role

from .factories import OrgUnitFactory as Unit
from .factories import UserFactory, department, grant, region


@pytest.fixture
def tree(db):
    r = region(code="R", name="浙江省")
    a = Unit(code="A", name="甲厅", parent=r)
    b = Unit(code="B", name="乙厅", parent=r)
    a1 = department(a, code="A1", name="甲厅办公室")
    b1 = department(b, code="B1", name="乙厅办公室")
    for unit in (r, a, b):
        unit.refresh_from_db()
    return SimpleNamespace(r=r, a=a, b=b, a1=a1, b1=b1)


@pytest.fixture
def people(tree):
    """One person per role that the scoping tests need."""
    return SimpleNamespace(
        clerk_a1=UserFactory(username="clerk_a1", org_unit=tree.a1),
        clerk_b1=UserFactory(username="clerk_b1", org_unit=tree.b1),
        admin_a=grant(UserFactory(username="admin_a", org_unit=tree.a), Role.BUREAU_ADMIN, tree.a),
        admin_b=grant(UserFactory(username="admin_b", org_unit=tree.b), Role.BUREAU_ADMIN, tree.b),
        leader=grant(UserFactory(username="leader", org_unit=tree.r), Role.LEADER, tree.r),
    )


@pytest.fixture
def api():
    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def staff(people, tree):
    """The people a request meets on its way: a department head in A1, a space and an asset administrator for A."""
    return SimpleNamespace(
        **vars(people),
        head_a1=grant(UserFactory(username="head_a1", name="甲处长", org_unit=tree.a1), Role.APPROVER, tree.a1),
        space_a=grant(UserFactory(username="space_a", name="房管员", org_unit=tree.a), Role.SPACE_ADMIN, tree.a),
        asset_a=grant(UserFactory(username="asset_a", name="资产员", org_unit=tree.a), Role.ASSET_ADMIN, tree.a),
    )


@pytest.fixture
def eager_celery():
    """Run Celery tasks in the calling process, on purpose, whatever REDIS_URL says."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
