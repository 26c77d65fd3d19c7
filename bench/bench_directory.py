"""Directory benchmarks: the scoped people list, the web directory's lists, subtree
queries, the API users list and the people export.

Three people look at the directory: a leader granted on the province root (sees
everyone), a bureau administrator granted on a city, and the approver of one
department. After one warm-up call each, the three are timed ``REPS`` times in turn
(round robin, so a busy moment on a shared machine hits all of them alike); the median
and the 95th percentile (nearest rank) are reported in milliseconds. The Excel export
takes seconds, so it runs once.
"""

import math
import statistics
import time
from functools import partial

from django.core.paginator import Paginator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from datahub import scoping, selectors
from datahub.auth.services import issue_api_token
from datahub.models import OrgUnit, OrgUnitUserPermission, User
from datahub.roles import DIRECTORY_READERS, Role, permission_codename

REPS = 30
PAGE = 50
API_USERS = f"/api/v1/users/?page_size={PAGE}"


def _timings(calls: dict, reps: int = REPS) -> dict[str, dict[str, float]]:
    """label → {"median", "p95"} in ms for each zero-argument call."""
    for call in calls.values():
        call()  # warm-up: connection, caches, query plans
    times = {label: [] for label in calls}
    for _ in range(reps):
        for label, call in calls.items():
            start = time.perf_counter()
            call()
            times[label].append((time.perf_counter() - start) * 1000)
    return {
        label: {"median": statistics.median(t), "p95": sorted(t)[math.ceil(0.95 * len(t)) - 1]}
        for label, t in times.items()
    }


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def _measure(family: str, calls: dict, context: dict) -> tuple[list[dict], dict[str, float]]:
    """Time ``calls`` together: a median and a p95 figure for each (with its context), and the medians."""
    stats = _timings(calls)
    figures = [
        {"name": f"{family}.{label}.{stat}", "value": round(value, 2), "unit": "ms", **context[label], "reps": REPS}
        for label, by_stat in stats.items()
        for stat, value in by_stat.items()
    ]
    return figures, {label: by_stat["median"] for label, by_stat in stats.items()}


def _probes() -> dict[str, tuple[User, OrgUnit]]:
    """label → (person, the unit of their grant), as the generator laid them out."""
    chosen = {
        "leader_province": (Role.LEADER, {"depth": 1}),
        "admin_city": (Role.BUREAU_ADMIN, {"depth": 2, "level": OrgUnit.Level.REGION}),
        "approver_dept": (Role.APPROVER, {"level": OrgUnit.Level.DEPARTMENT}),
    }
    probes = {}
    for label, (role, where) in chosen.items():
        grant = (
            OrgUnitUserPermission.objects.filter(
                permission__codename=permission_codename(role),
                **{f"content_object__{field}": value for field, value in where.items()},
            )
            .select_related("user", "content_object")
            .order_by("content_object__path", "user__username")
            .first()
        )
        probes[label] = (grant.user, grant.content_object)
    return probes


def _scoped_users(user: User) -> tuple[int, list]:
    """The people list as the API builds it: grants looked up afresh, count, then the first page."""
    scoping.forget(user)
    qs = scoping.scope(User.objects.select_related("org_unit"), user, roles=DIRECTORY_READERS)
    return qs.count(), list(qs.order_by("username")[:PAGE])


def _people_page(user: User) -> tuple[int, list]:
    """The web people list (selectors.people_for: active people, by unit path then user name)."""
    scoping.forget(user)
    qs = selectors.people_for(user)
    return qs.count(), list(qs[:PAGE])


def _units_page(user: User) -> tuple[int, list]:
    """The web unit list's first page with each unit's headcount, as views.UnitList builds it."""
    scoping.forget(user)
    page = Paginator(selectors.org_units_for(user), PAGE).get_page(1)
    selectors.attach_headcounts(page.object_list)
    return page.paginator.count, list(page)


def _api_get(client: Client, url: str):
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}: {response.content[:300]!r}")
    return response


def _ratios(family: str, medians: dict[str, float]):
    for wide in ("leader_province", "admin_city"):
        ratio = medians[wide] / medians["approver_dept"]
        yield {"name": f"{family}.ratio.{wide}_vs_approver_dept", "value": round(ratio, 2), "unit": "x", "of": "median"}


def run():
    probes = _probes()

    # (b) the scoped people list through scoping.scope(), and the web directory's people and unit lists
    for family, fn in (("users_orm", _scoped_users), ("people_for_orm", _people_page), ("units_orm", _units_page)):
        calls = {label: partial(fn, user) for label, (user, _) in probes.items()}
        context = {
            label: {"rows_visible": calls[label]()[0], "queries": _queries(calls[label]), "grant_unit": unit.name}
            for label, (_, unit) in probes.items()
        }
        figures, medians = _measure(family, calls, context)
        yield from figures
        yield from _ratios(family, medians)

    # (c) "this unit and everything below it" on the tree itself
    city = probes["admin_city"][1]
    units = {
        "root": probes["leader_province"][1],
        "city": city,
        "institution": OrgUnit.objects.filter(level=OrgUnit.Level.INSTITUTION, path__startswith=city.path).first(),
    }
    calls = {label: OrgUnit.objects.filter(path__startswith=unit.path).count for label, unit in units.items()}
    figures, _ = _measure("subtree_count", calls, {label: {"rows": call()} for label, call in calls.items()})
    yield from figures

    # (d) the same people list through the whole HTTP stack (token auth, DRF, serializer, JSON)
    clients = {}
    for label, (user, _) in probes.items():
        _, token = issue_api_token(user=user)
        clients[label] = Client(headers={"authorization": f"Token {token}"})
    calls = {label: partial(_api_get, client, API_USERS) for label, client in clients.items()}
    context = {
        label: {"rows_visible": call().json()["count"], "queries": _queries(call), "url": API_USERS}
        for label, call in calls.items()
    }
    figures, medians = _measure("users_http", calls, context)
    yield from figures
    yield from _ratios("users_http", medians)
    # ... and the leader's last page: OFFSET pagination reads every row before it
    last = f"{API_USERS}&page={math.ceil(context['leader_province']['rows_visible'] / PAGE)}"
    call = partial(_api_get, clients["leader_province"], last)
    figures, _ = _measure("users_http_last_page", {"leader_province": call}, {"leader_province": {"url": last}})
    yield from figures

    # (e) the web directory's Excel export of everyone visible: at once up to EXPORT_INLINE_MAX_ROWS,
    # else a background job (here Celery is eager, so the job runs right after the request commits;
    # the figure is click-to-file either way, and `mode` says which path it took).
    for label in ("leader_province", "admin_city"):
        user = probes[label][0]
        client = Client()
        client.force_login(user)
        start = time.perf_counter()
        response = client.get(reverse("person-list") + "?export=xlsx", secure=True)
        mode = "inline"
        if response.status_code == 302:
            mode = "background_job"
            response = client.get(response.url.rstrip("/") + "/download/", secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"people export answered {response.status_code}")
        size = sum(len(chunk) for chunk in response.streaming_content)
        yield {
            "name": f"people_export_xlsx.{label}",
            "value": round(time.perf_counter() - start, 2),
            "unit": "s",
            "rows": selectors.people_for(user).count(),
            "bytes": size,
            "mode": mode,
            "reps": 1,
        }
