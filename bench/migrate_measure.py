"""Times ``manage.py migrate`` from nothing: a fresh PostgreSQL database and a fresh SQLite file.

    python bench/migrate_measure.py --tree OLD_CHECKOUT --tree NEW_CHECKOUT --runs 3

Each run creates the database, migrates it in a child process and drops it; the trees are alternated
(old, new, old, new …) so both sides share the machine's load. Prints wall and CPU (user + system of the
child) seconds per run and the median per tree and database, with the load average at the start.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

PG = "postgres://postgres@127.0.0.1:5432/{name}"


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql, "postgres"], check=True)


def migrate(tree: Path, url: str) -> tuple[float, float]:
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": ""}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [str(tree / ".venv/bin/python"), "manage.py", "migrate", "--noinput"],
        cwd=tree,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tree", action="append", required=True, type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--prefix", default="yw_mig2_m")
    parser.add_argument("--db", choices=["postgresql", "sqlite", "both"], default="both")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    databases = ["postgresql", "sqlite"] if args.db == "both" else [args.db]
    for run in range(args.runs):
        for vendor in databases:
            for i, tree in enumerate(args.tree):
                label = f"{tree.name}"
                if vendor == "postgresql":
                    name = f"{args.prefix}{i}"
                    psql(f"DROP DATABASE IF EXISTS {name}")
                    psql(f"CREATE DATABASE {name}")
                    url = PG.format(name=name)
                else:
                    path = Path(f"/tmp/{args.prefix}{i}.sqlite3")
                    path.unlink(missing_ok=True)
                    url = f"sqlite:///{path}"
                wall, cpu = migrate(tree, url)
                if vendor == "postgresql":
                    psql(f"DROP DATABASE {name}")
                else:
                    path.unlink()
                results.setdefault((label, vendor), []).append((wall, cpu))
                print(
                    f"run {run + 1} {vendor:10} {label:12} wall {wall:6.1f} s  cpu {cpu:6.1f} s  load {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
    print("median (wall / cpu):")
    for (label, vendor), rows in results.items():
        wall = statistics.median(r[0] for r in rows)
        cpu = statistics.median(r[1] for r in rows)
        print(f"  {vendor:10} {label:12} {wall:6.1f} s / {cpu:6.1f} s  ({len(rows)} runs)")


if __name__ == "__main__":
    sys.exit(main())
