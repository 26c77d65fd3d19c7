from django.core.management.base import BaseCommand

from datahub.catalog.services import catalog_sync


class Command(BaseCommand):
    help = "按各业务模块的数据集声明发布或更新政务数据资源目录（信息项变化时升级版本）。"

    def handle(self, *args, **options):
        changed = catalog_sync()
        for dataset in changed:
            self.stdout.write(f"{dataset.code} {dataset.name} v{dataset.version}")
        self.stdout.write(f"目录已同步，{len(changed)} 条新发布或有变化。")
