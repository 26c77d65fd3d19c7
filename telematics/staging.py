"""Ingestion on PostgreSQL, set-based: after the terminal's row lock, one statement takes a terminal's read
batch as arrays (binary parameters, unnested), checks every point, stores the new ones with ``INSERT …
SELECT … RETURNING`` and evaluates the alert rules as window queries over the points it returned — no Python
loop over the points after they are read, three statements a batch (lock, this one, the alerts' writes).

The rules are those of ``selectors.violations`` and ``services._evaluate`` (the Python path, which SQLite
runs), and ``tests/telematics/test_ingest_paths.py`` feeds the same batches through both and compares the
alerts. Their settings are not copied here: the rule in force is the nearest ``AlertRule`` (joined on the
unit path) or ``rules.DEFAULT_RULES`` (passed as arrays), the working hours and working day kinds come from
``rules``, the calendar and the fences are joined from their tables, and the booked windows are the
vehicles app's (``vehicles.selectors.booked_windows_sql``, a subquery of the statement on the dispatches'
(vehicle, window end) index).

Episodes are gaps and islands: a violating point more than the rule's gap after the previous violating
point of the same rule starts a new island. An island that continues an alert of the same vehicle and
kind (within the gap, before or after) extends it — the alert state carried over from earlier batches —
the latest-starting one when several do, as the Python path picks it. The alerts' lines (``detail``) are
written by ``rules.alert_detail`` in Python, so they read exactly as on the other path.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.db.backends.postgresql.base import ServerBindingCursor
from django.utils import timezone
from psycopg import Pipeline
from psycopg.pq import TransactionStatus

from datahub import keyed
from datahub.models import OrgUnit
from vehicles import selectors as fleet

from . import rules
from .models import Alert, AlertRule, CalendarDay, Geofence, Position, Terminal
from .rules import AlertKind

# The batch's readings, one array per field (rules.Reading, as rules.read_batch lists them), unnested in the
# statement: no temporary table, no COPY (two round trips), nothing to empty after. ``idx`` is the point's place in the batch (from 0).
STAGE = "staged"
STAGE_COLUMNS = ("time", "time_reason", "lat", "lon", "speed", "ignition", "vehicle_reason", "whole_reason")
_STAGE_TYPES = ("timestamptz", "text", "float8", "float8", "float8", "bool", "text", "text")
_UNNEST = ", ".join(f"%({c})b::{t}[]" for c, t in zip(STAGE_COLUMNS, _STAGE_TYPES, strict=True))
_QUOTED = ", ".join(f'"{c}"' for c in STAGE_COLUMNS)
STAGED = f"SELECT ord - 1 AS idx, s.* FROM unnest({_UNNEST}) WITH ORDINALITY AS s({_QUOTED}, ord)"

# The terminal's row lock first, in a statement of its own: two batches of one terminal are stored and
# evaluated one after the other, and the next statement's snapshot sees the earlier batch's points and alerts.
LOCK = f"UPDATE {Terminal._meta.db_table} SET last_seen_at = %(now)s WHERE id = %(terminal)s"

# One pass over the staged batch: every bad point with every reason (in the order of rules.reading_reasons).
CHECKED = f"""
    SELECT idx, coalesce(whole_reason, nullif(concat_ws('；',
        vehicle_reason,
        coalesce(time_reason, CASE WHEN "time" > %(latest)s THEN %(time_ahead)s::text END),
        CASE WHEN lat IS NULL THEN %(lat_unreadable)s::text
             WHEN NOT lat BETWEEN %(lat_low)s AND %(lat_high)s THEN %(lat_range)s::text END,
        CASE WHEN lon IS NULL THEN %(lon_unreadable)s::text
             WHEN NOT lon BETWEEN %(lon_low)s AND %(lon_high)s THEN %(lon_range)s::text END,
        CASE WHEN speed IS NULL THEN %(speed_unreadable)s::text
             WHEN speed < 0 THEN %(speed_negative)s::text
             WHEN speed > %(speed_max)s THEN %(speed_implausible)s::text END,
        CASE WHEN ignition IS NULL THEN %(ignition_bad)s::text END
    ), '') || '。') AS reason
    FROM {STAGE}"""

_CHECK_PARAMS = {
    "time_ahead": rules.TIME_AHEAD,
    "lat_unreadable": rules.LAT.unreadable,
    "lat_low": rules.LAT.low,
    "lat_high": rules.LAT.high,
    "lat_range": rules.LAT.out_of_range,
    "lon_unreadable": rules.LON.unreadable,
    "lon_low": rules.LON.low,
    "lon_high": rules.LON.high,
    "lon_range": rules.LON.out_of_range,
    "speed_unreadable": rules.SPEED_UNREADABLE,
    "speed_negative": rules.SPEED_NEGATIVE,
    "speed_max": rules.MAX_PLAUSIBLE_SPEED_KMH,
    "speed_implausible": rules.SPEED_IMPLAUSIBLE,
    "ignition_bad": rules.IGNITION_NOT_BOOLEAN,
}

_POSITION = Position._meta.db_table
_ALERT = Alert._meta.db_table
_UNIT = OrgUnit._meta.db_table

# The vehicle's live dispatch windows overlapping the new points' span widened by the grace (the vehicles app's SQL).
_BOOKED = fleet.booked_windows_sql(
    vehicle="%(vehicle)s", start="(SELECT first FROM span) - %(grace)s", end="(SELECT last FROM span) + %(grace)s"
)

# Check the batch, store its new points and find the rules' episodes in them, in one statement: one
# row per episode (kind NULL when there is none), each with the alert it continues, and the batch's counts and
# its bad points on every row. With any bad point nothing is stored (the caller raises and rolls back).
STORE_AND_EVALUATE = f"""
WITH {STAGE} AS ({STAGED}
), checked AS ({CHECKED}
), bad AS (
    SELECT count(*) AS n, coalesce(json_agg(json_build_object('index', idx, 'reason', reason) ORDER BY idx), '[]')
           AS points
    FROM checked WHERE reason IS NOT NULL
), overlap AS (
    -- is any point of the vehicle stored within the batch's span already (a re-sent or buffered batch)? Only
    -- then can a new point be a duplicate, and only then is each one looked up (the terminal's row lock keeps
    -- the answer true until the insert; ON CONFLICT's speculative insertion costs three times a plain insert)
    -- The span's bounds come as parameters (computed in Python from the same readings), not from the staged
    -- rows: a generic plan then prunes the month partitions when it starts, instead of opening every attached
    -- month's index on each batch and skipping them later.
    SELECT EXISTS (
        SELECT 1 FROM {_POSITION}
        WHERE vehicle_id = %(vehicle)s AND "time" BETWEEN %(first)s AND %(last)s
    ) AS yes
), batch AS (
    -- repeated in the batch: the first one sent counts
    SELECT DISTINCT ON ("time") "time", lat, lon, speed, ignition FROM {STAGE}
    WHERE (SELECT n FROM bad) = 0
    ORDER BY "time", idx
), fresh AS (
    INSERT INTO {_POSITION} (vehicle_id, "time", lat, lon, speed, ignition)
    SELECT %(vehicle)s, "time", lat, lon, speed, ignition FROM batch b
    WHERE NOT ((SELECT yes FROM overlap) AND EXISTS (
        SELECT 1 FROM {_POSITION} p
        WHERE p.vehicle_id = %(vehicle)s AND p."time" = b."time" AND p."time" BETWEEN %(first)s AND %(last)s))
    RETURNING "time", lat, lon, speed, ignition
), span AS (
    SELECT count(*) AS stored, min("time") AS first, max("time") AS last FROM fresh
), moved AS (
    -- the greatest of the stored and the new: a batch of older, buffered points does not move it back
    UPDATE {Terminal._meta.db_table} t SET last_position_at = span.last FROM span
    WHERE t.id = %(terminal)s AND span.last IS NOT NULL
      AND (t.last_position_at IS NULL OR t.last_position_at < span.last)
), back AS (
    -- the terminal reports again: its offline episode ends now
    UPDATE {_ALERT} SET ended_at = %(now)s
    WHERE vehicle_id = %(vehicle)s AND kind = %(offline)s AND ended_at IS NULL AND (SELECT n FROM bad) = 0
), rule AS (
    -- each kind's setting in force: the nearest unit's at or above the vehicle's, else the global one,
    -- else the default
    SELECT DISTINCT ON (kind) kind, enabled, threshold, make_interval(mins => gap_minutes) AS gap FROM (
        SELECT r.kind, r.enabled, r.threshold, r.gap_minutes, coalesce(length(u.path), 0) AS depth
        FROM {AlertRule._meta.db_table} r LEFT JOIN {_UNIT} u ON u.id = r.org_unit_id
        WHERE r.org_unit_id IS NULL OR left(%(path)s, length(u.path)) = u.path
        UNION ALL
        SELECT d.kind, true, d.threshold, d.gap_minutes, -1
        FROM unnest(%(default_kinds)s::text[], %(default_thresholds)s::float8[], %(default_gaps)s::int[])
             AS d(kind, threshold, gap_minutes)
    ) settings
    ORDER BY kind, depth DESC
), fence AS (
    SELECT g.id, g.polygon, length(u.path) AS depth
    FROM {Geofence._meta.db_table} g JOIN {_UNIT} u ON u.id = g.org_unit_id
    WHERE g.is_active AND left(%(path)s, length(u.path)) = u.path
), polygon AS (
    -- the active fences of the nearest unit at or above the vehicle's that has any
    SELECT id, polygon FROM fence
    WHERE depth = (SELECT max(depth) FROM fence) AND jsonb_array_length(polygon) >= 3
), vertex AS (
    SELECT p.id, v.k, count(*) OVER (PARTITION BY p.id) AS n, (v.xy->>0)::float8 AS x, (v.xy->>1)::float8 AS y
    FROM polygon p, jsonb_array_elements(p.polygon) WITH ORDINALITY AS v(xy, k)
), edge AS (
    -- vertex i and the one before it (the last before the first), as rules.point_in_polygon walks them
    SELECT i.id, i.x AS xi, i.y AS yi, j.x AS xj, j.y AS yj
    FROM vertex i JOIN vertex j ON j.id = i.id AND j.k = CASE WHEN i.k = 1 THEN i.n ELSE i.k - 1 END
), inside AS (
    -- rules.point_in_polygon, edge by edge: an odd number of crossings (the pairs that cross, counted per point
    -- and fence), or on an edge
    SELECT f."time" FROM fresh f JOIN edge e
        ON (e.yi > f.lat) <> (e.yj > f.lat) AND f.lon < e.xi + (f.lat - e.yi) * (e.xj - e.xi) / (e.yj - e.yi)
    GROUP BY f."time", e.id HAVING count(*) %% 2 = 1
    UNION ALL
    SELECT f."time" FROM fresh f JOIN edge e
        ON least(e.xi, e.xj) <= f.lon AND f.lon <= greatest(e.xi, e.xj)
        AND least(e.yi, e.yj) <= f.lat AND f.lat <= greatest(e.yi, e.yj)
        AND abs((e.xj - e.xi) * (f.lat - e.yi) - (e.yj - e.yi) * (f.lon - e.xi)) < 1e-12
), booking AS MATERIALIZED (
    SELECT w.since - %(grace)s AS since, w.until + %(grace)s AS until FROM ({_BOOKED}) w
), here AS MATERIALIZED (
    -- the local time once per point (materialized: inlined, it would be recomputed for every rule)
    SELECT "time", lat, lon, speed, ignition, "time" AT TIME ZONE %(tz)s AS local FROM fresh
), point AS MATERIALIZED (
    SELECT f."time", f.lat, f.lon, f.speed, f.ignition,
        coalesce(c.kind, CASE WHEN extract(isodow FROM f.local) < 6 THEN %(workday)s ELSE %(rest)s END)
            = ANY(%(working_kinds)s::text[])
            AND coalesce(c.work_start, %(work_start)s::time) <= f.local::time
            AND f.local::time < coalesce(c.work_end, %(work_end)s::time) AS working,
        EXISTS (SELECT 1 FROM booking b WHERE b.since <= f."time" AND f."time" <= b.until) AS booked,
        EXISTS (SELECT 1 FROM polygon) AND f."time" NOT IN (SELECT "time" FROM inside) AS outside
    FROM here f
    LEFT JOIN {CalendarDay._meta.db_table} c ON c.date = f.local::date
), hit AS (
    -- each enabled rule's violating points (a branch per rule: no per-point CASE over every rule)
    SELECT r.kind, r.gap, p."time", p.lat, p.lon, p.speed FROM rule r
    JOIN point p ON p.ignition AND p.speed >= r.threshold AND NOT p.working
    WHERE r.kind = %(off_hours)s AND r.enabled
    UNION ALL
    SELECT r.kind, r.gap, p."time", p.lat, p.lon, p.speed FROM rule r
    JOIN point p ON p.ignition AND p.speed >= r.threshold AND NOT p.booked
    WHERE r.kind = %(no_dispatch)s AND r.enabled
    UNION ALL
    SELECT r.kind, r.gap, p."time", p.lat, p.lon, p.speed FROM rule r
    JOIN point p ON p.outside
    WHERE r.kind = %(geofence_exit)s AND r.enabled
    UNION ALL
    SELECT r.kind, r.gap, p."time", p.lat, p.lon, p.speed FROM rule r
    JOIN point p ON p.speed > r.threshold
    WHERE r.kind = %(overspeed)s AND r.enabled
), island AS (
    SELECT h.*, sum(h.starts) OVER (PARTITION BY h.kind ORDER BY h."time") AS n FROM (
        SELECT hit.*, CASE WHEN "time" - lag("time") OVER (PARTITION BY kind ORDER BY "time") <= gap
                           THEN 0 ELSE 1 END AS starts
        FROM hit
    ) h
), episode AS (
    -- placed at its first point (the one island point that starts it)
    SELECT kind, min(gap) AS gap, min("time") AS started_at, max("time") AS ended_at, count(*) AS points,
           max(speed) AS max_speed, max(lat) FILTER (WHERE starts = 1) AS lat,
           max(lon) FILTER (WHERE starts = 1) AS lon
    FROM island GROUP BY kind, n
)
SELECT bad.points, span.stored, span.last, e.kind, e.started_at, e.ended_at, e.points, e.max_speed, e.lat, e.lon,
       r.threshold, a.id, a.started_at, a.ended_at, a.point_count, a.max_speed
FROM bad CROSS JOIN span
LEFT JOIN episode e ON true
LEFT JOIN rule r ON r.kind = e.kind
LEFT JOIN LATERAL (
    SELECT id, started_at, ended_at, point_count, max_speed FROM {_ALERT} a
    WHERE a.vehicle_id = %(vehicle)s AND a.kind = e.kind
      AND a.started_at - e.gap <= e.ended_at AND a.ended_at + e.gap >= e.started_at
    ORDER BY a.started_at DESC, a.id DESC
    LIMIT 1
) a ON true
ORDER BY array_position(%(kinds)s::text[], e.kind::text), e.started_at"""

_KIND_ORDER = list(rules.DEFAULT_RULES)
_STORE_PARAMS = {
    "default_kinds": [str(k) for k in rules.DEFAULT_RULES],
    "default_thresholds": [d.threshold for d in rules.DEFAULT_RULES.values()],
    "default_gaps": [d.gap_minutes for d in rules.DEFAULT_RULES.values()],
    "working_kinds": [str(k) for k in rules.WORKING_KINDS],
    "workday": str(rules.DayKind.WORKDAY),
    "rest": str(rules.DayKind.REST),
    "work_start": rules.DEFAULT_WORK_START,
    "work_end": rules.DEFAULT_WORK_END,
    "grace": rules.DISPATCH_GRACE,
    "offline": str(AlertKind.OFFLINE),
    "off_hours": str(AlertKind.OFF_HOURS),
    "no_dispatch": str(AlertKind.NO_DISPATCH),
    "geofence_exit": str(AlertKind.GEOFENCE_EXIT),
    "overspeed": str(AlertKind.OVERSPEED),
    "kinds": [str(k) for k in _KIND_ORDER],
}

# The alerts an evaluation created and extended, in one statement.
WRITE_ALERTS = f"""
WITH grown AS (
    UPDATE {_ALERT} a SET started_at = g.started_at, ended_at = g.ended_at, point_count = g.point_count,
        max_speed = g.max_speed, detail = coalesce(g.detail, a.detail),
        detail_key = coalesce(g.detail_key, a.detail_key), detail_values = coalesce(g.detail_values::jsonb, a.detail_values)
    FROM unnest(%(ids)s::bigint[], %(g_started)s::timestamptz[], %(g_ended)s::timestamptz[], %(g_points)s::int[],
                %(g_speed)s::float8[], %(g_detail)s::text[], %(g_detail_key)s::text[], %(g_detail_values)s::text[])
         AS g(id, started_at, ended_at, point_count, max_speed, detail, detail_key, detail_values)
    WHERE a.id = g.id
)
INSERT INTO {_ALERT} (vehicle_id, kind, started_at, ended_at, point_count, max_speed, lat, lon, detail, detail_key,
                      detail_values, status, created_at, comment)
SELECT %(vehicle)s, n.kind, n.started_at, n.ended_at, n.point_count, n.max_speed, n.lat, n.lon, n.detail,
       n.detail_key, n.detail_values::jsonb, %(open)s, %(created_at)s, ''
FROM unnest(%(kind)s::text[], %(started)s::timestamptz[], %(ended)s::timestamptz[], %(points)s::int[],
            %(speed)s::float8[], %(lat)s::float8[], %(lon)s::float8[], %(detail)s::text[], %(detail_key)s::text[],
            %(detail_values)s::text[])
     AS n(kind, started_at, ended_at, point_count, max_speed, lat, lon, detail, detail_key, detail_values)
RETURNING id"""


@dataclass
class Stored:
    stored: int
    latest: datetime | None
    created: list[int]
    extended: int
    rejected: list[dict] = field(default_factory=list)


def _binding_cursor():
    """A cursor that binds its parameters on the server, so that psycopg prepares these long statements
    after their fifth use and PostgreSQL stops planning them every batch (``prepare_threshold``; off behind
    a pooler, DB_PREPARED_STATEMENTS=0). Wrapped as Django wraps its own: counted and logged alike."""
    connection.ensure_connection()
    raw = ServerBindingCursor(connection.connection)
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)


def lock(*, terminal: Terminal, now: datetime) -> None:
    """Lock the terminal's row (seen now) until the transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute(LOCK, _lock_params(terminal, now))


def _lock_params(terminal: Terminal, now: datetime) -> dict:
    return {"now": now, "terminal": terminal.pk}


def _params(terminal: Terminal, now: datetime, columns: dict[str, list]) -> dict:
    vehicle = terminal.vehicle
    columns = dict(columns)
    for reason in ("time_reason", "vehicle_reason", "whole_reason"):
        if not any(columns[reason]):
            # NULL: unnest() reads a missing array as NULLs beside the others (the usual batch has no reasons)
            columns[reason] = None
    times = [t for t in columns["time"] if t is not None]
    return {
        **_CHECK_PARAMS,
        **_STORE_PARAMS,
        "latest": now + rules.FUTURE_SKEW,
        "vehicle": vehicle.pk,
        "terminal": terminal.pk,
        "now": now,
        "path": vehicle.org_unit.path,
        "tz": str(timezone.get_current_timezone()),
        "first": min(times, default=None),
        "last": max(times, default=None),
        **columns,
    }


def store_and_evaluate(*, terminal: Terminal, now: datetime, columns: dict[str, list]) -> Stored:
    """Check the read points; when all are good, insert those not stored yet, end an open offline alert, move
    the last position, and raise or extend the alerts of the rules' episodes in the new points (see the
    module's docstring). With any bad point nothing is written and ``rejected`` lists them ({"index",
    "reason"}): the caller raises, which rolls back the terminal's row. Runs in the caller's transaction,
    after ``lock``."""
    with _binding_cursor() as cursor:
        cursor.execute(STORE_AND_EVALUATE, _params(terminal, now, columns))
        rows = cursor.fetchall()
    rejected, stored, latest = rows[0][:3]
    if rejected:
        return Stored(stored=0, latest=None, created=[], extended=0, rejected=rejected)
    params, extended = _alert_params(terminal.vehicle.pk, [row[3:] for row in rows if row[3] is not None])
    created = []
    if params:
        with _binding_cursor() as cursor:
            cursor.execute(WRITE_ALERTS, params)
            created = [row[0] for row in cursor.fetchall()]
    return Stored(stored=stored, latest=latest, created=created, extended=extended)


def ingest_batch(*, terminal: Terminal, now: datetime, columns: dict[str, list]) -> Stored:
    """The batch in a transaction of its own: ``lock``, then ``store_and_evaluate``; nothing is kept when a
    point is bad (``rejected``). Inside a caller's transaction (``atomic``), in a savepoint of it.

    Outside one (an API request: ATOMIC_REQUESTS is off) the statements go out in psycopg's pipeline mode:
    BEGIN, the lock and the store-and-evaluate statement in one round trip, the alerts' write and COMMIT in
    a second — against BEGIN, lock, statement, alerts, COMMIT one by one. On a busy machine every round trip
    waits for both processes to be scheduled again, which costs more than the statements' own work. The
    lock is still a statement of its own, before the next one's snapshot is taken."""
    if connection.vendor == "postgresql" and connection.get_autocommit() and Pipeline.is_supported():
        return _ingest_pipelined(terminal, now, columns)
    with transaction.atomic():
        lock(terminal=terminal, now=now)
        done = store_and_evaluate(terminal=terminal, now=now, columns=columns)
        if done.rejected:
            transaction.set_rollback(True)
    return done


def _ingest_pipelined(terminal: Terminal, now: datetime, columns: dict[str, list]) -> Stored:
    connection.ensure_connection()
    pg = connection.connection
    params = _params(terminal, now, columns)
    cursors = [_binding_cursor() for _ in range(3)]  # lock, store, alerts: each keeps its own result
    control = cursors[0].cursor  # BEGIN / COMMIT / ROLLBACK, never prepared
    try:
        with connection.wrap_database_errors:
            try:
                with pg.pipeline():
                    control.execute("BEGIN", prepare=False)
                    cursors[0].execute(LOCK, _lock_params(terminal, now))
                    cursors[1].execute(STORE_AND_EVALUATE, params)
                    rows = cursors[1].fetchall()  # the first round trip
                    rejected, stored, latest = rows[0][:3]
                    alerts, extended = None, 0
                    if rejected:
                        control.execute("ROLLBACK", prepare=False)
                    else:
                        episodes = [row[3:] for row in rows if row[3] is not None]
                        alerts, extended = _alert_params(terminal.vehicle.pk, episodes)
                        if alerts:
                            cursors[2].execute(WRITE_ALERTS, alerts)
                        control.execute("COMMIT", prepare=False)
                # leaving the pipeline sent the rest and read every answer: the second round trip
            except BaseException:
                if pg.info.transaction_status != TransactionStatus.IDLE:
                    pg.rollback()
                raise
            if rejected:
                return Stored(stored=0, latest=None, created=[], extended=0, rejected=rejected)
            created = [row[0] for row in cursors[2].fetchall()] if alerts else []
    finally:
        for cursor in cursors:
            cursor.close()
    return Stored(stored=stored, latest=latest, created=created, extended=extended)


def _line(message) -> tuple[str, str, str]:
    """An alert's line as the text, the message and its values (JSON text, cast to jsonb by the statement)."""
    text, key, values = keyed.split(message, 200)
    return text, key, json.dumps(values, ensure_ascii=False)


def _alert_params(vehicle_id: int, episodes: list[tuple]) -> tuple[dict | None, int]:
    """WRITE_ALERTS' parameters (None when there is no episode) and the number of alerts extended: an alert
    for each episode that continues none, and the ones continued extended (their line redone for over-speed,
    whose line names the highest speed)."""
    if not episodes:
        return None, 0
    new: list[tuple] = []
    grown: dict[int, dict] = {}
    extended = 0
    for kind, start, end, points, max_speed, lat, lon, threshold, pk, a_start, a_end, a_points, a_speed in episodes:
        episode = rules.Episode(start=start, end=end, points=points, max_speed=max_speed, lat=lat, lon=lon)
        if pk is None:
            line = _line(rules.alert_detail(kind, threshold, episode))
            new.append((kind, start, end, points, max_speed, lat, lon, *line))
            continue
        extended += 1
        alert = grown.setdefault(
            pk,
            {
                "kind": kind,
                "threshold": threshold,
                "start": a_start,
                "end": a_end,
                "points": a_points,
                "max_speed": float(a_speed or 0),
            },
        )
        alert["start"] = min(alert["start"], start)
        alert["end"] = max(alert["end"], end)
        alert["points"] += points
        alert["max_speed"] = max(alert["max_speed"], max_speed)
    ids = list(grown)
    params = {
        "vehicle": vehicle_id,
        "open": Alert.Status.OPEN.value,
        "created_at": timezone.now(),
        "ids": ids,
        "g_started": [grown[i]["start"] for i in ids],
        "g_ended": [grown[i]["end"] for i in ids],
        "g_points": [grown[i]["points"] for i in ids],
        "g_speed": [grown[i]["max_speed"] for i in ids],
    }
    # Only an over-speed line changes as its episode grows (it names the highest speed); NULL keeps the others.
    lines = [
        _line(
            rules.alert_detail(
                a["kind"], a["threshold"], rules.Episode(a["start"], a["end"], a["points"], a["max_speed"], 0.0, 0.0)
            )
        )
        if a["kind"] == AlertKind.OVERSPEED
        else (None, None, None)
        for a in (grown[i] for i in ids)
    ]
    for column, name in enumerate(("g_detail", "g_detail_key", "g_detail_values")):
        params[name] = [line[column] for line in lines]
    columns = ("kind", "started", "ended", "points", "speed", "lat", "lon", "detail", "detail_key", "detail_values")
    for column, name in enumerate(columns):
        params[name] = [row[column] for row in new]
    return params, extended
