"""The energy import on PostgreSQL, set-based: the sheet staged by COPY, checked with one query, written
with ``INSERT … SELECT … RETURNING`` (the new records' history rows from what their insert returns, in the same
statement) and ``UPDATE … FROM … RETURNING`` (the history rows of exactly the rows changed, in the same statement).

The rules stay those of energy/import_checks.py. The query only *finds* the rows that fail, strictly (a
cell it cannot read as the row path would, e.g. "1_000", counts as failing); each failing row is then
checked by ``check_row`` itself, which words its problems. Should the row path accept a row the query
refused, the query was stricter than the rules: the whole file goes the row path (``validate`` returns
None), so a file is never refused, nor a row written, differently on the two paths.

The conversion joins the coefficient version's figures as VALUES lists computed by ``Converter`` (one
factor per type and unit, one grid factor per year and region): arithmetic in SQL, the coefficients and
their choice (grid year, region, density of litres) decided once, in Python. Amounts are rounded half to
even at 4 places, as ``Decimal.quantize`` does on the row path.
"""

import json
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from datahub import figures, staging
from datahub.imports import Context
from datahub.models import OrgUnit
from vehicles import selectors as vehicle_selectors

from . import rules, selectors
from .conversion import Converter, current_version, record_values
from .import_checks import Lookups, check_row, conversion_refused, duplicate, refuse_locked
from .models import ConsumptionRecord

STAGE, ROWS, READY = "energy_import_stage", "energy_import_rows", "energy_import_ready"
CELLS = {"code": "机构编码", "year": "年度", "month": "月份", "energy_type": "能源品种", "quantity": "实物量",
         "unit": "计量单位", "cost": "金额（元）", "collection": "采集方式"}  # fmt: skip
# A plain decimal as Decimal() reads it (no sign: a minus fails, and the row path says why).
NUMBER = r"^([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$"
RECORD_COLUMNS = ("org_unit_id", "year", "month", "energy_type", "quantity", "unit", "cost", "collection", "source",
                  "base_quantity", "kgce", "kgco2", "coefficient_version_id", "updated_at")  # fmt: skip


@dataclass
class Staged:
    """The file, staged and checked: ``rows`` rows ready in the temporary table ROWS."""

    rows: int
    lookups: Lookups
    source: list  # the rows as read (a conversion refusal is worded from its row)


def _even4(x: str) -> str:
    """``x`` (≥ 0, a column: it is named five times) rounded to 4 places half to even. PostgreSQL's round()
    takes a tie away from zero, i.e. exactly 0.00005 up, so an odd last digit after it is one up too many."""
    r = f"round({x}, 4)"
    return f"(CASE WHEN {r} - {x} = 0.00005 AND mod({r} * 10000, 2) = 1 THEN {r} - 0.0001 ELSE {r} END)"


def _integer(cell: str, digits: int) -> str:
    # translate() before a regular expression: the cheap test settles the usual cell.
    return (
        f"CASE WHEN length({cell}) BETWEEN 1 AND {digits} AND translate({cell}, '0123456789', '') = '' "
        f"THEN {cell}::integer END"
    )


def _decimal(cell: str) -> str:
    return (
        f"CASE WHEN {cell} NOT IN ('', '.') AND translate({cell}, '0123456789', '') IN ('', '.') THEN {cell}::numeric "
        f"WHEN {cell} ~ %(number)s THEN {cell}::numeric END"
    )


def _columns(pairs) -> tuple[list, ...]:
    """Rows as parallel lists, for ``unnest(%s, %s, …)``."""
    pairs = list(pairs)
    return tuple(list(col) for col in zip(*pairs, strict=True)) if pairs else ()


# A plain decimal: digits with at most one point, at least one digit.
_PLAIN_NUMBER = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
# A row (its staged cells, tab-joined in CELLS order) whose four number cells are plain ASCII digits: a year of
# 1–4, a month of 1–2, a quantity and a cost (possibly empty) with at most one point ([0-9], not \d: no other
# digits). Such a row is typed by a bare cast; any other goes through the per-cell expressions (translate() and,
# for what it leaves, a regular expression). Matched in the reader's loop (datahub.staging.Plain): the same test
# in SQL, one translate() of the four cells, was most of the check's scan at 50,000 rows.
PLAIN = re.compile(
    rf"[^\t]*\t[0-9]{{1,4}}\t[0-9]{{1,2}}\t[^\t]*\t{_PLAIN_NUMBER}\t[^\t]*\t(?:{_PLAIN_NUMBER})?\t[^\t]*"
)


def _typed(plain: str, cast: str, careful: str) -> str:
    return f"CASE WHEN {plain} THEN {cast} ELSE {careful} END"


# Every staged row typed and resolved, each expression once (OFFSET 0 keeps the planner from pulling a
# subquery's expressions up into every place the outer query names them), codes and choices looked up in
# JSON objects (a binary search per row, no join to sort or hash).
_CHECK = f"""
    CREATE TEMPORARY TABLE {ROWS} AS
    SELECT number, unit_id, year, month, energy_type, quantity, unit, cost, collection,
           COALESCE(unit_id IS NOT NULL AND year BETWEEN 2000 AND 2100 AND month BETWEEN 1 AND 12
                    AND collection IS NOT NULL AND unit_ok AND quantity < %(quantity_below)s
                    AND (no_cost OR cost < %(cost_below)s), false) AS ok
    FROM (
        SELECT number, unit_id, energy_type, collection, unit, no_cost,
               (%(pairs)s::jsonb -> energy_type) ? unit AS unit_ok,
               {_typed("plain", "c_year::integer", _integer("c_year", 4))} AS year,
               {_typed("plain", "c_month::integer", _integer("c_month", 2))} AS month,
               {_typed("plain", "c_quantity::numeric", _decimal("c_quantity"))} AS quantity,
               {_typed("plain", "NULLIF(c_cost, '')::numeric", _decimal("c_cost"))} AS cost
        FROM (
            SELECT s.number, (%(units)s::jsonb ->> s.code)::bigint AS unit_id,
                   %(types)s::jsonb ->> s.energy_type AS energy_type,
                   %(collections)s::jsonb ->> COALESCE(NULLIF(s.collection, ''), %(default)s) AS collection,
                   s.unit, s.cost = '' AS no_cost, s.year AS c_year, s.month AS c_month, s.quantity AS c_quantity,
                   s.cost AS c_cost, s.plain
            FROM {STAGE} s
            OFFSET 0
        ) cells
        OFFSET 0
    ) typed
"""


def validate(ctx, rows, lk: Lookups) -> Staged | None:
    """Stage the rows, report every failing one (as the row path words it); None: use the row path."""
    if not staging.is_staged(rows, STAGE):
        staging.stage(STAGE, list(CELLS), ctx.each(rows), list(CELLS.values()), plain=PLAIN)
    good = {code: u.pk for code, u in lk.units.items() if lk.allowed(u) and u.level == OrgUnit.Level.INSTITUTION}
    params = {
        "number": NUMBER,
        "units": json.dumps(good, ensure_ascii=False),
        "types": json.dumps(lk.types, ensure_ascii=False),
        "collections": json.dumps(lk.collections, ensure_ascii=False),
        "default": lk.default_collection,
        "pairs": json.dumps({t: list(units) for t, units in rules.UNITS.items()}, ensure_ascii=False),
        "quantity_below": rules.QUANTITY_BELOW,
        "cost_below": rules.COST_BELOW,
    }
    with connection.cursor() as cursor, staging.settings(work_mem="64MB"):
        cursor.execute(f"DROP TABLE IF EXISTS {ROWS}")
        cursor.execute(_CHECK, params)
        # Whether any period repeats among the good rows: a hash aggregate, cheaper than the window below, which
        # sorts every row and is only needed when there is a repeat to name.
        cursor.execute(
            f"SELECT EXISTS (SELECT FROM {ROWS} WHERE ok GROUP BY unit_id, year, month, energy_type HAVING count(*) > 1)"
        )
        (repeats,) = cursor.fetchone()
        # Failing rows, and the repeats among the good ones (the first of a period stays), in file order.
        cursor.execute(
            f"""
            SELECT number, NULL FROM {ROWS} WHERE NOT ok
            UNION ALL
            SELECT number, first FROM (
                SELECT number, min(number) OVER (PARTITION BY unit_id, year, month, energy_type) AS first
                FROM {ROWS} WHERE ok
            ) p WHERE number > first
            ORDER BY 1
            """
            if repeats
            else f"SELECT number, NULL FROM {ROWS} WHERE NOT ok ORDER BY 1"
        )
        flagged = cursor.fetchall()
    staging.drop(STAGE)
    if flagged:
        source = dict(rows)
        for number, first in flagged:
            if first is not None:
                ctx.errors.add(number, "月份", duplicate(first))
            elif check_row(ctx, lk, number, source[number]) is not None:
                # The rules accept a row the query refused: the row path decides for the whole file.
                ctx.errors.items.clear()
                staging.drop(ROWS)
                return None
    if ctx.errors:
        staging.drop(ROWS)
    return Staged(rows=len(rows), lookups=lk, source=rows)


def _conversion_values(conv: Converter, years: list[int]) -> tuple[dict, dict]:
    """The version's figures as VALUES lists: per (type, unit) the factor to the base unit, kgce and kgCO₂
    per base unit (NULL for electricity: the grid's); per (year, region) the grid factor."""
    density = {t: conv.density(t) for t in rules.UNITS}
    factors = []
    for t, units in rules.UNITS.items():
        c = conv.coefficients.get(t)
        for u in units:
            try:
                conv.convert(t, Decimal(1), u, years[0] if years else 2000)
            except ValidationError:
                continue  # no coefficient, no density, no grid: the row path words the refusal
            factor = rules.to_base(Decimal(1), t, u, density[t])
            co2 = None if t == rules.EnergyType.ELECTRICITY else c.kgco2_per_unit
            factors.append((t, u, factor, c.kgce_per_unit, co2))
    grid = []
    if conv.grid:
        regions = {*rules.GridRegion.values, *(r for factors in conv.grid.values() for r in factors)}
        grid = [(y, r, conv.grid_factor(y, r)) for y in years for r in sorted(regions)]
    t, u, f, ce, co2 = _columns(factors) or ([], [], [], [], [])
    gy, gr, gf = _columns(grid) or ([], [], [])
    return {"f_type": t, "f_unit": u, "f_factor": f, "f_kgce": ce, "f_co2": co2}, {
        "g_year": gy,
        "g_region": gr,
        "g_f": gf,
    }


def _refuse_locked(ctx, staged: Staged, unit_ids: list[int], years: list[int]) -> None:
    locked = [(u, y, m) for y in years for u, months in selectors.locked_by_unit(unit_ids, y).items() for m in months]
    vehicles = sorted(vehicle_selectors.units_with_vehicles(unit_ids))
    lu, ly, lm = _columns(locked) or ([], [], [])
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT r.number, r.unit_id, r.year, r.month, r.energy_type, l.u IS NOT NULL
            FROM {ROWS} r LEFT JOIN unnest(%s::bigint[], %s::integer[], %s::integer[]) AS l (u, y, m)
                ON l.u = r.unit_id AND l.y = r.year AND l.m = r.month
            WHERE l.u IS NOT NULL OR (r.energy_type = ANY(%s) AND r.unit_id = ANY(%s))
            ORDER BY r.number
            """,
            [lu, ly, lm, list(rules.VEHICLE_FUELS), vehicles],
        )
        refused = cursor.fetchall()
    names = OrgUnit.objects.in_bulk({r[1] for r in refused})
    for number, unit_id, year, month, energy_type, locked_month in refused:
        refuse_locked(ctx.errors.add, number, names[unit_id], year, month, energy_type, locked_month)


# The stored records of the file's months only: the years and months are constants in the statement, so the
# planner reads just those partitions (a fresh month's are empty). Probed by a hash join: one scan of them
# rather than 50,000 index probes through every partition.
_STORED = """
    SELECT id, org_unit_id, year, month, energy_type, quantity, unit, cost, collection
    FROM energy_consumptionrecord WHERE year = ANY(%(years)s::smallint[]) AND month = ANY(%(months)s::smallint[])
"""
_SAME_PERIOD = "e.org_unit_id = r.unit_id AND e.year = r.year AND e.month = r.month AND e.energy_type = r.energy_type"
# The version's factors for each row's type and unit, its grid's (the institution's region that year) and the
# national grid's.
_FACTORS = """
    LEFT JOIN unnest(%(f_type)s::text[], %(f_unit)s::text[], %(f_factor)s::numeric[], %(f_kgce)s::numeric[],
                     %(f_co2)s::numeric[]) AS f (energy_type, unit, factor, kgce, co2)
        ON f.energy_type = r.energy_type AND f.unit = r.unit
    LEFT JOIN energy_institutionprofile p ON p.org_unit_id = r.unit_id AND p.year = r.year
    LEFT JOIN unnest(%(g_year)s::integer[], %(g_region)s::text[], %(g_f)s::numeric[]) AS g (year, region, factor)
        ON g.year = r.year AND g.region = p.grid_region
    LEFT JOIN unnest(%(g_year)s::integer[], %(g_region)s::text[], %(g_f)s::numeric[]) AS gn (year, region, factor)
        ON gn.year = r.year AND gn.region = 'national'
"""
_VALUES = f"FROM {ROWS} r LEFT JOIN ({_STORED}) e ON {_SAME_PERIOD} {_FACTORS}"
# A row equal to the stored record is left alone (the row path compares the same four values).
_CHANGED = (
    "(e.quantity <> r.quantity OR e.unit <> r.unit OR e.cost IS DISTINCT FROM r.cost OR e.collection <> r.collection)"
)
_CO2 = "COALESCE(f.co2, g.factor, gn.factor)"
# Each row resolved once — its stored record, whether it changes it, its figures — so that the writes below are
# plain scans of one table. Base quantity, kgce, kgCO₂: from the quantity as entered (not the stored rounding), as
# Converter.convert; the exact products computed once a row (OFFSET 0: not again in every place _even4 names
# them), then rounded.
_READY = f"""
    CREATE TEMPORARY TABLE {READY} AS
    SELECT number, unit_id, year, month, energy_type, quantity, unit, cost, collection, record_id, changed,
           unconvertible, {_even4("base")} AS base, {_even4("kgce")} AS kgce, {_even4("kgco2")} AS kgco2
    FROM (
        SELECT *, base * kgce_factor AS kgce, base * co2_factor AS kgco2
        FROM (
            SELECT r.number, r.unit_id, r.year, r.month, r.energy_type, r.quantity, r.unit, r.cost, r.collection,
                   e.id AS record_id, e.id IS NOT NULL AND {_CHANGED} AS changed,
                   f.factor IS NULL OR {_CO2} IS NULL AS unconvertible,
                   r.quantity * f.factor AS base, f.kgce AS kgce_factor, {_CO2} AS co2_factor
            {_VALUES}
            OFFSET 0
        ) joined
    ) computed
"""


def write(ctx, staged: Staged) -> dict:
    """Refuse rows into locked months or of derived vehicle fuel; then insert the new records and update the
    changed ones, each with its history row, in this transaction."""
    try:
        return _write(ctx, staged)
    finally:
        staging.drop(ROWS, READY)


def _write(ctx, staged: Staged) -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT array_agg(DISTINCT unit_id), array_agg(DISTINCT make_date(year, month, 1)) FROM {ROWS}")
        unit_ids, periods = cursor.fetchone()
    unit_ids, periods = unit_ids or [], periods or []
    years, months = sorted({d.year for d in periods}), sorted({d.month for d in periods})
    _refuse_locked(ctx, staged, unit_ids, years)
    if ctx.errors:
        return None
    conv = Converter(current_version())
    factors, grid = _conversion_values(conv, years)
    params = {**factors, **grid, "version": conv.version.pk, "now": timezone.now(), "user": ctx.actor.pk}
    columns = ", ".join(RECORD_COLUMNS)
    history = ConsumptionRecord.history.model._meta.db_table
    # The keys of the rows written, proven once per institution, version and user rather than at the commit once
    # per row and key (150,000 look-ups for 50,000 rows: about as long as the writes themselves).
    keys = {
        ConsumptionRecord._meta.db_table: {"org_unit_id": unit_ids, "coefficient_version_id": [conv.version.pk]},
        history: {"history_user_id": [ctx.actor.pk]},
    }
    with connection.cursor() as cursor, staging.keys_proven(keys):
        # Short statements over a few tables: compiling them (JIT) costs more than it saves.
        cursor.execute("SET LOCAL jit = off")
        # Hash joins whatever the statistics say: a nested loop over records the statistics do not know of yet (a
        # month imported minutes ago, before autovacuum's ANALYZE) would scan them once for each row of the file.
        with staging.settings(work_mem="64MB", enable_nestloop="off", enable_mergejoin="off"):
            params.update(years=years, months=months)
            cursor.execute(f"SELECT EXISTS (SELECT FROM {ROWS} r JOIN ({_STORED}) e ON {_SAME_PERIOD})", params)
            (stored,) = cursor.fetchone()
            if not stored:
                created = _insert_all(cursor, conv, staged, params, columns, history)
                if created:
                    figures.changed(set(unit_ids), set(periods))
                return {"created": created, "updated": 0, "unchanged": 0}
            cursor.execute(_READY, params)
        cursor.execute(
            f"SELECT count(*) FILTER (WHERE record_id IS NULL), count(*) FILTER (WHERE changed), "
            f"min(number) FILTER (WHERE (record_id IS NULL OR changed) AND unconvertible), "
            f"array_agg(DISTINCT unit_id) FILTER (WHERE record_id IS NULL OR changed), "
            f"array_agg(DISTINCT make_date(year, month, 1)) FILTER (WHERE record_id IS NULL OR changed) FROM {READY}"
        )
        new, changed, number, moved_units, moved_months = cursor.fetchone()
        # A row to write that the version cannot convert: refused as the row path words it (first in the file).
        if number is not None:
            _raise_conversion(conv, staged, number)
        created = updated = 0
        if new:
            # No ON CONFLICT: a record of the same month written by another session since READY was built fails
            # the whole import on the unique constraint (nothing written), as the row path's COPY does.
            cursor.execute(_INSERT.format(columns=columns, history=history, ready=READY), params)
            created = cursor.rowcount
        if changed:
            cursor.execute(f"ANALYZE {READY} (record_id, changed)")
            cursor.execute(_UPDATE.format(columns=columns, history=history, ready=READY), params)
            (updated,) = cursor.fetchone()
    if new or changed:
        # The bulk statements skip post_save: say which units' months moved (the command center's roll-up).
        figures.changed(set(moved_units), set(moved_months))
    return {"created": created, "updated": updated, "unchanged": staged.rows - created - updated}


def _insert_all(cursor, conv: Converter, staged: Staged, params: dict, columns: str, history: str) -> int:
    """Every row a new record (none names a stored one): inserted with its history row in one statement, no
    READY table. No ON CONFLICT: a record of the same month written by another session since fails the whole
    import on the unique constraint (nothing written), as the row path's COPY does."""
    cursor.execute(_INSERT_ALL.format(columns=columns, history=history), params)
    created = cursor.rowcount
    if created < staged.rows:
        # A row the version cannot convert was left out: refused as the row path words it (the first in the
        # file); the import's transaction takes the records written back.
        cursor.execute(_UNCONVERTIBLE, params)
        _raise_conversion(conv, staged, cursor.fetchone()[0])
    return created


def _raise_conversion(conv: Converter, staged: Staged, number: int) -> None:
    raw = dict(staged.source)[number]
    line = check_row(Context(actor=staged.lookups.actor), staged.lookups, number, raw)
    unit, year, _, energy_type, clean = line
    region = selectors.grid_regions([unit.pk], [year]).get((unit.pk, year), "national")
    try:
        record_values(conv, energy_type, clean, year, region, ConsumptionRecord.Source.IMPORT)
    except ValidationError as exc:
        raise conversion_refused(number, exc) from exc
    raise RuntimeError(f"row {number}: the staged conversion and Converter disagree")


# A file none of whose rows names a stored record (a month imported for the first time, the usual import): the
# new records straight from ROWS, their figures computed on the way (as in READY), then their history rows from
# what the insert returns. A row the version cannot convert is left out, and then refused: see _write.
_INSERT_ALL = f"""
    WITH new AS (
        INSERT INTO energy_consumptionrecord ({{columns}})
        SELECT unit_id, year, month, energy_type, quantity, unit, cost, collection, 'import', {_even4("base")},
               {_even4("kgce")}, {_even4("kgco2")}, %(version)s, %(now)s::timestamptz
        FROM (
            SELECT *, base * kgce_factor AS kgce, base * co2_factor AS kgco2
            FROM (
                SELECT r.number, r.unit_id, r.year, r.month, r.energy_type, r.quantity, r.unit, r.cost, r.collection,
                       r.quantity * f.factor AS base, f.kgce AS kgce_factor, {_CO2} AS co2_factor
                FROM {ROWS} r {_FACTORS}
                OFFSET 0
            ) joined
            WHERE base IS NOT NULL AND co2_factor IS NOT NULL
        ) computed
        ORDER BY number
        RETURNING id, {{columns}}
    )
    INSERT INTO {{history}} (id, {{columns}}, history_date, history_change_reason, history_type, history_user_id)
    SELECT *, %(now)s, NULL, '+', %(user)s FROM new
"""
_UNCONVERTIBLE = f"SELECT min(r.number) FROM {ROWS} r {_FACTORS} WHERE f.factor IS NULL OR {_CO2} IS NULL"

# The new records, then their history rows from what the insert returns: one scan of READY, no ids drawn
# beforehand. Sorted by row number, so that the table's default draws their ids in the file's order (the
# sort is of rows in that order already: PostgreSQL's sort checks for that first).
_INSERT = """
    WITH new AS (
        INSERT INTO energy_consumptionrecord ({columns})
        SELECT unit_id, year, month, energy_type, quantity, unit, cost, collection, 'import', base, kgce, kgco2,
               %(version)s, %(now)s::timestamptz
        FROM {ready} WHERE record_id IS NULL ORDER BY number
        RETURNING id, {columns}
    )
    INSERT INTO {history} (id, {columns}, history_date, history_change_reason, history_type, history_user_id)
    SELECT *, %(now)s, NULL, '+', %(user)s FROM new
"""
# As bulk_update_with_history: the fields the file sets, updated_at left as it was.
_UPDATE = """
    WITH changed AS (
        UPDATE energy_consumptionrecord e SET quantity = s.quantity, unit = s.unit, cost = s.cost,
            collection = s.collection, source = 'import', base_quantity = s.base, kgce = s.kgce, kgco2 = s.kgco2,
            coefficient_version_id = %(version)s
        FROM {ready} s WHERE s.changed AND e.id = s.record_id
        RETURNING e.*
    ), logged AS (
        INSERT INTO {history} (id, {columns}, history_date, history_change_reason, history_type, history_user_id)
        SELECT id, {columns}, %(now)s, NULL, '~', %(user)s FROM changed
        RETURNING 1
    )
    SELECT count(*) FROM logged
"""
