"""Demo asset cards for `manage.py seed_demo` (after the directory and office space exist; idempotent).

财政厅 (zhoujie administers its assets): desktops and laptops issued to the office staff, a
colour printer, chairs and file cabinets, a sedan, books (not depreciated), an idle desktop,
one in repair and one scrapped; 机关事务管理局 (wangqiang): a server and a meeting-room set.
The closed months are depreciated so the depreciation page has figures.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from datahub.models import OrgUnit, User
from officespace.selectors import active_rooms, buildings_scoped

from . import rules, seeding, selectors, services
from .models import Asset, Category


@transaction.atomic
def seed(stdout) -> None:
    if Asset.objects.filter(note="演示数据").exists():
        return
    seeding.seed_reference_data()
    try:
        admin_czt = User.objects.get(username="zhoujie")
        bureau = User.objects.get(username="wangqiang")
    except User.DoesNotExist:
        return
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=["ZJ-CZT", "ZJ-CZT-BGS", "ZJ-JGSW"])}
    if len(units) < 3:
        return
    cats = {c.code: c for c in Category.objects.all()}
    rooms = list(active_rooms(within=units["ZJ-CZT"]).order_by("pk"))
    staff = list(
        User.objects.filter(org_unit__path__startswith=units["ZJ-CZT"].path, is_active=True).order_by("username")[:6]
    )

    def book(actor, unit, code, name, value, acquired, **extra):
        return services.register_card(
            actor=actor,
            org_unit=unit,
            category=cats[code],
            name=name,
            original_value=Decimal(value),
            acquired_on=acquired,
            booked_on=acquired,
            note="演示数据",
            **extra,
        )

    czt, bgs = units["ZJ-CZT"], units["ZJ-CZT-BGS"]
    desktops = [
        book(admin_czt, czt, "A02010105", "台式计算机", "4800", date(2024, 3, 12), spec="联想 启天M4 i5/16G/512G")
        for _ in range(4)
    ]
    laptops = [
        book(admin_czt, czt, "A02010108", "便携式计算机", "6800", date(2025, 6, 3), spec="华为 MateBook B7")
        for _ in range(2)
    ]
    for asset, person in zip([*desktops[:3], *laptops], staff, strict=False):
        room = rooms[0] if rooms else None
        services.issue(asset=asset, to_person=person, actor=admin_czt, room=room, note="演示：领用")
    book(admin_czt, czt, "A02021004", "A4彩色打印机", "1980", date(2025, 1, 8), spec="惠普 M255dw",
         location=rooms[0] if rooms else None)  # fmt: skip
    for _ in range(3):
        book(admin_czt, czt, "A05010301", "办公椅", "1200", date(2023, 9, 1), unit_of_measure="把", user_department=bgs)
    book(admin_czt, czt, "A05010502", "文件柜", "2600", date(2022, 5, 20), unit_of_measure="组", user_department=bgs)
    book(admin_czt, czt, "A0203", "公务轿车", "178000", date(2021, 11, 1), unit_of_measure="辆", spec="新能源轿车")
    book(admin_czt, czt, "A04", "政府会计准则汇编（套）", "1500", date(2024, 2, 1), unit_of_measure="套")
    services.set_status(asset=desktops[3], status=rules.AssetStatus.IDLE, actor=admin_czt, reason="人员调离，暂未分配")
    repair = book(admin_czt, czt, "A02010105", "台式计算机", "4500", date(2020, 4, 1))
    services.start_repair(asset=repair, actor=admin_czt, note="演示：无法开机，已送修")
    old = book(admin_czt, czt, "A02010105", "台式计算机", "4300", date(2016, 5, 10))
    services.dispose(
        asset=old, way=rules.DisposalWay.SCRAP, actor=admin_czt, on=date(2025, 12, 15), note="演示：超年限报废"
    )

    jgsw = units["ZJ-JGSW"]
    book(bureau, jgsw, "A02010104", "服务器", "38000", date(2023, 7, 1), spec="机架式 2U")
    book(bureau, jgsw, "A05010303", "会议椅", "32000", date(2024, 8, 1), quantity=20, unit_of_measure="把")

    # 一数一源: the two office buildings are cards too; area and structure stay office space's.
    for actor, code, value, acquired in (
        (admin_czt, "ZJ-CZT-1", "46800000", date(2008, 9, 1)),
        (bureau, "ZJ-JGSW-1", "21500000", date(1998, 5, 1)),
    ):
        building = buildings_scoped(actor, selectors.ASSET_EDITORS).filter(code=code).first()
        if building is not None:
            services.building_card_register(
                actor=actor, building=building, original_value=Decimal(value), acquired_on=acquired
            )

    runs = services.post_depreciation()
    stdout.write(f"资产：演示卡片 {Asset.objects.filter(note='演示数据').count()} 张，已计提折旧 {len(runs)} 个月。")
