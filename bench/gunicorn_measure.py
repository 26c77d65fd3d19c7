"""A measuring overlay of deploy/gunicorn.conf.py for bench/load.py: each worker's CPU per request, by page.

    LOAD_GUNICORN_CONFIG=bench/gunicorn_measure.py GUNICORN_MEASURE_DIR=/tmp/measure \\
        DATABASE_URL=… REDIS_URL=… .venv/bin/python bench/load.py --users 50 --duration 60 --think 1.0
    .venv/bin/python bench/gunicorn_measure.py /tmp/measure        # the figures of that run

Loads the deployed settings, then wraps each worker's WSGI callable: the process CPU (``time.process_time``) from
the call into Django to the body's ``close()`` (what page_cost.py times in one process), the queries, whether the
home page's counts were counted again (datahub.homecounts.write called), and whether it was this worker's first
request of that page by that person (per-process memos). Each worker writes its rows at exit. Bench only: the
wrapper turns the body into a generator and adds a query counter, so its figures are a little above load.py's.
"""

import json
import os
import sys
import time
from pathlib import Path

if __name__ != "__main__":  # loaded by gunicorn as its configuration
    exec(Path(os.getcwd(), "deploy/gunicorn.conf.py").read_text())
    OUT = Path(os.environ.get("GUNICORN_MEASURE_DIR", "/tmp/gunicorn-measure"))

    def post_worker_init(worker):
        from django.db import connection

        from datahub import homecounts

        app, rows, seen, recounted = worker.wsgi, [], set(), []
        write = homecounts.write

        def counted_write(user, counts):
            recounted.append(1)
            return write(user, counts)

        homecounts.write = counted_write
        worker.measured_rows = rows

        def measured(environ, start_response):
            cpu, queries = time.process_time(), [0]
            path = environ.get("PATH_INFO", "")
            page = "ticket" if path.startswith("/portal/tickets/") else path
            key = (page, environ.get("HTTP_COOKIE", ""))
            first = key not in seen
            seen.add(key)
            recounted.clear()

            def count(execute, sql, params, many, context):
                queries[0] += 1
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                body = app(environ, start_response)

            def chunks():
                try:
                    yield from body
                finally:
                    if hasattr(body, "close"):
                        body.close()
                    spent = (time.process_time() - cpu) * 1000
                    rows.append((page, first, spent, queries[0], bool(recounted), time.time()))

            return chunks()

        worker.wsgi = measured

    def worker_exit(server, worker):
        rows = getattr(worker, "measured_rows", None)
        if rows is not None:
            OUT.mkdir(parents=True, exist_ok=True)
            (OUT / f"worker-{worker.pid}.json").write_text(json.dumps(rows))


def report(directory: str, warm_up: int = 70) -> None:
    """Per page: requests, mean CPU (ms) on a worker's first visit of the page by that person and after; the
    home page's recounts apart. The first ``warm_up`` requests (load.py's warm-up) are left out."""
    import statistics

    rows = sorted(
        (r for f in Path(directory).glob("worker-*.json") for r in json.loads(f.read_text())), key=lambda r: r[5]
    )
    rows = rows[warm_up:]
    total = sum(r[2] for r in rows)
    print(f"{len(rows)} requests, {total / len(rows):.2f} ms of CPU each inside Django")

    def mean(values):
        return f"{statistics.fmean(values):6.2f}" if values else "     -"

    for page in sorted({r[0] for r in rows}):
        of = [r for r in rows if r[0] == page]
        first, again = [r[2] for r in of if r[1]], [r[2] for r in of if not r[1]]
        line = f"{page:32s} n={len(of):5d} first {mean(first)} (n={len(first)}) again {mean(again)}"
        if page == "/":
            line += f" | recounted {mean([r[2] for r in of if r[4]])} (n={sum(r[4] for r in of)})"
            line += f" kept {mean([r[2] for r in of if not r[4]])}"
        print(f"{line} | {100 * sum(r[2] for r in of) / total:4.1f} % of the CPU")


if __name__ == "__main__":
    report(sys.argv[1])
