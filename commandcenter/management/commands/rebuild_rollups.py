import time

from django.core.management.base import BaseCommand

from commandcenter import services


class Command(BaseCommand):
    help = "从各领域数据重建领导驾驶舱的月度汇总（全部单位、保留的全部月份）。"

    def handle(self, *args, **options):
        began = time.perf_counter()
        rows = services.rollup_rebuild()
        self.stdout.write(f"已重建月度汇总：{rows} 行，用时 {time.perf_counter() - began:.2f} 秒。")
