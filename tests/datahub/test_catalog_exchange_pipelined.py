"""An exchange page's statement is read while its trail row's commit is flushed (datahub.catalog.pipelined), and
the call is answered only once the row is committed: another connection sees the row when the answer arrives.
A failing statement raises as any query does and leaves the connection as it found it; values go in and come
back with the types an ordinary cursor gives."""

from datetime import UTC, datetime

import pytest
from django.db import DatabaseError, connection, connections, transaction
from rest_framework.test import APIClient

from datahub.catalog import pipelined
from datahub.models import TrailRecord
from tests.catalog_factories import access_token, build_hub, share

URL = "/api/exchange/v1/{}/"
pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the pipelined statement is PostgreSQL's")


def _rows_seen_elsewhere() -> int:
    """Trail rows as a second connection sees them: committed rows only."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TrailRecord._meta.db_table}")
            return cursor.fetchone()[0]
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_each_page_is_answered_only_once_its_trail_row_is_committed(tree, people):
    hub = build_hub(tree, people)
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, row_scope="all")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token(hub.app_a)}")
    params = {"page_size": 2}
    for calls in range(1, 4):
        response = client.get(URL.format(hub.units.code), params)
        assert response.status_code == 200
        assert _rows_seen_elsewhere() == calls
        params = {"page_size": 2, "cursor": response.json()["next_cursor"]}
    assert connection.connection.pgconn.pipeline_status == 0  # out of pipeline mode between calls


@pytest.mark.django_db(transaction=True)
def test_a_statement_outside_a_transaction_commits_and_is_prepared_once():
    table = TrailRecord._meta.db_table
    sql = (
        "WITH x AS (UPDATE datahub_trailhead SET seq = seq WHERE id = -1 RETURNING 1) "
        f"SELECT (SELECT count(*) FROM {table}), %s::text, EXISTS (SELECT 1 FROM x)"
    )
    row, wait = pipelined.execute(sql, ["百分比 100%"])
    wait()
    assert row == (0, "百分比 100%", False)
    # Prepared on the connection on its first run, reused on the next.
    pipelined.execute(sql, ["b"])[1]()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'yw_exchange_%'")
        assert cursor.fetchone()[0] == (0 if connection.connection.prepare_threshold is None else 1)
        # As psycopg does after a rollback: the statement is prepared again on its next run.
        cursor.execute("DEALLOCATE ALL")
    row, wait = pipelined.execute(sql, ["c"])
    wait()
    assert row == (0, "c", False)


def test_values_go_in_and_come_back_as_a_cursor_gives_them(db):
    moment = datetime(2026, 12, 7, 8, 30, 15, 123456, tzinfo=UTC)
    row, wait = pipelined.execute(
        "SELECT %s::bigint + 1, %s::text, %s::timestamptz, (%s::integer[])[2], %s::integer IS NULL, %s::boolean",
        [2**40, "q'uote\\ 中文 %", moment, [3, 4], None, True],
    )
    wait()
    assert row == (2**40 + 1, "q'uote\\ 中文 %", moment, 4, True, True)


def test_a_failing_statement_raises_and_leaves_the_connection_usable(db):
    with pytest.raises(DatabaseError), transaction.atomic():
        pipelined.execute("SELECT 1 / %s::integer", [0])
    assert connection.connection.pgconn.pipeline_status == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_statement_is_counted_as_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        pipelined.execute("SELECT %s::integer", [1])[1]()


@pytest.mark.django_db(transaction=True)
def test_a_sent_statement_is_read_and_committed_when_finished():
    # pipelined.send returns before the statement's answer: finish() gives its row once it is committed.
    table = TrailRecord._meta.db_table
    sql = (
        "WITH x AS (UPDATE datahub_trailhead SET seq = seq WHERE id = -1 RETURNING 1) "
        f"SELECT (SELECT count(*) FROM {table}), %s::text, EXISTS (SELECT 1 FROM x)"
    )
    finish = pipelined.send(sql, ["百分比 100%"])
    assert finish() == (0, "百分比 100%", False)
    assert connection.connection.pgconn.pipeline_status == 0
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as psycopg does after a rollback: prepared again on the next run
    assert pipelined.send(sql, ["c"])() == (0, "c", False)


def test_a_sent_statement_that_fails_raises_when_finished_and_leaves_the_connection_usable(db):
    with pytest.raises(DatabaseError), transaction.atomic():
        pipelined.send("SELECT 1 / %s::integer", [0])()
    assert connection.connection.pgconn.pipeline_status == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
