"""Monthly figures per unit: the months a figure falls in, and the signal that says some changed.

The domains publish their monthly figures per unit through a selector each (``monthly_*_figures``),
read by the command center's roll-up. A figure changes when a domain row is written; rather than each
domain importing the command center (a layer above it), a domain *declares* which of its models move
figures with ``watch()`` in its ``AppConfig.ready()``, and anyone may listen to ``figures_changed``.
The signal is sent once the transaction commits (``on_commit``), so a rolled-back write refreshes
nothing and a listener reads committed rows.
"""

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import DateField, DecimalField, F, Func, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
from django.utils import timezone

# (unit id, first day of the month) → {figure key: value}
MonthlyFigures = dict[tuple[int, date], dict[str, Decimal]]

# A family's figures as grouped queries (``monthly_*_figure_queries``): each query is one row per (unit, month)
# with the unit in column UNIT, the month's first day in MONTH and one column per figure key, named
# KEY_PREFIX + key (``grouped`` builds them). The roll-up inserts them in SQL; ``collect`` reads them as a
# ``MonthlyFigures`` dict for everybody else: the rule is written once, as the query.
UNIT, MONTH, KEY_PREFIX = "fig_unit", "fig_month", "fig_"
FigureQueries = list[QuerySet]
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")  # a figure key, written into the SQL as a literal

# Sent with unit_ids (set of int) and months (set of first-of-month dates) after the commit.
figures_changed = Signal()


def month_of(value: date | datetime) -> date:
    """The first day of the month ``value`` falls in (an aware datetime in local time)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return date(value.year, value.month, 1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    """First days of the months in [start, end) — both first days of a month."""
    out, m = [], month_of(start)
    while m < end:
        out.append(m)
        m = next_month(m)
    return out


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def add(out: MonthlyFigures, unit_id: int, month: date, key: str, value) -> None:
    if value is None:
        return
    row = out.setdefault((unit_id, month), {})
    row[key] = row.get(key, Decimal(0)) + Decimal(value)


def grouped(qs: QuerySet, *, unit, month, **keys) -> QuerySet:
    """``qs`` grouped by ``unit`` (a field path or expression) and ``month`` (an expression giving the month's
    first day: ``month_trunc``, ``first_of_month`` or ``Value(date)``), one aggregate column per figure key."""
    unit = F(unit) if isinstance(unit, str) else unit
    if isinstance(month, date):
        month = Value(month, output_field=DateField())
    return qs.order_by().values(**{UNIT: unit, MONTH: month}).annotate(**{KEY_PREFIX + k: v for k, v in keys.items()})


def keys_of(qs: QuerySet) -> list[str]:
    """The figure keys a ``grouped`` query answers, in column order."""
    return [a[len(KEY_PREFIX) :] for a in qs.query.annotation_select if a not in (UNIT, MONTH)]


def rows_sql(queries: FigureQueries, value: str = "SUM(v)", having: str = "SUM(v) <> 0") -> tuple[str, list]:
    """One SELECT of the queries' rows, (u, m, k, ``value``): each query's key columns unpivoted into (unit,
    month, key, value) rows, summed per unit, month and key (a key may come from several queries of the family,
    e.g. one per month), the sums ``having`` refuses left out (by default zeros and NULLs). One round trip
    whatever the number of queries; ("", []) if none has rows to give."""
    qn = connection.ops.quote_name
    # PostgreSQL: a truncated timestamp and a date parameter are one type only once cast.
    month = f"CAST({qn(MONTH)} AS date)" if connection.vendor == "postgresql" else qn(MONTH)
    ctes, branches, params = [], [], []
    for qs in queries:
        try:
            sql, query_params = qs.query.sql_with_params()
        except EmptyResultSet:  # e.g. no units asked for
            continue
        name = f"q{len(ctes)}"
        ctes.append(f"{name} AS ({sql})")
        params.extend(query_params)
        for key in keys_of(qs):
            if not KEY.fullmatch(key):
                raise ValueError(f"指标键不合法：{key!r}")
            branches.append(
                f"SELECT {qn(UNIT)} AS u, {month} AS m, '{key}' AS k, {qn(KEY_PREFIX + key)} AS v FROM {name}"
            )
    if not branches:
        return "", []
    sql = (
        f"WITH {', '.join(ctes)} SELECT u, m, k, {value} FROM ({' UNION ALL '.join(branches)}) x "
        f"GROUP BY u, m, k HAVING {having}"
    )
    return sql, params


def collect(queries: FigureQueries) -> MonthlyFigures:
    """The queries' rows as {(unit id, month): {key: value}}, read in one statement (``rows_sql``); a count of
    none is a 0, a sum of nothing (NULL) leaves no key."""
    sql, params = rows_sql(queries, having="SUM(v) IS NOT NULL")
    out: MonthlyFigures = {}
    if not sql:
        return out
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for unit_id, month, key, value in cursor.fetchall():
            month = month if isinstance(month, date) else date.fromisoformat(month[:10])  # SQLite: ISO text
            # SQLite sums decimals as floats: read them as the digits they print as.
            add(out, unit_id, month, key, Decimal(str(value)) if isinstance(value, float) else value)
    return out


def month_trunc(field: str):
    """The first day of the month a date or (aware, read in local time) datetime column falls in."""
    return TruncMonth(field, output_field=DateField(), tzinfo=timezone.get_default_timezone())


def month_of_day(field: str):
    """The first day of the month of a date column."""
    return TruncMonth(field, output_field=DateField())


class FirstOfMonth(Func):
    """The first day of the month given as integer year and month columns, as a date."""

    output_field = DateField()
    arity = 2

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="MAKE_DATE", template="%(function)s(%(expressions)s, 1)")

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps dates as ISO text (four-digit years here).
        (year, year_params), (month, month_params) = (compiler.compile(e) for e in self.get_source_expressions())
        sql = f"(CAST({year} AS TEXT) || '-' || SUBSTR('0' || CAST({month} AS TEXT), -2) || '-01')"
        return sql, (*year_params, *month_params)


class HoursBetween(Func):
    """(end − start) in hours, as a decimal: ``HoursBetween(end, start)``."""

    output_field = DecimalField()
    arity = 2

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600)", arg_joiner=" - "
        )

    def as_sqlite(self, compiler, connection, **extra):
        # django_timestamp_diff: Django's SQLite function, microseconds between two timestamps.
        return self.as_sql(compiler, connection, template="(django_timestamp_diff(%(expressions)s) / 3600000000.0)")


def changed(unit_ids: Iterable[int | None], months: Iterable[date | datetime | None]) -> None:
    """Announce, after the commit, that the figures of ``unit_ids`` for ``months`` may have changed.

    Within one transaction the announcements are gathered and sent once at its commit (an import of a
    thousand rows refreshes once, not a thousand times). The pending set lives on the database
    connection, which is per thread and per transaction here — never a module-level cache.
    """
    units = {u for u in unit_ids if u}
    found = {month_of(m) for m in months if m}
    if not (units and found):
        return
    connection = transaction.get_connection()
    pending = connection.__dict__.get("_figures_pending")
    # Still waiting for this transaction's commit? (A rollback drops the callback, and with it the batch.)
    waiting = pending is not None and any(entry[1] is pending[2] for entry in connection.run_on_commit)
    if not waiting:
        batch: tuple[set, set] = (set(), set())

        def send():
            if connection.__dict__.get("_figures_pending", (None, None, None))[2] is send:
                del connection.__dict__["_figures_pending"]
            figures_changed.send(sender=None, unit_ids=batch[0], months=batch[1])

        pending = connection.__dict__["_figures_pending"] = (*batch, send)
        batch[0].update(units)
        batch[1].update(found)
        transaction.on_commit(send)
        return
    pending[0].update(units)
    pending[1].update(found)


def watch(model, *, units: Callable[[object], Iterable[int | None]], months: Callable[[object], Iterable]) -> None:
    """Declare that saving or deleting a ``model`` row moves the figures of ``units(row)`` in ``months(row)``.

    ``months`` may return dates or datetimes (any day of the month); the current month is always added,
    because the stock figures (held now, open now) are those of the current month.
    """

    def receiver(sender, instance, **kwargs):
        changed(units(instance), [*months(instance), timezone.localdate()])

    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"figures:{model._meta.label}:save")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"figures:{model._meta.label}:delete")
