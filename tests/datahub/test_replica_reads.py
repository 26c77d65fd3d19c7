"""The command center's figures and the lists' rows are read with the replica flag set (``datahub.replica``), so
``config.routers.ReplicaRouter`` sends them to a read replica when one is configured; the reader's grants are
checked before, unmarked, on the primary."""

from django.db import connection
from django.urls import reverse

from datahub import replica
from energy.models import ConsumptionRecord


def marked_queries(client, url) -> list[tuple[bool, str]]:
    seen = []

    def spy(execute, sql, params, many, context):
        seen.append((replica.reading(), sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        assert client.get(url).status_code == 200
    return seen


def test_a_list_reads_its_rows_marked_for_the_replica_after_checking_the_reader(client, people, tree):
    """The energy records list as the province leader: the grant is read unmarked (on the primary), the
    records marked (for the replica)."""
    client.force_login(people.leader)
    seen = marked_queries(client, reverse("energy:record-list"))
    table = ConsumptionRecord._meta.db_table
    assert any(marked and table in sql for marked, sql in seen)
    assert not any(marked and "auth_user" in sql and "session" not in sql for marked, sql in seen[:1])
    assert any(not marked for marked, _ in seen)


def test_the_command_centers_figures_are_marked_for_the_replica(client, people, tree):
    client.force_login(people.leader)
    seen = marked_queries(client, reverse("commandcenter:unit", args=[tree.a.pk]))
    assert sum(marked for marked, _ in seen) >= 3
