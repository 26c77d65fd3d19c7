"""On PostgreSQL the access trail becomes a table partitioned by month (native declarative partitioning on
``at``) and the database itself refuses UPDATE and DELETE on it.

- The existing rows are copied into the partitioned table; the months from the oldest row to three months
  ahead get a partition each, and a DEFAULT partition catches a month the beat task has not created yet
  (datahub.tasks.create_trail_partitions keeps three months ahead).
- A partitioned table's keys must contain the partition key: the primary key becomes (id, at) and the
  sequence's uniqueness (seq, at). Two rows can never share a sequence number anyway: the writer takes the
  chain head's row lock, and verify_trail reports a repeated or missing number.
- ``id`` takes its values from a sequence (PostgreSQL 15 has no identity columns on partitioned tables).
- The trigger refuses any UPDATE or DELETE of a trail row whoever sends the SQL: the trail is append-only
  for the application, the admin and a psql session alike. Retention is by dropping a whole month's
  partition (DDL, an administrator's act), never by deleting rows. TRUNCATE is not refused: the test
  suite's flush between transactional tests uses it.

SQLite keeps one plain table and the model and queryset guards (TrailRecord.save/delete, TrailQuerySet)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import migrations

PARENT = "datahub_trailrecord"
OLD = "datahub_trailrecord_unpartitioned"
SEQUENCE = "datahub_trailrecord_part_id_seq"
ZONE = ZoneInfo("Asia/Shanghai")

COLUMNS = """
    "id" bigint NOT NULL DEFAULT nextval('datahub_trailrecord_part_id_seq'),
    "seq" bigint NOT NULL CHECK ("seq" >= 0),
    "at" timestamp with time zone NOT NULL,
    "kind" varchar(8) NOT NULL,
    "caller_app_id" bigint NULL,
    "caller_label" varchar(200) NOT NULL,
    "dataset_code" varchar(64) NOT NULL,
    "items" varchar(1000) NOT NULL,
    "row_scope" varchar(100) NOT NULL,
    "filter" varchar(500) NOT NULL,
    "rows" integer NOT NULL CHECK ("rows" >= 0),
    "bytes" bigint NOT NULL CHECK ("bytes" >= 0),
    "status" smallint NOT NULL CHECK ("status" >= 0),
    "duration_ms" integer NOT NULL CHECK ("duration_ms" >= 0),
    "prev_hash" varchar(64) NOT NULL,
    "hash" varchar(64) NOT NULL,
    "caller_unit_id" bigint NULL,
    "caller_user_id" bigint NULL,
    "dataset_id" bigint NULL
"""
NAMES = (
    "id, seq, at, kind, caller_app_id, caller_label, dataset_code, items, row_scope, filter, rows, bytes, status, "
    "duration_ms, prev_hash, hash, caller_unit_id, caller_user_id, dataset_id"
)
# The indexes the model declares (queries by entry, caller and month), plus seq for verify_trail's walk.
INDEXES = (
    ("trail_dataset_at", '"dataset_id", "at"'),
    ("trail_user_at", '"caller_user_id", "at"'),
    ("trail_app_at", '"caller_app_id", "at"'),
    ("trail_unit_at", '"caller_unit_id", "at"'),
    ("trail_at", '"at"'),
    ("trail_seq", '"seq"'),
)

APPEND_ONLY = f"""
CREATE OR REPLACE FUNCTION datahub_trailrecord_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION '调用日志只能追加，不能修改。' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RAISE EXCEPTION '调用日志只能追加，不能删除。' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER datahub_trailrecord_append_only
    BEFORE UPDATE OR DELETE ON "{PARENT}"
    FOR EACH ROW EXECUTE FUNCTION datahub_trailrecord_append_only();
"""


def _add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _bound(month: date) -> str:
    return datetime(month.year, month.month, 1, tzinfo=ZONE).isoformat()


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run(f'ALTER TABLE "{PARENT}" RENAME TO "{OLD}"')
    run(f'CREATE SEQUENCE "{SEQUENCE}"')
    run(f'CREATE TABLE "{PARENT}" ({COLUMNS}, PRIMARY KEY ("id", "at"), UNIQUE ("seq", "at")) PARTITION BY RANGE ("at")')
    run(f'ALTER SEQUENCE "{SEQUENCE}" OWNED BY "{PARENT}"."id"')
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT min(at) FROM \"{OLD}\"")
        oldest = cursor.fetchone()[0]
    today = datetime.now(ZONE).date()
    month = date(today.year, today.month, 1)
    if oldest is not None:
        local = oldest.astimezone(ZONE)
        month = min(month, date(local.year, local.month, 1))
    last = _add_months(date(today.year, today.month, 1), 3)
    while month <= last:
        run(
            f'CREATE TABLE "{PARENT}_y{month.year:04d}m{month.month:02d}" PARTITION OF "{PARENT}" '
            f"FOR VALUES FROM ('{_bound(month)}') TO ('{_bound(_add_months(month, 1))}')"
        )
        month = _add_months(month, 1)
    run(f'CREATE TABLE "{PARENT}_default" PARTITION OF "{PARENT}" DEFAULT')
    run(f'INSERT INTO "{PARENT}" ({NAMES}) SELECT {NAMES} FROM "{OLD}"')
    run(f"SELECT setval('{SEQUENCE}', COALESCE((SELECT max(id) FROM \"{OLD}\"), 0) + 1, false)")
    run(f'DROP TABLE "{OLD}"')
    for name, columns in INDEXES:
        run(f'CREATE INDEX "{name}" ON "{PARENT}" ({columns})')
    run(APPEND_ONLY)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run(f'DROP TRIGGER IF EXISTS datahub_trailrecord_append_only ON "{PARENT}"')
    run("DROP FUNCTION IF EXISTS datahub_trailrecord_append_only()")
    run(f'ALTER TABLE "{PARENT}" RENAME TO "{OLD}"')
    plain = COLUMNS.replace(f"DEFAULT nextval('{SEQUENCE}')", "GENERATED BY DEFAULT AS IDENTITY")
    run(f'CREATE TABLE "{PARENT}" ({plain}, PRIMARY KEY ("id"), UNIQUE ("seq"))')
    run(f'INSERT INTO "{PARENT}" ({NAMES}) SELECT {NAMES} FROM "{OLD}"')
    run(
        f"SELECT setval(pg_get_serial_sequence('\"{PARENT}\"', 'id'), "
        f"COALESCE((SELECT max(id) FROM \"{PARENT}\"), 0) + 1, false)"
    )
    run(f'DROP TABLE "{OLD}" CASCADE')
    for name, columns in INDEXES:
        if name != "trail_seq":
            run(f'CREATE INDEX "{name}" ON "{PARENT}" ({columns})')


class Migration(migrations.Migration):
    dependencies = [("datahub", "0011_oidc_consent")]

    operations = [migrations.RunPython(partition, unpartition)]
