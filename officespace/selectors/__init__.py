"""Read queries of the office-space app. Views, the API, the check, and other apps read through these.

Other apps (the energy app for energy per m², the command center) use only the functions
under "Published" at the bottom: building areas and occupant counts.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from datahub import scoping
from datahub.models import OrgUnit, User
from datahub.roles import Role
from datahub.rules import PostLevel, Rank
from datahub.selectors import attach_headcounts, with_unit_parent_name
from portal import selectors as portal

from .. import rules
from ..models import (
    AdjustmentRecord,
    AreaStandard,
    Assessment,
    Building,
    Floor,
    Occupancy,
    RankMapping,
    RepairRecord,
    Room,
    RoomCategory,
    StandardVersion,
    UnitClass,
    UnitRollup,
)
from .published import active_rooms as active_rooms
from .published import all_buildings as all_buildings
from .published import areas_by_unit as areas_by_unit
from .published import building_areas as building_areas
from .published import building_facts as building_facts
from .published import monthly_space_figure_queries as monthly_space_figure_queries
from .published import monthly_space_figures as monthly_space_figures
from .published import occupant_count as occupant_count
from .published import room_labels as room_labels
from .published import rooms_at as rooms_at
from .published import rooms_by_id as rooms_by_id

SPACE_READERS = (Role.SPACE_ADMIN, Role.BUREAU_ADMIN, Role.LEADER)
# The annual internal disclosure is published to the unit's own staff as well.
DISCLOSURE_READERS = (*SPACE_READERS, Role.CIVIL_SERVANT)


# --- Standards ------------------------------------------------------------------------------


def current_version(today: date | None = None) -> StandardVersion | None:
    today = today or timezone.localdate()
    return StandardVersion.objects.filter(effective_from__lte=today).order_by("-effective_from").first()


def current_standards(today: date | None = None) -> dict[tuple[str, str], Decimal]:
    """(class, grade) → m² under the version in force (one query)."""
    today = today or timezone.localdate()
    version = StandardVersion.objects.filter(effective_from__lte=today).order_by("-effective_from").values("pk")[:1]
    return {
        (c, g): a
        for c, g, a in AreaStandard.objects.filter(version__in=Subquery(version)).values_list(
            "admin_class", "grade", "area"
        )
    }


def rank_raises_standard() -> bool:
    """Whether this province lets a 职级 without the matching 职务 raise the office standard (default: no)."""
    return bool(getattr(settings, "OFFICESPACE_RANK_RAISES_STANDARD", False))


def rank_mapping() -> dict[tuple[str, str], str]:
    return {(s, c): g for s, c, g in RankMapping.objects.values_list("source", "code", "grade")}


def rank_mapping_rows() -> list[dict]:
    """The mapping with display labels, for the standards page."""
    labels = {rules.MappingSource.POST_LEVEL: dict(PostLevel.choices), rules.MappingSource.RANK: dict(Rank.choices)}
    grades = dict(rules.Grade.choices)
    return [
        {
            "source": rules.MappingSource(m.source).label,
            "code": m.code,
            "label": labels.get(m.source, {}).get(m.code, m.code),
            "grade": grades.get(m.grade, _("不参照")),
        }
        for m in RankMapping.objects.all()
    ]


class ClassResolver:
    """A unit's class: the nearest ``UnitClass`` on it or an ancestor, else from its region code."""

    def __init__(self):
        self.overrides = dict(UnitClass.objects.values_list("org_unit__path", "admin_class"))
        self.cache: dict[str, str] = {}

    def class_of(self, path: str, region_code: str) -> str:
        hit = self.cache.get(path)
        if hit is None:
            hit = rules.class_from_region_code(region_code)
            for end in range(len(path), 0, -OrgUnit.steplen):
                if path[:end] in self.overrides:
                    hit = self.overrides[path[:end]]
                    break
            self.cache[path] = hit
        return hit


def standards_table(version: StandardVersion | None = None) -> list[dict]:
    """The standard as a table: one row per grade, one column per class (for the standards page)."""
    version = version or current_version()
    if version is None:
        return []
    cells = defaultdict(dict)
    for row in AreaStandard.objects.filter(version=version):
        cells[row.grade][row.admin_class] = row
    return [
        {"grade": g, "label": label, "cells": [cells[g].get(c) for c in rules.AdminClass.values]}
        for g, label in rules.Grade.choices
    ]


# --- Ledger lists ------------------------------------------------------------------------------


def _current_count(field: str = "room"):
    return Coalesce(
        Subquery(
            Occupancy.objects.filter(**{field: OuterRef("pk")}, end_date__isnull=True)
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def buildings_for(user, *, search: str = "", unit: OrgUnit | None = None, title_status: str = "") -> QuerySet:
    qs = scoping.scope(Building.objects.select_related("org_unit"), user, roles=SPACE_READERS)
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    if title_status:
        qs = qs.filter(title_status=title_status)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search) | Q(address__icontains=search))
    # Each list names its unit with the agency (财政厅 › 办公室), the parent read in the list's own query.
    return with_unit_parent_name(qs).order_by("code")


def repair_rooms_for(requester) -> QuerySet:
    """Rooms a requester may report for repair: active rooms of their unit, the units above it
    (a shared building's rooms belong to the agency) and the units below it — the rooms they sit in
    first, then the other rooms of the buildings they sit in, then the rest (``rank`` 0, 1, 2)."""
    if requester is None or not requester.org_unit_id:
        return Room.objects.none()
    path = requester.org_unit.path
    step = OrgUnit.steplen
    line = Q(org_unit__path__in=[path[:end] for end in range(step, len(path) + 1, step)]) | Q(
        org_unit__path__startswith=path
    )
    sits = Occupancy.objects.filter(person=requester, end_date__isnull=True)
    rank = Case(
        When(Exists(sits.filter(room=OuterRef("pk"))), then=Value(0)),
        When(Exists(sits.filter(room__building=OuterRef("building"))), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        Room.objects.filter(line, is_active=True)
        .select_related("building")
        .annotate(rank=rank)
        .order_by("rank", "building__name", "number")
    )


def unit_headcount(unit: OrgUnit | None) -> int:
    """编制内实有人数 of a unit and its subtree: the directory's active people (用房调整 derives 涉及人数 from it)."""
    if unit is None:
        return 0
    attach_headcounts([unit])
    return unit.headcount


def repair_location(room: Room) -> str:
    """The 报修地点 a picked room stands for (the text is derived, never typed again)."""
    return f"{room.building.name} {room.number}室"


def rooms_for(
    user,
    *,
    search: str = "",
    building: Building | None = None,
    unit: OrgUnit | None = None,
    category: str = "",
    vacant: bool | None = None,
    active: bool | None = True,
) -> QuerySet:
    """Rooms the user may see, each with ``occupants`` (current occupancy count) in the same query."""
    qs = scoping.scope(
        Room.objects.select_related("building", "floor", "org_unit"), user, roles=SPACE_READERS
    ).annotate(occupants=_current_count())
    if building is not None:
        qs = qs.filter(building=building)
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    if category:
        qs = qs.filter(category=category)
    if active is not None:
        qs = qs.filter(is_active=active)
    if vacant is True:
        qs = qs.filter(category=RoomCategory.OFFICE, occupants=0)
    elif vacant is False:
        qs = qs.filter(occupants__gt=0)
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(building__name__icontains=search) | Q(note__icontains=search))
    return with_unit_parent_name(qs).order_by("building__code", "floor__number", "number")


def current_occupancies(room: Room) -> QuerySet:
    # Each occupant's department named with its agency (财政厅 › 办公室), read in the same query.
    return with_unit_parent_name(
        room.occupancies.filter(end_date__isnull=True).select_related("person__org_unit", "assessment"),
        "person__org_unit",
    ).order_by("-is_main", "person__name")


def occupancy_history(room: Room, *, limit: int | None = None) -> QuerySet:
    qs = room.occupancies.select_related("person").order_by("-start_date", "-pk")
    return qs[:limit] if limit else qs


def repair_history(room: Room, *, limit: int | None = None) -> QuerySet:
    qs = RepairRecord.objects.filter(room=room).select_related("handled_by").order_by("-completed_at")
    return qs[:limit] if limit else qs


def occupancies_for(user, *, current: bool | None = True) -> QuerySet:
    qs = scoping.scope(
        Occupancy.objects.select_related("room__building", "room__org_unit", "person__org_unit"),
        user,
        roles=SPACE_READERS,
        unit_field="room__org_unit",
    )
    if current is True:
        qs = qs.filter(end_date__isnull=True)
    elif current is False:
        qs = qs.filter(end_date__isnull=False)
    return qs


# --- Over-standard results ----------------------------------------------------------------------


def assessments_for(
    user,
    *,
    unit: OrgUnit | None = None,
    problems_only: bool = True,
    status: str = "",
    flag: str = "",
    leaders: bool | None = None,
    search: str = "",
) -> QuerySet:
    qs = scoping.scope(
        Assessment.objects.select_related("person", "org_unit", "room__building"), user, roles=SPACE_READERS
    ).filter(is_current=True)
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    if problems_only:
        qs = qs.filter(Q(is_over=True) | ~Q(flag=""))
    if status:
        qs = qs.filter(status=status)
    if flag == "over":
        qs = qs.filter(is_over=True)
    elif flag:
        qs = qs.filter(flag=flag)
    if leaders is not None:
        qs = qs.filter(is_leader=leaders)
    if search:
        qs = qs.filter(Q(person__name__icontains=search) | Q(room__number__icontains=search))
    return qs.order_by("-excess", "pk")


def open_problems(user) -> QuerySet:
    """Current excesses and return flags not yet fixed or filed (the home page count)."""
    return assessments_for(user).filter(status__in=[Assessment.Status.OPEN, Assessment.Status.IN_PROGRESS])


_ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))


def _sum(field: str, **where):
    return Coalesce(Sum(field, filter=Q(**where) if where else None), _ZERO)


ROLLUP = {
    "people": Count("pk"),
    "approved_area": _sum("standard"),
    "actual_area": _sum("share"),
    "excess_area": _sum("excess"),
    "over_people": Count("pk", filter=Q(is_over=True)),
    "leader_people": Count("pk", filter=Q(is_leader=True)),
    "leader_over": Count("pk", filter=Q(is_leader=True, is_over=True)),
    "leader_approved": _sum("standard", is_leader=True),
    "leader_actual": _sum("share", is_leader=True),
    "leader_excess": _sum("excess", is_leader=True),
    "staff_over": Count("pk", filter=Q(is_leader=False, is_over=True)),
    "staff_approved": _sum("standard", is_leader=False),
    "staff_actual": _sum("share", is_leader=False),
    "staff_excess": _sum("excess", is_leader=False),
    "flagged": Count("pk", filter=~Q(flag="")),
}


def _ratio(row: dict) -> dict:
    approved = row.get("approved_area") or Decimal(0)
    row["excess_ratio"] = rules.q2(row["excess_area"] * 100 / approved) if approved else Decimal(0)
    return row


ROLLUP_FIELDS = tuple(ROLLUP)


def visible_unit(user, pk) -> OrgUnit | None:
    """The unit ``pk`` if the user reads its office space, else None (absent and out of scope alike)."""
    return scoping.visible_units(user, roles=SPACE_READERS).filter(pk=pk).first()


def unit_report(user, *, within: OrgUnit | None = None) -> tuple[list[dict], dict]:
    """Per unit (the person's unit) and for the whole visible subtree: approved (核定) vs actual
    office area, excess area and ratio, people over standard, leaders vs staff.

    Reads the per-unit roll-up the check keeps (``UnitRollup``): two queries over units, not people.
    """
    qs = scoping.scope(UnitRollup.objects.all(), user, roles=SPACE_READERS)
    if within is not None:
        qs = qs.filter(org_unit__path__startswith=within.path)
    named = with_unit_parent_name(qs.order_by("org_unit__path"))
    rows = list(
        named.values(
            "org_unit", "org_unit__name", "org_unit__path", "org_unit__level", "unit_parent_name", *ROLLUP_FIELDS
        )
    )
    total = qs.aggregate(**{f: Coalesce(Sum(f), Value(0), output_field=_ROLLUP_OUTPUT[f]) for f in ROLLUP_FIELDS})
    return [_ratio(r) for r in rows], _ratio(total)


_ROLLUP_OUTPUT = {
    f: (IntegerField() if f in ("people", "over_people", "leader_people", "leader_over", "staff_over", "flagged")
        else DecimalField(max_digits=16, decimal_places=2))
    for f in ("people", "approved_area", "actual_area", "excess_area", "over_people", "leader_people", "leader_over",
              "leader_approved", "leader_actual", "leader_excess", "staff_over", "staff_approved", "staff_actual",
              "staff_excess", "flagged")
}  # fmt: skip


def disclosure_list(user, unit: OrgUnit) -> QuerySet:
    """The annual internal disclosure: who uses which office, its area, their share and standard."""
    qs = scoping.scope(
        Assessment.objects.select_related("person", "org_unit", "room__building", "occupancy"),
        user,
        roles=DISCLOSURE_READERS,
    )
    return qs.filter(is_current=True, org_unit__path__startswith=unit.path).order_by(
        "org_unit__path", "grade", "person__name"
    )


def leader_filing_list(user, unit: OrgUnit) -> QuerySet:
    """Leaders' offices filed (备案) yearly with the agency-affairs administration."""
    return disclosure_list(user, unit).filter(is_leader=True)


def statistics(user, *, within: OrgUnit | None = None) -> dict:
    """Area by type and unit, and utilisation of offices (occupied vs vacant)."""
    rooms = scoping.scope(Room.objects.filter(is_active=True), user, roles=SPACE_READERS)
    if within is not None:
        rooms = rooms.filter(org_unit__path__startswith=within.path)
    by_category = {
        r["category"]: r
        for r in rooms.values("category").annotate(rooms=Count("pk"), area=Sum("use_area")).order_by("category")
    }
    occupied = Occupancy.objects.filter(end_date__isnull=True, room=OuterRef("pk"))
    offices = rooms.filter(category=RoomCategory.OFFICE).annotate(
        busy=Coalesce(Subquery(occupied.values("room").annotate(n=Count("pk")).values("n")[:1]), Value(0))
    )
    util = offices.aggregate(
        total=Count("pk"),
        occupied=Count("pk", filter=Q(busy__gt=0)),
        vacant_area=Coalesce(Sum("use_area", filter=Q(busy=0)), _ZERO),
    )
    # A department is named with its agency (财政厅 › 办公室); the parent's name comes in the same query.
    by_unit = list(
        with_unit_parent_name(rooms)
        .values("org_unit__name", "org_unit__path", "org_unit__level", "unit_parent_name", "category")
        .annotate(area=Sum("use_area"))
        .order_by("org_unit__path", "category")
    )
    units: dict[str, dict] = {}
    for r in by_unit:
        department = r["org_unit__level"] == OrgUnit.Level.DEPARTMENT and r["unit_parent_name"]
        name = f"{r['unit_parent_name']} › {r['org_unit__name']}" if department else r["org_unit__name"]
        entry = units.setdefault(r["org_unit__path"], {"name": name, "areas": {}, "total": Decimal(0)})
        entry["areas"][r["category"]] = r["area"]
        entry["total"] += r["area"]
    return {
        "by_category": [
            # The label after the row: the row's own "category" is the code (office), not what people read (办公室).
            {**by_category.get(code, {"rooms": 0, "area": Decimal(0)}), "category": label}
            for code, label in RoomCategory.choices
        ],
        "by_unit": [
            {
                "name": u["name"],
                "cells": [u["areas"].get(c, Decimal(0)) for c in RoomCategory.values],
                "total": u["total"],
            }
            for u in units.values()
        ],
        "offices": util["total"],
        "occupied": util["occupied"],
        "vacant": util["total"] - util["occupied"],
        "vacant_area": util["vacant_area"],
        "utilisation": rules.q2(Decimal(util["occupied"] * 100) / util["total"]) if util["total"] else Decimal(0),
    }


def adjustments_for(user) -> QuerySet:
    return scoping.scope(
        AdjustmentRecord.objects.select_related("org_unit", "room__building", "handled_by"), user, roles=SPACE_READERS
    )


def standard_for(person: User, *, at_unit: OrgUnit | None = None) -> Decimal:
    """The person's office standard (m²) under the standard in force today."""
    unit = person.org_unit or at_unit
    resolver = ClassResolver()
    admin_class = resolver.class_of(unit.path, unit.region_code) if unit else rules.AdminClass.COUNTY
    grading = rules.grade_for(person.post_level, person.rank, rank_mapping(), rank_counts=rank_raises_standard())
    return current_standards()[(admin_class, grading.grade)]


def holdings_of(*, person) -> list[str]:
    """The offices a person currently occupies, for the portal's 离岗 bundle (what must be handed back)."""
    rows = Occupancy.objects.filter(person=person, end_date__isnull=True).select_related("room__building")
    return [f"{o.room.building.name} {o.room.number}{'' if o.is_main else '（第二办公室）'}" for o in rows]


def floor_of(pk) -> Floor | None:
    """A floor a room is to be added to, with its building's unit (the caller checks the editor's scope)."""
    return Floor.objects.select_related("building__org_unit").filter(pk=pk).first()


def floors_of(building: Building) -> QuerySet:
    return building.floors.all()


def recent_changes(building: Building, *, limit: int = 10) -> list:
    return list(building.history.select_related("history_user")[:limit])


def buildings_scoped(user, roles) -> QuerySet:
    """The active buildings of the units where ``user`` holds ``roles`` (the asset administrator books them)."""
    return scoping.scope(Building.objects.select_related("org_unit"), user, roles=roles).filter(is_active=True)


def offices_to_take_back(user, *, unit: OrgUnit | None = None) -> QuerySet:
    """待收回办公室: open offices whose user left the post — recorded from the directory (deactivated or moved out
    of the agency) or by hand (兼职结束) — in rooms the user manages, soonest due first."""
    qs = scoping.scope(
        Occupancy.objects.select_related("room__building", "room__org_unit", "person__org_unit"),
        user,
        roles=SPACE_READERS,
        unit_field="room__org_unit",
    ).filter(end_date__isnull=True, post_ended_on__isnull=False)
    if unit is not None:
        qs = qs.filter(room__org_unit__path__startswith=unit.path)
    return with_unit_parent_name(qs, "person__org_unit").order_by("post_ended_on", "pk")


# --- The leaders' overview (the command center): office space of a subtree as of today -------------------


REPAIR_KIND = "repair"  # the portal request kind of 维修报修 (apps.py registers it)


def ended_before_overdue(today: date, *, is_main: bool) -> date:
    """The first 离岗/兼职结束 date whose office is not yet overdue today: an office whose post ended before
    it was due back (``rules.take_back_due``) before today."""
    day = today - timedelta(days=31 * 2 + 5)
    while rules.take_back_due(day, is_main=is_main) < today:
        day += timedelta(days=1)
    return day


def space_snapshot(user, unit: OrgUnit, today: date | None = None) -> dict:
    """Office space of ``unit``'s subtree as of ``today``, as far as ``user`` reads it: the use area of the
    rooms in use by category (办公室、服务用房、设备用房、附属用房); the current over-standard cases and return
    flags by handling status (the over-standard list's rows); offices whose user left the post and that are
    past their return deadline (第十九条: a leaver's office 1 month, a second office 2 months after the post
    ended) and not yet handed back; repair requests still open. Four queries."""
    today = today or timezone.localdate()
    rooms = scoping.scope(Room.objects.filter(is_active=True), user, roles=SPACE_READERS).filter(
        org_unit__path__startswith=unit.path
    )
    areas = {
        c: (n, a) for c, n, a in rooms.values_list("category").annotate(n=Count("pk"), a=Sum("use_area")).order_by()
    }
    cases = dict(assessments_for(user, unit=unit).order_by().values_list("status").annotate(n=Count("pk")))
    late = (
        offices_to_take_back(user, unit=unit)
        .order_by()
        .aggregate(
            leavers=Count("pk", filter=Q(is_main=True, post_ended_on__lt=ended_before_overdue(today, is_main=True))),
            second=Count("pk", filter=Q(is_main=False, post_ended_on__lt=ended_before_overdue(today, is_main=False))),
        )
    )
    return {
        "areas": [(code, label, *areas.get(code, (0, None))) for code, label in RoomCategory.choices],
        "cases": [(code, label, cases.get(code, 0)) for code, label in Assessment.Status.choices],
        "leavers_overdue": late["leavers"],
        "second_overdue": late["second"],
        "repairs_open": portal.open_requests(user, within=unit, kind=REPAIR_KIND).count(),
    }
