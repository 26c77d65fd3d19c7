"""Read-only fixtures built once per test module, the way Django's ``setUpTestData`` does it.

Building the org tree, its people and their grants is most of a test's cost, and almost no test
changes them. So ``@shared_fixture`` turns one builder into two pytest fixtures:

- ``shared_<name>`` (module scope) builds the rows once, inside a transaction that stays open for
  the whole module and is rolled back after its last test;
- ``<name>`` (function scope) hands each test a deep copy of what was built. Every test still runs
  in its own savepoint (pytest-django's ``db``), so whatever a test writes — to these rows too —
  is undone before the next test, and the copy keeps one test's in-memory changes from the next.

A module's shared rows are the same whichever of its tests run, and in whatever order: the first
shared fixture a module asks for builds every shared fixture that any test of the module names
(collected before ``-k`` or ``--lf`` deselect anything). So a test sees the rows of the shared
fixtures its neighbours use: a test that proves "nothing was written" compares counts before and
after instead of expecting an empty table.

A transactional test ends by emptying what it wrote; the reference rows that migrations load
(standards, categories, coefficients, role groups) are kept as they were (tests/reference.py).

A module that holds a transactional test (``transactional_db``, ``live_server``,
``django_db(transaction=True)``: real workers, two connections, a browser) cannot sit inside one
open transaction, so there every test builds its own rows, as before.

Because pytest sets up module-scoped fixtures before function-scoped ones, the shared rows are
always written outside the test's savepoint, whatever order a test names its fixtures in.
"""

import copy
import inspect

import pytest
from django.db import transaction

TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}
_transactional_modules = pytest.StashKey[set]()
_shared_by_module = pytest.StashKey[dict]()


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")):
        return True
    return bool(TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


def note_modules(config, items) -> None:
    """Called first in pytest_collection_modifyitems, before anything is deselected: remember which
    modules must not share rows, and which shared fixtures each module's tests name."""
    config.stash[_transactional_modules] = {item.module.__name__ for item in items if _is_transactional(item)}
    by_module = config.stash.setdefault(_shared_by_module, {})
    for item in items:
        names = by_module.setdefault(item.module.__name__, [])
        names.extend(n for n in getattr(item, "fixturenames", ()) if n.startswith("shared_") and n not in names)


@pytest.fixture(scope="module")
def module_transaction(request, django_db_setup, django_db_blocker):
    """One transaction around the module's shared rows; ``None`` where the module must not share."""
    if request.module.__name__ in request.config.stash.get(_transactional_modules, set()):
        yield None
        return
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield django_db_blocker
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module", autouse=True)
def build_shared_rows(request):
    """Build every shared fixture the module's tests name, before the first test asks for any."""
    for name in request.config.stash.get(_shared_by_module, {}).get(request.module.__name__, ()):
        request.getfixturevalue(name)


@pytest.fixture
def fresh():
    """A deep copy per test; one memo for all of a test's shared fixtures, so identities hold
    (``staff.clerk_a1.org_unit is tree.a1``)."""
    memo = {}
    return lambda built: copy.deepcopy(built, memo)


SHARED: set[str] = set()


def shared_fixture(name: str, build):
    """Make ``build`` into the fixtures ``shared_<name>`` (module) and ``<name>`` (test); bind both:
    ``shared_tree, tree = shared_fixture("tree", build_tree)``.

    ``build``'s arguments are fixture names. Those that are shared fixtures themselves (declared
    earlier) reach the module builder as their shared originals; any other argument must be a
    module- or session-scoped fixture.
    """
    deps = list(inspect.signature(build).parameters)
    module_deps = {d: f"shared_{d}" if d in SHARED else d for d in deps}
    shared_name = f"shared_{name}"
    SHARED.add(name)

    def module_fixture(**kw):
        blocker = kw["module_transaction"]
        if blocker is None:
            return None
        with blocker.unblock():
            return build(**{d: kw[module_deps[d]] for d in deps})

    def test_fixture(**kw):
        if kw[shared_name] is None:
            return build(**{d: kw[d] for d in deps})
        return kw["fresh"](kw[shared_name])

    def params(names):
        return inspect.Signature([inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY) for n in dict.fromkeys(names)])

    module_fixture.__signature__ = params(["module_transaction", *module_deps.values()])
    test_fixture.__signature__ = params([shared_name, "fresh", "db", *deps])
    module_fixture.__name__, test_fixture.__name__ = shared_name, name
    module_fixture.__doc__ = test_fixture.__doc__ = build.__doc__
    return (
        pytest.fixture(scope="module", name=shared_name)(module_fixture),
        pytest.fixture(name=name)(test_fixture),
    )
