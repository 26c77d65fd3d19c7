"""The energy figures of issue #17 against their floor (read by ``bench_energy``): each side is the same result —
the selector as the pages call it, and one hand-written statement returning the same rows — timed in turn
(round robin, ``REPS`` each after a warm-up) so a busy moment of the machine hits both alike.

- ``energy.figures_by_unit``: ``selectors.figures_by_unit`` for every institution of the province (2025) vs
  one grouped query (records per institution with the vehicle-fuel and water sums, joined with the profile).
- ``energy.percentile``: ``selectors.percentile`` of one institution vs one window query (rank among the
  peers of its type by energy per m²).
- ``energy.summary_category`` / ``energy.summary_department``: ``selectors.summary`` of the province for
  the superuser vs one grouped query (records per group and type, plus the profiles per group).
- ``*.previous``: the computation before #17 (``tests/energy/previous_figures``), in the same run.
"""

import os
import statistics
import time

from django.db import connection
from django.db.models import Q

from energy import selectors
from tests.energy import previous_figures

REPS = int(os.environ.get("BENCH_ENERGY_FIGURE_REPS", 7))
YEAR = 2025

FIGURES_SQL = """
SELECT r.org_unit_id, SUM(r.kgce), SUM(r.kgce) FILTER (WHERE r.energy_type IN ('gasoline', 'diesel')),
       SUM(r.kgco2), SUM(r.kgco2) FILTER (WHERE r.energy_type IN ('gasoline', 'diesel')),
       SUM(r.base_quantity) FILTER (WHERE r.energy_type = 'water'), SUM(r.cost),
       MAX(p.building_area), MAX(p.energy_users)
FROM energy_consumptionrecord r JOIN datahub_orgunit u ON u.id = r.org_unit_id
LEFT JOIN energy_institutionprofile p ON p.org_unit_id = r.org_unit_id AND p.year = r.year
WHERE u.path LIKE %(prefix)s AND r.year = %(year)s
GROUP BY r.org_unit_id
"""

PERCENTILE_SQL = """
WITH per AS (
    SELECT p.org_unit_id,
           (SUM(r.kgce) - COALESCE(SUM(r.kgce) FILTER (WHERE r.energy_type IN ('gasoline', 'diesel')), 0))
           / p.building_area AS v
    FROM energy_institutionprofile p
    JOIN energy_consumptionrecord r ON r.org_unit_id = p.org_unit_id AND r.year = p.year
    WHERE p.year = %(year)s AND p.category = (
        SELECT category FROM energy_institutionprofile WHERE org_unit_id = %(unit)s AND year = %(year)s)
    GROUP BY p.org_unit_id, p.building_area
)
SELECT n, worse, ties FROM (
    SELECT org_unit_id, COUNT(*) OVER () AS n, RANK() OVER (ORDER BY ROUND(v, 4) DESC) - 1 AS worse,
           COUNT(*) OVER (PARTITION BY ROUND(v, 4)) - 1 AS ties
    FROM per
) ranked WHERE org_unit_id = %(unit)s
"""

# The group of an institution: its profile's type, or the institution itself (every institution of the bench
# province is a child of the root region, so it is its own 主管部门).
SUMMARY_SQL = """
WITH grp AS (
    SELECT u.id AS unit_id, {group} AS g
    FROM datahub_orgunit u
    LEFT JOIN energy_institutionprofile p ON p.org_unit_id = u.id AND p.year = %(year)s
    WHERE u.path LIKE %(prefix)s AND u.level = 'institution' AND u.is_active
)
SELECT grp.g, r.energy_type, SUM(r.base_quantity), SUM(r.cost), SUM(r.kgce), SUM(r.kgco2), NULL, NULL, NULL
FROM energy_consumptionrecord r JOIN grp ON grp.unit_id = r.org_unit_id WHERE r.year = %(year)s
GROUP BY grp.g, r.energy_type
UNION ALL
SELECT grp.g, NULL, NULL, NULL, NULL, NULL, SUM(p.building_area), SUM(p.energy_users), COUNT(*)
FROM energy_institutionprofile p JOIN grp ON grp.unit_id = p.org_unit_id WHERE p.year = %(year)s
GROUP BY grp.g
"""


def _raw(sql, params):
    def call():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return call


def _load() -> float:
    return round(os.getloadavg()[0], 1)


def _timed(sides: dict) -> dict:
    """Median ms of each side, the sides called in turn (after one warm-up call each)."""
    for call in sides.values():
        call()
    times = {name: [] for name in sides}
    for _ in range(REPS):
        for name, call in sides.items():
            t = time.perf_counter()
            call()
            times[name].append((time.perf_counter() - t) * 1000)
    return {name: round(statistics.median(ts), 1) for name, ts in times.items()}


def run(root, actor):
    prefix = root.path + "%"
    within = Q(org_unit__path__startswith=root.path)
    unit = root.get_children().order_by("path")[7]
    cases = {
        "figures_by_unit": {
            "selector": lambda: selectors.figures_by_unit(within, YEAR),
            "raw_sql": _raw(FIGURES_SQL, {"prefix": prefix, "year": YEAR}),
            "previous": lambda: previous_figures.figures_by_unit(within, YEAR),
        },
        "percentile": {
            "selector": lambda: selectors.percentile(unit, YEAR),
            "raw_sql": _raw(PERCENTILE_SQL, {"unit": unit.pk, "year": YEAR}),
            "previous": lambda: previous_figures.percentile(unit, YEAR),
        },
    }
    for by, group in (("category", "COALESCE(p.category, '')"), ("department", "u.path")):
        cases[f"summary_{by}"] = {
            "selector": lambda by=by: selectors.summary(actor, year=YEAR, by=by, within=root),
            "raw_sql": _raw(SUMMARY_SQL.format(group=group), {"prefix": prefix, "year": YEAR}),
            "previous": lambda by=by: previous_figures.summary(actor, year=YEAR, by=by, within=root),
        }
    for name, sides in cases.items():
        load = _load()
        ms = _timed(sides)
        context = {"load": load, "reps": REPS}
        yield {"name": f"energy.{name}", "value": ms["selector"], "unit": "ms", **context}
        yield {"name": f"energy.{name}_raw_sql", "value": ms["raw_sql"], "unit": "ms", **context}
        yield {"name": f"energy.{name}_previous", "value": ms["previous"], "unit": "ms", **context}
        yield {"name": f"energy.{name}_ratio", "value": round(ms["selector"] / ms["raw_sql"], 2), "unit": "×"}
        yield {
            "name": f"energy.{name}_previous_ratio",
            "value": round(ms["previous"] / ms["raw_sql"], 2),
            "unit": "×",
        }
    assert selectors.percentile(unit, YEAR) == previous_figures.percentile(unit, YEAR)
