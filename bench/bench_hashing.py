"""Password hashing sized for the 2-core target: what one sign-in's hash costs, and how long the last of 50
people signing in at the same moment waits.

Sign-in verifies the password with the hasher that wrote it (``check_password``: one full hash). With sync
gunicorn workers a hash holds its worker and one core; 50 sign-ins at once queue behind each other, so the
last one waits about 50 × (one hash) ÷ cores. Each candidate is measured here on this machine:

- ``hashing.<candidate>.one.median`` (ms): one verify, median of 7 after a warm-up; ``.one.cpu`` (ms) its
  CPU time (all threads), which is what the target pays; ``.fifty.last_on_2_idle_cores`` (s) = 50 × that
  CPU time ÷ 2 cores, the wait of the last of 50 people on an otherwise idle 2-core machine.
- ``hashing.<candidate>.fifty.last`` / ``.p95`` / ``.median`` (s): 50 verifies submitted at once to a pool of
  ``WEB_CONCURRENCY`` processes (default 5, gunicorn's 2 × cores + 1 on 2 cores), the time from the
  submission to each one's end (wall clock: on a shared machine read it with ``load1``); only for the
  candidates in ``HASH_BENCH_FIFTY`` (default: the old default and the chosen one).

Candidates: ``pbkdf2_1m`` (Django 5.2's default, 1,000,000 PBKDF2-SHA256 iterations), ``pbkdf2_600k``
(OWASP's floor for PBKDF2-SHA256), ``argon2_django`` (Django's Argon2PasswordHasher defaults: Argon2id,
t=2, m=100 MiB, p=8), ``argon2_64m`` (t=3, m=64 MiB, p=1: RFC 9106's second option with one lane) and
``argon2_sized`` (config.hashers.SizedArgon2PasswordHasher, the platform's: Argon2id, t=2, m=19 MiB, p=1,
OWASP's first recommended setting). The Argon2
rows need argon2-cffi (``Django[argon2]``, pinned in requirements.txt).

Runs in the bench runner (``--only hashing``) or on its own: ``.venv/bin/python bench/bench_hashing.py``.
"""

import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

PASSWORD = "Bench-2026-yiwang"
PEOPLE = 50
WORKERS = int(os.environ.get("WEB_CONCURRENCY", "5"))
# The candidates also measured with 50 real concurrent sign-ins (the others only alone: CPU on a shared box).
FIFTY = os.environ.get("HASH_BENCH_FIFTY", "pbkdf2_1m,argon2_sized").split(",")


def _hashers() -> dict:
    from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher

    class Pbkdf2_600k(PBKDF2PasswordHasher):
        iterations = 600_000

    candidates = {"pbkdf2_1m": PBKDF2PasswordHasher(), "pbkdf2_600k": Pbkdf2_600k()}
    try:
        import argon2  # noqa: F401
    except ImportError:
        print("# argon2-cffi is not installed: the Argon2 rows are skipped", file=sys.stderr)
        return candidates
    from config.hashers import SizedArgon2PasswordHasher

    class Argon2Rfc64m(Argon2PasswordHasher):
        time_cost, memory_cost, parallelism = 3, 64 * 1024, 1

    candidates["argon2_django"] = Argon2PasswordHasher()
    candidates["argon2_64m"] = Argon2Rfc64m()
    candidates["argon2_sized"] = SizedArgon2PasswordHasher()
    return candidates


def _verify(args) -> float:
    name, encoded = args
    hasher = _hashers()[name]
    assert hasher.verify(PASSWORD, encoded)
    return time.perf_counter()


def run():
    candidates = _hashers()
    load = round(os.getloadavg()[0], 2)
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(_verify, [(n, h.encode(PASSWORD, h.salt())) for n, h in candidates.items()]))  # warm up
        for name, hasher in candidates.items():
            encoded = hasher.encode(PASSWORD, hasher.salt())
            one, cpu = [], []
            for _ in range(8):
                start, start_cpu = time.perf_counter(), time.process_time()
                hasher.verify(PASSWORD, encoded)
                one.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            cpu_ms = statistics.median(cpu[1:])
            load = round(os.getloadavg()[0], 2)
            yield {"name": f"hashing.{name}.one.median", "value": round(statistics.median(one[1:]), 1),
                   "unit": "ms", "load1": load}  # fmt: skip
            yield {"name": f"hashing.{name}.one.cpu", "value": round(cpu_ms, 1), "unit": "ms", "load1": load}
            # On the target (2 cores, nothing else running) the 50th person waits for 50 hashes on 2 cores.
            yield {"name": f"hashing.{name}.fifty.last_on_2_idle_cores", "value": round(PEOPLE * cpu_ms / 2000, 2),
                   "unit": "s", "load1": load}  # fmt: skip
            if name not in FIFTY:
                continue
            start = time.perf_counter()
            ends = sorted(e - start for e in pool.map(_verify, [(name, encoded)] * PEOPLE))
            load = round(os.getloadavg()[0], 2)
            common = {"unit": "s", "people": PEOPLE, "workers": WORKERS, "cpus": os.cpu_count(), "load1": load}
            yield {"name": f"hashing.{name}.fifty.last", "value": round(ends[-1], 2), **common}
            yield {"name": f"hashing.{name}.fifty.p95", "value": round(ends[int(0.95 * PEOPLE) - 1], 2), **common}
            yield {"name": f"hashing.{name}.fifty.median", "value": round(statistics.median(ends), 2), **common}


if __name__ == "__main__":
    import json

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-key-not-a-secret-" + "x" * 30)
    import django

    django.setup()
    for figure in run():
        print(json.dumps(figure, ensure_ascii=False), flush=True)
