"""Energy fixtures on the shared tree (region R → agencies A and B): a reporter in each agency,
a provincial energy reviewer on R (the level above A and B), and the leader on R."""

from types import SimpleNamespace

import pytest

from datahub.roles import Role
from tests.factories import UserFactory, grant
from tests.sharing import shared_fixture


def build_energy_people(people, tree):
    return SimpleNamespace(
        **vars(people),
        reporter_a=grant(UserFactory(username="reporter_a", org_unit=tree.a), Role.ENERGY_REPORTER, tree.a),
        reporter_b=grant(UserFactory(username="reporter_b", org_unit=tree.b), Role.ENERGY_REPORTER, tree.b),
        reviewer=grant(UserFactory(username="reviewer_r", org_unit=tree.r), Role.ENERGY_REPORTER, tree.r),
    )


shared_energy_people, energy_people = shared_fixture("energy_people", build_energy_people)


@pytest.fixture
def client_for(client):
    """The test client signed in as ``user``: ``client_for(user).get(...)``."""

    def login(user):
        client.force_login(user)
        return client

    return login
