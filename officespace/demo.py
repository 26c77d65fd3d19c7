"""Demo office space for `manage.py seed_demo` (after the directory exists; idempotent).

Two buildings — 财政厅 and 机关事务管理局 — with offices for the demo people, meeting rooms,
a few vacant offices, two people over standard (a leader and a division chief), a shared
room within standard, and a transferred person whose office is due back. One 会议一件事 of zhangwei's
books 财政厅's meeting room 101 (confirmed by sunli), with a car for the guests and a projector.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from datahub.models import OrgUnit, User
from portal import services as portal
from portal.models import Bundle

from . import check, services
from .models import Building, Room, RoomCategory, RoomSubtype


def _people(unit_code: str) -> list[User]:
    return list(User.objects.filter(org_unit__code=unit_code, is_active=True).order_by("username"))


@transaction.atomic
def seed(stdout) -> None:
    if not Building.objects.filter(code="ZJ-CZT-1").exists():
        _seed_ledger(stdout)
    _seed_meeting(stdout)


def _seed_meeting(stdout) -> None:
    """zhangwei's 会议一件事 (once): 财政厅 101 for an afternoon three days ahead, a car, a projector."""
    clerk = User.objects.filter(username="zhangwei").first()
    room = Room.objects.filter(building__code="ZJ-CZT-1", number="101").first()
    if clerk is None or room is None or Bundle.objects.filter(kind="meeting").exists():
        return
    start = datetime.combine(timezone.localdate() + timedelta(days=3), time(14), tzinfo=timezone.get_current_timezone())
    bundle = portal.bundle_file(
        requester=clerk,
        bundle_code="meeting",
        data={
            "topic": "全省行政事业单位国有资产管理工作座谈会",
            "room": room,
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "attendees": 30,
            "guests": "王某（省发展改革委），李某（省审计厅）",
            "pickup_from": "省行政中心东门",
            "items": "投影仪",
            "item_category": "A0202",
            "item_quantity": 1,
        },
    )
    booking = bundle.members.get(bundle_member="room")
    approver = booking.current_step.assignees.order_by("pk").first() if booking.current_step_id else None
    if approver is not None:
        portal.decide(actor=approver, ticket=booking, step_id=booking.current_step_id, decision="approved")
    stdout.write("演示会议一件事：会议室已确认，来宾用车、会议物品审批中。")


def _seed_ledger(stdout) -> None:
    actor = User.objects.get(username="sunli")
    units = {u.code: u for u in OrgUnit.objects.filter(code__startswith="ZJ-")}
    start = date(2025, 3, 1)

    czt = services.create_building(
        actor=actor,
        code="ZJ-CZT-1",
        name="财政厅1号楼",
        address="杭州市上城区中河中路某号",
        org_unit=units["ZJ-CZT"],
        title_holder="浙江省机关事务管理局",
        certificate_no="浙(2019)杭州市不动产权第0012345号",
        year_built=1998,
        building_area=Decimal("6800"),
        use_area=Decimal("4900"),
    )
    jgsw = services.create_building(
        actor=actor,
        code="ZJ-JGSW-1",
        name="省机关事务管理局办公楼",
        address="杭州市西湖区省府路某号",
        org_unit=units["ZJ-JGSW"],
        title_status=Building.Title.FILED,
        title_reason="历史划拨，档案缺失，暂作权属备案",
        year_built=1987,
        structure=Building.Structure.MASONRY,
        building_area=Decimal("3200"),
        use_area=Decimal("2300"),
    )

    def floor(building, number, area):
        return services.create_floor(actor=actor, building=building, number=number, use_area=Decimal(area))

    def room(fl, number, area, unit, category=RoomCategory.OFFICE, subtype=""):
        return services.create_room(
            actor=actor,
            floor=fl,
            number=number,
            use_area=Decimal(area),
            org_unit=units[unit],
            category=category,
            subtype=subtype,
        )

    def seat(r, person, **kw):
        return services.assign_occupancy(actor=actor, room=r, person=person, start_date=start, **kw)

    # 财政厅: 3F 办公室 and 预算处, 5F leaders, 1F meeting room.
    f1, f3, f5 = floor(czt, 1, "600"), floor(czt, 3, "700"), floor(czt, 5, "600")
    room(f1, "101", "120", "ZJ-CZT", RoomCategory.SERVICE, RoomSubtype.MEETING)
    room(f1, "102", "40", "ZJ-CZT", RoomCategory.SERVICE, RoomSubtype.RECEPTION)
    room(f1, "103", "25", "ZJ-CZT", RoomCategory.EQUIPMENT, RoomSubtype.SERVER)
    lina = User.objects.get(username="lina")
    seat(room(f3, "301", "20", "ZJ-CZT-BGS"), lina)  # 正处 18 m² → 2 m² over
    office = [p for p in _people("ZJ-CZT-BGS") if p.username not in ("lina",)]
    shared = room(f3, "302", "36", "ZJ-CZT-BGS")  # four people, 9 m² each: within
    for person in office[:4]:
        seat(shared, person)
    if len(office) > 4:
        seat(room(f3, "303", "12", "ZJ-CZT-BGS"), office[4])  # a 科员 (9 m²) alone in 12 m² → 3 m² over
    for person, number in zip(office[5:], ("304", "305"), strict=False):
        seat(room(f3, number, "9", "ZJ-CZT-BGS"), person)
    budget = _people("ZJ-CZT-YSC")
    ysc = room(f3, "310", "48", "ZJ-CZT-YSC")  # 12 + 4 × 9: exactly the standard
    for person in budget[:5]:
        seat(ysc, person)
    leaver = budget[5] if len(budget) > 5 else None
    if leaver is not None:
        seat(room(f3, "311", "9", "ZJ-CZT-YSC"), leaver)
        # 离岗 comes from the directory; the demo records the directory's notice as it would arrive.
        services.occupancy_post_end_from_directory(
            person=leaver, reason="transfer", last_day=timezone.localdate() - timedelta(days=45)
        )
    for number in ("312", "313", "314"):
        room(f3, number, "15", "ZJ-CZT-YSC")  # vacant: the reallocation list
    room(f5, "501", "30", "ZJ-CZT")
    zcc = _people("ZJ-CZT-ZCC")
    zcc_room = room(f5, "510", "36", "ZJ-CZT-ZCC")
    for person in zcc[:4]:
        seat(zcc_room, person)

    # 机关事务管理局: the director over the provincial 正厅 standard (30 m²).
    g2, g3 = floor(jgsw, 2, "500"), floor(jgsw, 3, "500")
    seat(room(g3, "301", "36", "ZJ-JGSW"), User.objects.get(username="chenming"))
    room(g2, "201", "80", "ZJ-JGSW", RoomCategory.SERVICE, RoomSubtype.MEETING)
    for code, number in (("ZJ-JGSW-BGS", "202"), ("ZJ-JGSW-FCC", "203"), ("ZJ-JGSW-GCC", "204")):
        members = [p for p in _people(code) if not p.is_superuser]
        r = room(g2, number, "39", code)
        for person in members[:4]:
            seat(r, person)
    result = check.run_check()
    stdout.write(
        f"演示办公用房：楼宇 2 栋，办公室核查 {result['occupancies']} 人，"
        f"超标准 {result['over']} 人，应腾退提示 {result['flagged']} 人。"
    )
