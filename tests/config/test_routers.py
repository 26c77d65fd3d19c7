"""Reads of the command center and of the lists go to a read replica when one is configured
(``DATABASE_REPLICA_URL`` → the ``replica`` alias); every write, migration and read inside a transaction stays
on the primary; without a replica everything reads the primary."""

import pytest
from django.db import connection, router

from config.routers import ReplicaRouter
from datahub import replica
from datahub.replica import replica_reads
from energy.models import ConsumptionRecord
from telematics.models import Position


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {
        **settings.DATABASES,
        "replica": {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}},
    }


def test_the_router_is_installed():
    from django.conf import settings

    assert "config.routers.ReplicaRouter" in settings.DATABASE_ROUTERS


def test_without_a_replica_marked_reads_go_to_the_primary():
    with replica_reads():
        assert router.db_for_read(Position) == "default"


def test_marked_reads_go_to_the_replica_and_writes_to_the_primary(with_replica):
    with replica_reads():
        assert router.db_for_read(ConsumptionRecord) == "replica"
        assert router.db_for_write(ConsumptionRecord) == "default"
    assert router.db_for_read(ConsumptionRecord) == "default"  # unmarked: the primary


def test_a_read_inside_a_transaction_stays_on_the_primary(db, with_replica):
    """The test runs inside a transaction, as a service does: it must see what it has just written."""
    assert connection.in_atomic_block
    with replica_reads():
        assert router.db_for_read(ConsumptionRecord) == "default"


def test_the_replica_is_never_migrated():
    assert ReplicaRouter().allow_migrate("replica", "telematics") is False
    assert ReplicaRouter().allow_migrate("default", "telematics") is True


def test_the_flag_is_set_only_inside_the_block():
    assert not replica.reading()
    with replica_reads():
        assert replica.reading()
        with replica_reads():
            assert replica.reading()
        assert replica.reading()
    assert not replica.reading()
