"""Demo monitoring data for `manage.py seed_demo` (after the vehicles demo; idempotent).

The 2026 working calendar (State Council holidays), a fence around central Hangzhou for the
provincial 机关事务管理局 and its subtree, a terminal for each demo vehicle (if the vehicles demo
made any), and one hand-made evening trip of one car — leaving the fence at speed without a
dispatch — so the alert list has something to show.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from datahub.models import OrgUnit, User
from vehicles import selectors as fleet

from . import services
from .models import CalendarDay, Geofence, Terminal

# Roughly the urban districts of Hangzhou (lon, lat), drawn by hand.
HANGZHOU = [
    (119.98, 30.18),
    (120.12, 30.12),
    (120.32, 30.15),
    (120.42, 30.28),
    (120.33, 30.42),
    (120.10, 30.40),
    (119.96, 30.30),
]


@transaction.atomic
def seed(stdout) -> None:
    actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if actor is None:
        stdout.write("演示车辆监控：没有超级用户，跳过。")
        return
    if not CalendarDay.objects.filter(date__year=2026).exists():
        services.load_holidays(actor=actor, year=2026)
    root = OrgUnit.objects.filter(code="ZJ-JGSW").first()
    if root is not None and not Geofence.objects.filter(org_unit=root).exists():
        services.save_geofence(
            actor=actor,
            org_unit=root,
            name="杭州主城区",
            polygon_text="\n".join(f"{lon},{lat}" for lon, lat in HANGZHOU),
        )
    vehicles = list(fleet.vehicles_for(actor).filter(terminal__isnull=True).order_by("plate")[:20])
    if not vehicles:
        if not Terminal.objects.exists():
            stdout.write("演示车辆监控：没有演示车辆，未登记终端。")
        return
    first = None
    for index, vehicle in enumerate(vehicles, start=1):
        terminal, _ = services.create_terminal(
            actor=actor, vehicle=vehicle, serial=f"BD-DEMO-{index:04d}", model_name="北斗二代车载终端"
        )
        first = first or terminal
    _evening_trip(first)
    stdout.write(f"演示车辆监控：登记终端{len(vehicles)}台（令牌可在终端页更换后查看）。")


def _evening_trip(terminal) -> None:
    """Last Saturday 21:00–21:20 (Beijing time): out of the fence eastwards, up to 128 km/h."""
    today = timezone.localdate()
    saturday = today - timedelta(days=(today.weekday() - 5) % 7 or 7)
    start = timezone.make_aware(timezone.datetime(saturday.year, saturday.month, saturday.day, 21, 0))
    points = []
    for minute in range(21):
        points.append(
            {
                "time": (start + timedelta(minutes=minute)).isoformat(),
                "lon": round(120.30 + 0.012 * minute, 5),
                "lat": round(30.25 + 0.002 * minute, 5),
                "speed": 60 + 4 * minute if minute < 18 else 40,
                "ignition": True,
            }
        )
    services.ingest(terminal=terminal, points=points)
