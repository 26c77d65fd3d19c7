"""List pages against their floor: each page (or API list) through the whole stack next to a ``.values()``
fetch of the same page, for the same person, in the same run.

The data is generated here on top of generate_org (whatever ``--scale``), unless a previous run left it:
10,000 vehicles (generated in SQL, no dispatches), 50,000 asset cards
(generated in SQL), 300 requests filed by one person (``mine``) and 300 requests waiting at one approver's
single-approval step (``inbox``).

Figures (ms, median and p95 of ``PAGES_BENCH_REPS`` = 15 timed calls after one warm-up; the two sides of
a pair are timed in turn, so a busy moment on the shared machine hits both alike):

- ``pages.<page>.http`` — with persistent connections as deployed (``CONN_MAX_AGE=60``), ``GET`` through ``django.test.Client`` signed in with a session (every
  middleware, the view, the template or serializer, the response body), with ``queries``.
- ``pages.<page>.values`` — the floor: the selector the view reads (the grant lookup redone, as in a new
  request), its ``count()`` and the page's rows as ``.values()`` with the columns the page shows.
- ``pages.<page>.ratio`` — median of http ÷ median of values (×). Target: ≤ 2.
- ``pages.<page>.cpu`` — median CPU of this process per call (ms) for http, ``values_cpu`` for the floor and
  their ratio: on a loaded machine the wall-clock medians move with the neighbours, the CPU much less (the
  database server's CPU is in neither).

Pages: ``inbox`` (/portal/inbox/, the approver), ``mine`` (/portal/mine/, the requester), ``vehicles``
(/vehicles/vehicles/, a province bureau administrator: 10,000 vehicles, every unit in the filter),
``cards`` (/assets/cards/, the same administrator: 50,000 cards), ``api_tickets``
(/api/v1/portal/tickets/?box=mine) and ``api_vehicles`` (/api/v1/vehicles/vehicles/).
"""

import os
import random
import statistics
import time
from datetime import timedelta
from functools import partial

from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from datahub import scoping
from datahub.models import OrgUnit, OrgUnitUserPermission, User
from datahub.roles import Role, permission_codename

REPS = int(os.environ.get("PAGES_BENCH_REPS", "15"))
TICKETS = 300
# 50,000 by default; the load figure of #17 is stated for 300,000 (PAGES_BENCH_CARDS=300000 adds the rest).
CARDS = int(os.environ.get("PAGES_BENCH_CARDS", "50000"))
VEHICLES = 10_000
SEED = 17


def _granted(role: str, depth: int) -> User:
    grant = (
        OrgUnitUserPermission.objects.filter(
            permission__codename=permission_codename(role), content_object__depth=depth
        )
        .select_related("user")
        .order_by("content_object__path")
        .first()
    )
    return grant.user


def _tickets(requester: User, approver: User) -> None:
    from portal.models import Status, Ticket, TicketStep

    if Ticket.objects.filter(title__startswith="bench-pages").exists():
        return
    rng = random.Random(SEED)
    now = timezone.now()
    kinds = ["repair", "vehicle_trip", "asset_requisition"]
    with transaction.atomic():
        mine = [
            Ticket(
                kind=rng.choice(kinds),
                title=f"bench-pages 我的申请 {n}",
                requester=requester,
                org_unit_id=requester.org_unit_id,
                status=rng.choice([Status.DONE, Status.IN_REVIEW, Status.DRAFT, Status.APPROVED]),
                submitted_at=now - timedelta(days=n % 90),
                due_at=now + timedelta(hours=48 - n % 96),
            )
            for n in range(TICKETS)
        ]
        waiting = [
            Ticket(
                kind=rng.choice(kinds),
                title=f"bench-pages 待审批 {n}",
                requester=requester,
                org_unit_id=approver.org_unit_id,
                status=Status.IN_REVIEW,
                round=1,
                submitted_at=now - timedelta(hours=n),
                due_at=now + timedelta(hours=48 - n % 96),
            )
            for n in range(TICKETS)
        ]
        Ticket.objects.bulk_create(mine + waiting, batch_size=1000)
        steps = TicketStep.objects.bulk_create(
            [
                TicketStep(
                    ticket=t, round=1, index=1, name="部门审批", role=Role.APPROVER, assigned_unit_id=t.org_unit_id
                )
                for t in waiting
            ]
        )
        TicketStep.assignees.through.objects.bulk_create(
            [TicketStep.assignees.through(ticketstep_id=s.pk, user_id=approver.pk) for s in steps]
        )
        for t, s in zip(waiting, steps, strict=True):
            t.current_step = s
        Ticket.objects.bulk_update(waiting, ["current_step"], batch_size=1000)


def _cards() -> None:
    from assets.models import Asset, Category

    existing = Asset.objects.count()
    if existing >= CARDS:
        return
    import bench_assets

    category = Category.objects.filter(code__startswith="2").order_by("code").first() or Category.objects.first()
    units = list(OrgUnit.objects.filter(level=OrgUnit.Level.INSTITUTION).values_list("pk", flat=True))
    bench_assets._generate_cards(CARDS - existing, units, category.pk, start=existing + 1)


def _fleet() -> None:
    """10,000 vehicles over the institutions, straight in SQL (the ledger's rows; no dispatches)."""
    from vehicles.models import Vehicle

    if Vehicle.objects.count() >= VEHICLES:
        return
    units = list(OrgUnit.objects.filter(level=OrgUnit.Level.INSTITUTION).values_list("pk", flat=True))
    ids = "{" + ",".join(str(i) for i in units) + "}"
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO vehicles_vehicle (plate, vin, category, brand, model_name, energy_type, displacement, seats,
                licence_needed, odometer_km, status, note, created_at, updated_at, org_unit_id, body_type, fixed_use,
                use_scope)
            SELECT '浙P' || lpad(g::text, 5, '0'), 'LPAGES' || lpad(g::text, 11, '0'),
                (ARRAY['other','other','other','special','emergency'])[1 + g %% 5], '红旗', 'H5',
                CASE WHEN g %% 3 = 0 THEN 'bev' ELSE 'gasoline' END,
                CASE WHEN g %% 3 = 0 THEN NULL ELSE 1.5 END, 5, 'C1', 1000 + g * 7 %% 300000,
                CASE WHEN g %% 14 = 0 THEN 'maintenance' ELSE 'available' END, '', now(), now(),
                (%(ids)s::bigint[])[1 + g %% %(n)s], 'sedan', false, 'general'
            FROM generate_series(1, %(count)s) AS g
            """,
            {"ids": ids, "n": len(units), "count": VEHICLES},
        )


def _floors(requester: User, approver: User, admin: User) -> dict:
    """The floor of each page: its selector, count and the page's rows as values()."""
    from assets import selectors as asset_selectors
    from portal import selectors as portal_selectors
    from vehicles import selectors as vehicle_selectors
    from vehicles.models import Vehicle

    ticket_columns = ("pk", "title", "kind", "status", "due_at", "requester__name", "org_unit__name")

    def fresh(user, build, columns, size):
        def call():
            scoping.forget(user)
            qs = build()
            return qs.count(), list(qs.values(*columns)[:size])

        return call

    vehicle_columns = ("pk", "plate", "brand", "model_name", "category", "energy_type", "status", "org_unit__name")
    card_columns = ("pk", "asset_number", "name", "category__name", "original_value", "status", "org_unit__name")
    return {
        "inbox": (
            approver,
            "/portal/inbox/",
            fresh(
                approver,
                lambda: portal_selectors.approval_inbox(approver),
                (*ticket_columns, "current_step__name"),
                30,
            ),
        ),
        "mine": (
            requester,
            "/portal/mine/",
            fresh(requester, lambda: portal_selectors.my_tickets(requester), ticket_columns, 30),
        ),
        "vehicles": (
            admin,
            "/vehicles/vehicles/",
            fresh(admin, lambda: vehicle_selectors.vehicle_ledger(admin), vehicle_columns, 50),
        ),
        "cards": (admin, "/assets/cards/", fresh(admin, lambda: asset_selectors.assets_for(admin), card_columns, 50)),
        "api_tickets": (
            requester,
            "/api/v1/portal/tickets/?box=mine",
            fresh(
                requester,
                lambda: portal_selectors.my_tickets(requester).order_by("-created_at"),
                (*ticket_columns, "submitted_at", "created_at", "round"),
                50,
            ),
        ),
        "api_vehicles": (
            admin,
            "/api/v1/vehicles/vehicles/",
            fresh(
                admin,
                lambda: scoping.scope(Vehicle.objects.all(), admin, roles=vehicle_selectors.FLEET_READERS).order_by(
                    "plate"
                ),
                (*vehicle_columns, "vin", "seats", "odometer_km", "displacement", "asset__asset_number"),
                50,
            ),
        ),
    }


def _count(call) -> int:
    """Statements one call runs (an execute wrapper: DEBUG is off, and a request resets the query log)."""
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        call()
    return len(seen)


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return round(statistics.median(ordered), 2), round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2)


def run():
    t = time.perf_counter()
    requester = User.objects.filter(org_unit__isnull=False, is_active=True).order_by("pk").first()
    approver = _granted(Role.APPROVER, 3)
    admin = _granted(Role.BUREAU_ADMIN, 1)
    _fleet()
    _cards()
    _tickets(requester, approver)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    yield {"name": "pages.generate", "value": round(time.perf_counter() - t, 2), "unit": "s"}

    # Production keeps connections (deploy/env.example: CONN_MAX_AGE=60); the runner's settings do not.
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 60
    clients = {}
    for who in (requester, approver, admin):
        client = Client()
        client.force_login(who)
        clients[who.pk] = client
    for name, (who, url, floor) in _floors(requester, approver, admin).items():
        client = clients[who.pk]
        response = client.get(url, secure=True)  # warm up
        assert response.status_code == 200, (url, response.status_code)
        floor()
        http_queries, floor_queries = _count(partial(client.get, url, secure=True)), _count(floor)
        http, values, http_cpu, values_cpu = [], [], [], []
        for _ in range(REPS):
            start, cpu = time.perf_counter(), time.process_time()
            client.get(url, secure=True)
            http.append((time.perf_counter() - start) * 1000)
            http_cpu.append((time.process_time() - cpu) * 1000)
            start, cpu = time.perf_counter(), time.process_time()
            floor()
            values.append((time.perf_counter() - start) * 1000)
            values_cpu.append((time.process_time() - cpu) * 1000)
        h_median, h_p95 = _stats(http)
        v_median, v_p95 = _stats(values)
        load = os.getloadavg()[0]
        common = {"reps": REPS, "url": url, "load1": round(load, 2)}
        yield {"name": f"pages.{name}.http.median", "value": h_median, "unit": "ms", "p95": h_p95,
               "queries": http_queries, "bytes": len(response.content), **common}  # fmt: skip
        yield {"name": f"pages.{name}.values.median", "value": v_median, "unit": "ms", "p95": v_p95,
               "queries": floor_queries, **common}  # fmt: skip
        yield {"name": f"pages.{name}.ratio", "value": round(h_median / v_median, 2), "unit": "×", **common}
        # This process's CPU alone (the database server's is not in it): what the load average moves least.
        h_cpu, v_cpu = statistics.median(http_cpu), statistics.median(values_cpu)
        yield {"name": f"pages.{name}.cpu", "value": round(h_cpu, 2), "unit": "ms", "values_cpu": round(v_cpu, 2),
               "ratio": round(h_cpu / v_cpu, 2), **common}  # fmt: skip
