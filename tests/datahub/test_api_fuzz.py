"""Schemathesis over the whole /api/schema/: every operation, as a bureau administrator and as a civil
servant, with valid and invalid input, answers without a server error and as the schema says.

The demo data (seed_demo) is loaded once for the module inside the module's transaction, rolled back at the
end (tests/sharing.py), and every generated request runs in a savepoint that is rolled back too, so each case meets the
same data and the run is reproducible (derandomized Hypothesis, no example database). Path ids are
drawn from the records the user can list, so detail and action endpoints are reached, not only 404s.

Budget: MAX_EXAMPLES cases per operation and role, 2,860 in all; about 110 s of CPU per database (seed
included), measured at 5–10 minutes of wall time on a 2-core box shared with five other test runs.
"""

from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, transaction
from django.test.utils import override_settings
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from werkzeug.test import Client

from config.celery import app as celery_app
from config.wsgi import application
from datahub.auth.services import issue_api_token
from datahub.models import User
from tests import demo

# Marks the module's tests as database tests, so that the test database exists for the module fixture.
pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 10
METHODS = ("get", "post", "put", "patch", "delete")
ROLES = {"bureau_admin": "wangqiang", "civil_servant": "zhangwei"}
CHECKS = [not_a_server_error, response_schema_conformance]


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every operation, read at collection time so each one is its own test."""
    spec = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        (method.upper(), path) for path, item in spec["paths"].items() for method in item if method in METHODS
    )


@dataclass
class World:
    schema: object
    headers: dict[str, dict[str, str]]
    ids: dict[tuple[str, str], list[int]]
    cases: int = 0
    operations: set = field(default_factory=set)
    # An operation's strategies do not depend on the role (the token is sent with the request, not drawn), so the
    # two roles and every draw of a flatmap share one, instead of schemathesis building it again each time.
    strategies: dict[tuple, object] = field(default_factory=dict)

    def strategy(self, operation, mode, pk=None):
        key = (operation.method, operation.path, mode, pk)
        if key not in self.strategies:
            fixed = {} if pk is None else {"path_parameters": {"id": pk}}
            self.strategies[key] = operation.as_strategy(generation_mode=mode, **fixed)
        return self.strategies[key]


def _record_exception(sender, request=None, **kwargs):
    import sys

    World.last_exception = sys.exc_info()[1]


@pytest.fixture(scope="module")
def world(module_transaction):
    """The demo data and the schema, once per module, in the module's rolled-back transaction (tests/sharing.py)."""
    eager, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, True
    # The WSGI handler would close the connection after each request, as Django's test client avoids.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got_request_exception.connect(_record_exception)
    try:
        with module_transaction.unblock(), override_settings(ALLOWED_HOSTS=["localhost", "testserver"]):
            demo.seed()
            headers = {
                role: {"Authorization": f"Token {issue_api_token(user=User.objects.get(username=u))[1]}"}
                for role, u in ROLES.items()
            }
            schema = schemathesis.openapi.from_wsgi(
                "/api/schema/?format=json", application, headers=headers["bureau_admin"]
            )
            world = World(schema=schema, headers=headers, ids={})
            yield world
            print(f"\nAPI fuzz: {len(world.operations)} operation runs, {world.cases} cases")
    finally:
        got_request_exception.disconnect(_record_exception)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        celery_app.conf.task_always_eager = eager
        cache.clear()  # the sign-in rate limit counted the fuzzed token requests


def _ids(world: World, role: str, path: str) -> list[int]:
    """Ids of the records behind ``…/{id}/…`` that the user can list (empty if there is no list)."""
    collection = path.split("{id}")[0]
    key = (role, collection)
    if key not in world.ids:
        response = Client(application).get(collection, query_string={"page_size": 5}, headers=world.headers[role])
        ids = []
        if response.status_code == 200:
            body = response.get_json()
            rows = body.get("results", []) if isinstance(body, dict) else body
            ids = [row["id"] for row in rows if isinstance(row, dict) and isinstance(row.get("id"), int)]
        world.ids[key] = ids
    return world.ids[key]


def _strategy(world: World, operation, ids):
    strategies = []
    for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
        strategies.append(world.strategy(operation, mode))
        if ids:
            strategies.append(st.sampled_from(ids).flatmap(lambda pk, mode=mode: world.strategy(operation, mode, pk)))
    return st.one_of(strategies)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), _operations())
def test_operation_answers_without_server_error_and_as_documented(world, role, method, path):
    operation = world.schema[path][method]
    ids = _ids(world, role, path) if "{id}" in path else []
    world.operations.add((role, method, path))

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(world, operation, ids))
    def run(case):
        world.cases += 1
        World.last_exception = None
        with transaction.atomic():
            response = case.call(app=application, headers=world.headers[role])
            transaction.set_rollback(True)
        try:
            case.validate_response(response, checks=CHECKS, headers=world.headers[role])
        except Exception as exc:
            if World.last_exception is not None:
                exc.add_note(f"Server exception: {World.last_exception!r}")
            raise

    run()
