"""The command center's only writes: its roll-up rows, recomputed from the domains' selectors."""

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from datahub import figures
from datahub.figures import month_of, next_month
from datahub.models import OrgUnit

from . import catalog, rules
from .models import SubtreeMonth, UnitMonth

FOUR = Decimal("0.0001")
COLUMNS = ("org_unit_id", "month", "key", "value", "refreshed_at")
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")  # a figure key, written into the SQL as a literal


def _insert(rows: list[tuple]) -> None:
    """Write the rows in one COPY on PostgreSQL (a full rebuild is a few hundred thousand rows; building a model
    instance per row costs more than the aggregation), else in one executemany."""
    table = UnitMonth._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        elif rows:
            ops = connection.ops
            marks = ", ".join(["%s"] * len(COLUMNS))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks})",
                [
                    (
                        u,
                        ops.adapt_datefield_value(m),
                        k,
                        ops.adapt_decimalfield_value(v),
                        ops.adapt_datetimefield_value(t),
                    )
                    for u, m, k, v, t in rows
                ],
            )


def _sum_subtrees(start: date, end: date, unit_ids) -> None:
    """Recompute ``SubtreeMonth`` for the months in [start, end) from ``UnitMonth``: of every unit, or of the
    given units and their ancestors (whose sums hold them). One INSERT … SELECT: each row joined to the unit
    itself and each of its ancestors — (unit, ancestor) pairs made by an equality join on the path's first d
    steps for each depth d, which the database hashes — and summed per ancestor, month and key."""
    step = OrgUnit.steplen
    targets = None
    if unit_ids is not None:
        paths = OrgUnit.objects.filter(pk__in=unit_ids).values_list("path", flat=True)
        prefixes = {p[:i] for p in paths for i in range(step, len(p) + 1, step)}
        targets = sorted(OrgUnit.objects.filter(path__in=prefixes).values_list("pk", flat=True))
        if not targets:
            return
    stale = SubtreeMonth.objects.filter(month__gte=start, month__lt=end)
    if targets is not None:
        stale = stale.filter(org_unit_id__in=targets)
    stale.delete()
    deepest = OrgUnit.objects.aggregate(d=Max("depth"))["d"] or 0
    if not deepest:
        return
    ops = connection.ops
    rows, units, sums = UnitMonth._meta.db_table, OrgUnit._meta.db_table, SubtreeMonth._meta.db_table
    pairs = " UNION ALL ".join(
        f"SELECT u.id AS unit_id, a.id AS ancestor_id FROM {units} u "
        f"JOIN {units} a ON a.path = SUBSTR(u.path, 1, {depth * step}) WHERE u.depth >= {depth}"
        for depth in range(1, deepest + 1)
    )
    only, tail = "", []
    if targets is not None:
        only, tail = f" AND p.ancestor_id IN ({', '.join(['%s'] * len(targets))})", targets
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '64MB'")  # the full rebuild's aggregate stays in memory
        cursor.execute(
            f"INSERT INTO {sums} (org_unit_id, month, key, value) "
            f"SELECT p.ancestor_id, m.month, m.key, SUM(m.value) FROM {rows} m "
            f"JOIN ({pairs}) p ON p.unit_id = m.org_unit_id "
            f"WHERE m.month >= %s AND m.month < %s{only} "
            # In unit order: a unit's rows land on neighbouring pages, which is what the page reads together.
            "GROUP BY p.ancestor_id, m.month, m.key ORDER BY p.ancestor_id, m.month, m.key",
            [ops.adapt_datefield_value(start), ops.adapt_datefield_value(end), *tail],
        )


def _compute(start: date, end: date, unit_ids) -> dict:
    """The families without grouped queries (``catalog.QUERIES``), through their selectors, merged."""
    merged: dict = {}
    for name, family in catalog.FAMILIES.items():
        if name in catalog.QUERIES:
            continue
        for (unit_id, month), values in family(start=start, end=end, unit_ids=unit_ids).items():
            row = merged.setdefault((unit_id, month), {})
            for key, value in values.items():
                row[key] = row.get(key, 0) + value
    return merged


def _insert_queries(queries: figures.FigureQueries, now) -> int:
    """Write one family's grouped queries with one INSERT … SELECT: each query's key columns unpivoted into
    (unit, month, key, value) rows, summed per unit, month and key (a key may come from several queries, e.g.
    one per month), rounded as the column keeps it, zeros left out. A key another family already wrote for the
    same unit and month is added to (the merged answer, as before). The rows never pass through Python."""
    qn = connection.ops.quote_name
    # PostgreSQL: a truncated timestamp and a date parameter are one type only once cast.
    month = f"CAST({qn(figures.MONTH)} AS date)" if connection.vendor == "postgresql" else qn(figures.MONTH)
    ctes, branches, params = [], [], []
    for qs in queries:
        try:
            sql, query_params = qs.query.sql_with_params()
        except EmptyResultSet:  # e.g. no units asked for
            continue
        name = f"q{len(ctes)}"
        ctes.append(f"{name} AS ({sql})")
        params.extend(query_params)
        for key in figures.keys_of(qs):
            if not KEY.fullmatch(key):
                raise ValueError(f"指标键不合法：{key!r}")
            branches.append(
                f"SELECT {qn(figures.UNIT)} AS u, {month} AS m, '{key}' AS k, "
                f"{qn(figures.KEY_PREFIX + key)} AS v FROM {name}"
            )
    if not branches:
        return 0
    table = qn(UnitMonth._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (org_unit_id, month, key, value, refreshed_at) "
            f"WITH {', '.join(ctes)} "
            f"SELECT u, m, k, ROUND(SUM(v), 4), %s FROM ({' UNION ALL '.join(branches)}) x "
            # WHERE: SQLite reads ON CONFLICT after a bare FROM … as a join's ON.
            "WHERE 1 = 1 GROUP BY u, m, k HAVING SUM(v) <> 0 "
            f"ON CONFLICT (org_unit_id, month, key) DO UPDATE SET value = {table}.value + EXCLUDED.value",
            [*params, connection.ops.adapt_datetimefield_value(now)],
        )
        return cursor.rowcount


@transaction.atomic
def rollup_refresh(*, start: date, end: date, unit_ids=None) -> int:
    """Recompute the roll-up of the months in [start, end) — of ``unit_ids``, or of every unit — from the
        domains' ``monthly_*_figures`` selectors. Rule: a roll-up row is exactly what the selector answers for
        its unit and month; the rows of those units and months are replaced whole (a figure that fell to zero
        leaves no row behind), and the subtree sums of those units and their ancestors are recomputed from the
    rows. A system write (beat, the change hook, the rebuild command): no actor."""
    start, end = month_of(start), month_of(end) if end.day == 1 else next_month(end)
    unit_ids = None if unit_ids is None else sorted(set(unit_ids))
    stale = UnitMonth.objects.filter(month__gte=start, month__lt=end)
    if unit_ids is not None:
        stale = stale.filter(org_unit_id__in=unit_ids)
    stale.delete()
    now = timezone.now()
    rows = [
        (unit_id, month, key, value.quantize(FOUR), now)
        for (unit_id, month), values in _compute(start, end, unit_ids).items()
        for key, value in values.items()
        if value
    ]
    _insert(rows)
    written = len(rows)
    for family in catalog.QUERIES.values():
        written += _insert_queries(family(start=start, end=end, unit_ids=unit_ids), now)
    _sum_subtrees(start, end, unit_ids)
    return written


@transaction.atomic
def rollup_rebuild(*, today: date | None = None) -> int:
    """Rebuild the whole roll-up from scratch (every unit, every month kept): rows outside the kept months
    are dropped. Rule: after it, every row equals the selectors' answer (the agreement test's premise)."""
    spans = rules.history_spans(today or timezone.localdate())
    UnitMonth.objects.all().delete()
    SubtreeMonth.objects.all().delete()
    return sum(rollup_refresh(start=s, end=e) for s, e in spans)
