"""The command center's roll-up as one SQL statement per figure family (PostgreSQL): the yardstick the
rebuild is held against (``bench_commandcenter``: rebuild ≤ 2× these). Only the families the bench writes
rows for (service, fleet, energy, assets, and the kinds, purchases and use families); the others (alerts, office space, 公物仓, sharing) have no rows
in the bench and take a few ms in the rebuild. Each statement returns (unit, month, key, value) rows — the
same aggregation the domains' ``monthly_*_figure_queries`` make — and the bench only counts them.
"""

from datetime import date

from django.conf import settings
from django.db import connection

# %(start)s, %(end)s: first days of the months [start, end); %(tz)s: local time zone.
MONTHS = "SELECT generate_series(%(start)s::date, %(end)s::date - 1, interval '1 month')::date AS m"

SERVICE = f"""
WITH months AS ({MONTHS}),
points AS (SELECT m, LEAST(((m + interval '1 month')::timestamp AT TIME ZONE %(tz)s), now()) AS p FROM months),
t AS (SELECT * FROM portal_ticket
      WHERE submitted_at < (%(end)s::timestamp AT TIME ZONE %(tz)s)
        AND (closed_at IS NULL OR closed_at >= (%(start)s::timestamp AT TIME ZONE %(tz)s)))
SELECT org_unit_id, m, k, SUM(v) FROM (
  SELECT org_unit_id, date_trunc('month', submitted_at AT TIME ZONE %(tz)s)::date AS m, 'tickets_filed' AS k,
         COUNT(*)::numeric AS v
  FROM t WHERE submitted_at >= (%(start)s::timestamp AT TIME ZONE %(tz)s) GROUP BY 1, 2
  UNION ALL
  SELECT org_unit_id, m, unnest(ARRAY['tickets_done', 'tickets_on_time', 'handling_hours', 'rating_sum',
         'rating_count']), unnest(ARRAY[n, on_time, hours, rating_sum, rating_count])
  FROM (SELECT org_unit_id, date_trunc('month', closed_at AT TIME ZONE %(tz)s)::date AS m, COUNT(*)::numeric AS n,
               COUNT(*) FILTER (WHERE due_at IS NULL OR closed_at <= due_at)::numeric AS on_time,
               SUM(EXTRACT(EPOCH FROM closed_at - submitted_at) / 3600)::numeric AS hours,
               COALESCE(SUM(rating), 0)::numeric AS rating_sum, COUNT(rating)::numeric AS rating_count
        FROM t WHERE status = 'done' AND closed_at >= (%(start)s::timestamp AT TIME ZONE %(tz)s)
          AND closed_at < (%(end)s::timestamp AT TIME ZONE %(tz)s) GROUP BY 1, 2) done
  UNION ALL
  SELECT org_unit_id, points.m, 'tickets_overdue', COUNT(*)::numeric
  FROM t JOIN points ON points.p > GREATEST(t.submitted_at, t.due_at) AND (t.closed_at IS NULL OR points.p <= t.closed_at)
  WHERE t.due_at IS NOT NULL AND t.status NOT IN ('draft', 'withdrawn', 'returned') GROUP BY 1, 2
) x WHERE v <> 0 GROUP BY 1, 2, 3
"""

FLEET = f"""
WITH months AS ({MONTHS})
SELECT org_unit_id, m, k, SUM(v) FROM (
  SELECT v.org_unit_id, date_trunc('month', d.starts_at AT TIME ZONE %(tz)s)::date AS m,
         unnest(ARRAY['trips', 'distance_km']) AS k, unnest(ARRAY[COUNT(*), COALESCE(SUM(d.distance_km), 0)])::numeric AS v
  FROM vehicles_dispatch d JOIN vehicles_vehicle v ON v.id = d.vehicle_id
  WHERE d.status <> 'cancelled' AND d.starts_at >= (%(start)s::timestamp AT TIME ZONE %(tz)s)
    AND d.starts_at < (%(end)s::timestamp AT TIME ZONE %(tz)s) GROUP BY 1, 2
  UNION ALL
  SELECT v.org_unit_id, date_trunc('month', c.date)::date, unnest(ARRAY['vehicle_cost', 'vehicle_cost_per_km_base']),
         unnest(ARRAY[SUM(c.amount), COALESCE(SUM(c.amount) FILTER (WHERE c.kind IN ('fuel', 'maintenance', 'insurance', 'toll')), 0)])
  FROM vehicles_costrecord c JOIN vehicles_vehicle v ON v.id = c.vehicle_id
  WHERE c.date >= %(start)s AND c.date < %(end)s GROUP BY 1, 2
  UNION ALL
  SELECT v.org_unit_id, months.m, unnest(ARRAY['vehicles_held', 'vehicles_nev']),
         unnest(ARRAY[COUNT(*), COUNT(*) FILTER (WHERE v.energy_type IN ('phev', 'erev', 'bev', 'fcev'))])::numeric
  FROM vehicles_vehicle v JOIN assets_asset a ON a.id = v.asset_id LEFT JOIN vehicles_disposal dp ON dp.vehicle_id = v.id
  JOIN months ON a.acquired_on < months.m + interval '1 month'
   AND (dp.date IS NULL OR dp.date >= (months.m + interval '1 month')::date)
  GROUP BY 1, 2
) x WHERE v <> 0 GROUP BY 1, 2, 3
"""

ENERGY = f"""
WITH months AS ({MONTHS})
SELECT org_unit_id, m, k, SUM(v) FROM (
  SELECT org_unit_id, make_date(year, month, 1) AS m,
         unnest(ARRAY['energy_kgce', 'energy_kgco2', 'energy_kgce_building', 'energy_kgco2_building', 'water_m3']) AS k,
         unnest(ARRAY[SUM(kgce), SUM(kgco2),
                      COALESCE(SUM(kgce) FILTER (WHERE energy_type NOT IN ('gasoline', 'diesel')), 0),
                      COALESCE(SUM(kgco2) FILTER (WHERE energy_type NOT IN ('gasoline', 'diesel')), 0),
                      COALESCE(SUM(base_quantity) FILTER (WHERE energy_type = 'water'), 0)]) AS v
  FROM energy_consumptionrecord
  WHERE make_date(year, month, 1) >= %(start)s AND make_date(year, month, 1) < %(end)s GROUP BY 1, 2
  UNION ALL
  SELECT p.org_unit_id, months.m, unnest(ARRAY['energy_area_m2', 'energy_users']),
         unnest(ARRAY[SUM(p.building_area), SUM(p.energy_users)::numeric])
  FROM energy_institutionprofile p JOIN months ON extract(year FROM months.m) = p.year GROUP BY 1, 2
) x WHERE v <> 0 GROUP BY 1, 2, 3
"""

ASSETS = f"""
WITH months AS ({MONTHS})
SELECT org_unit_id, m, k, SUM(v) FROM (
  SELECT a.org_unit_id, months.m, unnest(ARRAY['asset_cards', 'asset_value']) AS k,
         unnest(ARRAY[COUNT(*)::numeric, SUM(a.original_value)]) AS v
  FROM assets_asset a JOIN months ON a.acquired_on < months.m + interval '1 month'
   AND (a.disposed_on IS NULL OR a.disposed_on >= (months.m + interval '1 month')::date)
  GROUP BY 1, 2
  UNION ALL
  SELECT a.org_unit_id, e.month, 'depreciation', SUM(e.amount)
  FROM assets_depreciationentry e JOIN assets_asset a ON a.id = e.asset_id
  WHERE e.month >= %(start)s AND e.month < %(end)s GROUP BY 1, 2
) x WHERE v <> 0 GROUP BY 1, 2, 3
"""

KINDS = """
SELECT org_unit_id, m, k, SUM(v) FROM (
  SELECT org_unit_id, date_trunc('month', closed_at AT TIME ZONE %(tz)s)::date AS m,
         unnest(ARRAY['kind_done_' || kind, 'kind_hours_' || kind]) AS k,
         unnest(ARRAY[COUNT(*)::numeric, SUM(EXTRACT(EPOCH FROM closed_at - submitted_at) / 3600)::numeric]) AS v
  FROM portal_ticket WHERE status = 'done' AND closed_at >= (%(start)s::timestamp AT TIME ZONE %(tz)s)
    AND closed_at < (%(end)s::timestamp AT TIME ZONE %(tz)s) GROUP BY org_unit_id, 2, kind
) x WHERE v <> 0 GROUP BY 1, 2, 3
"""

PURCHASES = """
SELECT org_unit_id, m, k, SUM(v) FROM (
  SELECT v.org_unit_id, date_trunc('month', a.acquired_on)::date AS m, unnest(ARRAY['vehicles_bought',
         'vehicles_bought_nev']) AS k,
         unnest(ARRAY[COUNT(*), COUNT(*) FILTER (WHERE v.energy_type IN ('phev', 'erev', 'bev', 'fcev'))])::numeric AS v
  FROM vehicles_vehicle v JOIN assets_asset a ON a.id = v.asset_id
  WHERE a.acquired_on >= %(start)s AND a.acquired_on < %(end)s GROUP BY 1, 2
) x WHERE v <> 0 GROUP BY 1, 2, 3
"""

USE = f"""
WITH months AS ({MONTHS}),
bounds AS (SELECT m, (m::timestamp AT TIME ZONE %(tz)s) AS lo,
                  ((m + interval '1 month')::timestamp AT TIME ZONE %(tz)s) AS hi FROM months)
SELECT v.org_unit_id, b.m, 'booked_hours',
       SUM(EXTRACT(EPOCH FROM LEAST(d.ends_at, b.hi) - GREATEST(d.starts_at, b.lo)) / 3600)::numeric
FROM vehicles_dispatch d JOIN vehicles_vehicle v ON v.id = d.vehicle_id
JOIN bounds b ON d.starts_at < b.hi AND d.ends_at > b.lo
WHERE d.status <> 'cancelled' GROUP BY 1, 2
"""

FAMILIES = {
    "service": SERVICE,
    "fleet": FLEET,
    "energy": ENERGY,
    "assets": ASSETS,
    "service_kinds": KINDS,
    "purchases": PURCHASES,
    "fleet_use": USE,
}


def run_family(name: str, start: date, end: date) -> int:
    """Run one family's statement for [start, end); the number of (unit, month, key) rows it returns."""
    with connection.cursor() as cursor:
        cursor.execute(FAMILIES[name], {"start": start, "end": end, "tz": settings.TIME_ZONE})
        return len(cursor.fetchall())
