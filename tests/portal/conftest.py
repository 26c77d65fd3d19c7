from decimal import Decimal
from types import SimpleNamespace

import pytest

from datahub.roles import Role
from portal import services
from tests.factories import UserFactory, grant


@pytest.fixture
def staff(people, tree):
    """The people a request meets on its way: a department head in A1, a space and an asset administrator for A."""
    return SimpleNamespace(
        **vars(people),
        head_a1=grant(UserFactory(username="head_a1", name="甲处长", org_unit=tree.a1), Role.APPROVER, tree.a1),
        space_a=grant(UserFactory(username="space_a", name="房管员", org_unit=tree.a), Role.SPACE_ADMIN, tree.a),
        asset_a=grant(UserFactory(username="asset_a", name="资产员", org_unit=tree.a), Role.ASSET_ADMIN, tree.a),
    )


REPAIR = {
    "location": "1号楼 502室",
    "category": "air_conditioning",
    "description": "空调不制冷",
    "urgent": False,
    "estimated_cost": Decimal("300.00"),
    "contact_phone": "13800000001",
}


@pytest.fixture
def repair_ticket(staff):
    def make(requester=None, **overrides):
        return services.file_request(
            requester=requester or staff.clerk_a1, kind_code="repair", detail_fields={**REPAIR, **overrides}
        )

    return make
