from decimal import Decimal

import pytest

from portal import services

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


# The 一网协同 fixtures (countersign kinds registered per test, the signers of 甲厅 and 乙厅).
from .collab import b_signers, cs_kinds, signers  # noqa: E402, F401
