"""Office-space regulations as data, and the pure functions that apply them.

Sources (see ../shared/domain/REFERENCE.md §1):

- 《党政机关办公用房建设标准》(发改投资〔2014〕2674号): per-person office use-area by the
  unit's class (中央/省/市/县/乡) and the person's post level. The 中央 row is confirmed;
  the 省/市/县 rows come from three consistent secondary tables (◐); 乡 is set by each
  province, in principle not above 县级副职 (24 m²).
- 《党政机关办公用房管理办法》(2017) 第十九条: one office per person at the main post; a
  second office only with approval and smaller than the standard, vacated within 2 months
  after the side post ends; offices of people transferred or retired taken back within 1 month.

Everything here is the *default*: the data migration copies ``STANDARDS`` and
``RANK_MAPPING`` into tables (``AreaStandard``, ``RankMapping``) that administrators edit;
the check reads the tables, never these literals.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Repairs -------------------------------------------------------------------------------

# Repairs estimated above this go to the space administrator for review before work starts.
REPAIR_SPACE_ADMIN_REVIEW_ABOVE = Decimal("5000")
# Service-level time of a repair request, from submission to completion.
REPAIR_SLA_HOURS = 48
# Service-level time of an office allocation/adjustment request (用房调整申请).
ADJUSTMENT_SLA_HOURS = 15 * 24

# --- Meeting rooms (会议室预订, the 会议一件事) ----------------------------------------------------

# A booking is one sitting: at most this long (a meeting over several days books each day).
MEETING_MAX_HOURS = 12
# How far ahead a meeting room may be booked, and how many people a request may name.
MEETING_BOOK_DAYS_AHEAD = 90
MEETING_MAX_ATTENDEES = 1000
# The room's space administrator confirms a booking within this time.
MEETING_SLA_HOURS = 24
# Guests' cars leave this long before the meeting starts and are back this long after it ends.
GUEST_CAR_MARGIN_HOURS = 1


# --- Classes, grades, standards --------------------------------------------------------------


class AdminClass(models.TextChoices):
    """The five classes of the 2014 standard (机构级次)."""

    CENTRAL = "central", _("中央机关")
    PROVINCIAL = "provincial", _("省级机关")
    MUNICIPAL = "municipal", _("市级机关")
    COUNTY = "county", _("县级机关")
    TOWNSHIP = "township", _("乡级机关")


class Grade(models.TextChoices):
    """The row of the standard a person falls in, named by GB/T 12407 leadership levels.

    The code sorts by seniority ("111" is the most senior), so ``min()`` picks the higher.
    """

    PROVINCIAL_PRINCIPAL = "111", _("省部级正职")
    PROVINCIAL_DEPUTY = "112", _("省部级副职")
    BUREAU_PRINCIPAL = "121", _("厅局级正职")
    BUREAU_DEPUTY = "122", _("厅局级副职")
    DIVISION_PRINCIPAL = "131", _("县处级正职")
    DIVISION_DEPUTY = "132", _("县处级副职")
    SECTION_PRINCIPAL = "141", _("乡科级正职")
    SECTION_DEPUTY = "142", _("乡科级副职")
    STAFF = "150", _("科员及以下")


# Grades that are leadership posts (领导职务): the "leaders vs staff" split of the unit report.
LEADER_GRADES = frozenset(g.value for g in Grade if g != Grade.STAFF)

TOWNSHIP_CAP = Decimal("24")  # 乡级: set by the province, in principle not above 县级副职

STANDARD_VERSION = {
    "code": "2014",
    "title": "党政机关办公用房建设标准（发改投资〔2014〕2674号）",
    "effective_from": date(2014, 11, 27),
}


def _rows(*spec: tuple[str, str, str]) -> dict[str, tuple[str, Decimal]]:
    return {grade: (label, Decimal(area)) for grade, label, area in spec}


# class → grade → (the standard's own label, m² use area per person).
# Grades above a class's highest row get that class's highest row (marked 本级最高).
STANDARDS: dict[str, dict[str, tuple[str, Decimal]]] = {
    AdminClass.CENTRAL: _rows(
        ("111", "部级正职", "54"),
        ("112", "部级副职", "42"),
        ("121", "正司（局）级", "24"),
        ("122", "副司（局）级", "18"),
        ("131", "处级", "12"),
        ("132", "处级", "12"),
        ("141", "处级以下", "9"),
        ("142", "处级以下", "9"),
        ("150", "处级以下", "9"),
    ),
    AdminClass.PROVINCIAL: _rows(
        ("111", "省级正职", "54"),
        ("112", "省级副职", "42"),
        ("121", "正厅（局）级", "30"),
        ("122", "副厅（局）级", "24"),
        ("131", "正处级", "18"),
        ("132", "副处级", "12"),
        ("141", "处级以下", "9"),
        ("142", "处级以下", "9"),
        ("150", "处级以下", "9"),
    ),
    AdminClass.MUNICIPAL: _rows(
        ("111", "市级正职（本级最高）", "42"),
        ("112", "市级正职（本级最高）", "42"),
        ("121", "市级正职", "42"),
        ("122", "市级副职", "30"),
        ("131", "正局（处）级", "24"),
        ("132", "副局（处）级", "18"),
        ("141", "局（处）级以下", "9"),
        ("142", "局（处）级以下", "9"),
        ("150", "局（处）级以下", "9"),
    ),
    AdminClass.COUNTY: _rows(
        ("111", "县级正职（本级最高）", "30"),
        ("112", "县级正职（本级最高）", "30"),
        ("121", "县级正职（本级最高）", "30"),
        ("122", "县级正职（本级最高）", "30"),
        ("131", "县级正职", "30"),
        ("132", "县级副职", "24"),
        ("141", "正科级", "18"),
        ("142", "副科级", "12"),
        ("150", "科级以下", "9"),
    ),
    # Set locally; the default is the county row of the same post level, capped at 24.
    AdminClass.TOWNSHIP: _rows(
        ("111", "乡级正职（本级最高）", "18"),
        ("112", "乡级正职（本级最高）", "18"),
        ("121", "乡级正职（本级最高）", "18"),
        ("122", "乡级正职（本级最高）", "18"),
        ("131", "乡级正职（本级最高）", "18"),
        ("132", "乡级正职（本级最高）", "18"),
        ("141", "乡级正职", "18"),
        ("142", "乡级副职", "12"),
        ("150", "一般工作人员", "9"),
    ),
}


class MappingSource(models.TextChoices):
    POST_LEVEL = "post_level", _("职务级别")
    RANK = "rank", _("职级")


# (source, code) → grade ("" = does not count). The 职务级别 sets the grade; the 职级 rows count only
# where the province decided that a 职级 raises the standard (settings.OFFICESPACE_RANK_RAISES_STANDARD,
# default off: grade_for). They map a 职级-only official to the level they are paid as (参照);
# provinces differ (REFERENCE §7.2 ❓), so this is a table an administrator edits.
RANK_MAPPING: dict[tuple[str, str], str] = {
    ("post_level", "101"): "111",
    ("post_level", "102"): "111",
    ("post_level", "111"): "111",
    ("post_level", "112"): "112",
    ("post_level", "121"): "121",
    ("post_level", "122"): "122",
    ("post_level", "131"): "131",
    ("post_level", "132"): "132",
    ("post_level", "141"): "141",
    ("post_level", "142"): "142",
    ("post_level", "150"): "150",
    ("post_level", "160"): "150",
    ("post_level", "199"): "150",
    ("rank", "inspector_1"): "121",
    ("rank", "inspector_2"): "122",
    ("rank", "researcher_1"): "131",
    ("rank", "researcher_2"): "131",
    ("rank", "researcher_3"): "132",
    ("rank", "researcher_4"): "132",
    ("rank", "principal_staff_1"): "141",
    ("rank", "principal_staff_2"): "141",
    ("rank", "principal_staff_3"): "142",
    ("rank", "principal_staff_4"): "142",
    ("rank", "staff_1"): "150",
    ("rank", "staff_2"): "150",
}


class Grading(NamedTuple):
    grade: str
    is_leader: bool
    basis: str  # MappingSource: whether the 职务级别 or the 职级 set the grade


def grade_for(post_level: str, rank: str, mapping: dict[tuple[str, str], str], *, rank_counts: bool) -> Grading:
    """A person's standard grade, whether it is a leadership post, and which of the two set it.

    The standard is keyed to 职务 (REFERENCE §7.2): a 职级 without the matching 职务 brings the pay, not
    the 职务's work treatment (《公务员职务与职级并行规定》, 2019), so the 职务级别 decides — unless the
    province decided that a 职级 raises the standard (``rank_counts``, settings.OFFICESPACE_RANK_RAISES_STANDARD),
    in which case the higher of the two does (and the basis says it was the 职级).
    """
    by_post = mapping.get((MappingSource.POST_LEVEL, post_level or "")) or ""
    by_rank = mapping.get((MappingSource.RANK, rank or "")) or ""
    grade = by_post or Grade.STAFF.value
    basis = MappingSource.POST_LEVEL.value
    if rank_counts and by_rank and by_rank < grade:  # codes sort by seniority: smaller is higher
        grade, basis = by_rank, MappingSource.RANK.value
    return Grading(grade, by_post in LEADER_GRADES, basis)


# A unit's default class from its 行政区划代码 (GB/T 2260): the first ending that matches — XX0000 a
# province, XXXX00 a city — else a county. Data, so that the check's SQL joins the same list.
REGION_CODE_CLASSES: tuple[tuple[str, str], ...] = (
    ("0000", AdminClass.PROVINCIAL.value),
    ("00", AdminClass.MUNICIPAL.value),
)
REGION_CODE_OTHER_CLASS = AdminClass.COUNTY.value


def class_from_region_code(region_code: str) -> str:
    """Default class of a unit from its 行政区划代码 (``REGION_CODE_CLASSES``).

    中央 and 乡 are set explicitly (``UnitClass``): a region code cannot tell them apart.
    """
    code = region_code or ""
    for ending, admin_class in REGION_CODE_CLASSES:
        if code.endswith(ending):
            return AdminClass(admin_class)
    return AdminClass(REGION_CODE_OTHER_CLASS)


# --- The over-standard rule -------------------------------------------------------------------

AREA_PLACES = Decimal("0.01")


def q2(value: Decimal) -> Decimal:
    return value.quantize(AREA_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Share:
    share: Decimal  # room use area / number of occupants (实际分摊面积)
    excess: Decimal  # this person's part of the room's excess (0 when the room is within standard)


def shares(room_area: Decimal, standards: list[Decimal]) -> tuple[Decimal, list[Share]]:
    """Split one office among its occupants and say who is over standard.

    The room is over standard when its area exceeds the sum of its occupants' standards.
    Each occupant's excess is the room's excess in proportion to their standard, so a room
    of people of one rank gives exactly ``area / n − standard`` each, and in a mixed-rank
    room the excesses add up to the room's. Returns the room's excess and one Share each.
    """
    n = len(standards)
    if n == 0:
        return Decimal(0), []
    total = sum(standards, Decimal(0))
    room_excess = room_area - total if room_area > total else Decimal(0)
    share = q2(room_area / n)
    out = []
    for standard in standards:
        if room_excess and total:
            excess = q2(room_excess * standard / total)
        else:
            excess = q2(room_excess / n) if room_excess else Decimal(0)
        out.append(Share(share=share, excess=excess))
    return q2(room_excess), out


# Return deadlines (第十九条).
LEAVER_RETURN_MONTHS = 1
SECOND_OFFICE_RETURN_MONTHS = 2


def take_back_due(ended_on: date, *, is_main: bool) -> date:
    """When an office is due back after its user's post ended: 1 month for a leaver's office, 2 for a second one."""
    return add_months(ended_on, LEAVER_RETURN_MONTHS if is_main else SECOND_OFFICE_RETURN_MONTHS)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def building_errors(*, title_filed: bool, title_reason, building_area, use_area, rooms_area) -> dict:
    """A filed title (权属备案) states why; the use area fits in the building area and holds the
    active rooms' area (``rooms_area``, None for a building not yet saved)."""
    errors = {}
    if title_filed and not (title_reason or "").strip():
        errors["title_reason"] = _("权属备案须写明原因（如档案缺失无法登记）。")
    if use_area is not None and building_area is not None and use_area > building_area:
        errors["use_area"] = _("使用面积（%(use)sm²）不能大于总建筑面积（%(building)sm²）。") % {
            "use": use_area,
            "building": building_area,
        }
    if rooms_area is not None and rooms_area > use_area:
        errors["use_area"] = _("楼内房间使用面积合计%(area)sm²，总使用面积不能小于它。") % {"area": rooms_area}
    return errors
