"""Assessment fixtures: a small framework for hand computation, a round over the agencies of R."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from assessment import services
from assessment.models import Framework, Indicator
from datahub.roles import Role
from tests.factories import OrgUnitFactory, UserFactory, grant
from tests.sharing import shared_fixture


def build_bureau(people, tree):
    """The bureau administrator of the whole region R."""
    return grant(UserFactory(username="bureau_r", name="局管理员", org_unit=tree.r), Role.BUREAU_ADMIN, tree.r)


shared_bureau, bureau = shared_fixture("bureau", build_bureau)


def build_agency_c(tree):
    c = OrgUnitFactory(code="C", name="丙厅", parent=tree.r)
    tree.r.refresh_from_db()
    return c


shared_agency_c, agency_c = shared_fixture("agency_c", build_agency_c)


def build_small_framework():
    """T1 (+, 0.5), O1 (−, 0.3), E1 (+, 0.2) and an outcome Y (not weighted)."""
    fw = Framework.objects.create(code="SMALL", version=1, name="测试框架")
    rows = [
        ("T1", "技术指标", "T", 1, "0.5"),
        ("O1", "组织指标", "O", -1, "0.3"),
        ("E1", "环境指标", "E", 1, "0.2"),
        ("Y", "转型质量", "Y", 1, "0"),
    ]
    for order, (code, name, dim, direction, weight) in enumerate(rows):
        Indicator.objects.create(
            framework=fw,
            code=code,
            name=name,
            dimension=dim,
            direction=direction,
            weight=Decimal(weight),
            min_value=Decimal("0"),
            max_value=Decimal("1000"),
            order=order,
            unit="分",
        )
    return fw


shared_small_framework, small_framework = shared_fixture("small_framework", build_small_framework)


def build_round(bureau, tree, agency_c, small_framework):
    r = services.create_round(
        actor=bureau, name="年度评估", year=2026, framework=small_framework, org_unit=tree.r, case_level="institution"
    )
    return SimpleNamespace(round=r, a=tree.a, b=tree.b, c=agency_c)


shared_round, round_ = shared_fixture("round_", build_round)


@pytest.fixture
def entered(round_, bureau):
    """The hand-computed example's values."""
    values = {
        round_.a: {"T1": "10", "O1": "5", "E1": "100", "Y": "20"},
        round_.b: {"T1": "20", "O1": "1", "E1": "100", "Y": "60"},
        round_.c: {"T1": "30", "O1": "3", "E1": "100", "Y": "90"},
    }
    for unit, vals in values.items():
        services.enter_values(actor=bureau, round_=round_.round, unit=unit, values=vals)
    return round_


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Evidence files land in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
