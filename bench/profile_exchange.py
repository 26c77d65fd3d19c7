"""Where an exchange page's time goes (not a figure of the bench: the per-component costs that a loaded machine
distorts least). Against the bench database that ``bench/run.py --scale 2 --only catalog`` left:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yw_hub3_bench .venv/bin/python bench/profile_exchange.py

Prints, for full pages of 1,000 rows: Python function calls per request (cProfile) and the top functions; the
process CPU time of a request (test client, middleware, view, the consumer's json.loads) and of the floor's page,
minimum and median, measured alternately; the statements a request runs, each one's EXPLAIN ANALYZE execution and
planning time (minimum and median of ``--explain`` runs, inside a transaction rolled back, so no trail row stays).
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=60, help="pages timed on each side")
    parser.add_argument("--profiled", type=int, default=50, help="requests under cProfile")
    parser.add_argument("--explain", type=int, default=30, help="EXPLAIN ANALYZE runs per statement")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime", help="pstats order of the top functions (tottime, cumulative …)")
    parser.add_argument("--callers", default="", help="also print the callers of the functions matching this")
    args = parser.parse_args()
    if "bench" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("profile_exchange: DATABASE_URL must name the bench database")
    import run

    run.setup(fresh=False)

    import bench_catalog
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from datahub.catalog import services
    from datahub.models import OrgUnit, User

    root = OrgUnit.objects.get_root_nodes().first()
    dataset = bench_catalog._dataset(root)
    app, owner, token = bench_catalog._system(root)
    today = timezone.localdate()
    services.grant_create(
        actor=owner,
        dataset=dataset,
        consumer_unit=root,
        application=app,
        row_scope="all",
        items=[i.replace("__", "_") for i in bench_catalog.ITEMS],
        valid_from=today,
        valid_to=today,
    )
    client = Client()
    url = f"/api/exchange/v1/{dataset.code}/"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    first = client.get(url, {"page_size": 1000}, secure=True, **auth).json()
    cursors = [None]
    body = first
    while body["next_cursor"] and len(cursors) < max(args.pages, args.profiled):
        cursors.append(body["next_cursor"])
        body = client.get(url, {"page_size": 1000, "cursor": body["next_cursor"]}, secure=True, **auth).json()
    afters = [0]
    for _ in range(len(cursors) - 1):
        last = list(User.objects.filter(pk__gt=afters[-1]).order_by("pk").values_list("pk", flat=True)[:1000])[-1]
        afters.append(last)

    def params(n):
        return {"page_size": 1000, **({"cursor": cursors[n]} if cursors[n] else {})}

    def exchange_page(n):
        body = client.get(url, params(n), secure=True, **auth).json()
        assert len(body["results"]) == 1000, body.get("detail")

    def floor_page(n):
        page = list(
            User.objects.filter(pk__gt=afters[n])
            .order_by("pk")
            .values("pk", *bench_catalog.ITEMS)[: bench_catalog.PAGE]
        )
        assert len(page) == 1000

    for n in range(min(10, len(cursors))):  # warm both sides (prepared statements, caches)
        exchange_page(n)
        floor_page(n)

    print(f"# load average {os.getloadavg()[0]:.2f}; {len(cursors)} distinct pages", flush=True)
    # CPU time, not wall time: on a loaded machine a wall-clock profile charges the waits for a core to whatever ran.
    profiler = cProfile.Profile(time.process_time)
    for n in range(args.profiled):
        profiler.enable()
        exchange_page(n % len(cursors))
        profiler.disable()
    stats = pstats.Stats(profiler)
    print(f"python calls per request (cProfile, {args.profiled} requests): {stats.total_calls / args.profiled:,.0f}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
    if args.callers:
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_callers(args.callers)
    print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))

    cpu = {"exchange": [], "floor": []}
    wall = {"exchange": [], "floor": []}
    for n in range(args.pages):
        for side, call in (("floor", floor_page), ("exchange", exchange_page)):
            c, w = time.process_time(), time.perf_counter()
            call(n % len(cursors))
            cpu[side].append(time.process_time() - c)
            wall[side].append(time.perf_counter() - w)
    for side in ("exchange", "floor"):
        print(
            f"{side:8s} process CPU ms min {min(cpu[side]) * 1000:6.2f} median {statistics.median(cpu[side]) * 1000:6.2f}"
            f" | wall ms min {min(wall[side]) * 1000:6.2f} median {statistics.median(wall[side]) * 1000:6.2f}"
        )
    print(
        "ratio (exchange / floor): CPU min {:.2f} median {:.2f}; wall min {:.2f} median {:.2f}".format(
            min(cpu["exchange"]) / min(cpu["floor"]),
            statistics.median(cpu["exchange"]) / statistics.median(cpu["floor"]),
            min(wall["exchange"]) / min(wall["floor"]),
            statistics.median(wall["exchange"]) / statistics.median(wall["floor"]),
        )
    )

    captured = []

    def capture(execute, sql, sql_params, many, context):
        captured.append((sql, tuple(sql_params or ())))
        return execute(sql, sql_params, many, context)

    with connection.execute_wrapper(capture):
        exchange_page(3)
    floor_sql = []

    def capture_floor(execute, sql, sql_params, many, context):
        floor_sql.append((sql, tuple(sql_params or ())))
        return execute(sql, sql_params, many, context)

    with connection.execute_wrapper(capture_floor):
        floor_page(3)
    print(f"statements a request runs: {len(captured)}")
    for label, (sql, sql_params) in [
        *((f"exchange #{i + 1}", s) for i, s in enumerate(captured)),
        ("floor", floor_sql[0]),
    ]:
        execution, planning = [], []
        for _ in range(args.explain):
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, sql_params)
                    plan = cursor.fetchone()[0][0]
                transaction.set_rollback(True)
            execution.append(plan["Execution Time"])
            planning.append(plan["Planning Time"])
        print(
            f"{label}: EXPLAIN ANALYZE execution ms min {min(execution):.3f} median {statistics.median(execution):.3f};"
            f" planning ms min {min(planning):.3f} (prepared on the connection: not planned per call)"
            f" — {sql.strip()[:90]!r}…"
        )
    print(f"# load average {os.getloadavg()[0]:.2f}", flush=True)


if __name__ == "__main__":
    main()
