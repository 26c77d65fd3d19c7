"""Every write of the office-space app. One transaction each; the actor must hold the space
administrator (or bureau administrator) role over the unit concerned; a broken rule raises
ValidationError (field → Chinese message) or PermissionDenied and writes nothing.

An occupancy change schedules a re-check of its rooms once committed (``tasks``); the
over-standard check itself is ``check.run_check``.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from datahub import scoping
from datahub import selectors as directory_selectors
from datahub.models import OrgUnit, User
from datahub.roles import Role
from energy import services as energy_services

from . import rules, selectors, tasks
from .models import (
    AdjustmentRecord,
    AdjustmentRequest,
    AreaStandard,
    Assessment,
    Building,
    Floor,
    Occupancy,
    RankMapping,
    RepairRecord,
    Room,
    RoomCategory,
    Supply,
    UnitClass,
)

SPACE_EDITORS = (Role.SPACE_ADMIN, Role.BUREAU_ADMIN)
STANDARD_EDITORS = (Role.BUREAU_ADMIN,)

BUILDING_FIELDS = (
    "code",
    "name",
    "address",
    "org_unit",
    "title_status",
    "title_holder",
    "title_reason",
    "certificate_no",
    "year_built",
    "structure",
    "building_area",
    "use_area",
    "is_active",
)
ROOM_FIELDS = ("number", "use_area", "category", "subtype", "org_unit", "is_active", "note")


SPACE = _("办公用房")


def _require(actor, unit: OrgUnit | None, roles=SPACE_EDITORS, what=SPACE) -> None:
    if not scoping.covers(actor, unit, roles=roles):
        name = unit.name if unit is not None else _("该单位")
        raise PermissionDenied(_("您没有管理“%(name)s”%(what)s的权限。") % {"name": name, "what": what})


def _unknown(fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("不支持的字段。")))


# --- Buildings, floors, rooms ------------------------------------------------------------------


def check_building(*, building: Building) -> None:
    """Refuses a building whose areas or title do not hold (``rules.building_errors``)."""
    rooms = None
    if building.pk and building.use_area is not None:
        rooms = Room.objects.filter(building=building, is_active=True).aggregate(s=Sum("use_area"))["s"] or 0
    errors = rules.building_errors(
        title_filed=building.title_status == Building.Title.FILED,
        title_reason=building.title_reason,
        building_area=building.building_area,
        use_area=building.use_area,
        rooms_area=rooms,
    )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_building(*, actor, **fields) -> Building:
    """A space administrator over the unit registers a building: a unique code, consistent areas and title."""
    _unknown(fields, BUILDING_FIELDS)
    _require(actor, fields.get("org_unit"))
    building = Building(**fields)
    building.full_clean(validate_constraints=False)
    check_building(building=building)
    try:
        with transaction.atomic():
            building.save()
    except IntegrityError as exc:
        raise ValidationError({"code": "楼宇编码已被使用。"}) from exc
    # Energy's building area is this ledger's: tell it now (一数一源).
    energy_services.institution_facts_changed(org_unit=building.org_unit)
    return building


@transaction.atomic
def update_building(*, actor, building: Building, **fields) -> Building:
    """Changes by an administrator over the building's unit (and the new unit's); areas and title stay consistent."""
    _unknown(fields, BUILDING_FIELDS)
    building = Building.objects.select_for_update().get(pk=building.pk)
    _require(actor, building.org_unit)
    if "org_unit" in fields:
        _require(actor, fields["org_unit"])
    was_at = building.org_unit
    for name, value in fields.items():
        setattr(building, name, value)
    building.full_clean(validate_constraints=False)
    check_building(building=building)
    building.save()
    # Energy's building area is this ledger's: tell it now, for the unit left too (一数一源).
    for unit in {was_at, building.org_unit}:
        energy_services.institution_facts_changed(org_unit=unit)
    return building


@transaction.atomic
def create_floor(*, actor, building: Building, number: int, use_area: Decimal | None = None) -> Floor:
    """A floor numbered once per building; the floors' use areas add up to no more than the building's."""
    building = Building.objects.select_for_update().get(pk=building.pk)
    _require(actor, building.org_unit)
    floor = Floor(building=building, number=number, use_area=use_area)
    floor.full_clean(validate_constraints=False)
    errors = {}
    if Floor.objects.filter(building=building, number=number).exists():
        errors["number"] = f"{building.name}已有{number}层。"
    if use_area is not None:
        others = Floor.objects.filter(building=building).aggregate(s=Sum("use_area"))["s"] or 0
        if others + use_area > building.use_area:
            errors["use_area"] = (
                f"各层使用面积合计（{others + use_area}m²）不能大于楼宇总使用面积（{building.use_area}m²）。"
            )
    if errors:
        raise ValidationError(errors)
    floor.save()
    return floor


def _check_room_area(room: Room) -> None:
    """The rooms of a floor (and of a building) may not add up to more than its use area."""
    others = Room.objects.filter(is_active=True).exclude(pk=room.pk)
    area = room.use_area if room.is_active else Decimal(0)
    floor = room.floor
    if floor.use_area is not None:
        on_floor = others.filter(floor=floor).aggregate(s=Sum("use_area"))["s"] or 0
        if on_floor + area > floor.use_area:
            raise ValidationError(
                {
                    "use_area": f"{floor.number}层房间使用面积合计将达{on_floor + area}m²，"
                    f"超过该层使用面积{floor.use_area}m²。"
                }
            )
    in_building = others.filter(building=room.building).aggregate(s=Sum("use_area"))["s"] or 0
    if in_building + area > room.building.use_area:
        raise ValidationError(
            {
                "use_area": f"{room.building.name}房间使用面积合计将达{in_building + area}m²，"
                f"超过楼宇总使用面积{room.building.use_area}m²。"
            }
        )


@transaction.atomic
def create_room(*, actor, floor: Floor, **fields) -> Room:
    """A room numbered once per floor; the rooms fit the floor's and the building's use area."""
    _unknown(fields, ROOM_FIELDS)
    floor = Floor.objects.select_related("building").get(pk=floor.pk)
    # Lock the building: two rooms added at once must not both fit the same remaining area.
    Building.objects.select_for_update().filter(pk=floor.building_id).first()
    _require(actor, floor.building.org_unit)
    fields.setdefault("org_unit", floor.building.org_unit)
    _require(actor, fields["org_unit"])
    room = Room(floor=floor, building=floor.building, **fields)
    room.full_clean(validate_constraints=False)
    if Room.objects.filter(floor=floor, number=room.number).exists():
        raise ValidationError({"number": f"{floor}已有{room.number}室。"})
    _check_room_area(room)
    room.save()
    return room


@transaction.atomic
def update_room(*, actor, room: Room, **fields) -> Room:
    """As ``create_room``; a room still occupied cannot stop being an office in use."""
    _unknown(fields, ROOM_FIELDS)
    room = Room.objects.select_for_update().select_related("floor", "building", "org_unit").get(pk=room.pk)
    Building.objects.select_for_update().filter(pk=room.building_id).first()
    _require(actor, room.org_unit)
    if "org_unit" in fields:
        _require(actor, fields["org_unit"])
    for name, value in fields.items():
        setattr(room, name, value)
    room.full_clean(validate_constraints=False)
    if Room.objects.filter(floor=room.floor, number=room.number).exclude(pk=room.pk).exists():
        raise ValidationError({"number": f"{room.floor}已有{room.number}室。"})
    _check_room_area(room)
    leaving_office_use = room.category != RoomCategory.OFFICE or not room.is_active
    if leaving_office_use and room.occupancies.filter(end_date__isnull=True).exists():
        raise ValidationError({"category": "房间仍有人使用，请先结束使用再改为非办公室或停用。"})
    room.save()
    tasks.recheck_rooms_on_commit([room.pk])
    return room


# --- Occupancy -----------------------------------------------------------------------------------


@transaction.atomic
def assign_occupancy(
    *,
    actor,
    room: Room,
    person: User,
    start_date: date,
    is_main: bool = True,
    approval_ticket=None,
    note: str = "",
) -> Occupancy:
    """Seat ``person`` in office ``room`` from ``start_date``.

    One main office per person; a second office (side post) needs an approved request
    and must give the person less than their standard.
    """
    room = Room.objects.select_for_update().select_related("org_unit", "building").get(pk=room.pk)
    _require(actor, room.org_unit)
    # Serialise seatings of one person (two administrators, two rooms, one person).
    person = User.objects.select_for_update(of=("self",)).select_related("org_unit").get(pk=person.pk)
    errors = {}
    if room.category != RoomCategory.OFFICE or not room.is_active:
        errors["room"] = _("只能安排在用的办公室。")
    if not person.is_active:
        errors["person"] = _("%(name)s已停用，不能安排办公室。") % {"name": person.name}
    current = Occupancy.objects.filter(person=person, end_date__isnull=True)
    if is_main:
        main = current.filter(is_main=True).select_related("room__building").first()
        if main is not None:
            errors["person"] = _(
                "%(name)s已有主办公室（%(room)s），一人只能有一处主办公室；"
                "请先结束原办公室的使用，或作为兼职岗位的第二办公室申请。"
            ) % {"name": person.name, "room": main.room}
    else:
        if approval_ticket is None or approval_ticket.status not in ("approved", "in_progress", "done"):
            errors["approval_ticket"] = _("第二办公室须经批准：请先提交“用房调整申请”（兼职岗位第二办公室）并获批准。")
        elif approval_ticket.kind != "space_adjustment" or approval_ticket.requester_id != person.pk:
            errors["approval_ticket"] = _("所填申请不是%(name)s本人的用房调整申请。") % {"name": person.name}
        elif not AdjustmentRequest.objects.filter(
            ticket=approval_ticket, purpose=AdjustmentRequest.Purpose.SECOND_OFFICE
        ).exists():
            errors["approval_ticket"] = _("所填申请不是兼职岗位第二办公室的申请。")
        if not current.filter(is_main=True).exists():
            errors["is_main"] = _("%(name)s尚无主办公室，应先安排主办公室。") % {"name": person.name}
        if current.filter(is_main=False).exists():
            errors["is_main"] = _("%(name)s已有第二办公室，不能再配备。") % {"name": person.name}
    if current.filter(room=room).exists():
        errors["room"] = _("%(name)s已在%(room)s办公。") % {"name": person.name, "room": room}
    if errors:
        raise ValidationError(errors)
    if not is_main:
        occupants = room.occupancies.filter(end_date__isnull=True).count() + 1
        share = rules.q2(room.use_area / occupants)
        standard = selectors.standard_for(person, at_unit=room.org_unit)
        if share >= standard:
            raise ValidationError(
                {
                    "room": _("第二办公室应小于本人标准：分摊面积%(share)sm²，标准%(standard)sm²，请选择更小的房间。")
                    % {"share": share, "standard": standard}
                }
            )
    occupancy = Occupancy(
        room=room,
        person=person,
        is_main=is_main,
        approval_ticket=approval_ticket,
        start_date=start_date,
        note=note,
    )
    occupancy.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            occupancy.save()
    except IntegrityError as exc:  # a concurrent seating won the race
        raise ValidationError(
            {"person": _("%(name)s已有主办公室，一人只能有一处主办公室。") % {"name": person.name}}
        ) from exc
    tasks.recheck_rooms_on_commit([room.pk])
    return occupancy


@transaction.atomic
def end_occupancy(*, actor, occupancy: Occupancy, end_date: date, note: str = "") -> Occupancy:
    """The person leaves the room (taken back, moved, merged): the row stays as history."""
    occupancy = Occupancy.objects.select_for_update().select_related("room__org_unit").get(pk=occupancy.pk)
    _require(actor, occupancy.room.org_unit)
    if occupancy.end_date is not None:
        raise ValidationError({"end_date": _("该使用记录已结束。")})
    if end_date < occupancy.start_date:
        raise ValidationError({"end_date": _("结束日期不能早于起始日期（%(day)s）。") % {"day": occupancy.start_date}})
    occupancy.end_date = end_date
    if note:
        occupancy.note = note[:300]
    occupancy.save(update_fields=["end_date", "note"])
    tasks.recheck_rooms_on_commit([occupancy.room_id])
    return occupancy


@transaction.atomic
def occupancy_post_end_from_directory(*, person, reason: str, last_day: date) -> list[Occupancy]:
    """离岗 from the directory (datahub.signals.person_leaving), not from a typed form: every open office of a
    person deactivated or moved out of the agency gets its post end (调动 for a move, 其他 for a
    deactivation, whose cause the directory does not say), so the office is due back within the rule's months
    and shows on the 待收回办公室 list. A post end already recorded is kept."""
    why = Occupancy.PostEnd.TRANSFER if reason == "transfer" else Occupancy.PostEnd.OTHER
    rows = list(
        Occupancy.objects.select_for_update().filter(person=person, end_date__isnull=True, post_ended_on__isnull=True)
    )
    for occupancy in rows:
        occupancy.post_ended_on, occupancy.post_end_reason = last_day, why
        occupancy.save(update_fields=["post_ended_on", "post_end_reason"])
    if rows:
        tasks.recheck_rooms_on_commit([o.room_id for o in rows])
    return rows


@transaction.atomic
def occupancy_side_post_ended(*, post, last_day: date) -> list[Occupancy]:
    """兼职结束 from the directory (datahub.signals.side_post_ended), not from a typed form: the open second
    office approved for ``post`` (its 用房调整 request picked that post) — and, once the person holds no
    other open 兼职, any other open second office of theirs — is due back within the rule's two months."""
    approved_for_post = AdjustmentRequest.objects.filter(side_post=post).values("ticket_id")
    rows = Occupancy.objects.select_for_update().filter(
        person_id=post.person_id, is_main=False, end_date__isnull=True, post_ended_on__isnull=True
    )
    if directory_selectors.side_posts_of(post.person, active_only=True).exists():
        rows = rows.filter(approval_ticket_id__in=approved_for_post)
    rows = list(rows)
    for occupancy in rows:
        occupancy.post_ended_on, occupancy.post_end_reason = last_day, Occupancy.PostEnd.SIDE_POST_ENDED
        occupancy.save(update_fields=["post_ended_on", "post_end_reason"])
    if rows:
        tasks.recheck_rooms_on_commit([o.room_id for o in rows])
    return rows


# --- Handling an excess ---------------------------------------------------------------------------


@transaction.atomic
def handle_assessment(
    *, actor, assessment: Assessment, status: str, remedy: str = "", reason: str = "", attachment=None
) -> Assessment:
    """Record how an excess (or a return flag) is being dealt with."""
    assessment = (
        Assessment.objects.select_for_update().select_related("org_unit", "room__org_unit").get(pk=assessment.pk)
    )
    if not (
        scoping.covers(actor, assessment.org_unit, roles=SPACE_EDITORS)
        or scoping.covers(actor, assessment.room.org_unit, roles=SPACE_EDITORS)
    ):
        raise PermissionDenied("您没有处理该超标问题的权限。")
    errors = {}
    if status not in Assessment.Status.values:
        errors["status"] = "请选择未整改、整改中、已整改或已备案。"
    if remedy and remedy not in Assessment.Remedy.values:
        errors["remedy"] = "请选择调整、合并、分隔或腾退。"
    if status == Assessment.Status.FILED and not reason.strip():
        errors["reason"] = "备案须写明理由。"
    if status == Assessment.Status.FILED and not (attachment or assessment.attachment):
        errors["attachment"] = "备案须附批准或说明材料。"
    if status in (Assessment.Status.IN_PROGRESS, Assessment.Status.FIXED) and not remedy:
        errors["remedy"] = "请选择整改方式（调整、合并、分隔或腾退）。"
    if errors:
        raise ValidationError(errors)
    assessment.status = status
    assessment.remedy = remedy
    assessment.reason = reason[:500]
    if attachment:
        assessment.attachment = attachment
        assessment.full_clean(exclude=["occupancy", "person", "room", "org_unit", "handled_by"])
    assessment.handled_by = actor
    assessment.handled_at = timezone.now()
    assessment.save()
    return assessment


# --- Standards, mapping, unit class ----------------------------------------------------------


@transaction.atomic
def area_standard_update(*, actor, row: AreaStandard, area: Decimal, label: str | None = None) -> AreaStandard:
    """Only the bureau changes an area standard: positive, a township row at most the county deputy's."""
    if not (actor and (actor.is_superuser or scoping.holds_any(actor, STANDARD_EDITORS))):
        raise PermissionDenied(_("只有机关事务管理局管理员可以修改面积标准。"))
    row = AreaStandard.objects.select_for_update().get(pk=row.pk)
    if area is None or area <= 0:
        raise ValidationError({"area": _("面积标准必须大于0。")})
    if row.admin_class == rules.AdminClass.TOWNSHIP and area > rules.TOWNSHIP_CAP:
        raise ValidationError(
            {"area": _("乡级机关的标准原则上不超过县级副职（%(cap)sm²）。") % {"cap": rules.TOWNSHIP_CAP}}
        )
    row.area = area
    if label is not None:
        row.label = label
    row.full_clean(validate_constraints=False)
    row.save()
    return row


@transaction.atomic
def rank_mapping_update(*, actor, mapping: RankMapping, grade: str) -> RankMapping:
    """Only the bureau maps a post level or rank to a standard grade (empty: not referenced)."""
    if not (actor and (actor.is_superuser or scoping.holds_any(actor, STANDARD_EDITORS))):
        raise PermissionDenied(_("只有机关事务管理局管理员可以修改职级对应关系。"))
    if grade and grade not in rules.Grade.values:
        raise ValidationError({"grade": _("请选择一个标准层次，或留空表示不参照。")})
    mapping.grade = grade
    mapping.save(update_fields=["grade"])
    return mapping


@transaction.atomic
def unit_class_set(*, actor, unit: OrgUnit, admin_class: str) -> UnitClass:
    """Only the bureau sets a unit's administrative class (central to township), which picks its standards."""
    _require(actor, unit, roles=STANDARD_EDITORS, what=_("机构级次"))
    if admin_class not in rules.AdminClass.values:
        raise ValidationError({"admin_class": _("请选择中央、省、市、县或乡级。")})
    row, _created = UnitClass.objects.update_or_create(org_unit=unit, defaults={"admin_class": admin_class})
    return row


# --- Request kinds ----------------------------------------------------------------------------


@transaction.atomic
def repair_record_outcome(*, ticket, detail, actor, outcome: dict) -> RepairRecord:
    """A finished repair goes into the repair ledger straight from the ticket (no second entry)."""
    record = RepairRecord(
        ticket=ticket,
        org_unit=ticket.org_unit,
        location=detail.location,
        room_id=detail.room_id,
        is_major=detail.is_major,
        category=detail.category,
        cost=outcome["cost"],
        parts=outcome.get("parts", ""),
        result=outcome["result"],
        handled_by=actor,
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def adjustment_record_outcome(*, ticket, detail: AdjustmentRequest, actor, outcome: dict) -> AdjustmentRecord:
    """Close a 用房调整申请: record how it was supplied and write the ledger it changes.

    调剂 of a room allocates it to the requesting unit; a second office seats the requester
    (with this approved ticket as the approval). 租用/建设 come only after 调剂 and 置换 are
    ruled out, and must say why.
    """
    supply = outcome["supply"]
    room: Room | None = outcome.get("room")
    errors = {}
    if supply in (Supply.LEASE, Supply.BUILD) and not (outcome.get("why_not_reallocate") or "").strip():
        errors["why_not_reallocate"] = _("租用或建设须先说明无法调剂、置换的原因（供给顺序：调剂→置换→租用→建设）。")
    if detail.purpose == AdjustmentRequest.Purpose.SECOND_OFFICE and room is None:
        errors["room"] = _("第二办公室请选择房间。")
    if errors:
        raise ValidationError(errors)
    if room is not None:
        _require(actor, room.org_unit)
    if detail.purpose == AdjustmentRequest.Purpose.SECOND_OFFICE:
        assign_occupancy(
            actor=actor,
            room=room,
            person=ticket.requester,
            start_date=timezone.localdate(),
            is_main=False,
            approval_ticket=ticket,
            note=f"兼职岗位：{detail.side_post}"[:300],
        )
    elif room is not None and supply == Supply.REALLOCATE and room.org_unit_id != ticket.org_unit_id:
        if room.occupancies.filter(end_date__isnull=True).exists():
            raise ValidationError({"room": _("调剂的房间须为空置房间。")})
        room.org_unit = ticket.org_unit
        room.save(update_fields=["org_unit"])
    record = AdjustmentRecord(
        ticket=ticket,
        org_unit=ticket.org_unit,
        purpose=detail.purpose,
        supply=supply,
        room=room,
        area=room.use_area if room is not None else Decimal(0),
        result=outcome["result"],
        handled_by=actor,
    )
    record.full_clean()
    record.save()
    return record
