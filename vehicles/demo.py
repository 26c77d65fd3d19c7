"""Demo fleet for `manage.py seed_demo` (after the directory exists; idempotent).

The 服务中心车队 (ZJ-FWZX-CD) runs the pool cars and drivers, the 公务用车管理处 (ZJ-JGSW-GCC) holds a
机要通信 car; zhaolei (车辆调度员, whole province) dispatches. Quotas are set by wangqiang. Trips by
zhangwei: one finished and rated, one approved and waiting for a vehicle, one emergency trip awaiting
lina's after-the-fact review; one car is due for renewal, one driver's licence has expired, one
insurance policy expires within the reminder window.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from datahub.models import OrgUnit, User
from portal import services as portal

from . import rules, services
from .models import Dispatch, Driver, Vehicle

POOL, OFFICE = "ZJ-FWZX-CD", "ZJ-JGSW-GCC"

VEHICLES = [
    # plate, vin serial, category, unit, brand, model, energy, displacement, seats, price, purchase date, km
    ("浙AG0001", 1, "other", POOL, "红旗", "H5", "gasoline", "1.5", 5, "118000", date(2021, 4, 1), 86000),
    ("浙AD10002", 2, "other", POOL, "比亚迪", "秦PLUS EV", "bev", None, 5, "149800", date(2024, 3, 1), 21000),
    ("浙AD10003", 3, "other", POOL, "吉利", "帝豪EV Pro", "bev", None, 5, "139800", date(2025, 5, 1), 9000),
    ("浙AG0004", 4, "emergency", POOL, "上汽大通", "V90", "diesel", "1.8", 9, "178000", date(2022, 9, 1), 54000),
    ("浙AG0005", 5, "other", POOL, "大众", "朗逸", "gasoline", "1.5", 5, "109000", date(2016, 6, 1), 238000),
    ("浙AG0006", 6, "confidential", OFFICE, "红旗", "H5", "gasoline", "1.5", 5, "116000", date(2023, 2, 1), 31000),
]


def _vin(serial: int) -> str:
    return f"LSVAM4187C2{serial:06d}"


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def seed(stdout) -> None:
    if Vehicle.objects.filter(plate="浙AG0001").exists():
        return
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[POOL, OFFICE])}
    if len(units) < 2:
        return  # the directory demo did not run
    bureau, dispatcher = User.objects.get(username="wangqiang"), User.objects.get(username="zhaolei")
    clerk, head = User.objects.get(username="zhangwei"), User.objects.get(username="lina")
    for code, category, quota in ((POOL, "other", 6), (POOL, "emergency", 2), (OFFICE, "confidential", 1)):
        services.quota_set(actor=bureau, unit=units[code], category=category, quota=quota, document="浙机事〔2025〕8号")
    # 2017 办法 era vehicles registered before the caps table's version still pass the quota check.
    cars = {}
    # This year's purchase (the first of this month): the command center's 购置新能源车占比 has a year to show.
    this_year = (
        "浙AD10007",
        7,
        "other",
        POOL,
        "比亚迪",
        "海豹",
        "bev",
        None,
        5,
        "169800",
        timezone.localdate().replace(day=1),
        800,
    )
    for plate, serial, category, unit, brand, model, energy, disp, seats, price, bought, km in [*VEHICLES, this_year]:
        cars[plate] = services.register_vehicle(
            actor=dispatcher,
            fields={
                "org_unit": units[unit],
                "plate": plate,
                "vin": _vin(serial),
                "category": category,
                "brand": brand,
                "model_name": model,
                "energy_type": energy,
                "displacement": Decimal(disp) if disp else None,
                "seats": seats,
                "purchase_price": Decimal(price),
                "purchase_date": bought,
                "odometer_km": km,
            },
        )
    today = timezone.localdate()
    pool_people = list(User.objects.filter(org_unit=units[POOL], is_active=True).order_by("username")[:3])
    drivers = []
    for i, person in enumerate(pool_people):
        expires = today + timedelta(days=900) if i < 2 else today - timedelta(days=20)
        drivers.append(
            services.save_driver(
                actor=dispatcher,
                fields={"person": person, "licence_class": "B1" if i == 0 else "C1", "licence_expires": expires},
            )
        )
    car = cars["浙AG0001"]
    records = [
        (
            car,
            {
                "kind": "insurance",
                "date": today - timedelta(days=350),
                "amount": Decimal("4280"),
                "supplier": "人保财险",
                "valid_until": today + timedelta(days=15),
            },
        ),
        (
            car,
            {
                "kind": "inspection",
                "date": today - timedelta(days=200),
                "amount": Decimal("300"),
                "valid_until": today + timedelta(days=165),
            },
        ),
        (
            car,
            {
                "kind": "maintenance",
                "date": today - timedelta(days=40),
                "amount": Decimal("860"),
                "supplier": "定点维修厂",
                "items": "更换机油、机滤",
            },
        ),
        (
            car,
            {
                "kind": "fuel",
                "date": today - timedelta(days=12),
                "amount": Decimal("312.40"),
                "fuel": "gasoline",
                "quantity": Decimal("40.5"),
            },
        ),
        (
            cars["浙AG0004"],
            {
                "kind": "fuel",
                "date": today - timedelta(days=9),
                "amount": Decimal("455.00"),
                "fuel": "diesel",
                "quantity": Decimal("60"),
            },
        ),
        (
            cars["浙AD10002"],
            {
                "kind": "fuel",
                "date": today - timedelta(days=5),
                "amount": Decimal("48.00"),
                "fuel": "electricity",
                "quantity": Decimal("55"),
            },
        ),
    ]
    for vehicle, fields in records:
        services.add_record(actor=dispatcher, vehicle=vehicle, fields=fields)
    services.set_status(actor=dispatcher, vehicle=cars["浙AG0005"], status=rules.VehicleStatus.SEALED)

    trip = {"origin": "省财政厅", "passengers": 2, "category": "other", "needs_driver": True}

    # 1. Finished yesterday, rated.
    day = today - timedelta(days=1)
    done = portal.file_request(
        requester=clerk,
        kind_code=rules.TRIP_KIND,
        detail_fields={
            **trip,
            "starts_at": _at(day, 9),
            "ends_at": _at(day, 12),
            "destinations": "省档案馆",
            "purpose": "送审预算材料",
        },
    )
    _approve(done)
    dispatch = services.dispatch_trip(actor=dispatcher, ticket=done, vehicle=car, driver=drivers[0])
    services.depart(actor=dispatcher, dispatch=dispatch, odometer_km=car.odometer_km, at=_at(day, 9))
    portal.complete(
        actor=dispatcher,
        ticket=done,
        outcome={
            "returned_at": _at(day, 11),
            "odometer_in": car.odometer_km + 38,
            "toll_cost": Decimal("15"),
            "parking_cost": Decimal("10"),
        },
    )
    portal.rate(actor=clerk, ticket=done, rating=5, comment="准时、安全")

    # 2. Approved tomorrow morning, waiting for zhaolei to dispatch.
    day = today + timedelta(days=1)
    waiting = portal.file_request(
        requester=clerk,
        kind_code=rules.TRIP_KIND,
        detail_fields={
            **trip,
            "starts_at": _at(day, 14),
            "ends_at": _at(day, 17),
            "destinations": "杭州市财政局",
            "purpose": "预算执行调研",
        },
    )
    _approve(waiting)

    # 3. An emergency trip today: straight to dispatch, lina reviews it afterwards.
    emergency = portal.file_request(
        requester=clerk,
        kind_code=rules.TRIP_KIND,
        detail_fields={
            **trip,
            "starts_at": _at(today, 20),
            "ends_at": _at(today, 22),
            "destinations": "省防汛指挥部",
            "purpose": "汛情会商急送材料",
            "emergency": True,
        },
    )
    services.dispatch_trip(actor=dispatcher, ticket=emergency, vehicle=cars["浙AD10002"], driver=drivers[1])
    stdout.write(
        f"演示公务用车：{Vehicle.objects.count()}辆车、{Driver.objects.count()}名驾驶员、"
        f"{Dispatch.objects.count()}张派车单；zhaolei 有1件用车申请待派车，{head.username} 有1件紧急用车待事后审核。"
    )


def _approve(ticket) -> None:
    ticket.refresh_from_db()
    while ticket.current_step_id:
        step = ticket.current_step
        portal.decide(actor=step.assignees.order_by("pk").first(), ticket=ticket, step_id=step.pk, decision="approved")
        ticket.refresh_from_db()
