"""On PostgreSQL the energy monthly records are partitioned by (year, month), one partition a month: the
migration moves every record into the partitioned table, a record lands in its month's partition, a year's
figures read only that year's months, and an old month can be detached for archiving."""

from datetime import date
from decimal import Decimal
from importlib import import_module

import pytest
from django.db import connection
from django.utils import timezone

from datahub import partitions, services
from datahub.partitions import ENERGY
from datahub.tasks import create_month_partitions
from energy import services as energy_services
from energy.models import CoefficientVersion, ConsumptionRecord

pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")
TABLE = ConsumptionRecord._meta.db_table


def last_month() -> date:
    return partitions.add_months(partitions.month_start(timezone.localdate()), -1)


def partition_of(record: ConsumptionRecord) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {TABLE} WHERE id = %s", [record.pk])
        return cursor.fetchone()[0]


def record(unit, month: date, energy_type="electricity", quantity="100") -> ConsumptionRecord:
    return ConsumptionRecord.objects.create(
        org_unit=unit,
        year=month.year,
        month=month.month,
        energy_type=energy_type,
        quantity=Decimal(quantity),
        unit="kWh",
        base_quantity=Decimal(quantity),
        kgce=Decimal("12.29"),
        kgco2=Decimal("58.1"),
        coefficient_version=CoefficientVersion.objects.first(),
    )


def stored_records() -> set[tuple]:
    return set(ConsumptionRecord.objects.values_list("id", "org_unit_id", "year", "month", "energy_type", "quantity"))


@pg_only
def test_records_are_partitioned_by_month_over_last_year_this_year_and_three_months_ahead(db):
    assert create_month_partitions() == []  # the migration made them already
    names = ENERGY.existing()
    today = timezone.localdate()
    first, ahead = date(today.year - 1, 1, 1), partitions.add_months(partitions.month_start(today), 3)
    for month in partitions.months(first, max(ahead, date(today.year, 12, 1))):
        assert ENERGY.name_of(month) in names


@pg_only
def test_a_saved_record_lands_in_its_months_partition(energy_people, tree):
    month = last_month()
    saved = energy_services.save_record(
        actor=energy_people.reporter_a,
        org_unit=tree.a,
        year=month.year,
        month=month.month,
        energy_type="electricity",
        quantity="1200",
        unit="kWh",
    )
    assert partition_of(saved) == ENERGY.name_of(month)
    # saved again: the same row is replaced (update through the partitioned table), not doubled
    energy_services.save_record(
        actor=energy_people.reporter_a,
        org_unit=tree.a,
        year=month.year,
        month=month.month,
        energy_type="electricity",
        quantity="1300",
        unit="kWh",
    )
    assert ConsumptionRecord.objects.get(pk=saved.pk).quantity == Decimal("1300")


def scanned_by(queryset) -> set[str]:
    plan = queryset.explain()
    return {name for name in [*ENERGY.existing(), ENERGY.default] if name in plan}


@pg_only
def test_a_quarter_read_as_a_month_range_reads_only_its_three_months(tree):
    """Both key columns constrained: the quarter's three partitions (``month IN (4, 5, 6)`` prunes to the year
    only — PostgreSQL does not combine a list on the second key column with the first's equality)."""
    year = last_month().year
    scanned = scanned_by(ConsumptionRecord.objects.filter(year=year, month__gte=4, month__lte=6, org_unit=tree.a))
    assert scanned == {ENERGY.name_of(date(year, m, 1)) for m in (4, 5, 6)}


@pg_only
def test_a_years_figures_read_only_that_years_months_and_the_empty_default(tree):
    """A condition on the year alone (the first of the two key columns) prunes to the year's twelve months;
    PostgreSQL still lists the DEFAULT partition, which the beat task keeps empty."""
    year = last_month().year
    scanned = scanned_by(ConsumptionRecord.objects.filter(year=year, org_unit=tree.a))
    assert scanned == {ENERGY.name_of(date(year, m, 1)) for m in range(1, 13)} | {ENERGY.default}


@pg_only
def test_a_detached_month_is_no_longer_read(tree):
    old = date(2019, 5, 1)
    assert ENERGY.create(old)
    kept = record(tree.a, old)
    assert services.month_partitions_detach(table="energy", before=date(2019, 6, 1)) == [ENERGY.name_of(old)]
    assert not ConsumptionRecord.objects.filter(pk=kept.pk).exists()


@pg_only
def test_migrating_a_database_with_records_keeps_every_record(tree):
    old = date(2018, 3, 1)
    for unit in (tree.a, tree.b):
        for month in (old, last_month()):
            record(unit, month)
            record(unit, month, energy_type="water", quantity="7")
    before = stored_records()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # The migration's own two directions: with the app's chain squashed its nodes are no longer in the
    # graph for the executor to migrate to (a database migrated afresh ran the squash).
    migration = import_module("energy.migrations.0006_records_partitioned_by_month_on_postgresql")
    with connection.schema_editor() as editor:
        migration.unpartition(None, editor)
    assert not ENERGY.is_partitioned() and stored_records() == before

    with connection.schema_editor() as editor:
        migration.partition(None, editor)

    assert ENERGY.is_partitioned() and stored_records() == before
    oldest = ConsumptionRecord.objects.filter(year=2018).first()
    assert partition_of(oldest) == ENERGY.name_of(old)


@pg_only
def test_a_quarters_figures_read_only_the_quarters_three_months(energy_people, tree):
    """Each institution's quarter and the summary's: the records query reads the quarter's three months — the
    months as a range, not a list. (A unit's indicators read three years at once, ``year IN (…)``: PostgreSQL
    prunes that to the years' twelve months, with or without the range.)"""
    from django.db.models import Q
    from django.test.utils import CaptureQueriesContext

    from energy import selectors

    year = last_month().year
    for y in (year - 1, year):
        for month in partitions.months(date(y, 1, 1), date(y, 12, 1)):
            ENERGY.create(month)
    record(tree.a, date(year, 5, 1))
    with CaptureQueriesContext(connection) as queries:
        selectors.figures_by_unit(Q(org_unit__path__startswith=tree.r.path), year, months=range(4, 7))
        [(_, summed)] = selectors.summary(energy_people.leader, year=year, by="department", quarter=2)
    assert summed.kgce == Decimal("12.29")
    reads = [q["sql"] for q in queries.captured_queries if TABLE in q["sql"]]
    assert len(reads) == 2
    for sql in reads:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        scanned = {name for name in [*ENERGY.existing(), ENERGY.default] if name in plan}
        assert {ENERGY.month_of(name).month for name in scanned if name != ENERGY.default} == {4, 5, 6}, sql
        assert ENERGY.default not in scanned
