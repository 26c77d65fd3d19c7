"""The demo data (``manage.py seed_demo``) in a test, at the cost of a copy after the first time.

Ten test modules walk the demo: the crawls, the API fuzzing, the browser screens. The command goes through the
services, ≈ 9,000 statements and ≈ 7 s on PostgreSQL, and on a test database as the migrations left it it always
writes the same rows (its outcome depends on the rows it starts from and on today's date, and pytest-xdist gives
each worker its own database). So on each worker the first ``seed()`` runs the command and keeps what it wrote —
every table's rows (tests/reference.py's ``contents``) and the files it stored — and a later one, on a database
holding only the reference rows again (a transactional test's reset, a module's rolled-back transaction), copies
them back in (COPY on PostgreSQL): 0.1–0.4 s against the command's ≈ 7 s. Ids stay as the command gave them: sequences only move
forward, so later inserts never meet them.

A database that holds anything else (a test's own rows, a module's shared rows) gets the command itself, as
before; so does tests/datahub/test_seed_demo.py, which tests the command.
"""

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from . import reference

_kept: dict[str, tuple[dict, dict[str, bytes]]] = {}


def _stored_files() -> dict[str, bytes]:
    """The files the demo's rows name (an energy report's documents), by storage name."""
    from django.apps import apps
    from django.db.models import FileField

    names = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, FileField):
                names.update(model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True))
    out = {}
    for name in sorted(n for n in names if n):
        with default_storage.open(name) as handle:
            out[name] = handle.read()
    return out


def seed(alias: str = "default") -> None:
    """The database as ``manage.py seed_demo`` leaves it."""
    if not reference.untouched(alias):
        call_command("seed_demo", stdout=io.StringIO())
        return
    if alias not in _kept:
        call_command("seed_demo", stdout=io.StringIO())
        _kept[alias] = (reference.contents(alias), _stored_files())
        return
    rows, files = _kept[alias]
    reference.load(rows, alias)
    for name, content in files.items():
        # A module that stores its files elsewhere (its own MEDIA_ROOT) finds them there too.
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(content))
