"""On PostgreSQL the energy monthly records become a table partitioned by (year, month) ranges, one partition a
month (native declarative partitioning), every existing row moved into it: the months from the oldest record to
three months ahead get a partition each, a DEFAULT partition catches a month the beat task has not created yet
(datahub.tasks.create_month_partitions keeps last year and this one whole, and three months ahead). The primary key becomes
(id, year, month); the unique (unit, year, month, type) already contains the partition key. ``id`` takes its
values from a sequence. SQLite keeps one plain table."""

from django.db import migrations
from django.utils import timezone

from datahub.partitions import ENERGY


def partition(apps, schema_editor):
    ENERGY.to_partitioned(schema_editor, timezone.localdate())


def unpartition(apps, schema_editor):
    ENERGY.to_plain(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("energy", "0005_submission_ticket_required")]

    operations = [migrations.RunPython(partition, unpartition)]
