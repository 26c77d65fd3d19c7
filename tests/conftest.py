"""Shared fixtures: a small directory with two sibling agencies under one region.

region R (浙江省)
├── agency A ── department A1
└── agency B ── department B1
"""

import os
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from datahub.roles import Role

from . import dbclone, reference, schedule
from .factories import OrgUnitFactory as Unit
from .factories import UserFactory, department, grant, region
from .sharing import build_shared_rows, fresh, module_transaction, note_modules, shared_fixture

__all__ = ["build_shared_rows", "fresh", "module_transaction"]  # fixtures every test module may use


def pytest_configure(config):
    """Under pytest-xdist every worker has its own test database (pytest-django adds ``_gw<n>``);
    give it its own cache keys and Celery queue on the shared Redis too, so that one worker's
    in-process Celery worker never runs a task that another worker queued against its own database. The
    workers copy one migrated test database instead of each migrating its own (tests/dbclone.py)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    from django.conf import settings

    from config.celery import app

    settings.CACHES["default"]["KEY_PREFIX"] = f"{settings.CACHES['default'].get('KEY_PREFIX', '')}-{worker}"
    app.conf.task_default_queue = f"{app.conf.task_default_queue}-{worker}"
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        dbclone.install(run_id=config.workerinput["testrunuid"], worker=worker)
    elif settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        dbclone.install_sqlite(run_id=config.workerinput["testrunuid"])


def pytest_sessionfinish(session):
    """The xdist controller drops the run's template database (tests/dbclone.py) once every worker is done; a
    worker on SQLite deletes the copy of its test database that it wrote for the others."""
    config = session.config
    if hasattr(config, "workerinput"):
        dbclone.drop_sqlite_template()
        return
    if not getattr(config.option, "numprocesses", None):
        return
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock():
        dbclone.drop_template()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    note_modules(config, items)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_finish(session):
    """A worker tells the controller which files touch no database and how heavy each is (tests/schedule.py)."""
    schedule.note_files(session)


def pytest_configure_node(node):
    """The controller tells each worker of a loadfile run to write the notes above."""
    schedule.configure_node(node)


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` that starts one worker on the database-free files while the other migrates."""
    return schedule.make_scheduler(config, log)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as pytest-django creates it (migrations included), plus the snapshot of its
    reference rows that every transactional test is reset to (tests/reference.py)."""
    with django_db_blocker.unblock():
        reference.snapshot()
    reference.install()


def build_tree():
    r = region(code="R", name="浙江省")
    a = Unit(code="A", name="甲厅", parent=r)
    b = Unit(code="B", name="乙厅", parent=r)
    a1 = department(a, code="A1", name="甲厅办公室")
    b1 = department(b, code="B1", name="乙厅办公室")
    for unit in (r, a, b):
        unit.refresh_from_db()
    return SimpleNamespace(r=r, a=a, b=b, a1=a1, b1=b1)


shared_tree, tree = shared_fixture("tree", build_tree)


def build_people(tree):
    """One person per role that the scoping tests need."""
    return SimpleNamespace(
        clerk_a1=UserFactory(username="clerk_a1", org_unit=tree.a1),
        clerk_b1=UserFactory(username="clerk_b1", org_unit=tree.b1),
        admin_a=grant(UserFactory(username="admin_a", org_unit=tree.a), Role.BUREAU_ADMIN, tree.a),
        admin_b=grant(UserFactory(username="admin_b", org_unit=tree.b), Role.BUREAU_ADMIN, tree.b),
        leader=grant(UserFactory(username="leader", org_unit=tree.r), Role.LEADER, tree.r),
    )


shared_people, people = shared_fixture("people", build_people)


@pytest.fixture
def api():
    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


def build_staff(people, tree):
    """The people a request meets on its way: a department head in A1, a space and an asset administrator for A."""
    return SimpleNamespace(
        **vars(people),
        head_a1=grant(UserFactory(username="head_a1", name="甲处长", org_unit=tree.a1), Role.APPROVER, tree.a1),
        space_a=grant(UserFactory(username="space_a", name="房管员", org_unit=tree.a), Role.SPACE_ADMIN, tree.a),
        asset_a=grant(UserFactory(username="asset_a", name="资产员", org_unit=tree.a), Role.ASSET_ADMIN, tree.a),
    )


shared_staff, staff = shared_fixture("staff", build_staff)


@pytest.fixture
def user_cache(settings):
    """The signed-in user cache on (the suite runs with it off), over a cache of this test's own: the suite's
    Redis is shared by the parallel workers, whose user ids overlap."""
    from django.core.cache import cache

    settings.USER_CACHE = True
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "user-cache"}
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def eager_celery():
    """Run Celery tasks in the calling process, on purpose, whatever REDIS_URL says."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, for the browser tests (tests/browser.py); a module that needs
    other flags (a fake camera, say) defines its own. One Chromium per module (each test opens its own
    contexts): starting Playwright's driver and the browser costs about a CPU second. Playwright's event
    loop stays current while it runs, so a module holding it has only browser tests."""
    from tests import browser as b

    b.require_chromium()
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        chromium = b.launch(p)
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(autouse=True)
def _platform_language():
    """Every test starts in the platform's language. A request through the language middleware leaves the
    language it chose active in the thread (as Django's own LocaleMiddleware does), so without this an
    English page fetched by one test module would make the next module's service messages English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
