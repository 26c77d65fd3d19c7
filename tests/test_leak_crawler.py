"""The cross-unit leak crawler (issue #16): for every demo role held on agency A, every URL of the
API, the pages and the admin is requested with the ids of agency B's rows; no response may show a
row of B (its ``LKB-`` marker) and no request may change a row of B.

- The URLs come from Django's resolver (tests/leak_routes.py), the world from the factories and
  the services (tests/leak_world.py), built once per module inside a transaction that is rolled
  back at the end; a case is one role and one group of routes (an app's pages, its API, its admin)
  and runs in its own savepoint (the ``db`` fixture), every route in a savepoint inside it.
- A path parameter is filled with the id of B's row of the model behind it; a URL with a parameter
  that nothing resolves fails ``test_every_url_with_parameters_is_crawled``.
- Detail and action URLs of B's rows must answer 403/404 (405 where the method does not exist; the
  admin redirects a missing object to its index, and someone without admin access to its login).
- Writes: when a route wrote anything at all (the connection's change counter moved), the rows of B
  (every unit-owned model, by the unit path its admin or viewset scopes on) must equal the snapshot
  taken when the world was built.
- A list page that links its Excel export is exported too, and the file's cells are searched; a list
  URL that refuses GET (a bulk action) is posted with B's ticket ids and B's unit.
"""

import io
import json
import shutil
import tempfile
import zipfile
from collections import Counter

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings

from datahub.admin_mixins import ScopedAdminMixin
from datahub.api.viewsets import ScopedModelViewSet, ScopedReadOnlyModelViewSet

from . import leak_routes, leak_world
from .leak_routes import Route
from .signed_in import signed_in_as_production

MARK = leak_world.MARK_OTHER.encode()
ROUTES = [r for r in leak_routes.all_routes() if not leak_routes.skip_reason(r)]
ROLES = list(leak_world.ROLES)
STATS = Counter()

# Models with no unit: reference data and platform-wide rows, the same for every unit. Their object
# URLs are not crawled (there is no "other unit's" row); their lists are.
GLOBAL_MODELS = {
    "auth.group": "role groups, the same for the whole platform",
    "axes.accessattempt": "sign-in attempts (superuser only)",
    "axes.accesslog": "sign-in log (superuser only)",
    "axes.accessfailurelog": "failed sign-ins (superuser only)",
    "datahub.directorycheck": "the nightly directory check run",
    "officespace.standardversion": "the 2014 standards, reference data",
    "officespace.areastandard": "the 2014 standards, reference data",
    "officespace.rankmapping": "the 2014 standards, reference data",
    "assets.category": "GB/T 14885 categories, reference data",
    "assets.capitalisationthreshold": "reference data",
    "assets.configstandardversion": "configuration standards, reference data",
    "assets.configstandard": "configuration standards, reference data",
    "assets.assetnumbersequence": "the platform's numbering counter",
    "assets.depreciationrun": "a platform-wide monthly run",
    "vehicles.purchasecapversion": "purchase caps, reference data",
    "vehicles.purchasecap": "purchase caps, reference data",
    "telematics.calendarday": "the working calendar, reference data",
    "energy.coefficientversion": "conversion coefficients, reference data",
    "energy.coefficient": "conversion coefficients, reference data",
    "energy.gridfactor": "conversion coefficients, reference data",
    "energy.quota": "energy quotas per category, reference data",
    "energy.target": "十四五 targets, reference data",
    "energy.reportingperiod": "reporting periods, the same for every unit",
    "assessment.framework": "the indicator framework, reference data",
    "datahub.dataset": "the one data-sharing catalog, metadata shared with every unit by design",
    "oauth2_provider.application": "registered systems: superuser-only in the admin (the unified-identity issue scopes them)",
    "oauth2_provider.accesstoken": "OAuth2 tokens: superuser-only in the admin",
    "oauth2_provider.refreshtoken": "OAuth2 tokens: superuser-only in the admin",
    "oauth2_provider.idtoken": "OpenID Connect tokens: superuser-only in the admin",
    "oauth2_provider.grant": "OAuth2 authorization codes: superuser-only in the admin",
}
# Unit-owned models that neither a scoped ModelAdmin nor a scoped viewset names: how their rows reach a unit.
EXTRA_UNIT_PATHS = {
    "portal.notification": "user__org_unit",
    "portal.timelineentry": "ticket__org_unit",
    "portal.ticketstep": "ticket__org_unit",
    "portal.steppart": "step__ticket__org_unit",
    "portal.assistpart": "ticket__org_unit",
    "portal.supervision": "ticket__org_unit",
    "portal.bundle": "org_unit",
    # A meeting-room booking belongs to the unit of the room it holds (its space administrator manages it).
    "officespace.roombooking": "room__org_unit",
    "datahub.exportjob": "user__org_unit",
    "datahub.importjob": "user__org_unit",
    "datahub.apitoken": "user__org_unit",
    "datahub.auditentry": "subject_unit",
    "datahub.passwordrecord": "user__org_unit",
    # Unified identity: a system's OAuth2 client and its tokens belong to the system's unit; a person's
    # subject identifier to the person's.
    "datahub.subject": "user__org_unit",
    "datahub.consent": "user__org_unit",
    "oauth2_provider.application": "registration__org_unit",
    "oauth2_provider.refreshtoken": "application__registration__org_unit",
    "oauth2_provider.grant": "application__registration__org_unit",
    "oauth2_provider.idtoken": "application__registration__org_unit",
    "vehicles.vehiclephoto": "vehicle__org_unit",
    "telematics.position": "vehicle__org_unit",
    "datahub.trailrecord": "caller_unit",
    "commandcenter.unitmonth": "org_unit",
    # A background analysis is read as its result is: by the round's scope.
    "assessment.analysisjob": "round__org_unit",
}
# Unit-owned models the two-unit world does not build yet (their URLs are reported as not crawled).
NOT_BUILT = {
    "officespace.adjustmentrecord": "needs a completed 用房调整; its pages are the ticket's, crawled",
    "assessment.score": "scoring compares cases: one case of B's round gets no score",
}
# The 公物仓 is shared between units by design: any unit may open and ask for another unit's listing.
SHARED = {"assetpool.poollisting"}

# Which of B's rows a route acts on where a model has several (a ticket in the state the action needs).
PREFERRED = {
    "portal:edit": "draft",
    "portal:submit": "draft",
    "ticket-submit": "draft",
    "portal:start": "trip_waiting",
    "ticket-start": "trip_waiting",
    "portal:complete": "trip",
    "ticket-complete": "trip",
    "portal:rate": "repaired",
    "ticket-rate": "repaired",
    "vehicles:assign": "trip_waiting",
}
DEFAULT_OBJECT = {"portal.ticket": "waiting", "datahub.user": "clerk", "datahub.orgunit": None}

# One body for every write: the fields the actions ask for, with values that would pass, so that a
# missing scope check shows as a write rather than hiding behind a validation error.
BODY = {
    "decision": "approved",
    "comment": "LKA-probe",
    "rating": 5,
    "reason": "LKA-probe",
    "note": "LKA-probe",
    "purpose": "LKA-probe",
    "odometer_km": 10100,
    "acknowledge": True,
    "status": "idle",
    "end_date": "2026-02-01",
    "ended_on": "2026-02-01",
    "way": "transfer",
    "name": "LKA-probe",
    "title": "LKA-probe",
    "serial": "LKA-probe",
    "polygon_text": "120.0,30.0\n120.2,30.0\n120.2,30.2",
    "post": "yes",
    "ticket": [],
}


def bulk_body(world) -> dict:
    from portal.models import Ticket

    tickets = list(rows_of(Ticket, world.b).values_list("pk", flat=True))
    return {**BODY, "ticket": tickets, "ids": tickets, "org_unit": world.b.pk, "unit": world.b.pk, "year": 2025}


def unit_paths() -> dict[str, str]:
    """``{"app.model": unit path}`` of every unit-owned model, as its admin or API viewset scopes it."""
    out = {}
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, ScopedAdminMixin):
            out[model._meta.label_lower] = model_admin.unit_field
    for route in leak_routes.all_routes():
        cls = getattr(route.callback, "cls", None)
        if (
            isinstance(cls, type)
            and issubclass(cls, ScopedModelViewSet | ScopedReadOnlyModelViewSet)
            and cls.queryset is not None
        ) and _is_unit_path(cls.queryset.model, cls.unit_field):
            out.setdefault(cls.queryset.model._meta.label_lower, cls.unit_field)
    out.update(EXTRA_UNIT_PATHS)
    return out


def _is_unit_path(model, path: str) -> bool:
    """Does ``path`` lead from ``model`` to an OrgUnit? (A viewset that overrides get_queryset keeps the
    default ``unit_field`` it never uses.)"""
    from django.core.exceptions import FieldDoesNotExist

    for part in filter(None, path.split("__")):
        try:
            model = model._meta.get_field(part).related_model
        except FieldDoesNotExist:
            return False
        if model is None:
            return False
    return model._meta.label_lower == "datahub.orgunit"


UNIT_PATHS = unit_paths()


def rows_of(model, unit):
    path = UNIT_PATHS[model._meta.label_lower]
    lookup = f"{path}__path__startswith" if path else "path__startswith"
    return model._default_manager.filter(**{lookup: unit.path})


def snapshot(world, labels=None) -> dict:
    """B's rows of every unit-owned model (of ``labels`` only, where given)."""
    from django.apps import apps

    out = {}
    for label in UNIT_PATHS if labels is None else labels:
        model = apps.get_model(label)
        if model._meta.proxy:
            continue
        out[label] = list(rows_of(model, world.b).order_by("pk").values())
    return out


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, request):
    """The two-unit world, built once for the module and rolled back after it; the crawl's figures
    are printed at the end of the run."""
    request.addfinalizer(lambda: _report(request.config))
    media = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="leak-crawler-"))
    media.enable()
    request.addfinalizer(lambda: (media.disable(), shutil.rmtree(media.options["MEDIA_ROOT"], ignore_errors=True)))
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = leak_world.build()
            built.before = snapshot(built)
            built.written = tables_written()
            built.fillings = {}
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _report(config) -> None:
    if not STATS["cases"]:
        return
    line = (
        "leak crawler: {cases} cases (role × group of routes), {urls} URLs, {requests} requests "
        "({exports} Excel exports, {bulk} bulk actions posted with B's ids), "
        "{leak} leaks, {write} writes, {answered} object URLs answered; in the known holes (xfail): "
        "{known leak} leaks, {known write} writes, {known answered} answered; "
        "{not_crawled} routes not crawled (reasons in the test)"
    ).format_map(STATS)
    capture = config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print("\n" + line)


# --- Filling a route's parameters with B's ids --------------------------------------------------------


class NoObject(Exception):
    pass


def other_object(world, model, route: Route):
    label = model._meta.label_lower
    if label not in UNIT_PATHS:
        raise NoObject(GLOBAL_MODELS.get(label) or f"{label}: a model with no unit path and no reason")
    side = world.sides["B"]
    attr = PREFERRED.get(route.name, DEFAULT_OBJECT.get(label))
    if attr and hasattr(side, attr):
        return getattr(side, attr)
    if label == "datahub.orgunit":
        return world.b
    obj = rows_of(model, world.b).order_by("pk").first()
    if obj is None:
        raise NoObject(NOT_BUILT.get(label) or f"{label}: the world has no row of agency B")
    return obj


def fillings(world, route: Route) -> list[dict]:
    """The parameter values to request ``route`` with (several for a slug that names an action)."""
    from assets.views import ACTIONS

    models = leak_routes.param_models(route)
    values, expand = {}, [{}]
    args = []
    obj = None
    for param, target in models.items():
        if target == "case_unit":
            value = world.b1.pk
        elif target == "computed_indicator":
            value = world.sides["B"].round.framework.indicators.exclude(source="").order_by("pk").first().pk
        elif target == "year":
            value = 2025
        elif target == "month":
            value = 1
        elif target == "kind_code":
            value = "repair"
        elif target == "catalog_code":
            value = "1-01-001.0001"
        elif target == "asset_number":
            from assets.models import Asset

            value = other_object(world, Asset, route).asset_number
        elif target == "asset_action":
            expand = [{"action": a} for a in ACTIONS]
            continue
        elif target == "app_label":
            expand = [{"app_label": a} for a in sorted({m._meta.app_label for m in admin.site._registry})]
            continue
        elif target == "history_id":
            value = obj.history.order_by("-history_id").first().history_id
        elif isinstance(target, type):
            obj = other_object(world, target, route)
            value = obj.pk
        else:  # pragma: no cover - a new kind of target
            raise AssertionError(f"unknown parameter target {target!r}")
        if param.startswith("_arg"):
            args.append(value)
        else:
            values[param] = value
    if args:
        values["_args"] = tuple(args)
    return [{**values, **e} for e in expand]


# --- Requests --------------------------------------------------------------------------------------


def methods_of(route: Route) -> list[str]:
    actions = getattr(route.callback, "actions", None)
    if actions:
        # PUT and PATCH reach the same update(); PATCH with the probe body is the one that could pass.
        found = [m for m in ("get", "post", "patch", "delete") if m in actions]
    else:
        cls = getattr(route.callback, "cls", None) or getattr(route.callback, "view_class", None)
        found = [m for m in ("get", "post", "put", "patch", "delete") if hasattr(cls, m)] if cls else ["get", "post"]
    if not route.params:
        # A list or a page: read it. Creating rows is not an object URL of B (the services refuse a
        # unit outside the actor's scope; their tests say so).
        return ["get"]
    return found or ["get"]


def body_of(response) -> bytes:
    """The response's bytes; an Excel file (a zip) is read member by member, so its cells are searched."""
    raw = b"".join(response.streaming_content) if hasattr(response, "streaming_content") else response.content
    if raw.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(raw)) as book:
            return b"".join(book.read(name) for name in book.namelist())
    return raw


def request(client, route: Route, url: str, method: str, body: dict = BODY):
    STATS["requests"] += 1
    if route.surface == "api":
        data = json.dumps(body) if method in ("post", "put", "patch") else None
        return client.generic(method.upper(), url, data or "", content_type="application/json")
    if method == "get":
        return client.get(url)
    return client.post(url, body)


def allowed(route: Route, method: str, response) -> bool:
    """May ``response`` answer a request for B's row at ``route``?"""
    code = response.status_code
    if code in (403, 404, 405):
        return True
    if code == 302 and route.surface == "admin":
        # The admin answers an object outside the queryset by redirecting to its index, and
        # someone without admin access to its login page.
        return response["Location"].rstrip("/").endswith("/admin") or "/admin/login/" in response["Location"]
    return bool(code == 302 and "/accounts/login/" in response["Location"])


# The sum of n_tup_ins + n_tup_upd + n_tup_del over pg_stat_xact_user_tables, the same relations and the same
# counters, without the view's join to every index and its eight other counters per table: asked twice per route
# (≈ 16,000 times a run), the view cost the server ≈ 3× this. The session table is counted apart: the minute's
# idle stamp (datahub.auth.middleware.IdleSessionMiddleware) writes it whenever a case runs longer than a minute,
# and no row of it is in the snapshot, so its writes only empty the crawl's cache (tests/signed_in.py), never wake
# a snapshot.
XACT_CHANGES = """
    SELECT coalesce(sum(w) FILTER (WHERE relname <> 'django_session'), 0),
           coalesce(sum(w) FILTER (WHERE relname = 'django_session'), 0)
    FROM (SELECT c.relname, pg_stat_get_xact_tuples_inserted(c.oid) + pg_stat_get_xact_tuples_updated(c.oid)
                            + pg_stat_get_xact_tuples_deleted(c.oid) AS w
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 't', 'm', 'p')
            AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast') t
"""


def changes() -> tuple[int, int]:
    """Rows written by this connection so far, outside the session table and in it: a cheap tripwire before the
    full snapshot of B's rows (SQLite counts every table in the first figure)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(XACT_CHANGES)
            rows, sessions = cursor.fetchone()
            return int(rows), int(sessions)
        cursor.execute("SELECT total_changes()")
        return int(cursor.fetchone()[0]), 0


# The same counters per table, a partition counted as its partitioned table. Asked only after a route that wrote, so
# that only the unit-owned models whose tables moved are compared with the snapshot (≈ 80 queries each time before).
XACT_CHANGES_BY_TABLE = """
    SELECT coalesce(i.inhparent, c.oid)::regclass::text,
           sum(pg_stat_get_xact_tuples_inserted(c.oid) + pg_stat_get_xact_tuples_updated(c.oid)
               + pg_stat_get_xact_tuples_deleted(c.oid))
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    GROUP BY 1
"""


def tables_written() -> dict[str, int] | None:
    """Rows written by this connection so far, per table; None where the database does not count them per table
    (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(XACT_CHANGES_BY_TABLE)
        return {name.strip('"'): int(count) for name, count in cursor.fetchall()}


def written_labels(world) -> list[str] | None:
    """The unit-owned models whose tables were written since the last time this was asked (None: every model, where
    the database cannot tell). The counters count what was attempted and never go back, a rolled-back savepoint's
    included, and a route that wrote nothing moved none of them: so the last reading is where this route started."""
    from django.apps import apps

    now = tables_written()
    if now is None:
        return None
    moved = {table for table, count in now.items() if count != world.written.get(table, 0)}
    world.written = now
    return [label for label in UNIT_PATHS if apps.get_model(label)._meta.db_table in moved]


def object_params(route: Route) -> bool:
    """Does the route name one of B's rows (as opposed to a slug, a year or an app label)?"""
    return any(isinstance(t, type) for t in (leak_routes.param_models(route) or {}).values())


def fillings_of(world, route: Route) -> list[dict]:
    """``fillings`` once per route for the module: B's rows are the same for every role (each route's writes are
    rolled back, and the snapshot proves B's rows unchanged), and the look-ups cost a query or more per route."""
    if route not in world.fillings:
        try:
            world.fillings[route] = fillings(world, route)
        except NoObject as exc:
            world.fillings[route] = exc
    found = world.fillings[route]
    if isinstance(found, NoObject):
        raise found
    return found


def crawl_route(world, client, route: Route, problems: list, not_crawled: list) -> bool:
    """Request ``route`` with B's ids and note what is wrong; True if the route wrote anything (session included)."""
    try:
        fills = fillings_of(world, route)
    except NoObject as exc:
        reason = str(exc)
        if "no reason" in reason or "no row of agency B" in reason:
            problems.append(f"NOT CRAWLED {route.id}: {reason}")
        else:
            not_crawled.append(f"{route.id}: {reason}")
        return False
    STATS["urls"] += len(fills)
    on_object = object_params(route)
    shared = on_object and any(
        isinstance(t, type) and t._meta.label_lower in SHARED for t in leak_routes.param_models(route).values()
    )
    before = changes()
    for values in fills:
        url = route.url(values)
        for method in methods_of(route):
            response = request(client, route, url, method)
            body = body_of(response)
            if shared:
                # A listing names the person who published it: the contact for a shared item.
                body = body.replace(world.sides["B"].asset.name.encode(), b"")
            if MARK in body:
                problems.append(f"LEAK {method.upper()} {url} → {response.status_code}")
            if on_object and not shared and not allowed(route, method, response):
                problems.append(f"ANSWERED {method.upper()} {url} → {response.status_code}")
            if method == "get" and not route.params and response.status_code == 405:
                # An action on many rows at once (bulk approval, mark as read, submit a period): post
                # it with B's ids and B's unit wherever the body could name them.
                posted = request(client, route, url, "post", bulk_body(world))
                STATS["bulk"] += 1
                if MARK in body_of(posted):
                    problems.append(f"LEAK POST {url} → {posted.status_code}")
            if method == "get" and route.surface == "page" and b"export=xlsx" in body:
                # The list offers its Excel export: the file must not hold B's rows either.
                exported = request(client, route, f"{url}?export=xlsx", "get")
                STATS["exports"] += 1
                if MARK in body_of(exported):
                    problems.append(f"LEAK GET {url}?export=xlsx → {exported.status_code}")
    after = changes()
    if after[0] != before[0]:
        for label, rows in snapshot(world, written_labels(world)).items():
            if rows != world.before[label]:
                problems.append(f"WRITE {label} changed by {route.id}")
    return after != before


def crawl(world, role: str, routes: list[Route]) -> tuple[list[str], list[str]]:
    problems, not_crawled = [], []
    # Signed in as production is (tests/signed_in.py). A route that wrote anything is rolled back and the cache
    # emptied after it (_crawl_routes), so every route meets the session and the user as the rows hold them.
    with signed_in_as_production():
        client = Client()
        client.force_login(world.roles[role])
        _crawl_routes(world, client, routes, problems, not_crawled)
    return problems, not_crawled


def _crawl_routes(world, client, routes, problems, not_crawled) -> None:
    for route in routes:
        # Each route in its own savepoint: what one request did (or failed to refuse) is undone
        # before the next, so every route meets the world as it was built.
        with transaction.atomic():
            wrote = crawl_route(world, client, route, problems, not_crawled)
            transaction.set_rollback(True)
        if wrote:
            cache.clear()


# --- The cases: one per role and group of routes (an app's pages, its API, its admin) -------------------


def group_of(route: Route) -> str:
    if route.surface == "admin":
        if route.name.endswith(("_history", "_simple_history")):
            return "admin-history"
        model, _, _ = leak_routes.admin_model(route)
        return f"admin-{model._meta.app_label}" if model else "admin-site"
    parts = route.pattern.split("/")
    if route.surface == "api":
        head = parts[2] if len(parts) > 3 and parts[2] and not parts[2].startswith("^") else "datahub"
        return f"api-{head}"
    return f"page-{parts[0] or 'home'}" if parts[0] not in ("directory", "exports", "accounts", "") else "page-datahub"


GROUPS: dict[str, list[Route]] = {}
for _route in ROUTES:
    GROUPS.setdefault(group_of(_route), []).append(_route)

# Cases that are known to leak, with the reason; a case listed here must fail (strict xfail), so a
# fixed hole cannot stay listed. Empty since the admin's history pages were scoped (issue #16 item 1).
KNOWN_HOLES: dict[tuple[str, str], str] = {}


def _case(role: str, group: str):
    reason = KNOWN_HOLES.get((group, role))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(role, group, id=f"{role}-{group}", marks=marks)


CASES = [_case(role, group) for role in ROLES for group in sorted(GROUPS)]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "group"), CASES)
def test_no_role_of_one_unit_reads_or_writes_another_units_rows(world, role, group):
    STATS["cases"] += 1
    problems, not_crawled = crawl(world, role, GROUPS[group])
    STATS["not_crawled"] += len(not_crawled)
    prefix = "known " if (group, role) in KNOWN_HOLES else ""
    for problem in problems:
        STATS[prefix + problem.split()[0].lower()] += 1
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_crawler_sees_what_a_superuser_may_read_and_change(world):
    """The control: the superuser may read and change agency B's rows, so the same crawl must report
    leaks, answered object URLs and writes — the crawler's checks do look at what comes back."""
    problems = []
    with signed_in_as_production():
        client = Client()
        client.force_login(world.root)
        _crawl_routes(world, client, GROUPS["page-vehicles"] + GROUPS["admin-telematics"], problems, [])
    kinds = {p.split()[0] for p in problems}
    assert {"LEAK", "ANSWERED", "WRITE"} <= kinds, problems


def test_every_url_with_parameters_is_crawled():
    unresolved = leak_routes.unresolved(leak_routes.all_routes())
    assert not unresolved, "URLs with parameters that the crawler cannot fill:\n" + "\n".join(unresolved)


def test_every_model_behind_a_url_has_a_unit_or_a_reason():
    labels = set()
    for route in ROUTES:
        for target in (leak_routes.param_models(route) or {}).values():
            if isinstance(target, type):
                labels.add(target._meta.label_lower)
    missing = sorted(labels - set(UNIT_PATHS) - set(GLOBAL_MODELS))
    assert not missing, f"models behind URLs with neither a unit path nor a reason: {missing}"
