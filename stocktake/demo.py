"""Demo 清查盘点 for `manage.py seed_demo` (after the assets demo has cards; idempotent, skipped without them).

zhoujie opens the 财政厅 year-end stocktake and has scanned the issued desktops; the rest is
left to count (log in as zhoujie and open 清查盘点 → 扫码盘点).
"""

from django.db import transaction

from assets.selectors import cards_exist
from datahub.models import OrgUnit, User

from . import services
from .models import Stocktake

TITLE = "财政厅2026年度资产清查（演示）"


@transaction.atomic
def seed(stdout) -> None:
    if Stocktake.objects.filter(title=TITLE).exists():
        return
    actor = User.objects.filter(username="zhoujie").first()
    unit = OrgUnit.objects.filter(code="ZJ-CZT").first()
    if actor is None or unit is None or not cards_exist(unit):
        return
    take = services.open_stocktake(actor=actor, title=TITLE, org_unit=unit, note="年终清查，扫码盘点")
    for line in take.lines.filter(book_custodian__isnull=False).order_by("asset_number")[:3]:
        services.record_count(
            actor=actor,
            stocktake=take,
            code=line.asset_number,
            observed_room=line.book_room,
            observed_custodian=line.book_custodian,
        )
    stdout.write(f"清查盘点：演示盘点 1 个，账面 {take.lines.count()} 项，已盘 {take.counts.count()} 项。")
