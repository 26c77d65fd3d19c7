"""Fixtures of the vehicles tests, on top of tests/conftest.py's tree (R → A → A1, R → B → B1):
a vehicle dispatcher for A and one for B, a department head in A1, quotas for both agencies."""

from types import SimpleNamespace

import pytest

from datahub.roles import Role
from tests.factories import UserFactory, grant
from tests.sharing import shared_fixture
from vehicles import rules

from .factories import VehicleQuotaFactory


def build_fleet(people, tree):
    for unit in (tree.a, tree.a1, tree.b, tree.b1):
        for category in rules.Category.values:
            VehicleQuotaFactory(org_unit=unit, category=category, quota=20)
    return SimpleNamespace(
        **vars(people),
        disp_a=grant(UserFactory(username="disp_a", name="甲调度", org_unit=tree.a), Role.VEHICLE_DISPATCHER, tree.a),
        disp_b=grant(UserFactory(username="disp_b", name="乙调度", org_unit=tree.b), Role.VEHICLE_DISPATCHER, tree.b),
        head_a1=grant(UserFactory(username="head_a1", name="甲处长", org_unit=tree.a1), Role.APPROVER, tree.a1),
        bureau=grant(UserFactory(username="bureau_r", name="管理局", org_unit=tree.r), Role.BUREAU_ADMIN, tree.r),
    )


shared_fleet, fleet = shared_fixture("fleet", build_fleet)


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user
