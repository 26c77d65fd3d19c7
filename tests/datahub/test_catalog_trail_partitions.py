"""On PostgreSQL the access trail is partitioned by month and the database refuses to change or delete a row;
on SQLite there is one table and the application's guards (TrailRecord.save/delete, TrailQuerySet) are the
only refusal, with verify_trail finding what SQL changed behind them."""

from datetime import date, datetime, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from datahub.catalog import partitions, selectors, services
from datahub.catalog.models import chain_hash_sql
from datahub.models import AppendOnlyError, Dataset, TrailRecord
from datahub.tasks import create_trail_partitions

pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions and triggers are PostgreSQL's")
TABLE = TrailRecord._meta.db_table


def partition_of(record: TrailRecord) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {TABLE} WHERE seq = %s", [record.seq])
        return cursor.fetchone()[0]


@pg_only
def test_the_trail_is_partitioned_by_month_three_months_ahead(db):
    month = partitions.month_start(timezone.localdate())
    names = partitions.existing()
    for n in range(4):
        assert partitions.name_of(partitions.add_months(month, n)) in names


@pg_only
def test_a_call_lands_in_its_own_months_partition(db):
    record = services.trail_append(dataset_code="3-01-001.0001", status=200)
    assert partition_of(record) == partitions.name_of(partitions.month_start(timezone.localdate()))


@pg_only
def test_the_beat_task_creates_the_coming_months_once(db):
    assert create_trail_partitions() == []  # the migration made this month and three ahead already
    later = partitions.add_months(partitions.month_start(timezone.localdate()), 5)
    created = services.trail_partitions_ensure(today=later)
    assert partitions.name_of(later) in created and len(created) == 4
    assert services.trail_partitions_ensure(today=later) == []


@pg_only
def test_months_follow_local_time(db):
    """A call at 00:30 on the 1st in Beijing is in the new month, though it is still the last day in UTC."""
    tz = timezone.get_current_timezone()
    month = partitions.add_months(partitions.month_start(timezone.localdate()), 1)
    record = services.trail_append(dataset_code="x", status=200)
    moment = timezone.make_aware(datetime(month.year, month.month, 1, 0, 30), tz)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (seq, at, kind, caller_label, dataset_code, items, row_scope, filter, rows, bytes,"
            " status, duration_ms, prev_hash, hash) VALUES (%s, %s, 'call', '', '', '', '', '', 0, 0, 200, 0, '', '')"
            " RETURNING tableoid::regclass::text",
            [record.seq + 1, moment],
        )
        assert cursor.fetchone()[0] == partitions.name_of(month)


@pg_only
@pytest.mark.parametrize(
    "sql, message",
    [
        (f"UPDATE {TABLE} SET rows = 999", "调用日志只能追加，不能修改。"),
        (f"DELETE FROM {TABLE}", "调用日志只能追加，不能删除。"),
    ],
)
def test_the_database_refuses_to_change_or_delete_a_trail_row(db, sql, message):
    services.trail_append(dataset_code="3-01-001.0001", rows=3, status=200)
    with pytest.raises(DatabaseError, match=message), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert list(TrailRecord.objects.values_list("rows", flat=True)) == [3]
    assert selectors.verify_trail().ok


@pg_only
def test_queries_by_entry_and_month_read_one_partition_through_an_index(tree):
    dataset = Dataset.objects.create(
        code="3-01-001.0009",
        name="测试",
        provider=tree.a,
        summary="s",
        share_type="unconditional",
        update_cycle="daily",
    )
    services.trail_append(dataset=dataset, status=200)
    first = partitions.month_start(timezone.localdate())
    start = timezone.make_aware(datetime(first.year, first.month, 1))
    qs = TrailRecord.objects.filter(dataset=dataset, at__gte=start, at__lt=start + timedelta(days=28))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: ask the planner what it *can* use
        plan = qs.explain()
        cursor.execute("SET LOCAL enable_seqscan = on")
    scanned = {p for p in [*partitions.existing(), partitions.DEFAULT] if p in plan}
    assert scanned == {partitions.name_of(partitions.month_start(timezone.localdate()))}
    assert "Index" in plan


@pg_only
def test_the_database_computes_the_same_digest_as_the_application(db):
    """verify_trail's fast path hashes in SQL: quotes, backslashes, control characters, Chinese and emoji in a
    row must give exactly the digest the application chained."""
    tricky = 'q"uote\\back\nline\ttab\x01ctl\x1f 中文 😀 /\u2028\x7f'
    records = [
        services.trail_append(dataset_code="3-01-001.0001", filter=tricky, items=["a", "中"], rows=7, status=200),
        services.trail_append(status=403),  # nulls everywhere they may be
    ]
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT {chain_hash_sql()} FROM "{TABLE}" ORDER BY seq')
        assert [row[0] for row in cursor.fetchall()] == [r.hash for r in records]
    assert selectors.verify_trail().checked == 2


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite only: PostgreSQL refuses in the database")
def test_on_sqlite_only_the_application_refuses_and_verification_finds_sql_edits(db):
    """SQLite keeps the application-level guard: the ORM refuses, raw SQL gets through, and the chain shows it."""
    record = services.trail_append(dataset_code="3-01-001.0001", rows=3, status=200)
    with pytest.raises(AppendOnlyError):
        TrailRecord.objects.filter(pk=record.pk).update(rows=0)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET rows = 999")
    assert selectors.verify_trail().broken_seq == 1
    assert partitions.existing() == [] and services.trail_partitions_ensure() == []


def test_month_arithmetic():
    assert partitions.add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert partitions.name_of(date(2027, 2, 1)) == "datahub_trailrecord_y2027m02"
    assert partitions.bound(date(2027, 1, 1)) == "2027-01-01T00:00:00+08:00"
