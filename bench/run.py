"""Benchmark runner: a fresh PostgreSQL database, a province-scale organisation, then every
``bench/bench_*.py``; each figure is printed to stdout as one JSON line (notes go to stderr).

    make bench BENCH_ARGS="--scale 0.2 --only directory"

DATABASE_URL must name a PostgreSQL database whose name contains "bench": it is dropped
and recreated on every run. Unset, postgres://postgres@127.0.0.1:5432/yiwang_bench is used.
Django runs with DEBUG off, as in production.

A benchmark is a module ``bench/bench_<name>.py`` with a ``run()`` generator that yields
figures: dicts with ``name``, ``value``, ``unit`` and any context (rows, queries, ...).
"""

import argparse
import importlib
import json
import os
import sys
import time
import warnings
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/yiwang_bench"


def note(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        note(f"DATABASE_URL is not set: using {DEFAULT_URL}")
        return DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        sys.exit(f"bench: DATABASE_URL must point at PostgreSQL, not {url.split(':', 1)[0]}")
    return url


def recreate_database(url: str) -> None:
    import environ
    import psycopg
    from psycopg import sql

    cfg = environ.Env.db_url_config(url)
    if "bench" not in cfg["NAME"]:
        sys.exit(f"bench: refusing to drop database {cfg['NAME']!r}; use one whose name contains 'bench'")
    params = {"host": cfg.get("HOST") or None, "port": cfg.get("PORT") or None, "user": cfg.get("USER") or None}
    with psycopg.connect(dbname="postgres", password=cfg.get("PASSWORD") or None, autocommit=True, **params) as conn:
        name = sql.Identifier(cfg["NAME"])
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def setup(*, fresh: bool) -> None:
    """Point Django at the bench database (recreated and migrated when ``fresh``) and set it up."""
    url = database_url()
    if fresh:
        recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-key-not-a-secret-" + "x" * 30)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    # DEBUG off makes WhiteNoise look for collected static files, which the API does not need.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    if fresh:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)


def emit(figure: dict, **context) -> None:
    print(json.dumps({**figure, **context}, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="Print benchmark figures as JSON lines.")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 ≈ 2,000 units and 50,000 people")
    parser.add_argument("--only", default="", help="run only bench_<NAME>.py modules whose NAME contains this")
    parser.add_argument("--reuse", action="store_true", help="keep the existing bench database (no regeneration)")
    # Read by bench_telematics.py from sys.argv (declared here so the parser accepts them).
    parser.add_argument("--points", type=int, help="bench_telematics: GPS points ingested (default 1,000,000 × scale)")
    parser.add_argument("--history", type=int, help="bench_telematics: GPS points preloaded over the past year")
    args = parser.parse_args()

    t = time.perf_counter()
    setup(fresh=not args.reuse)
    if not args.reuse:
        emit({"name": "setup.migrate", "value": round(time.perf_counter() - t, 2), "unit": "s"})
        import generate_org

        t = time.perf_counter()
        stats = generate_org.build(args.scale)
        seconds = round(time.perf_counter() - t, 2)
        phases = {k: round(v, 2) for k, v in stats.items() if k.endswith("_s")}
        rows = {k: v for k, v in stats.items() if not k.endswith("_s")}
        emit({"name": "generate.org", "value": seconds, "unit": "s"}, **rows, **phases, scale=args.scale)

    for path in sorted(BENCH_DIR.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if args.only and args.only not in name:
            continue
        note(f"running {path.name}")
        for figure in importlib.import_module(path.stem).run():
            emit(figure, scale=args.scale)


if __name__ == "__main__":
    main()
