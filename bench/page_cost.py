"""CPU per request of each page of load.py's mix, in one process, through Django's WSGI handler (no test client).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yw_perf_bench .venv/bin/python bench/page_cost.py --reps 30
    … --profile /portal/inbox/      # pyinstrument (pip install pyinstrument) of that page instead of the figures
    … --cprofile /portal/inbox/     # cProfile on process CPU time (the database's own time left out)

Not a load figure (bench/load.py is): the same pages, for the first bureau administrator of load.py, each
requested ``--reps`` times in turn after a warm-up, as gunicorn's worker would run them (``DEBUG=0``,
``CONN_MAX_AGE=60``, the deployed middleware and templates). The test client is not used: it records every
rendered template's context, which costs more than some pages. Prints one JSON line per page: the median
and mean process CPU (user + system, ms) and wall time per request, the queries, the response size, and the
1-minute load average; a last line ``page_cost.mix`` with the mean over the pages (load.py's mix is uniform).
``--middleware`` adds each middleware's own CPU (its time minus the layers inside it), per request.
"""

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _environ(path: str, cookie: str) -> dict:
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "HTTP_X_FORWARDED_PROTO": "https",  # as nginx sets it (SECURE_PROXY_SSL_HEADER)
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _call(handler, path: str, cookie: str) -> tuple[int, int]:
    status = []
    response = handler(_environ(path, cookie), lambda s, headers, exc_info=None: status.append(s))
    size = sum(len(chunk) for chunk in response)
    response.close()  # request_finished: what gunicorn does after the body
    return int(status[0].split()[0]), size


class _MiddlewareClock:
    """Each middleware's own CPU: the time in its ``__call__`` minus the time in the layer it calls."""

    def __init__(self):
        self.own: dict[str, float] = {}
        self.stack: list[float] = []

    def install(self) -> None:
        from django.conf import settings
        from django.utils.module_loading import import_string

        for dotted in settings.MIDDLEWARE:
            cls = import_string(dotted)
            original = cls.__call__
            name = dotted.rsplit(".", 1)[1]

            def timed(mw, request, _original=original, _name=name):
                self.stack.append(0.0)
                start = time.process_time()
                try:
                    return _original(mw, request)
                finally:
                    spent = time.process_time() - start
                    inner = self.stack.pop()
                    self.own[_name] = self.own.get(_name, 0.0) + spent - inner
                    if self.stack:
                        self.stack[-1] += spent

            cls.__call__ = timed

            # The layer a middleware calls is its get_response: time it as "inner" too.
        self._wrap_get_response()

    def _wrap_get_response(self) -> None:
        from django.core.handlers.base import BaseHandler

        original = BaseHandler._get_response

        def timed(handler, request):
            self.stack.append(0.0)
            start = time.process_time()
            try:
                return original(handler, request)
            finally:
                spent = time.process_time() - start
                inner = self.stack.pop()
                self.own["(view, template, response)"] = self.own.get("(view, template, response)", 0.0) + spent - inner
                if self.stack:
                    self.stack[-1] += spent

        BaseHandler._get_response = timed


def main() -> None:
    parser = argparse.ArgumentParser(description="CPU per request of load.py's pages, in one process.")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--only", default="", help="only the pages whose address contains this")
    parser.add_argument("--profile", default="", help="profile this address with pyinstrument instead")
    parser.add_argument("--middleware", action="store_true", help="also each middleware's own CPU")
    parser.add_argument("--cprofile", default="", help="cProfile this address on process CPU time instead")
    args = parser.parse_args()
    os.environ.setdefault("CONN_MAX_AGE", "60")  # as deployed (deploy/env.example)
    import load

    load._setup()
    clock = _MiddlewareClock() if args.middleware else None
    if clock:
        clock.install()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection, reset_queries

    handler = WSGIHandler()
    cookie, urls = load._people(1)[0]
    urls = [u for u in urls if args.only in u]
    for url in urls:  # warm-up: imports, template compilation, the connection
        status, _ = _call(handler, url, cookie)
        if status != 200:
            sys.exit(f"page_cost: {url} answered {status}")
    if args.cprofile:
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.reps):
            _call(handler, args.cprofile, cookie)
        profiler.disable()
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(
            int(os.environ.get("PROFILE_ROWS", "60"))
        )
        return
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(args.reps):
                _call(handler, args.profile, cookie)
        print(profiler.output_text(unicode=True, color=False, show_all=os.environ.get("PROFILE_ALL") == "1"))
        return
    connection.force_debug_cursor = True
    means = []
    for url in urls:
        cpu, wall, queries = [], [], []
        if clock:
            clock.own.clear()
        for _ in range(args.reps):
            reset_queries()
            c, w = time.process_time(), time.perf_counter()
            status, size = _call(handler, url, cookie)
            cpu.append((time.process_time() - c) * 1000)
            wall.append((time.perf_counter() - w) * 1000)
            queries.append(len(connection.queries))
        means.append(statistics.fmean(cpu))
        figure = {
            "name": "page_cost",
            "url": url,
            "cpu_ms_median": round(statistics.median(cpu), 2),
            "cpu_ms_mean": round(statistics.fmean(cpu), 2),
            "wall_ms_median": round(statistics.median(wall), 2),
            "queries": statistics.median(queries),
            "bytes": size,
            "reps": args.reps,
            "load1": round(os.getloadavg()[0], 2),
        }
        if clock:
            figure["own_cpu_ms"] = {k: round(v * 1000 / args.reps, 3) for k, v in clock.own.items()}
        print(json.dumps(figure, ensure_ascii=False), flush=True)
    print(
        json.dumps(
            {
                "name": "page_cost.mix",
                "cpu_ms_mean": round(statistics.fmean(means), 2),
                "pages": len(means),
                "load1": round(os.getloadavg()[0], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
