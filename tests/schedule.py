"""Which test file goes to which pytest-xdist worker, and when (``--dist loadfile``, as ``make test`` runs it).

xdist's own order is "files with the most tests first", the same list for every worker. On two cores that
wastes the run's first minute: the worker whose first file needs a database migrates the run's one template
(tests/dbclone.py, ≈ 55 CPU s) while the other's first file needs a database too and waits for it. And a file
with a single slow test (a crawl, a browser screen) counts as one test, so it is sent last and ends the run
alone on one core.

So the worker sends what only a collection knows — which files touch no database, and how heavy each file
is likely to be — through a small JSON file beside the run (keyed by xdist's run id), and the controller
orders the files from it. The controller asks for the file in the input it sends each worker
(``pytest_configure_node``): a worker's own ``dist`` option is always "no" (xdist sets it so), and until this
was found no worker wrote the file and xdist's order ran in every run (tests/test_schedule.py checks the order
on a real two-worker run). The order:

- one worker starts on the heaviest files that need a database (it migrates the template on the first);
- the other starts on the files that touch no database (about 1,100 tests: the QCA solver's reference
  cases, the workflow tables, the source-tree checks) and needs the template only once they are done;
- after that both take the files that need a database, heaviest first, and the files that touch no
  database close the run if any are left.

Every file still runs whole on one worker, exactly once: only the order changes. Without the JSON (a worker
that did not write it, another ``--dist``), xdist's own scheduling runs.
"""

import json
import os
import tempfile
from pathlib import Path

from xdist.scheduler import LoadFileScheduling

# The fixtures through which a test reaches the database (pytest-django's, and the shared rows' transaction).
DB_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "module_transaction",
}
# A test that starts a browser, a live server or real workers costs what dozens of ordinary tests cost; a
# crawl (one test, every page of a site) what hundreds do. Weights in "ordinary tests", for the order only.
SLOW_FIXTURE_WEIGHT = {"browser": 60, "live_server": 30, "transactional_db": 10}
SLOW_FILES = {
    "tests/datahub/test_admin_crawl.py": 400,
    "tests/test_site_crawl.py": 150,
    "tests/datahub/test_seed_demo.py": 100,
    # A database restore: ≈ 5 s of waiting for pg_dump and psql, cheap for this core. Early, the other worker's tests
    # fill the machine meanwhile; last, it ran alone. (tests/datahub/test_jobs_worker.py, ≈ 40 s of waiting for real
    # worker processes, stays where its weight puts it: run early beside the leak crawler, its second worker once
    # never received the task it was sent within 60 s, a race not understood yet.)
    "tests/scripts/test_backup_restore.py": 100,
}


def _info_path(run_id: str, worker: str) -> Path:
    return Path(tempfile.gettempdir()) / f"pytest-files-{run_id}-{worker}.json"


def _needs_db(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(DB_FIXTURES & set(item.fixturenames))


def _weight(item) -> int:
    names = set(getattr(item, "fixturenames", ()))
    if item.get_closest_marker("browser") is not None:
        names.add("browser")
    return 1 + sum(w for name, w in SLOW_FIXTURE_WEIGHT.items() if name in names)


# Set by the controller in the input it sends each worker. A worker cannot ask its own options: xdist sets ``dist``
# to "no" in every worker, so a test of ``config.getvalue("dist")`` there never sees "loadfile".
_WANTS_NOTES = "yw_schedule_notes"


def configure_node(node) -> None:
    """``pytest_configure_node`` (on the controller): ask the worker for its notes in a loadfile run only."""
    if node.config.getvalue("dist") == "loadfile":
        node.workerinput[_WANTS_NOTES] = True


def note_files(session) -> None:
    """On a worker, after collection: each file's weight and whether any of its tests needs a database."""
    config = session.config
    if not getattr(config, "workerinput", {}).get(_WANTS_NOTES):
        return  # only the controller of a loadfile run reads (and deletes) the notes
    files: dict[str, dict] = {}
    for item in session.items:
        entry = files.setdefault(item.nodeid.split("::", 1)[0], {"db": False, "weight": 0})
        entry["db"] = entry["db"] or _needs_db(item)
        entry["weight"] += _weight(item)
    for name, extra in SLOW_FILES.items():
        if name in files:
            files[name]["weight"] += extra
    path = _info_path(config.workerinput["testrunuid"], config.workerinput["workerid"])
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(files))
    os.replace(temporary, path)


class DatabaseAwareFileScheduling(LoadFileScheduling):
    """``--dist loadfile`` with the order described above."""

    def __init__(self, config, log=None):
        super().__init__(config, log)
        self.free: list[str] = []  # files that touch no database, in the order to run them
        self.free_node = None

    def _read_info(self) -> dict | None:
        if not self.registered_collections:
            return None
        run_id = next(iter(self.registered_collections)).workerinput["testrunuid"]
        for node in self.registered_collections:
            path = _info_path(run_id, node.gateway.id)
            if path.exists():
                try:
                    return json.loads(path.read_text())
                finally:
                    for other in self.registered_collections:
                        _info_path(run_id, other.gateway.id).unlink(missing_ok=True)
        return None

    def schedule(self) -> None:
        info = self._read_info() if self.collection is None else None
        if info is None or len(self.nodes) < 2:
            return super().schedule()
        if not self._check_nodes_have_same_collection():
            self.log("**Different tests collected, aborting run**")
            return
        self.collection = list(next(iter(self.registered_collections.values())))
        units: dict[str, dict[str, bool]] = {}
        for nodeid in self.collection:
            units.setdefault(self._split_scope(nodeid), {})[nodeid] = False

        def heaviest_first(scope):
            return -info.get(scope, {}).get("weight", len(units[scope]))

        free = [s for s in units if s in info and not info[s]["db"]]
        for scope in sorted((s for s in units if s not in free), key=heaviest_first):
            self.workqueue[scope] = units[scope]
        for scope in sorted(free, key=heaviest_first):
            self.workqueue[scope] = units[scope]
        self.free = sorted(free, key=heaviest_first)
        self.free_node = self.nodes[1] if self.free else None
        for node in self.nodes:
            self._assign_work_unit(node)
        for node in self.nodes:
            self._reschedule(node)
        if not self.workqueue:
            for node in self.nodes:
                node.shutdown()

    def _assign_work_unit(self, node) -> None:
        # The worker that starts database-free takes those files first; everyone else the queue's head.
        if node is self.free_node:
            while self.free and self.free[0] not in self.workqueue:
                self.free.pop(0)
            if self.free:
                scope = self.free.pop(0)
                self.workqueue.move_to_end(scope, last=False)
            else:
                self.free_node = None
        return super()._assign_work_unit(node)


def make_scheduler(config, log):
    """``pytest_xdist_make_scheduler``: this order for ``--dist loadfile``, xdist's own otherwise."""
    if config.getvalue("dist") != "loadfile":
        return None
    return DatabaseAwareFileScheduling(config, log)
