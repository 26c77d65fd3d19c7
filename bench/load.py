"""Load figure: signed-in people clicking through the platform under gunicorn, DEBUG=0, on the bench database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yw_perf_bench REDIS_URL=redis://127.0.0.1:6379/2 \\
        .venv/bin/python bench/load.py --users 50 --duration 60 --think 1.0

Starts gunicorn itself (``deploy/gunicorn.conf.py``, bound to 127.0.0.1 on a free port, ``DEBUG=0``,
``WEB_CONCURRENCY`` workers, default 5), signs ``--users`` people in by writing their sessions directly (the
sign-in's password hash is measured by bench_hashing.py, not here), then runs that many simulated people
for ``--duration`` seconds: each requests one page of the mix, waits ``--think`` seconds, and so on. The
client is a small asyncio HTTP/1.1 client on the standard library (one connection per request, as
gunicorn's sync workers close it); it talks to 127.0.0.1 only and stops at ``--duration`` or
``--max-requests``, whichever comes first.

The people: bureau administrators (they can open every page of the mix) — the province's, the cities'
and the counties', in that order. The mix, per person, uniformly: the home page, 我的申请, 待我审批, a real
request's page (a repair filed once through the portal's service by someone of the administrator's unit, found
again on later runs), the vehicle ledger, the asset cards and the API's request list. Run bench/run.py --only
pages first (it generates vehicles, cards and requests on top of the organisation). Set REDIS_URL as deployed:
the sessions are then read from Redis (cached_db), as in production. Every page of the mix is requested twice
per worker before the measurement starts.

``LOAD_GUNICORN_CONFIG`` names another gunicorn configuration (bench/gunicorn_measure.py: CPU per request by page,
measured inside the workers).

Prints one JSON line: requests, errors (status ≥ 400 or a failed connection), throughput, median and p95
latency (ms), the CPU the gunicorn processes used per request (ms, from /proc: user + system of the
master and its workers), and the 1-minute load average before and after (the machine may be shared).
"""

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
HOST = "127.0.0.1"
# The location of the repair request filed for each administrator's ticket page (found again on the next run).
BENCH_LOCATION = "bench-load 1号楼 502室"


def _setup() -> None:
    if "bench" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("load: DATABASE_URL must name the bench database (its name contains 'bench')")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-key-not-a-secret-" + "x" * 30)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _people(count: int) -> list[tuple[str, list[str]]]:
    """(session cookie, the person's URLs) for ``count`` bureau administrators."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    from datahub.auth.middleware import RENEWED_KEY
    from datahub.models import OrgUnitUserPermission
    from datahub.roles import Role, permission_codename

    grants = (
        OrgUnitUserPermission.objects.filter(permission__codename=permission_codename(Role.BUREAU_ADMIN))
        .select_related("user", "content_object")
        .order_by("content_object__depth", "content_object__path")[:count]
    )
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    # The backend a signed-in session names: the first that loads users (axes' only counts failures).
    backend = next(p for p in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(p), "get_user"))
    people = []
    for grant in grants:
        user = grant.user
        session = SessionStore()  # the configured engine's: cached_db with Redis, as deployed
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[RENEWED_KEY] = int(time.time())
        session.create()
        urls = ["/", "/portal/mine/", "/portal/inbox/", "/vehicles/vehicles/", "/assets/cards/"]
        urls.append("/api/v1/portal/tickets/?box=mine")
        urls.append(f"/portal/tickets/{_ticket_for(grant.content_object, user)}/")
        people.append((f"{settings.SESSION_COOKIE_NAME}={session.session_key}", urls))
    return people


def _ticket_for(unit, admin) -> int:
    """A real request the administrator oversees: a repair filed (and submitted) through the portal's service
    by someone of the administrator's unit, with its domain detail, steps and timeline; the same one on the
    next run. bench_pages' generated requests have no domain detail, so their pages cannot be shown."""
    from django.core.exceptions import ValidationError

    from datahub.models import User
    from officespace.models import RepairRequest
    from portal import selectors as portal_selectors
    from portal import services as portal

    visible = portal_selectors.visible_tickets(admin)
    filed = RepairRequest.objects.filter(location=BENCH_LOCATION, ticket__in=visible).values_list("ticket", flat=True)
    if pk := filed.order_by("-ticket").first():
        return pk
    colleague = User.objects.filter(org_unit=unit, is_active=True).exclude(pk=admin.pk).order_by("pk").first()
    requester = colleague or admin
    fields = {
        "location": BENCH_LOCATION,
        "category": "air_conditioning",
        "description": "空调不制冷，需上门检修",
        "contact_phone": "13805710001",
    }
    try:
        ticket = portal.file_request(requester=requester, kind_code="repair", detail_fields=fields)
    except ValidationError:  # no approval chain for this unit: the request stays a draft, its page still real
        ticket = portal.file_request(requester=requester, kind_code="repair", detail_fields=fields, submit=False)
    if not visible.filter(pk=ticket.pk).exists():
        sys.exit(f"load: request #{ticket.pk} is not visible to {admin.username}; the mix needs one it oversees")
    return ticket.pk


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its live children (gunicorn's master and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


async def _get(port: int, path: str, cookie: str) -> int:
    reader, writer = await asyncio.open_connection(HOST, port)
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nCookie: {cookie}\r\nX-Forwarded-Proto: https\r\n"
        "Connection: close\r\n\r\n"
    )
    writer.write(request.encode())
    await writer.drain()
    status_line = await reader.readline()
    while await reader.read(65536):
        pass
    writer.close()
    return int(status_line.split()[1]) if status_line else 599


async def _person(port, cookie, urls, think, deadline, budget, latencies, errors, rng):
    await asyncio.sleep(rng.random() * think)  # people do not all click at the same instant
    while time.monotonic() < deadline and budget["left"] > 0:
        budget["left"] -= 1
        path = rng.choice(urls)
        start = time.perf_counter()
        try:
            status = await asyncio.wait_for(_get(port, path, cookie), timeout=60)
        except (OSError, TimeoutError):
            status = 599
        latencies.append((time.perf_counter() - start) * 1000)
        if status >= 400 or status < 200:
            errors[path] = errors.get(path, 0) + 1
        await asyncio.sleep(think)


def _wait_until_up(port: int, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    sys.exit("load: gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description="Load figure against gunicorn on the bench database.")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (at most 600)")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between a person's requests")
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "5")))
    args = parser.parse_args()
    duration = min(args.duration, 600)
    _setup()
    people = _people(args.users)
    port = _free_port()
    env = {
        **os.environ,
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),  # as deployed (deploy/env.example)
        "GUNICORN_BIND": f"{HOST}:{port}",
        "WEB_CONCURRENCY": str(args.workers),
        "GUNICORN_LOG_LEVEL": "warning",
        "FORWARDED_ALLOW_IPS": HOST,
    }
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            os.environ.get("LOAD_GUNICORN_CONFIG", "deploy/gunicorn.conf.py"),
            "--access-logfile",
            "/dev/null",
            "config.wsgi",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        _wait_until_up(port)

        # Every page of the mix, twice per worker, before the measurement: each worker imports, connects and
        # compiles the pages' templates once in its life, which a 60-second run would otherwise count as load.
        async def warm():
            cookie, urls = people[0]
            for url in urls:
                calls = (_get(port, url, cookie) for _ in range(2 * args.workers))
                await asyncio.wait_for(asyncio.gather(*calls), 120)

        asyncio.run(warm())
        load_before = os.getloadavg()[0]
        cpu_before = _cpu_seconds(gunicorn.pid)
        latencies: list[float] = []
        errors: dict[str, int] = {}
        budget = {"left": args.max_requests}
        started = time.monotonic()
        deadline = started + duration

        async def everyone():
            rng = random.Random(17)
            await asyncio.gather(
                *(
                    _person(
                        port, cookie, urls, args.think, deadline, budget, latencies, errors, random.Random(rng.random())
                    )
                    for cookie, urls in people
                )
            )

        asyncio.run(everyone())
        elapsed = time.monotonic() - started
        cpu = _cpu_seconds(gunicorn.pid) - cpu_before
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=60)
    ordered = sorted(latencies)
    print(
        json.dumps(
            {
                "name": "load.mix",
                "users": len(people),
                "think_s": args.think,
                "workers": args.workers,
                "duration_s": round(elapsed, 1),
                "requests": len(ordered),
                "errors": sum(errors.values()),
                "errors_by_path": errors,
                "req_per_s": round(len(ordered) / elapsed, 1),
                "median_ms": round(statistics.median(ordered), 1) if ordered else None,
                "p95_ms": round(ordered[max(0, int(0.95 * len(ordered)) - 1)], 1) if ordered else None,
                "cpu_ms_per_request": round(cpu * 1000 / len(ordered), 1) if ordered else None,
                "load1_before": round(load_before, 2),
                "load1_after": round(os.getloadavg()[0], 2),
                "cpus": os.cpu_count(),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
