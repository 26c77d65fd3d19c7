"""The command center's roll-up that an import queues at its commit, kept out of the import's time.

An import's commit sends ``figures_changed``; the command center's receiver queues ``refresh_units`` on the
broker, and the import job does not wait for it (a worker runs it). The bench has no broker
(``CELERY_TASK_ALWAYS_EAGER``): there the task would run inside the commit and count as the import's time
(since the hook came in, 0639d78, it was more than half of a 50,000-row energy import). So while an import
is timed its queued calls are kept, and run afterwards, timed on their own (``rollup_seconds``).
"""

import os
import time
from contextlib import contextmanager
from unittest import mock

from commandcenter import tasks


@contextmanager
def deferred():
    """Inside: ``refresh_units.delay`` keeps its calls (the list yielded) instead of running them."""
    calls: list = []
    with mock.patch.object(tasks.refresh_units, "delay", lambda *args, **kwargs: calls.append((args, kwargs))):
        yield calls


def run(calls: list) -> float:
    """Run the kept calls as a worker would; seconds taken."""
    t = time.perf_counter()
    for args, kwargs in calls:
        tasks.refresh_units(*args, **kwargs)
    return time.perf_counter() - t


def wanted() -> bool:
    """``BENCH_ROLLUP=0``: the kept calls are dropped, not run (a shorter run; the import's figures are the same)."""
    return os.environ.get("BENCH_ROLLUP", "1") != "0"
