"""The command center's only writes: its roll-up rows, recomputed from the domains' selectors."""

from datetime import date
from decimal import Decimal

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
    given units and their ancestors (whose sums hold them; the other units' sums are unchanged)."""
    step = OrgUnit.steplen
    targets = None
    if unit_ids is not None:
        paths = OrgUnit.objects.filter(pk__in=unit_ids).values_list("path", flat=True)
        prefixes = {p[:i] for p in paths for i in range(step, len(p) + 1, step)}
        targets = list(OrgUnit.objects.filter(path__in=prefixes).values_list("pk", "depth"))
        if not targets:
            return
    stale = SubtreeMonth.objects.filter(month__gte=start, month__lt=end)
    if targets is not None:
        stale = stale.filter(org_unit_id__in=[pk for pk, _ in targets])
    stale.delete()
    deepest = OrgUnit.objects.aggregate(d=Max("depth"))["d"] or 0
    ops = connection.ops
    span = [ops.adapt_datefield_value(start), ops.adapt_datefield_value(end)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '256MB'")  # the full rebuild's aggregates stay in memory
        for depth in range(deepest, 0, -1):
            level = None if targets is None else [pk for pk, d in targets if d == depth]
            if level != []:
                _sum_level(cursor, span, depth, deepest, level)


def _sum_level(cursor, span: list, depth: int, deepest: int, only: list[int] | None) -> None:
    """The sums of the units at ``depth`` (or of ``only`` among them), the levels below being done: a unit's
    sum is its own rows plus its children's sums — one INSERT … SELECT per level, the deepest first. Each row is
    read once as a unit's own and each sum once as a child's (about half the rows of joining every row to each
    of its ancestors), and refreshing a department reads its ancestors' children's sums, not the province."""
    step = OrgUnit.steplen
    rows, units, sums = UnitMonth._meta.db_table, OrgUnit._meta.db_table, SubtreeMonth._meta.db_table
    if only is None:
        own, mine, params = f"JOIN {units} u ON u.id = m.org_unit_id WHERE u.depth = {depth}", "", []
    else:
        marks = ", ".join(["%s"] * len(only))
        own, mine, params = f"WHERE m.org_unit_id IN ({marks})", f" AND p.id IN ({marks})", only
    children = ""
    if depth < deepest:
        children = (
            f" UNION ALL SELECT p.id, s.month, s.key, s.value FROM {units} p "
            f"JOIN {units} c ON SUBSTR(c.path, 1, {depth * step}) = p.path AND c.depth = {depth + 1} "
            f"JOIN {sums} s ON s.org_unit_id = c.id "
            f"WHERE p.depth = {depth}{mine} AND s.month >= %s AND s.month < %s"
        )
    cursor.execute(
        f"INSERT INTO {sums} (org_unit_id, month, key, value) "
        f"SELECT id, month, key, SUM(value) FROM (SELECT m.org_unit_id AS id, m.month, m.key, m.value "
        f"FROM {rows} m {own} AND m.month >= %s AND m.month < %s{children}) x "
        # In unit order: a unit's rows land on neighbouring pages, which is what the page reads together.
        "GROUP BY id, month, key ORDER BY id, month, key",
        [*params, *span, *(params + span if children else [])],
    )


def _compute(start: date, end: date, unit_ids):
    """(name, figures) of the families without grouped queries (``catalog.QUERIES``), through their selectors."""
    for name, family in catalog.FAMILIES.items():
        if name not in catalog.QUERIES:
            yield name, family(start=start, end=end, unit_ids=unit_ids)


def _claim(keys, owner: str, claimed: dict) -> None:
    """A figure key belongs to one family: the roll-up writes each family's rows apart (no merging)."""
    for key in keys:
        if claimed.setdefault(key, owner) != owner:
            raise ValueError(
                f"指标键 {key!r} 同时出自指标族 {claimed[key]!r} 和 {owner!r}：一个指标键只能属于一个指标族。"
            )


def _insert_queries(queries: figures.FigureQueries, now) -> int:
    """Write one family's grouped queries with one INSERT … SELECT of their rows (``figures.rows_sql``), rounded
    as the column keeps them: the rows never pass through Python."""
    sql, params = figures.rows_sql(queries, "ROUND(SUM(v), 4), %s")
    if not sql:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(UnitMonth._meta.db_table)} "
            f"(org_unit_id, month, key, value, refreshed_at) {sql}",
            [*params, connection.ops.adapt_datetimefield_value(now)],
        )
        return cursor.rowcount


@transaction.atomic
def rollup_refresh(*, start: date, end: date, unit_ids=None) -> int:
    """Recompute the roll-up of the months in [start, end) — of ``unit_ids``, or of every unit — from the
    domains' figure selectors: their grouped queries (``catalog.QUERIES``) inserted in SQL, a family without
    them through its ``monthly_*_figures``. Rule: a roll-up row is exactly what the selector answers for its
    unit and month; the rows of those units and months are replaced whole (a figure that fell to zero leaves no
    row behind), and the subtree sums of those units and their ancestors are recomputed from the rows. A key
    belongs to one family (two claiming it: refused). A system write (beat, the change hook, the rebuild
    command): no actor."""
    start, end = month_of(start), month_of(end) if end.day == 1 else next_month(end)
    unit_ids = None if unit_ids is None else sorted(set(unit_ids))
    stale = UnitMonth.objects.filter(month__gte=start, month__lt=end)
    if unit_ids is not None:
        stale = stale.filter(org_unit_id__in=unit_ids)
    stale.delete()
    now = timezone.now()
    claimed: dict = {}
    rows = []
    for name, values in _compute(start, end, unit_ids):
        _claim({key for row in values.values() for key in row}, name, claimed)
        rows.extend(
            (unit_id, month, key, value.quantize(FOUR), now)
            for (unit_id, month), row in values.items()
            for key, value in row.items()
            if value
        )
    _insert(rows)
    written = len(rows)
    for name, family in catalog.QUERIES.items():
        queries = family(start=start, end=end, unit_ids=unit_ids)
        _claim({key for qs in queries for key in figures.keys_of(qs)}, name, claimed)
        written += _insert_queries(queries, now)
    _sum_subtrees(start, end, unit_ids)
    return written


@transaction.atomic
def rollup_rebuild(*, today: date | None = None) -> int:
    """Rebuild the whole roll-up from scratch (every unit, every month kept): rows outside the kept months
    are dropped. Rule: after it, every row equals the selectors' answer (the agreement test's premise)."""
    spans = rules.history_spans(today or timezone.localdate())
    if connection.vendor != "postgresql":
        UnitMonth.objects.all().delete()
        SubtreeMonth.objects.all().delete()
        return sum(rollup_refresh(start=s, end=e) for s, e in spans)
    # Not DELETE: every key is written again, and each insert would first wade through the index entries of the
    # deleted rows (the same keys) — TRUNCATE leaves empty files. It locks the two tables until the commit: the
    # pages wait for the rebuild (seconds) instead of reading the old rows meanwhile. The unique indexes are
    # dropped while the tables fill and built again at the end, in one sort each (a third of the time of
    # maintaining them row by row); a duplicate row would fail that build and roll the whole rebuild back.
    models = (UnitMonth, SubtreeMonth)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(m._meta.db_table for m in models)}")
    with connection.schema_editor() as editor:
        for model in models:
            for constraint in model._meta.constraints:
                editor.remove_constraint(model, constraint)
    written = sum(rollup_refresh(start=s, end=e) for s, e in spans)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    with connection.schema_editor() as editor:
        for model in models:
            for constraint in model._meta.constraints:
                editor.add_constraint(model, constraint)
    return written
