"""On PostgreSQL the GPS positions are partitioned by local month on ``time``: the migration moves every point
into the partitioned table, the beat task keeps the months ahead, a point lands in its month's partition, a
track read scans only the months it spans, and an old month can be detached for archiving. SQLite keeps one
plain table and the same answers."""

from datetime import date, timedelta
from importlib import import_module

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from datahub import partitions, services
from datahub.partitions import POSITIONS
from datahub.tasks import create_month_partitions
from telematics import selectors
from telematics import services as telematics_services
from telematics.models import Position

from .conftest import point

pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")
TABLE = Position._meta.db_table


def this_month() -> date:
    return partitions.month_start(timezone.localdate())


def moment_in(month: date, day: int = 10, hour: int = 9):
    return timezone.make_aware(timezone.datetime(month.year, month.month, day, hour))


def partition_of(vehicle_id: int, moment) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT tableoid::regclass::text FROM {TABLE} WHERE vehicle_id = %s AND "time" = %s', [vehicle_id, moment]
        )
        return cursor.fetchone()[0]


def stored_points() -> set[tuple]:
    return set(Position.objects.values_list("id", "vehicle_id", "time", "lat", "lon", "speed", "ignition"))


@pg_only
def test_positions_are_partitioned_from_last_month_to_three_months_ahead(db):
    assert create_month_partitions() == []  # the migration made them already; last month stays open (late points)
    names = POSITIONS.existing()
    for n in range(-1, 4):
        assert POSITIONS.name_of(partitions.add_months(this_month(), n)) in names
    assert create_month_partitions() == []  # idempotent


@pg_only
def test_an_ingested_point_lands_in_its_months_partition(fleet):
    moment = timezone.now().replace(microsecond=0) - timedelta(minutes=5)
    result = telematics_services.ingest(terminal=fleet.term_a, points=[point(moment)])
    assert result.stored == 1
    assert partition_of(fleet.car_a.pk, moment) == POSITIONS.name_of(partitions.month_start(timezone.localtime(moment)))


@pg_only
def test_the_orm_writes_reads_updates_and_deletes_through_the_partitioned_table(fleet):
    """The model keeps ``id`` as its primary key; the database's key is (id, time) and the ORM is unaware."""
    moment = moment_in(this_month())
    created = Position.objects.create(vehicle=fleet.car_a, time=moment, lat=30.1, lon=120.1, speed=30)
    assert created.pk is not None
    Position.objects.filter(pk=created.pk).update(speed=45)
    assert Position.objects.get(pk=created.pk).speed == 45
    Position.objects.filter(pk=created.pk).delete()
    assert not Position.objects.filter(pk=created.pk).exists()


@pg_only
def test_a_track_read_scans_only_the_months_it_spans(fleet):
    month = this_month()
    start, end = moment_in(month, 2), moment_in(month, 3)
    plan = selectors.track(fleet.car_a.pk, start, end).explain()
    scanned = {name for name in [*POSITIONS.existing(), POSITIONS.default] if name in plan}
    assert scanned == {POSITIONS.name_of(month)}


@pg_only
def test_a_detached_month_is_no_longer_read_and_keeps_its_rows_for_the_archive(fleet):
    old = partitions.add_months(this_month(), -30)
    assert POSITIONS.create(old)
    moment = moment_in(old)
    Position.objects.create(vehicle=fleet.car_a, time=moment, lat=30.1, lon=120.1, speed=30)
    assert selectors.track(fleet.car_a.pk, moment, moment).count() == 1

    detached = services.month_partitions_detach(table="positions", before=partitions.add_months(old, 1))

    assert detached == [POSITIONS.name_of(old)]
    assert selectors.track(fleet.car_a.pk, moment, moment).count() == 0
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{POSITIONS.name_of(old)}"')
        assert cursor.fetchone()[0] == 1
    # the archive waits under its name: the beat task does not create that month again over it
    assert not POSITIONS.create(old)


@pg_only
def test_a_month_the_beat_task_keeps_cannot_be_detached(db):
    before = POSITIONS.existing()
    with pytest.raises(ValidationError) as refused:
        services.month_partitions_detach(table="positions", before=this_month())
    assert "保留期" in refused.value.message_dict["before"][0]
    assert POSITIONS.existing() == before


@pg_only
def test_the_detach_command_names_what_it_detached(fleet):
    old = partitions.add_months(this_month(), -40)
    POSITIONS.create(old)
    from io import StringIO

    out = StringIO()
    call_command(
        "detach_month_partitions", "positions", "--before", f"{partitions.add_months(old, 1):%Y-%m}", stdout=out
    )
    assert POSITIONS.name_of(old) in out.getvalue()
    assert POSITIONS.name_of(old) not in POSITIONS.existing()
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("detach_month_partitions", "positions", "--before", "last year")


@pg_only
def test_migrating_a_database_with_points_keeps_every_point(fleet):
    old = partitions.add_months(this_month(), -14)
    Position.objects.bulk_create(
        [
            Position(vehicle=fleet.car_a, time=moment_in(old) + timedelta(minutes=n), lat=30.1, lon=120.1, speed=n)
            for n in range(50)
        ]
        + [
            Position(
                vehicle=fleet.car_b, time=moment_in(this_month(), 1, 0) + timedelta(seconds=n), lat=30, lon=120, speed=1
            )
            for n in range(50)
        ]
    )
    before = stored_points()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks on a table about to be rebuilt
    # The migration's own two directions: with the app's chain squashed its nodes are no longer in the
    # graph for the executor to migrate to (a database migrated afresh ran the squash).
    migration = import_module("telematics.migrations.0002_positions_partitioned_by_month_on_postgresql")
    with connection.schema_editor() as editor:
        migration.unpartition(None, editor)
    assert not POSITIONS.is_partitioned() and stored_points() == before

    with connection.schema_editor() as editor:
        migration.partition(None, editor)

    assert POSITIONS.is_partitioned() and stored_points() == before
    # the oldest point's month got a partition of its own, and the points sit in their months
    assert partition_of(fleet.car_a.pk, moment_in(old)) == POSITIONS.name_of(old)
    assert partition_of(fleet.car_b.pk, moment_in(this_month(), 1, 0)) == POSITIONS.name_of(this_month())
    # new ids follow the moved ones
    fresh = Position.objects.create(vehicle=fleet.car_a, time=moment_in(this_month(), 2), lat=30, lon=120, speed=1)
    assert fresh.pk > max(row[0] for row in before)


def test_without_partitions_the_helpers_do_nothing(db):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    assert POSITIONS.existing() == [] and services.month_partitions_ensure() == []
    with pytest.raises(ValidationError):
        services.month_partitions_detach(table="positions", before=date(2020, 1, 1))
