"""The over-standard check written by hand as plain SQL (PostgreSQL): the yardstick ``bench_officespace``
holds ``check.run_check`` against (target: ≤ 1.5× these, first run and unchanged rerun).

- ``first_run``: one ``INSERT … SELECT`` computing every result (class by 行政区划代码 or a declared
  ``UnitClass``, grade by the post level, the standard, per-room sums over a window, shares, excess,
  flags) into the empty result table, then the unit roll-up as one ``INSERT … SELECT … GROUP BY``.
- ``rerun``: the same SELECT staged into a temporary table, then one ``UPDATE … FROM`` of the rows
  whose numbers are ``IS DISTINCT FROM`` the stored ones (none, when nothing changed).

Both run with JIT off for their transaction, as the check does (``SET LOCAL jit = off``): with the server's
default the floor spends seconds compiling too, which would flatter the ratio. Written for the default configuration (the rank does not raise the standard), with the regulation's
constants spelled out: it is a yardstick, not the product (the product joins ``rules``' data).
"""

import time

from django.db import connection, transaction

COMPUTE = """
WITH v AS (SELECT id FROM officespace_standardversion WHERE effective_from <= current_date
           ORDER BY effective_from DESC LIMIT 1),
uc AS (SELECT u.id, COALESCE(
          (SELECT c.admin_class FROM officespace_unitclass c JOIN datahub_orgunit a ON a.id = c.org_unit_id
            WHERE left(u.path, length(a.path)) = a.path ORDER BY length(a.path) DESC LIMIT 1),
          CASE WHEN u.region_code LIKE '%%0000' THEN 'provincial' WHEN u.region_code LIKE '%%00' THEN 'municipal'
               ELSE 'county' END) AS cls
       FROM datahub_orgunit u),
x AS (SELECT o.id, o.person_id, o.room_id, COALESCE(p.org_unit_id, r.org_unit_id) AS unit, uc.cls, r.use_area,
             COALESCE(NULLIF(m.grade, ''), '150') AS grade,
             COALESCE(m.grade IN ('111', '112', '121', '122', '131', '132', '141', '142'), false) AS leader,
             o.is_main, o.approval_ticket_id, o.post_ended_on, p.is_active
      FROM officespace_occupancy o
      JOIN officespace_room r ON r.id = o.room_id
      JOIN datahub_user p ON p.id = o.person_id
      JOIN uc ON uc.id = COALESCE(p.org_unit_id, r.org_unit_id)
      LEFT JOIN officespace_rankmapping m ON m.source = 'post_level' AND m.code = p.post_level
      WHERE o.end_date IS NULL AND r.category = 'office' AND r.is_active),
y AS (SELECT x.*, s.area AS std, count(*) OVER w AS n, sum(s.area) OVER w AS total
      FROM x JOIN officespace_areastandard s ON s.version_id = (SELECT id FROM v) AND s.admin_class = x.cls
           AND s.grade = x.grade
      WINDOW w AS (PARTITION BY x.room_id)),
z AS (SELECT y.*, round(use_area / n, 2) AS share,
             CASE WHEN use_area > total THEN round((use_area - total) * std / total, 2) ELSE 0 END AS excess,
             (post_ended_on + CASE WHEN is_main THEN interval '1 month' ELSE interval '2 months' END)::date AS due
      FROM y)
SELECT id AS occupancy_id, person_id, room_id, unit AS org_unit_id, cls AS admin_class, grade,
       'post_level' AS basis, leader AS is_leader, is_main, n::smallint AS occupants, std AS standard, share, excess,
       excess > 0 AS is_over,
       CASE WHEN NOT is_main THEN
                CASE WHEN due < current_date THEN 'second_return_due'
                     WHEN approval_ticket_id IS NULL THEN 'second_unapproved'
                     WHEN share >= std THEN 'second_too_large' ELSE '' END
            WHEN due IS NOT NULL THEN CASE WHEN due < current_date THEN 'leaver_return_due' ELSE '' END
            WHEN NOT is_active THEN 'leaver_return_due' ELSE '' END AS flag,
       due AS return_due
FROM z
"""

NUMBERS = (
    "person_id, room_id, org_unit_id, admin_class, grade, basis, is_leader, is_main, occupants, standard, share, "
    "excess, is_over, flag, return_due"
)

INSERT = f"""
INSERT INTO officespace_assessment (occupancy_id, {NUMBERS}, is_current, checked_at, status, remedy, reason,
                                    attachment, handled_by_id, handled_at)
SELECT occupancy_id, {NUMBERS}, true, now(), 'open', '', '', '', NULL, NULL FROM ({COMPUTE}) c
"""

ROLLUP = """
INSERT INTO officespace_unitrollup (org_unit_id, people, approved_area, actual_area, excess_area, over_people,
    leader_people, leader_over, leader_approved, leader_actual, leader_excess, staff_over, staff_approved,
    staff_actual, staff_excess, flagged, refreshed_at)
SELECT org_unit_id, count(*), COALESCE(sum(standard), 0), COALESCE(sum(share), 0), COALESCE(sum(excess), 0),
       count(*) FILTER (WHERE is_over), count(*) FILTER (WHERE is_leader),
       count(*) FILTER (WHERE is_leader AND is_over),
       COALESCE(sum(standard) FILTER (WHERE is_leader), 0), COALESCE(sum(share) FILTER (WHERE is_leader), 0),
       COALESCE(sum(excess) FILTER (WHERE is_leader), 0), count(*) FILTER (WHERE NOT is_leader AND is_over),
       COALESCE(sum(standard) FILTER (WHERE NOT is_leader), 0), COALESCE(sum(share) FILTER (WHERE NOT is_leader), 0),
       COALESCE(sum(excess) FILTER (WHERE NOT is_leader), 0), count(*) FILTER (WHERE flag <> ''), now()
FROM officespace_assessment WHERE is_current AND is_main GROUP BY org_unit_id
"""

STAGE = f"CREATE TEMP TABLE staged ON COMMIT DROP AS {COMPUTE}"
_PAIRS = ", ".join(f"{n} = s.{n}" for n in NUMBERS.split(", "))
UPDATE = f"""
UPDATE officespace_assessment a SET {_PAIRS}, checked_at = now()
FROM staged s
WHERE a.occupancy_id = s.occupancy_id
  AND ({", ".join("a." + n for n in NUMBERS.split(", "))}) IS DISTINCT FROM ({", ".join("s." + n for n in NUMBERS.split(", "))})
"""


def empty_results() -> None:
    """Not timed: the result and roll-up tables emptied, so that a first run starts from nothing."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE officespace_assessment, officespace_unitrollup")


def first_run() -> tuple[float, int]:
    """Seconds of the INSERT … SELECT and the roll-up (committed), and the rows inserted."""
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(INSERT)
        rows = cursor.rowcount
        cursor.execute("DELETE FROM officespace_unitrollup")
        cursor.execute(ROLLUP)
    return time.perf_counter() - start, rows


def rerun() -> tuple[float, int]:
    """Seconds of the staged IS-DISTINCT-FROM update (committed), and the rows it updated."""
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(STAGE)
        cursor.execute(UPDATE)
        rows = cursor.rowcount
    return time.perf_counter() - start, rows
