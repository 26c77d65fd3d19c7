"""The over-standard check on PostgreSQL: one statement computes and writes every result.

The same rule as the Python path in ``check`` (which SQLite, the embedded default, runs), in one
set-based statement instead of streaming 10⁵ joined rows into Python:

- the class of each person's unit: the nearest ``UnitClass`` on the unit or an ancestor, else from
  its 行政区划代码 (the endings of ``rules.REGION_CODE_CLASSES``, passed as arrays and joined);
- the grade: the ``RankMapping`` rows of the post level and (where the province lets it count,
  ``selectors.rank_raises_standard``) the rank, the smaller code being the higher grade;
- the standard: the ``AreaStandard`` row of the version in force;
- per room (``OVER (PARTITION BY room)``): the occupants and the sum of their standards, each
  occupant's share and part of the room's excess, rounded half up to 0.01 m² as ``rules.q2``;
- the flags of a second office and of a leaver, and the date the office is due back.

The regulation's numbers stay in the tables and in ``rules``: the statement joins them, it does not
repeat them. The computed rows are compared with the stored results in the same statement (a full
join on the occupancy): new ones are inserted, the ones whose numbers differ are updated (with the
handling status moved as the Python path moves it), and the current results of occupancies no longer
current are closed. A nightly rerun with nothing changed writes nothing. The unit roll-up is an
``INSERT … SELECT … GROUP BY`` of ``selectors.ROLLUP``.
"""

from datetime import date, datetime

from django.db import connection
from django.db.models import F

from datahub.models import OrgUnit, User

from . import rules, selectors
from .models import (
    AreaStandard,
    Assessment,
    Occupancy,
    RankMapping,
    Room,
    RoomCategory,
    StandardVersion,
    UnitClass,
    UnitRollup,
)

# The numbers a run computes, in the order the statement selects them (the Python path compares the same).
NUMBERS = (
    "person_id",
    "room_id",
    "org_unit_id",
    "admin_class",
    "grade",
    "basis",
    "is_leader",
    "is_main",
    "occupants",
    "standard",
    "share",
    "excess",
    "is_over",
    "flag",
    "return_due",
)
STILL_TO_FIX = [Assessment.Status.OPEN.value, Assessment.Status.IN_PROGRESS.value]


def _tables() -> dict[str, str]:
    models = {
        "version": StandardVersion,
        "standard": AreaStandard,
        "mapping": RankMapping,
        "unit_class": UnitClass,
        "unit": OrgUnit,
        "person": User,
        "occupancy": Occupancy,
        "room": Room,
        "result": Assessment,
        "rollup": UnitRollup,
    }
    return {k: connection.ops.quote_name(m._meta.db_table) for k, m in models.items()}


def _params(room_ids, today: date, now: datetime) -> dict:
    flag = Assessment.Flag
    return {
        "today": today,
        "now": now,
        "room_ids": list(room_ids or []),
        "region_endings": [ending for ending, _ in rules.REGION_CODE_CLASSES],
        "region_classes": [admin_class for _, admin_class in rules.REGION_CODE_CLASSES],
        "other_class": rules.REGION_CODE_OTHER_CLASS,
        "by_post": rules.MappingSource.POST_LEVEL.value,
        "by_rank": rules.MappingSource.RANK.value,
        "staff": rules.Grade.STAFF.value,
        "leaders": sorted(rules.LEADER_GRADES),
        "office": RoomCategory.OFFICE.value,
        "leaver_months": rules.LEAVER_RETURN_MONTHS,
        "second_months": rules.SECOND_OFFICE_RETURN_MONTHS,
        "second_return_due": flag.SECOND_RETURN_DUE.value,
        "second_unapproved": flag.SECOND_UNAPPROVED.value,
        "second_too_large": flag.SECOND_TOO_LARGE.value,
        "leaver_return_due": flag.LEAVER_RETURN_DUE.value,
        "still_to_fix": STILL_TO_FIX,
        "open": Assessment.Status.OPEN.value,
        "fixed": Assessment.Status.FIXED.value,
    }


def computed_sql(scoped: bool, rank_counts: bool) -> str:
    """The CTEs up to ``c``: one row per current office occupancy (of ``%(room_ids)s`` when ``scoped``)
    with the numbers of ``NUMBERS`` and ``first_in_room``. The rank's mapping is joined only where the
    rank may raise the standard (``rank_counts``)."""
    t = _tables()
    rank_grade, rank_join = (
        ("NULLIF(mr.grade, '')", f"LEFT JOIN {t['mapping']} mr ON mr.source = %(by_rank)s AND mr.code = p.rank")
        if rank_counts
        else ("NULL::varchar", "")
    )
    in_rooms = "AND o.room_id = ANY(%(room_ids)s)" if scoped else ""
    # A per-room run classifies only the units of the people it seats, the nightly run every unit.
    units_seated = (
        f"""WHERE u.id IN (SELECT COALESCE(p.org_unit_id, r.org_unit_id) FROM {t["occupancy"]} o
                JOIN {t["room"]} r ON r.id = o.room_id JOIN {t["person"]} p ON p.id = o.person_id
                WHERE o.end_date IS NULL {in_rooms})"""
        if scoped
        else ""
    )
    return f"""
    version AS (
        SELECT id FROM {t["version"]} WHERE effective_from <= %(today)s ORDER BY effective_from DESC LIMIT 1
    ),
    region_class AS (
        SELECT * FROM unnest(%(region_endings)s::text[], %(region_classes)s::text[])
            WITH ORDINALITY AS x(ending, admin_class, n)
    ),
    unit_class AS MATERIALIZED (
        SELECT u.id, COALESCE(
            (SELECT uc.admin_class FROM {t["unit_class"]} uc JOIN {t["unit"]} a ON a.id = uc.org_unit_id
              WHERE left(u.path, length(a.path)) = a.path ORDER BY length(a.path) DESC LIMIT 1),
            (SELECT rc.admin_class FROM region_class rc
              WHERE right(u.region_code, length(rc.ending)) = rc.ending ORDER BY rc.n LIMIT 1),
            %(other_class)s
        ) AS admin_class
        FROM {t["unit"]} u {units_seated}
    ),
    seated AS (
        SELECT o.id AS occupancy_id, o.room_id, r.use_area AS area, o.person_id,
               COALESCE(p.org_unit_id, r.org_unit_id) AS org_unit_id,
               NULLIF(mp.grade, '') AS post_grade, {rank_grade} AS rank_grade,
               p.is_active AS person_active, o.is_main, o.approval_ticket_id, o.post_ended_on
        FROM {t["occupancy"]} o
        JOIN {t["room"]} r ON r.id = o.room_id
        JOIN {t["person"]} p ON p.id = o.person_id
        LEFT JOIN {t["mapping"]} mp ON mp.source = %(by_post)s AND mp.code = p.post_level
        {rank_join}
        WHERE o.end_date IS NULL AND r.category = %(office)s AND r.is_active {in_rooms}
    ),
    graded AS (
        SELECT s.*, uc.admin_class, COALESCE(s.post_grade = ANY(%(leaders)s), false) AS is_leader,
               (s.rank_grade IS NOT NULL
                AND s.rank_grade COLLATE "C" < COALESCE(s.post_grade, %(staff)s) COLLATE "C") AS by_rank
        FROM seated s JOIN unit_class uc ON uc.id = s.org_unit_id
    ),
    standardised AS (
        SELECT g.*,
               CASE WHEN g.by_rank THEN g.rank_grade ELSE COALESCE(g.post_grade, %(staff)s) END AS grade,
               CASE WHEN g.by_rank THEN %(by_rank)s ELSE %(by_post)s END AS basis,
               st.area AS standard
        FROM graded g
        LEFT JOIN {t["standard"]} st ON st.version_id = (SELECT id FROM version)
             AND st.admin_class = g.admin_class
             AND st.grade = CASE WHEN g.by_rank THEN g.rank_grade ELSE COALESCE(g.post_grade, %(staff)s) END
    ),
    shared AS (
        SELECT x.*, count(*) OVER w AS occupants, sum(x.standard) OVER w AS total,
               row_number() OVER w = 1 AS first_in_room
        FROM standardised x WINDOW w AS (PARTITION BY x.room_id)
    ),
    split AS (
        SELECT y.*, round(y.area / y.occupants, 2) AS share,
               CASE WHEN y.area <= y.total THEN 0
                    WHEN y.total <> 0 THEN round((y.area - y.total) * y.standard / y.total, 2)
                    ELSE round((y.area - y.total) / y.occupants, 2) END AS excess,
               (y.post_ended_on + make_interval(
                    months => CASE WHEN y.is_main THEN %(leaver_months)s ELSE %(second_months)s END))::date AS due
        FROM shared y
    ),
    c AS MATERIALIZED (
        SELECT z.occupancy_id, z.person_id, z.room_id, z.org_unit_id, z.admin_class, z.grade, z.basis,
               z.is_leader, z.is_main, z.occupants::smallint AS occupants, z.standard, z.share, z.excess,
               z.excess > 0 AS is_over,
               CASE WHEN NOT z.is_main THEN
                        CASE WHEN z.due IS NOT NULL AND %(today)s > z.due THEN %(second_return_due)s
                             WHEN z.approval_ticket_id IS NULL THEN %(second_unapproved)s
                             WHEN z.share >= z.standard THEN %(second_too_large)s
                             ELSE '' END
                    WHEN z.due IS NOT NULL THEN
                        CASE WHEN %(today)s > z.due THEN %(leaver_return_due)s ELSE '' END
                    WHEN NOT z.person_active THEN %(leaver_return_due)s
                    ELSE '' END AS flag,
               z.due AS return_due,
               z.first_in_room
        FROM split z
    )"""


def write_sql(scoped: bool, rank_counts: bool) -> str:
    """The one statement of a run: compute (``computed_sql``), compare, insert, update, close, count."""
    t = _tables()
    numbers = ", ".join(NUMBERS)
    old = ", ".join(f"a.{n}" for n in NUMBERS)
    new = ", ".join(f"c.{n}" for n in NUMBERS)
    assign = ", ".join(f"{n} = j.{n}" for n in NUMBERS)
    in_rooms = "WHERE room_id = ANY(%(room_ids)s)" if scoped else ""
    return f"""
    WITH {computed_sql(scoped, rank_counts)},
    stored AS (SELECT * FROM {t["result"]} {in_rooms}),
    j AS MATERIALIZED (
        SELECT c.*, a.id AS aid, a.org_unit_id AS old_unit,
               CASE WHEN c.occupancy_id IS NULL THEN
                        (a.is_over OR a.flag <> '') AND a.status = ANY(%(still_to_fix)s)
                    WHEN a.id IS NULL THEN false
                    -- Was a problem and is no longer: fixed; is one again after being fixed: reopened.
                    WHEN a.is_current AND (a.is_over OR a.flag <> '') AND NOT (c.is_over OR c.flag <> '')
                         AND a.status = ANY(%(still_to_fix)s) THEN true
                    ELSE false END AS fixes,
               c.occupancy_id IS NOT NULL AND a.id IS NOT NULL AND (c.is_over OR c.flag <> '')
                    AND NOT (a.is_current AND (a.is_over OR a.flag <> '')) AND a.status = %(fixed)s AS reopens
        FROM c FULL JOIN stored a ON a.occupancy_id = c.occupancy_id
        WHERE (c.occupancy_id IS NULL AND a.is_current)
           OR (c.occupancy_id IS NOT NULL
               AND (a.id IS NULL OR NOT a.is_current OR ({old}) IS DISTINCT FROM ({new})))
    ),
    updated AS (
        UPDATE {t["result"]} r SET {assign}, is_current = true, checked_at = %(now)s,
               status = CASE WHEN j.fixes THEN %(fixed)s WHEN j.reopens THEN %(open)s ELSE r.status END,
               handled_at = CASE WHEN j.fixes THEN %(now)s ELSE r.handled_at END
        FROM j WHERE r.id = j.aid AND j.occupancy_id IS NOT NULL
        RETURNING j.fixes, j.reopens, j.old_unit, r.org_unit_id
    ),
    inserted AS (
        INSERT INTO {t["result"]} (occupancy_id, {numbers}, is_current, checked_at, status, remedy, reason,
                                   attachment, handled_by_id, handled_at)
        SELECT occupancy_id, {numbers}, true, %(now)s, %(open)s, '', '', '', NULL, NULL FROM j WHERE aid IS NULL
        RETURNING org_unit_id
    ),
    closed AS (
        UPDATE {t["result"]} r SET is_current = false, checked_at = %(now)s,
               status = CASE WHEN j.fixes THEN %(fixed)s ELSE r.status END,
               handled_at = CASE WHEN j.fixes THEN %(now)s ELSE r.handled_at END
        FROM j WHERE r.id = j.aid AND j.occupancy_id IS NULL
        RETURNING j.fixes, r.org_unit_id
    )
    SELECT k.rooms, k.occupancies, k.over, k.flagged,
           (SELECT count(*) FROM inserted),
           u.updated, u.fixed, u.reopened,
           (SELECT count(*) FROM closed), (SELECT count(*) FILTER (WHERE fixes) FROM closed),
           ARRAY(SELECT old_unit FROM updated UNION SELECT org_unit_id FROM updated
                 UNION SELECT org_unit_id FROM inserted UNION SELECT org_unit_id FROM closed)
    FROM (SELECT count(*) FILTER (WHERE first_in_room) AS rooms, count(*) AS occupancies,
                 count(*) FILTER (WHERE is_over) AS over, count(*) FILTER (WHERE flag <> '') AS flagged FROM c) k,
         (SELECT count(*) AS updated, count(*) FILTER (WHERE fixes) AS fixed,
                 count(*) FILTER (WHERE reopens) AS reopened FROM updated) u
    """


def run(room_ids, today: date, now: datetime) -> tuple[dict, set[int]]:
    """Compute and write the results (of ``room_ids``, or all); the counts, and the units whose results moved."""
    with connection.cursor() as cursor:
        # The planner cannot see through the unit-class CTE and expects millions of rows: JIT would spend
        # seconds compiling a plan that runs in seconds. For this transaction only (the run's own).
        cursor.execute("SET LOCAL jit = off")
        sql = write_sql(room_ids is not None, selectors.rank_raises_standard())
        cursor.execute(sql, _params(room_ids, today, now))
        rooms, occupancies, over, flagged, created, updated, fixed, reopened, closed, closed_fixed, units = (
            cursor.fetchone()
        )
    counts = {
        "rooms": rooms,
        "occupancies": occupancies,
        "created": created,
        "updated": updated,
        "closed": closed,
        "fixed": fixed + closed_fixed,
        "reopened": reopened,
        "over": over,
        "flagged": flagged,
    }
    return counts, {u for u in units if u is not None}


def refresh_rollups(unit_ids: set[int] | None, now: datetime) -> int:
    """The per-unit roll-up (all units, or ``unit_ids``) as one ``INSERT … SELECT … GROUP BY`` of
    ``selectors.ROLLUP`` over the current main-office results."""
    t = _tables()
    results = Assessment.objects.filter(is_current=True, is_main=True)
    if unit_ids is not None:
        results = results.filter(org_unit_id__in=sorted(unit_ids))
    grouped = results.order_by().values(unit=F("org_unit")).annotate(**selectors.ROLLUP)
    select, params = grouped.query.sql_with_params()
    fields = ", ".join(selectors.ROLLUP_FIELDS)
    with connection.cursor() as cursor:
        if unit_ids is None:
            cursor.execute(f"DELETE FROM {t['rollup']}")
        else:
            cursor.execute(f"DELETE FROM {t['rollup']} WHERE org_unit_id = ANY(%s)", [sorted(unit_ids)])
        cursor.execute(
            f"INSERT INTO {t['rollup']} (org_unit_id, {fields}, refreshed_at) "
            f"SELECT q.unit, {', '.join(f'q.{f}' for f in selectors.ROLLUP_FIELDS)}, %s FROM ({select}) q",
            [now, *params],
        )
        return cursor.rowcount
