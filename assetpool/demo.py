"""Demo 公物仓 for `manage.py seed_demo` (after the assets demo has cards; idempotent, skipped without them).

财政厅 (zhoujie) puts its idle desktop in the virtual pool and a file cabinet in the bureau's
central store; 机关事务管理局 (wangqiang) offers its meeting chairs; zhangwei of 财政厅 asks for
the chairs (a 公物仓申领 waiting in lina's inbox).
"""

from django.db import transaction

from assets import selectors as asset_selectors
from datahub.models import User

from . import services
from .models import PoolListing, PoolMode

MARK = "演示：公物仓"


@transaction.atomic
def seed(stdout) -> None:
    if PoolListing.objects.filter(description__startswith=MARK).exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=["zhoujie", "wangqiang", "zhangwei"])}
    cards = asset_selectors.cards_noted("演示数据")
    idle_pc = cards.filter(status="idle", org_unit__code="ZJ-CZT").first()
    cabinet = cards.filter(name="文件柜", status="in_use").first()
    chairs = cards.filter(name="会议椅", status="in_use").first()
    if len(users) < 3 or not (idle_pc and cabinet and chairs):
        return
    services.publish(
        actor=users["zhoujie"], asset=idle_pc, mode=PoolMode.VIRTUAL, condition="good", description=f"{MARK}，原地存放"
    )
    services.publish(
        actor=users["zhoujie"],
        asset=cabinet,
        mode=PoolMode.PHYSICAL,
        store_text="省机关事务管理局公物仓（集中仓）",
        condition="fair",
        description=f"{MARK}，办公室调整腾退",
    )
    offered = services.publish(
        actor=users["wangqiang"],
        asset=chairs,
        mode=PoolMode.VIRTUAL,
        condition="good",
        description=f"{MARK}，会议室改造后闲置",
    )
    services.file_pool_request(
        requester=users["zhangwei"], listing=offered, way="transfer", purpose="新设会议室使用（演示）"
    )
    stdout.write(f"公物仓：演示入仓 {PoolListing.objects.filter(description__startswith=MARK).count()} 件。")
