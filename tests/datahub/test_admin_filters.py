"""The admin's related filters offer only rows that the user's scoped list points at."""

import pytest

from assessment import services
from datahub.roles import Role
from tests.factories import UserFactory, grant


@pytest.fixture
def rounds(people, tree):
    framework = services.ensure_default_framework()

    def make(unit, admin, name):
        return services.create_round(
            actor=admin, name=name, year=2026, framework=framework, org_unit=unit, case_level="department"
        )

    return make(tree.a, people.admin_a, "甲厅评估"), make(tree.b, people.admin_b, "乙厅评估")


def test_related_list_filter_does_not_name_another_units_rows(client, people, rounds):
    steward = grant(UserFactory(org_unit=people.admin_a.org_unit), Role.BUREAU_ADMIN, people.admin_a.org_unit)
    client.force_login(steward)
    body = client.get("/admin/assessment/indicatorvalue/").content.decode()
    assert "乙厅评估" not in body
