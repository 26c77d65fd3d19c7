"""The monitoring rules as data, and the pure functions that apply them (no database here).

Sources:
- REFERENCE.md §2.6: what real 北斗/GPS fleet systems alarm on — 非工作时间用车 (engine on and
  moving outside the permitted time), 离开指定区域 (geofence out), 超速, 离线; and the rule derived
  from regulation, 无单出车 (movement without an approved dispatch order).
- REFERENCE.md §2.4/§2.5: vehicles park at a fixed place and are sealed over holidays; 北京 puts
  北斗 terminals on every official vehicle and alarms on use outside working hours.
- The 2026 holidays: 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号). Other years
  are entered in the working calendar by a bureau administrator (the State Council publishes
  them each November).

The numbers below are defaults; each rule is configurable per unit (or globally) in the
``AlertRule`` table, which the services read first.
"""

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from datahub.keyed import Keyed


class AlertKind(models.TextChoices):
    OFF_HOURS = "off_hours", _("非工作时间用车")
    NO_DISPATCH = "no_dispatch", _("无单出车")
    GEOFENCE_EXIT = "geofence_exit", _("驶出电子围栏")
    OVERSPEED = "overspeed", _("超速")
    OFFLINE = "offline", _("终端离线")


class DayKind(models.TextChoices):
    WORKDAY = "workday", _("工作日")
    ADJUSTED_WORKDAY = "adjusted_workday", _("调休上班")
    HOLIDAY = "holiday", _("法定节假日")
    REST = "rest", _("休息日")


WORKING_KINDS = (DayKind.WORKDAY, DayKind.ADJUSTED_WORKDAY)

# Office hours of provincial agencies (summer/winter variations are entered per day in the calendar).
DEFAULT_WORK_START = time(8, 30)
DEFAULT_WORK_END = time(17, 30)


@dataclass(frozen=True)
class RuleDefault:
    threshold: float
    threshold_label: str
    gap_minutes: int


# threshold: km/h counted as "moving" for the use rules; the speed limit for 超速; hours for 离线.
# gap_minutes: violating points closer than this belong to one episode (one alert, not one per point).
DEFAULT_RULES: dict[str, RuleDefault] = {
    AlertKind.OFF_HOURS: RuleDefault(5, _("视为行驶的最低速度（km/h）"), 30),
    AlertKind.NO_DISPATCH: RuleDefault(5, _("视为行驶的最低速度（km/h）"), 30),
    # Outside the fence counts whatever the speed (a car parked away from its base is the finding).
    AlertKind.GEOFENCE_EXIT: RuleDefault(0, _("（不使用）"), 30),
    # 120 km/h is the national expressway maximum (道路交通安全法实施条例 第七十八条).
    AlertKind.OVERSPEED: RuleDefault(120, _("限速（km/h）"), 5),
    AlertKind.OFFLINE: RuleDefault(24, _("离线超过（小时）"), 0),
}

# A booked window counts from a little before to a little after (the driver fetches the car, parks it).
DISPATCH_GRACE = timedelta(minutes=30)

# --- Ingestion limits ----------------------------------------------------------------------------
MAX_BATCH = 5000
# A terminal's clock may run a little ahead of the server's.
FUTURE_SKEW = timedelta(minutes=5)
# No road vehicle of the fleet goes faster; a higher reading is a faulty fix.
MAX_PLAUSIBLE_SPEED_KMH = 250.0


# --- China's public holidays 2026 (国办发明电〔2025〕7号) -------------------------------------------
def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


HOLIDAYS_2026: dict[date, str] = {
    **dict.fromkeys(_days(date(2026, 1, 1), date(2026, 1, 3)), "元旦"),
    **dict.fromkeys(_days(date(2026, 2, 15), date(2026, 2, 23)), "春节"),
    **dict.fromkeys(_days(date(2026, 4, 4), date(2026, 4, 6)), "清明节"),
    **dict.fromkeys(_days(date(2026, 5, 1), date(2026, 5, 5)), "劳动节"),
    **dict.fromkeys(_days(date(2026, 6, 19), date(2026, 6, 21)), "端午节"),
    **dict.fromkeys(_days(date(2026, 9, 25), date(2026, 9, 27)), "中秋节"),
    **dict.fromkeys(_days(date(2026, 10, 1), date(2026, 10, 7)), "国庆节"),
}
# Weekend days that are working days (调休上班).
ADJUSTED_WORKDAYS_2026: dict[date, str] = {
    date(2026, 1, 4): "元旦调休上班",
    date(2026, 2, 14): "春节调休上班",
    date(2026, 2, 28): "春节调休上班",
    date(2026, 5, 9): "劳动节调休上班",
    date(2026, 9, 20): "国庆节调休上班",
    date(2026, 10, 10): "国庆节调休上班",
}


@dataclass(frozen=True)
class Day:
    kind: str
    start: time | None = None
    end: time | None = None


def default_day(d: date) -> Day:
    """A date absent from the calendar: Monday–Friday are workdays, weekends rest days."""
    return Day(DayKind.WORKDAY if d.weekday() < 5 else DayKind.REST)


def is_working_time(local: datetime, day: Day) -> bool:
    """Within the day's working hours, on a workday or a 调休 workday (local time, end exclusive)."""
    if day.kind not in WORKING_KINDS:
        return False
    start = day.start or DEFAULT_WORK_START
    end = day.end or DEFAULT_WORK_END
    return start <= local.time() < end


# --- Geofence geometry ---------------------------------------------------------------------------
Polygon = Sequence[tuple[float, float]]  # (lon, lat) vertices, not closed


def parse_polygon(text: str) -> list[tuple[float, float]]:
    """Lines of "lon,lat" (也接受中文逗号、空格分隔) → vertices; raises ValueError with a Chinese reason."""
    points: list[tuple[float, float]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = line.replace("，", ",").replace(" ", ",").split(",")
        parts = [p for p in parts if p]
        if len(parts) != 2:
            raise ValueError(gettext("第%(number)s行应为“经度,纬度”两个数。") % {"number": number})
        try:
            lon, lat = float(parts[0]), float(parts[1])
        except ValueError:
            raise ValueError(gettext("第%(number)s行含有不是数字的内容。") % {"number": number}) from None
        if not -180 <= lon <= 180:
            raise ValueError(gettext("第%(number)s行经度应在-180到180之间。") % {"number": number})
        if not -90 <= lat <= 90:
            raise ValueError(gettext("第%(number)s行纬度应在-90到90之间。") % {"number": number})
        points.append((lon, lat))
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()  # a closed ring is accepted; we store it open
    if len(points) < 3:
        raise ValueError(gettext("电子围栏至少需要3个顶点。"))
    if len(points) > 1000:
        raise ValueError(gettext("电子围栏最多1000个顶点。"))
    return points


def format_polygon(polygon: Iterable[Sequence[float]]) -> str:
    return "\n".join(f"{lon},{lat}" for lon, lat in polygon)


def point_in_polygon(lon: float, lat: float, polygon: Polygon) -> bool:
    """Ray casting (even-odd rule): count the polygon edges a ray going east from the point crosses.

    Points on an edge count as inside, so a car driving along the fence line raises nothing.
    Planar on lon/lat degrees — fine for a city-sized fence far from the antimeridian.
    """
    inside = False
    n = len(polygon)
    j = n - 1
    for i in range(n):
        xi, yi = polygon[i]
        xj, yj = polygon[j]
        # On the edge (collinear and within its bounding box): inside.
        if (
            min(xi, xj) <= lon <= max(xi, xj)
            and min(yi, yj) <= lat <= max(yi, yj)
            and abs((xj - xi) * (lat - yi) - (yj - yi) * (lon - xi)) < 1e-12
        ):
            return True
        if (yi > lat) != (yj > lat):
            x_cross = xi + (lat - yi) * (xj - xi) / (yj - yi)
            if lon < x_cross:
                inside = not inside
        j = i
    return inside


def bounding_box(polygon: Polygon) -> tuple[float, float, float, float]:
    lons = [p[0] for p in polygon]
    lats = [p[1] for p in polygon]
    return min(lons), min(lats), max(lons), max(lats)


# --- Episodes ------------------------------------------------------------------------------------
@dataclass
class Episode:
    start: datetime
    end: datetime
    points: int
    max_speed: float
    lat: float
    lon: float


def episodes(points: Iterable, violates: Callable[[object], bool], gap: timedelta) -> list[Episode]:
    """Group the violating points (sorted by ``.time``) into episodes: a violating point more than
    ``gap`` after the previous violating one starts a new episode."""
    found: list[Episode] = []
    current: Episode | None = None
    for p in points:
        if not violates(p):
            continue
        if current is not None and p.time - current.end <= gap:
            current.end = p.time
            current.points += 1
            current.max_speed = max(current.max_speed, p.speed)
            continue
        current = Episode(start=p.time, end=p.time, points=1, max_speed=p.speed, lat=p.lat, lon=p.lon)
        found.append(current)
    return found


def covered(moment: datetime, windows: Sequence[tuple[datetime, datetime]], grace: timedelta = DISPATCH_GRACE) -> bool:
    return any(start - grace <= moment <= end + grace for start, end in windows)


# --- Points a terminal sends ---------------------------------------------------------------------


class Fix(NamedTuple):
    """One validated point (lighter than a model instance: a batch has thousands)."""

    time: datetime
    lat: float
    lon: float
    speed: float
    ignition: bool


def parse_time(value, tz) -> datetime:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        # Unix seconds, as many terminals send them.
        return datetime.fromtimestamp(value, tz=UTC)
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        parsed = parse_datetime(value.strip())
        if parsed is None:
            raise ValueError
    else:
        raise ValueError
    if timezone.is_naive(parsed):
        # A terminal without a zone reports Beijing time (the platform's TIME_ZONE).
        parsed = timezone.make_aware(parsed, tz)
    return parsed


def _number(value) -> float:
    if isinstance(value, bool) or value is None:
        raise ValueError
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError
    return number


def vehicle_matches(value, *, vehicle_pk: int, plate: str) -> bool:
    """A point may name its vehicle (id or plate); it must be the terminal's."""
    if value is None or value == "":
        return True
    if isinstance(value, int) and not isinstance(value, bool):
        return value == vehicle_pk
    text = str(value).strip()
    return text == str(vehicle_pk) or text.upper() == plate.upper()


# What a point is checked against, and what a terminal is told (every reason, in this order). The Python
# check below (SQLite) and the SQL check (``staging.CHECKED``, PostgreSQL) both read these.
# They are written in Chinese (the SQL check joins them in the database); ``reason_in_language`` reads a
# refusal back in the request's language at the API's edge.
POINT_NOT_AN_OBJECT = gettext_noop("定位点应为对象（含 time、lat、lon、speed）。")
TIME_MISSING = gettext_noop("缺少定位时间（time）")
TIME_UNREADABLE = gettext_noop("定位时间（time）格式不正确，应为 ISO 8601 时间或 Unix 秒数")
TIME_AHEAD = gettext_noop("定位时间（time）晚于当前时间")
SPEED_UNREADABLE = gettext_noop("速度（speed）不是数字")
SPEED_NEGATIVE = gettext_noop("速度（speed）不能为负数")
_SPEED_IMPLAUSIBLE = gettext_noop("速度（speed）超过%(limit)s km/h，不可信")
SPEED_IMPLAUSIBLE = _SPEED_IMPLAUSIBLE % {"limit": f"{MAX_PLAUSIBLE_SPEED_KMH:g}"}
IGNITION_NOT_BOOLEAN = gettext_noop("点火状态（ignition）应为 true 或 false")
_UNREADABLE = gettext_noop("%(label)s（%(key)s）缺失或不是数字")
_OUT_OF_RANGE = gettext_noop("%(label)s（%(key)s）应在%(low)s到%(high)s之间")
_OTHER_VEHICLE = gettext_noop("车辆“%(value)s”不是本终端绑定的车辆（%(plate)s）")
_FIXED_REASONS = frozenset({TIME_MISSING, TIME_UNREADABLE, TIME_AHEAD, SPEED_UNREADABLE, SPEED_NEGATIVE})


@dataclass(frozen=True)
class Coordinate:
    key: str
    label: str
    low: int
    high: int

    @property
    def unreadable(self) -> str:
        return _UNREADABLE % {"label": self.label, "key": self.key}

    @property
    def out_of_range(self) -> str:
        return _OUT_OF_RANGE % {"label": self.label, "key": self.key, "low": self.low, "high": self.high}

    def values(self) -> dict:
        return {"label": gettext(self.label), "key": self.key, "low": self.low, "high": self.high}


LAT = Coordinate("lat", gettext_noop("纬度"), -90, 90)
LON = Coordinate("lon", gettext_noop("经度"), -180, 180)


def other_vehicle(value, plate: str) -> str:
    return _OTHER_VEHICLE % {"value": value, "plate": plate}


_OTHER_VEHICLE_SAID = re.compile(r"车辆“(?P<value>.*)”不是本终端绑定的车辆（(?P<plate>[^（）]*)）")


def _reason_part(part: str) -> str:
    if part in _FIXED_REASONS or part == IGNITION_NOT_BOOLEAN:
        return gettext(part)
    if part == SPEED_IMPLAUSIBLE:
        return gettext(_SPEED_IMPLAUSIBLE) % {"limit": f"{MAX_PLAUSIBLE_SPEED_KMH:g}"}
    for coordinate in (LAT, LON):
        if part == coordinate.unreadable:
            return gettext(_UNREADABLE) % coordinate.values()
        if part == coordinate.out_of_range:
            return gettext(_OUT_OF_RANGE) % coordinate.values()
    if said := _OTHER_VEHICLE_SAID.fullmatch(part):
        return gettext(_OTHER_VEHICLE) % said.groupdict()
    return part


def reason_in_language(reason: str) -> str:
    """A point's refusal as both checks write it (Chinese: its reasons joined by "；", ending "。") in the
    active language, reason by reason; the figures and the vehicle the terminal sent stay as sent."""
    if not reason or reason == POINT_NOT_AN_OBJECT:
        return gettext(reason) if reason else reason
    parts = reason.removesuffix("。").split("；")
    return gettext("%(reasons)s。") % {"reasons": gettext("；").join(_reason_part(p) for p in parts)}


class Reading(NamedTuple):
    """A point as read, before its values are checked against their ranges: None where a value could not
    be read (with the reason for the time and the vehicle, which reading alone decides). Its order is the
    staged arrays' (``staging.STAGE_COLUMNS``)."""

    time: datetime | None
    time_reason: str | None
    lat: float | None
    lon: float | None
    speed: float | None
    ignition: bool | None
    vehicle_reason: str | None
    whole_reason: str | None  # not an object at all: this is the only reason


NOT_AN_OBJECT = Reading(None, None, None, None, None, None, None, POINT_NOT_AN_OBJECT)


def _number_or_none(value) -> float | None:
    if type(value) is float:  # what JSON gives for almost every coordinate and speed
        return value if value - value == 0.0 else None  # NaN and ±inf are not readings
    try:
        return _number(value)
    except (ValueError, TypeError, OverflowError):
        return None


def read_point(raw, *, vehicle_pk: int, plate: str, tz) -> Reading:
    """Read one point as sent: the time parsed (ISO 8601, naive = Beijing time, or Unix seconds), the
    numbers as floats, the ignition as a boolean, the vehicle compared with the terminal's."""
    if not isinstance(raw, dict):
        return NOT_AN_OBJECT
    vehicle = raw.get("vehicle")
    vehicle_reason = (
        None
        if vehicle is None or vehicle_matches(vehicle, vehicle_pk=vehicle_pk, plate=plate)
        else other_vehicle(vehicle, plate)
    )
    moment = time_reason = None
    value = raw.get("time")
    if value is None or value == "":
        time_reason = TIME_MISSING
    else:
        if type(value) is str:
            # parse_time's first step (parse_datetime's too) taken directly: a batch holds thousands of times.
            try:
                moment = datetime.fromisoformat(value.strip())
            except ValueError:
                moment = None
        if moment is None:
            try:
                moment = parse_time(value, tz)
            except (ValueError, TypeError, OverflowError, OSError):
                time_reason = TIME_UNREADABLE
        elif moment.tzinfo is None:
            moment = timezone.make_aware(moment, tz)  # a terminal without a zone reports Beijing time
    ignition = raw.get("ignition", True)
    return Reading(
        moment,
        time_reason,
        _number_or_none(raw.get("lat")),
        _number_or_none(raw.get("lon")),
        _number_or_none(raw.get("speed", 0)),
        ignition if type(ignition) is bool else None,
        vehicle_reason,
        None,
    )


def read_batch(points: list, *, vehicle_pk: int, plate: str, tz) -> dict[str, list]:
    """``read_point`` of every point, as one list per field (``Reading._fields``): the staged arrays. The
    usual point (an object with an ISO time, float coordinates and speed, a boolean ignition, no vehicle)
    is read inline; any other goes through ``read_point`` itself, so both give the same reading."""
    columns: dict[str, list] = {name: [] for name in Reading._fields}
    times, lats, lons, speeds, ignitions = (columns[n] for n in ("time", "lat", "lon", "speed", "ignition"))
    reasons = (columns["time_reason"], columns["vehicle_reason"], columns["whole_reason"])
    for raw in points:
        if type(raw) is dict and raw.get("vehicle") is None:
            value, lat, lon, speed = raw.get("time"), raw.get("lat"), raw.get("lon"), raw.get("speed", 0)
            ignition = raw.get("ignition", True)
            if (
                type(value) is str
                and type(lat) is float
                and type(lon) is float
                and type(speed) is float
                and type(ignition) is bool
                and lat - lat == 0.0  # NaN and ±inf are not readings (read_point's rule)
                and lon - lon == 0.0
                and speed - speed == 0.0
            ):
                try:
                    moment = datetime.fromisoformat(value.strip())
                except ValueError:
                    moment = None
                if moment is not None:
                    times.append(moment if moment.tzinfo is not None else timezone.make_aware(moment, tz))
                    lats.append(lat)
                    lons.append(lon)
                    speeds.append(speed)
                    ignitions.append(ignition)
                    for reason in reasons:
                        reason.append(None)
                    continue
        for name, field_value in zip(
            Reading._fields, read_point(raw, vehicle_pk=vehicle_pk, plate=plate, tz=tz), strict=True
        ):
            columns[name].append(field_value)
    return columns


def reading_reasons(reading: Reading, *, now: datetime) -> str:
    """Every reason a read point is refused for, in one sentence ("" when it holds): a time not in the
    future (beyond the clock skew), a latitude and longitude in range, a plausible speed, a boolean
    ignition, no other vehicle than the terminal's."""
    if reading.whole_reason:
        return reading.whole_reason
    reasons = [reading.vehicle_reason] if reading.vehicle_reason else []
    if reading.time_reason:
        reasons.append(reading.time_reason)
    elif reading.time > now + FUTURE_SKEW:
        reasons.append(TIME_AHEAD)
    for coordinate, number in ((LAT, reading.lat), (LON, reading.lon)):
        if number is None:
            reasons.append(coordinate.unreadable)
        elif not coordinate.low <= number <= coordinate.high:
            reasons.append(coordinate.out_of_range)
    if reading.speed is None:
        reasons.append(SPEED_UNREADABLE)
    elif reading.speed < 0:
        reasons.append(SPEED_NEGATIVE)
    elif reading.speed > MAX_PLAUSIBLE_SPEED_KMH:
        reasons.append(SPEED_IMPLAUSIBLE)
    if reading.ignition is None:
        reasons.append(IGNITION_NOT_BOOLEAN)
    return "；".join(reasons) + "。" if reasons else ""


def check_point(raw, *, vehicle_pk: int, plate: str, now: datetime, tz) -> tuple[Fix | None, str]:
    """One point as sent: (the position, "") when it holds, else (None, every reason in one sentence)."""
    reading = read_point(raw, vehicle_pk=vehicle_pk, plate=plate, tz=tz)
    reason = reading_reasons(reading, now=now)
    if reason:
        return None, reason
    return Fix(reading.time, reading.lat, reading.lon, reading.speed, reading.ignition), ""


def alert_detail(kind: str, threshold: float, episode) -> Keyed | str:
    """The line an alert shows for one episode of ``kind`` (``threshold``: the rule's), as a message the
    alert keeps with its values, so it reads in the reader's language."""
    if kind == AlertKind.OVERSPEED:
        return Keyed(
            gettext_noop("最高%(speed)s km/h，限速%(limit)s km/h"),
            {"speed": f"{episode.max_speed:g}", "limit": f"{threshold:g}"},
        )
    if kind == AlertKind.OFF_HOURS:
        local = timezone.localtime(episode.start)
        return Keyed(gettext_noop("%(since)s 起在非工作时间行驶"), {"since": f"{local:%Y-%m-%d %H:%M}"})
    if kind == AlertKind.NO_DISPATCH:
        return Keyed(gettext_noop("行驶时段没有已派车的用车单"))
    if kind == AlertKind.GEOFENCE_EXIT:
        return Keyed(
            gettext_noop("驶出单位电子围栏（%(lon)s,%(lat)s）"),
            {"lon": f"{episode.lon:.5f}", "lat": f"{episode.lat:.5f}"},
        )
    return ""


def offline_detail(serial: str, hours: float, threshold: float) -> Keyed:
    """The line of a 终端离线 alert."""
    return Keyed(
        gettext_noop("终端%(serial)s已%(hours)s小时未上报（阈值%(limit)s小时）"),
        {"serial": serial, "hours": f"{hours:.0f}", "limit": f"{threshold:g}"},
    )


def holidays_of(year: int) -> dict:
    """The State Council's holiday data kept here for ``year`` (only 2026 so far)."""
    if year == 2026:
        return {
            **{d: (DayKind.HOLIDAY, n) for d, n in HOLIDAYS_2026.items()},
            **{d: (DayKind.ADJUSTED_WORKDAY, n) for d, n in ADJUSTED_WORKDAYS_2026.items()},
        }
    return {}


# --- Odometer against the track (一数一源: the trip's distance is checked against what the terminal saw) ----

EARTH_RADIUS_KM = 6371.0088
# A trip whose odometer distance differs from its GPS track by more than this share (and by more than the
# minimum, so short trips are not flagged for a kilometre of GPS drift) is flagged for the fleet manager.
MILEAGE_GAP_SHARE = 0.2
MILEAGE_GAP_MIN_KM = 5.0


def track_km(points: Iterable[tuple[float, float]]) -> float:
    """Length of a track of (lon, lat) points in km: the sum of great-circle (haversine) legs."""
    total, previous = 0.0, None
    for lon, lat in points:
        if previous is not None:
            lon0, lat0 = previous
            dlat, dlon = math.radians(lat - lat0), math.radians(lon - lon0)
            a = (
                math.sin(dlat / 2) ** 2
                + math.cos(math.radians(lat0)) * math.cos(math.radians(lat)) * math.sin(dlon / 2) ** 2
            )
            total += 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
        previous = (lon, lat)
    return total


def mileage_gap(odometer_km: float, gps_km: float) -> str:
    """Why a trip's odometer distance and its GPS track disagree too much, or "" when they agree."""
    gap = abs(odometer_km - gps_km)
    if gap <= MILEAGE_GAP_MIN_KM or gap <= MILEAGE_GAP_SHARE * max(odometer_km, gps_km):
        return ""
    return gettext(
        "里程表记录%(odometer_km)s公里，北斗/GPS轨迹%(gps_km).1f公里，相差%(gap).1f公里（超过%(MILEAGE_GAP_SHARE)s）"
    ) % {
        "odometer_km": f"{odometer_km:g}",
        "gps_km": gps_km,
        "gap": gap,
        "MILEAGE_GAP_SHARE": f"{MILEAGE_GAP_SHARE:.0%}",
    }
