"""The test run's file order (tests/schedule.py), checked on a real two-worker pytest-xdist run of a tiny suite.

The order lives in the controller, the notes it needs in the workers; a worker that does not write them leaves
xdist's own order in place without any error, so only a real run shows the order is taken.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CONFTEST = '''
import pytest
from tests import schedule

@pytest.fixture
def db():
    """Named like pytest-django's fixture: the scheduler reads fixture names only."""

@pytest.hookimpl(tryfirst=True)  # as in tests/conftest.py: written before xdist reports the collection
def pytest_collection_finish(session):
    schedule.note_files(session)

def pytest_configure_node(node):
    schedule.configure_node(node)

@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    return schedule.make_scheduler(config, log)

@pytest.fixture(autouse=True)
def _log_where(request):
    with open(request.config.rootpath / "ran.log", "a") as log:
        log.write(f"{os.environ['PYTEST_XDIST_WORKER']} {request.node.nodeid.split('::')[0]}\\n")
'''


def _suite(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = --disable-plugin-autoload -p xdist.plugin\n")
    (tmp_path / "conftest.py").write_text("import os\n" + CONFTEST)
    files = {"test_db_heavy.py": (6, True), "test_db_light.py": (3, True), "test_free_a.py": (3, False)}
    files["test_free_b.py"] = (3, False)
    for name, (count, needs_db) in files.items():
        argument = "db" if needs_db else ""
        body = "".join(f"def test_{i}({argument}):\n    assert True\n\n" for i in range(count))
        (tmp_path / name).write_text(body)


def _run(tmp_path: Path, *args: str) -> dict[str, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTEST_XDIST_WORKER", None)
    env.pop("PYTEST_ADDOPTS", None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "15 passed" in done.stdout
    by_worker: dict[str, list[str]] = {}
    for line in (tmp_path / "ran.log").read_text().splitlines():
        worker, name = line.split()
        by_worker.setdefault(worker, []).append(name)
    return by_worker


def _notes():
    return Path(tempfile.gettempdir()).glob("pytest-files-*.json")


def _files_in_order(names: list[str]) -> list[str]:
    return [name for i, name in enumerate(names) if i == 0 or names[i - 1] != name]


def test_one_worker_starts_on_the_database_free_files_while_the_other_takes_the_heaviest_database_file(tmp_path):
    _suite(tmp_path)
    before = set(_notes())
    by_worker = _run(tmp_path, "--dist", "loadfile")

    orders = {worker: _files_in_order(names) for worker, names in by_worker.items()}
    ran = [name for names in orders.values() for name in names]
    assert sorted(ran) == ["test_db_heavy.py", "test_db_light.py", "test_free_a.py", "test_free_b.py"]  # each once
    starts = sorted(order[0] for order in orders.values())
    assert starts == ["test_db_heavy.py", "test_free_a.py"]
    free_worker = next(order for order in orders.values() if order[0] == "test_free_a.py")
    assert free_worker[:2] == ["test_free_a.py", "test_free_b.py"]
    assert set(_notes()) <= before  # the controller deleted the notes it read


def test_another_distribution_keeps_xdist_order_and_leaves_no_notes(tmp_path):
    _suite(tmp_path)
    before = set(_notes())
    by_worker = _run(tmp_path, "--dist", "load")

    assert sum(len(names) for names in by_worker.values()) == 15
    assert set(_notes()) <= before
