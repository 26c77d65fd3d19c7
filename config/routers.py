"""Database routing: reads of the command center and of the lists go to the ``replica`` database when one is
configured (``DATABASE_REPLICA_URL``), everything else to ``default``.

A read goes to the replica only when all hold: the code marked it (``datahub.replica.replica_reads``), a
``replica`` alias exists, and no transaction is open on ``default`` — inside one the reader expects to see what
it has just written, which a replica may not have yet. Writes and migrations are the primary's alone (the
replica follows by streaming replication)."""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from datahub import replica

REPLICA = "replica"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        # None: no opinion, so Django uses the instance's own database (a related object) or ``default``.
        if not replica.reading() or REPLICA not in settings.DATABASES:
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # One database, two servers: an object read from the replica may be linked to one from the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
