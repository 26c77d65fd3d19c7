"""On PostgreSQL under pytest-xdist: migrate one test database per run, clone it for every worker.

Creating a test database is ``migrate`` from nothing: about 60 CPU seconds, 93 % of it Django rendering the
migration state (bench/README.md, "The test suite's CPU time"), and before this every worker paid it. Now the
first worker to need a database migrates ``test_<name>_template`` while holding a PostgreSQL advisory lock;
every worker (that one included) then gets its own database (``test_<name>_gw<n>``, as pytest-django names
it) with ``CREATE DATABASE … TEMPLATE``, a file copy of a second or two. The workers still run on separate
databases, each made by the project's real migrations (partitions, triggers, reference rows included).

A template is used only by the run that made it: its database comment holds xdist's run id, so a template
left by an earlier run (or by an earlier version of the migrations) is dropped and migrated again. The
controller drops it when the run ends. ``--reuse-db`` keeps pytest-django's own behaviour (a worker reuses
its database when it exists), and so does ``-n 0``.

On SQLite every worker's test database is in memory. The first worker to need one migrates it as Django
does, then copies it to a file named by the run id (SQLite's backup API) while holding a file lock; every other
worker copies that file into its own in-memory database instead of migrating (≈ 40 CPU s each). The worker
that wrote the file deletes it when it ends (a worker that comes later finds none and migrates itself).
"""

import fcntl
import os
import sqlite3
import tempfile
from pathlib import Path

from django.conf import settings

_LOCK = "SELECT pg_advisory_lock(hashtext(%s))"
_UNLOCK = "SELECT pg_advisory_unlock(hashtext(%s))"


def template_name(base: str) -> str:
    """``test_<name>_template`` for a test database named ``test_<name>`` (before xdist's suffix)."""
    return f"{base}_template"


def install(*, run_id: str, worker: str) -> None:
    """Make PostgreSQL's test database creation clone this run's template (created on first use)."""
    from django.db.backends.postgresql.creation import DatabaseCreation

    if not run_id.isalnum():  # it is written into SQL as a literal below
        raise ValueError(f"unexpected xdist run id {run_id!r}")
    migrate = DatabaseCreation.create_test_db

    def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        if keepdb or self.connection.alias != "default":
            return migrate(self, verbosity, autoclobber, serialize, keepdb)
        name = self._get_test_db_name()
        template = template_name(name.removesuffix(f"_{worker}"))
        quote = self._quote_name
        with self._nodb_cursor() as cursor:
            cursor.execute(_LOCK, [template])
            try:
                cursor.execute(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [template]
                )
                row = cursor.fetchone()
                if row is None or row[0] != run_id:
                    _migrate_template(self, migrate, template, verbosity)
                    cursor.execute(f"COMMENT ON DATABASE {quote(template)} IS '{run_id}'")
                if verbosity >= 1:
                    self.log(f"Cloning test database {name} from {template}...")
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
                cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
            finally:
                cursor.execute(_UNLOCK, [template])
        # What Django's own create_test_db does once the database exists and is migrated.
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        self.connection.ensure_connection()
        return name

    DatabaseCreation.create_test_db = create_test_db


def _migrate_template(creation, migrate, template: str, verbosity: int) -> None:
    """Django's own creation (CREATE DATABASE, ``migrate``, cache table) under the template's name."""
    test = creation.connection.settings_dict["TEST"]
    name = test.get("NAME")
    test["NAME"] = template
    try:
        migrate(creation, verbosity, autoclobber=True, serialize=False, keepdb=False)
    finally:
        test["NAME"] = name
        # CREATE DATABASE … TEMPLATE refuses a template that anyone is connected to.
        creation.connection.close()


def drop_template() -> None:
    """Called by the xdist controller at the end of the run."""
    from django.db import connections

    connection = connections["default"]
    if connection.vendor != "postgresql":
        return
    base = connection.settings_dict.get("TEST", {}).get("NAME") or f"test_{connection.settings_dict['NAME']}"
    template = template_name(base)
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(_LOCK, [template])
        try:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template)}")
        finally:
            cursor.execute(_UNLOCK, [template])


_sqlite_made: list[Path] = []


def sqlite_template(run_id: str) -> Path:
    return Path(tempfile.gettempdir()) / f"test-sqlite-{run_id}.sqlite3"


def install_sqlite(*, run_id: str) -> None:
    """Make SQLite's in-memory test database a copy of the run's first one (migrated by the first worker)."""
    from django.db.backends.sqlite3.creation import DatabaseCreation

    migrate = DatabaseCreation.create_test_db

    def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        name = self._get_test_db_name()
        if keepdb or self.connection.alias != "default" or not self.is_in_memory_db(name):
            return migrate(self, verbosity, autoclobber, serialize, keepdb)
        template = sqlite_template(run_id)
        with open(template.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not template.exists():
                    name = migrate(self, verbosity, autoclobber, serialize, keepdb)
                    partial = template.with_suffix(".partial")
                    _copy(self.connection.connection, partial)
                    os.replace(partial, template)
                    _sqlite_made.append(template)
                    return name
                if verbosity >= 1:
                    self.log(f"Copying test database {name} from {template}...")
                self.connection.close()
                settings.DATABASES[self.connection.alias]["NAME"] = name
                self.connection.settings_dict["NAME"] = name
                self.connection.ensure_connection()
                source = sqlite3.connect(template)
                try:
                    source.backup(self.connection.connection)
                finally:
                    source.close()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        return name

    DatabaseCreation.create_test_db = create_test_db


def _copy(source, path: Path) -> None:
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()


def drop_sqlite_template() -> None:
    """Called by a worker at its end: the file it wrote, if any (under the lock, as a reader might be copying)."""
    for template in _sqlite_made:
        lock_path = template.with_suffix(".lock")
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            template.unlink(missing_ok=True)
            lock_path.unlink(missing_ok=True)
