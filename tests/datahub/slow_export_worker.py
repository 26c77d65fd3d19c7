"""Celery app for the worker-killing tests: the platform's own app, plus one export that is slow on
purpose (it sleeps between rows) so that a test can kill the worker while the job is mid-way.

Started as a separate process: ``celery -A tests.datahub.slow_export_worker worker``.
"""

import time

from config.celery import app  # noqa: F401 - the app the worker runs
from datahub.exports import Export, exporter

SLOW_KIND = "test-slow-rows"


@exporter(SLOW_KIND)
def slow_rows(user, params):
    total = int(params.get("rows", "3000"))
    delay = float(params.get("delay", "0.0015"))

    def rows():
        for n in range(1, total + 1):
            time.sleep(delay)
            yield (n, f"第{n}行")

    return Export(filename="慢速导出.xlsx", headers=("序号", "内容"), rows=rows, total=total)
