from pathlib import Path

from django.core.management.base import BaseCommand

from assets import seeding


class Command(BaseCommand):
    help = "载入 GB/T 14885-2022 资产分类（assets/data/ 中的 CSV，或 --file 指定的文件），可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=None)

    def handle(self, *args, file=None, **options):
        created, updated = seeding.load_categories(path=file)
        seeding.load_thresholds()
        seeding.load_config_standards()
        self.stdout.write(f"资产分类：新增 {created}，更新 {updated}。")
