"""On PostgreSQL the GPS positions become a table partitioned by month on ``time`` (native declarative
partitioning), every existing row moved into it: the months from the oldest point to three months ahead get a
partition each, a DEFAULT partition catches a month the beat task has not created yet
(datahub.tasks.create_month_partitions). The primary key becomes (id, time); the unique (vehicle, time) —
ingestion's ON CONFLICT target and every track query's index — already contains the partition key. ``id``
takes its values from a sequence. SQLite keeps one plain table."""

from django.db import migrations
from django.utils import timezone

from datahub.partitions import POSITIONS


def partition(apps, schema_editor):
    POSITIONS.to_partitioned(schema_editor, timezone.localdate())


def unpartition(apps, schema_editor):
    POSITIONS.to_plain(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("telematics", "0001_initial")]

    operations = [migrations.RunPython(partition, unpartition)]
