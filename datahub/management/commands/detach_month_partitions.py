from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from datahub import partitions, services


class Command(BaseCommand):
    help = "分离某张按月分区表中早于指定月份的分区，以便归档（PostgreSQL）。"

    def add_arguments(self, parser):
        parser.add_argument("table", choices=sorted(partitions.TABLES), help="trail、positions 或 energy")
        parser.add_argument("--before", required=True, help="早于该月份（YYYY-MM）的分区被分离")

    def handle(self, *args, table, before, **options):
        try:
            month = partitions.parse_month(before)
        except ValueError as exc:
            raise CommandError(f"--before 应为 YYYY-MM：{before}") from exc
        try:
            detached = services.month_partitions_detach(table=table, before=month)
        except ValidationError as exc:
            raise CommandError("；".join(m for messages in exc.message_dict.values() for m in messages)) from exc
        for name in detached:
            self.stdout.write(f"已分离 {name}：pg_dump -t {name} 归档后 DROP TABLE {name}。")
        self.stdout.write(f"共分离 {len(detached)} 个分区。")
