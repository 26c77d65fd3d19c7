"""Shared set-up of the 一网协同 tests: countersign kinds registered for the test only, and helpers."""

import pytest

from datahub.roles import Role
from officespace.forms import RepairOutcomeForm, RepairRequestForm
from officespace.models import RepairRequest
from portal import registry, services
from portal.registry import Countersign, RequestKind, Rule, Signer, Step
from tests.factories import UserFactory, grant

from .conftest import REPAIR


def _record(*, ticket, detail, actor, outcome):
    return None


def countersign_kind(code: str, rule: str, quorum: int | None = None) -> RequestKind:
    """A repair whose second step is countersigned by the space, asset and bureau administrators."""
    return RequestKind(
        code=code,
        label=f"会签测试（{rule}）",
        domain="测试",
        detail_model=RepairRequest,
        form_class=RepairRequestForm,
        chain=(
            Countersign(
                "三方会签",
                signers=(
                    Signer("房产管理员", Role.SPACE_ADMIN),
                    Signer("资产管理员", Role.ASSET_ADMIN),
                    Signer("机关事务管理局", Role.BUREAU_ADMIN),
                ),
                rule=rule,
                quorum=quorum,
            ),
            Step("领导审批", Role.LEADER),
        ),
        handler_role=Role.SPACE_ADMIN,
        sla_hours=48,
        outcome_form=RepairOutcomeForm,
        record_outcome=_record,
    )


@pytest.fixture
def cs_kinds():
    """Registers cs_all / cs_any / cs_quorum (2 of 3) for one test and removes them after it."""
    kinds = [
        countersign_kind("cs_all", Rule.ALL),
        countersign_kind("cs_any", Rule.ANY),
        countersign_kind("cs_quorum", Rule.QUORUM, quorum=2),
    ]
    for kind in kinds:
        registry.register(kind)
    yield {k.code: k for k in kinds}
    for kind in kinds:
        registry._KINDS.pop(kind.code, None)


@pytest.fixture
def signers(staff, tree):
    """The three signers over 甲厅 (the bureau part goes to admin_a, the only bureau administrator there)."""
    return {"space": staff.space_a, "asset": staff.asset_a, "bureau": staff.admin_a}


@pytest.fixture
def b_signers(tree):
    """Space and asset administrators of 乙厅: they sign 乙厅's countersigns, never 甲厅's."""
    return {
        "space": grant(UserFactory(username="space_b", name="乙房管员", org_unit=tree.b), Role.SPACE_ADMIN, tree.b),
        "asset": grant(UserFactory(username="asset_b", name="乙资产员", org_unit=tree.b), Role.ASSET_ADMIN, tree.b),
    }


def file_cs(requester, code="cs_all", **overrides):
    return services.file_request(requester=requester, kind_code=code, detail_fields={**REPAIR, **overrides})


def sign(user, ticket, decision="approved", comment=""):
    ticket.refresh_from_db()
    return services.decide(
        actor=user, ticket=ticket, step_id=ticket.current_step_id, decision=decision, comment=comment
    )
