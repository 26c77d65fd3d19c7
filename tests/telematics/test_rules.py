"""The pure rules: fence geometry, the working calendar, episodes (no database)."""

from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest

from telematics import rules
from telematics.rules import Day, DayKind

from .conftest import at

SQUARE = [(120.0, 30.0), (120.2, 30.0), (120.2, 30.2), (120.0, 30.2)]
# A "U": the notch between x 120.05–120.15 above y 30.1 is outside.
U_SHAPE = [
    (120.0, 30.0),
    (120.2, 30.0),
    (120.2, 30.2),
    (120.15, 30.2),
    (120.15, 30.1),
    (120.05, 30.1),
    (120.05, 30.2),
    (120.0, 30.2),
]


@pytest.mark.parametrize(
    ("lon", "lat", "inside"),
    [
        (120.1, 30.1, True),
        (120.3, 30.1, False),
        (120.1, 29.99, False),
        (120.2, 30.1, True),  # on the east edge: a car on the fence line is not out
        (120.0, 30.0, True),  # a vertex
        (120.2000001, 30.1, False),
    ],
)
def test_point_in_square_fence(lon, lat, inside):
    assert rules.point_in_polygon(lon, lat, SQUARE) is inside


def test_point_in_the_notch_of_a_concave_fence_is_outside():
    assert rules.point_in_polygon(120.1, 30.15, U_SHAPE) is False
    assert rules.point_in_polygon(120.1, 30.05, U_SHAPE) is True
    assert rules.point_in_polygon(120.02, 30.15, U_SHAPE) is True


def test_polygon_text_parsed_and_closing_vertex_dropped():
    assert rules.parse_polygon("120.0,30.0\n120.2，30.0\n 120.2 30.2 \n\n120.0,30.0") == [
        (120.0, 30.0),
        (120.2, 30.0),
        (120.2, 30.2),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("120,30\n121,30", "至少需要3个顶点"),
        ("120,30\n121\n121,31", "第2行应为“经度,纬度”"),
        ("120,30\nabc,30\n121,31", "第2行含有不是数字"),
        ("190,30\n121,30\n121,31", "第1行经度应在-180到180之间"),
        ("120,30\n121,95\n121,31", "第2行纬度应在-90到90之间"),
    ],
)
def test_bad_polygon_text_refused_with_line_number(text, message):
    with pytest.raises(ValueError, match=message):
        rules.parse_polygon(text)


def test_working_hours_start_inclusive_end_exclusive():
    workday = Day(DayKind.WORKDAY)
    assert rules.is_working_time(at(2026, 3, 2, 8, 30), workday)
    assert not rules.is_working_time(at(2026, 3, 2, 8, 29, 59), workday)
    assert rules.is_working_time(at(2026, 3, 2, 17, 29, 59), workday)
    assert not rules.is_working_time(at(2026, 3, 2, 17, 30), workday)


def test_holiday_and_rest_day_have_no_working_time_and_adjusted_workday_has():
    assert not rules.is_working_time(at(2026, 10, 1, 10), Day(DayKind.HOLIDAY))
    assert not rules.is_working_time(at(2026, 3, 7, 10), Day(DayKind.REST))
    assert rules.is_working_time(at(2026, 10, 10, 10), Day(DayKind.ADJUSTED_WORKDAY))


def test_own_hours_of_a_day_replace_the_default():
    summer = Day(DayKind.WORKDAY, time(8, 0), time(17, 0))
    assert rules.is_working_time(at(2026, 7, 1, 8, 0), summer)
    assert not rules.is_working_time(at(2026, 7, 1, 17, 10), summer)


def test_weekends_are_rest_days_by_default():
    assert rules.default_day(date(2026, 3, 7)).kind == DayKind.REST  # Saturday
    assert rules.default_day(date(2026, 3, 8)).kind == DayKind.REST  # Sunday
    assert rules.default_day(date(2026, 3, 9)).kind == DayKind.WORKDAY


def test_2026_holidays_per_state_council_notice():
    assert rules.HOLIDAYS_2026[date(2026, 2, 15)] == "春节"
    assert rules.HOLIDAYS_2026[date(2026, 10, 7)] == "国庆节"
    assert len([d for d, n in rules.HOLIDAYS_2026.items() if n == "春节"]) == 9
    assert date(2026, 10, 10) in rules.ADJUSTED_WORKDAYS_2026
    assert all(d.weekday() >= 5 for d in rules.ADJUSTED_WORKDAYS_2026)


def _p(minute, speed=50.0):
    return SimpleNamespace(time=at(2026, 3, 2, 10) + timedelta(minutes=minute), speed=speed, lat=30.1, lon=120.1)


def test_points_within_the_gap_form_one_episode_and_beyond_it_two():
    gap = timedelta(minutes=5)
    fast = [_p(0, 130), _p(1, 100), _p(5, 130), _p(11, 140)]
    found = rules.episodes(fast, lambda p: p.speed > 120, gap)
    assert [(e.points, e.max_speed) for e in found] == [(2, 130), (1, 140)]
    assert found[0].end - found[0].start == timedelta(minutes=5)


def test_dispatch_window_covers_with_grace():
    windows = [(at(2026, 3, 2, 9), at(2026, 3, 2, 11))]
    assert rules.covered(at(2026, 3, 2, 8, 30), windows)
    assert not rules.covered(at(2026, 3, 2, 8, 29), windows)
    assert rules.covered(at(2026, 3, 2, 11, 30), windows)
    assert not rules.covered(at(2026, 3, 2, 11, 31), windows)


def test_a_batch_is_read_point_by_point_as_read_point_reads_one():
    """The staged path reads the usual point inline; every point still reads as ``read_point`` reads it."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Shanghai")
    moment = at(2026, 3, 2, 9)
    usual = {"time": moment.isoformat(), "lat": 30.1, "lon": 120.1, "speed": 55.5, "ignition": True}
    batch = [
        usual,
        {**usual, "time": " 2026-03-02T09:00:10 "},  # naive, padded: Beijing time
        {**usual, "time": int(moment.timestamp())},  # Unix seconds
        {**usual, "speed": 60},  # an int speed
        {**usual, "lat": float("nan"), "lon": float("inf")},
        {**usual, "lat": True, "ignition": "yes"},
        {**usual, "vehicle": "浙A12345"},
        {**usual, "vehicle": 7},
        {**usual, "time": "昨天"},
        {**usual, "time": None},
        {"time": moment.isoformat(), "lat": 30.1, "lon": 120.1},  # no speed, no ignition: 0 and on
        "not a point",
    ]
    columns = rules.read_batch(batch, vehicle_pk=7, plate="浙A00001", tz=tz)
    one_by_one = [rules.read_point(raw, vehicle_pk=7, plate="浙A00001", tz=tz) for raw in batch]
    assert list(columns) == list(rules.Reading._fields)
    assert [rules.Reading(*row) for row in zip(*columns.values(), strict=True)] == one_by_one
    assert one_by_one[1].time == at(2026, 3, 2, 9, 0, 10)
    assert one_by_one[6].vehicle_reason and one_by_one[7].vehicle_reason is None
