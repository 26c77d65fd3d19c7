import time

from django.core.management.base import BaseCommand, CommandError

from datahub.catalog.selectors import verify_trail


class Command(BaseCommand):
    help = "校验数据共享调用日志的摘要链，报告第一处断开的记录。"

    def handle(self, *args, **options):
        started = time.monotonic()
        result = verify_trail()
        seconds = time.monotonic() - started
        if not result.ok:
            raise CommandError(f"调用日志链条在第 {result.broken_seq} 条处断开：{result.reason}")
        rate = result.checked / seconds if seconds else 0
        self.stdout.write(f"调用日志完整：{result.checked} 条，用时 {seconds:.2f} 秒（{rate:,.0f} 条/秒）。")
