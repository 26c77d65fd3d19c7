"""Every write of the assets app. One transaction each; the actor must hold the asset
administrator (or bureau administrator) role over the card's unit; a broken rule raises
ValidationError (field → Chinese message) or PermissionDenied and writes nothing.

Every lifecycle move writes one append-only ``Movement`` on the card, in the same
transaction as the change, and the card's field history (simple-history) records the
change itself. The monthly depreciation (``post_depreciation``) is set-based: per month one
INSERT … SELECT of the entries and one UPDATE of the cards, whatever the number of cards.
"""

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from datahub import scoping
from datahub.models import OrgUnit, User
from datahub.roles import Role
from portal.workflow import Status as TicketStatus

from . import rules
from .models import (
    Asset,
    AssetIssueRecord,
    AssetNumberSequence,
    CapitalisationThreshold,
    Category,
    ConfigStandard,
    ConfigStandardVersion,
    DepreciationEntry,
    DepreciationRun,
    Movement,
    MovementKind,
)
from .rules import AssetStatus

ASSET_EDITORS = (Role.ASSET_ADMIN, Role.BUREAU_ADMIN)
BUREAU = (Role.BUREAU_ADMIN,)
APPROVED_TICKET = (TicketStatus.APPROVED, TicketStatus.IN_PROGRESS, TicketStatus.DONE)
CENT = Decimal("0.01")


# --- Helpers -----------------------------------------------------------------------------------


def _require_editor(actor: User, unit: OrgUnit, roles=ASSET_EDITORS) -> None:
    if not scoping.covers(actor, unit, roles=roles):
        raise PermissionDenied(f"您没有管理“{unit}”资产的权限。")


def _locked(asset: Asset) -> Asset:
    """Re-read the card under a row lock so two moves of one card run one after the other."""
    return Asset.objects.select_for_update().select_related("org_unit", "category").get(pk=asset.pk)


def _move(asset: Asset, kind: str, actor: User, **fields) -> Movement:
    movement = Movement(asset=asset, kind=kind, actor=actor, **fields)
    movement.save()
    return movement


def _status_label(status: str) -> str:
    return AssetStatus(status).label


def institution_of(unit: OrgUnit) -> OrgUnit:
    """The 机关/单位 a unit belongs to (itself, or the nearest ancestor of level institution)."""
    if unit.level == OrgUnit.Level.INSTITUTION:
        return unit
    prefixes = [unit.path[:end] for end in range(OrgUnit.steplen, len(unit.path), OrgUnit.steplen)]
    found = (
        OrgUnit.objects.filter(path__in=prefixes, level=OrgUnit.Level.INSTITUTION).order_by("-depth").first()
        if prefixes
        else None
    )
    return found or unit


def _same_institution(a: OrgUnit, b: OrgUnit) -> bool:
    home = institution_of(a)
    return b.path.startswith(home.path)


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    y, m = divmod(month.year * 12 + month.month - 1 + n, 12)
    return date(y, m + 1, 1)


def depreciation_start_convention() -> str:
    return getattr(settings, "ASSETS_DEPRECIATION_START", rules.DEFAULT_DEPRECIATION_START)


def first_depreciation_month(booked_on: date) -> date:
    """Booking in month M: first month M+1 (default, next_month) or M itself (same_month)."""
    month = first_of_month(booked_on)
    if depreciation_start_convention() == rules.DepreciationStart.SAME_MONTH:
        return month
    return add_months(month, 1)


def depreciation_end_month(disposed_on: date) -> date:
    """The first month that is no longer depreciated after a disposal on ``disposed_on``."""
    month = first_of_month(disposed_on)
    if depreciation_start_convention() == rules.DepreciationStart.SAME_MONTH:
        return month
    return add_months(month, 1)


def capitalisation_threshold(category: Category, on: date | None = None) -> Decimal:
    on = on or timezone.localdate()
    row = CapitalisationThreshold.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    if category.special_equipment:
        return row.special_equipment if row else rules.CAPITALISATION_THRESHOLD_SPECIAL
    return row.general if row else rules.CAPITALISATION_THRESHOLD


def next_asset_numbers(count: int = 1, *, year: int | None = None) -> list[str]:
    """Draw ``count`` fresh numbers ZC<year><8 digits>; the sequence row is locked meanwhile."""
    year = year or timezone.localdate().year
    prefix = f"{rules.ASSET_NUMBER_PREFIX}{year}"
    with transaction.atomic():
        seq, _ = AssetNumberSequence.objects.select_for_update().get_or_create(prefix=prefix)
        start = seq.last + 1
        seq.last += count
        seq.save(update_fields=["last"])
    return [f"{prefix}{n:08d}" for n in range(start, start + count)]


def _ticket_approved(ticket) -> bool:
    return ticket is not None and ticket.status in APPROVED_TICKET


# --- 入账 (booking) -----------------------------------------------------------------------------


CARD_FIELDS = (
    "name",
    "category",
    "spec",
    "quantity",
    "unit_of_measure",
    "original_value",
    "acquired_on",
    "acquisition_way",
    "funding_source",
    "org_unit",
    "user_department",
    "custodian",
    "location",
    "booked_on",
    "useful_life_months",
    "note",
)


def prepare_card(
    *,
    org_unit: OrgUnit,
    category: Category,
    name: str,
    original_value: Decimal,
    acquired_on: date,
    quantity: int = 1,
    unit_of_measure: str = "台",
    spec: str = "",
    acquisition_way: str = rules.AcquisitionWay.PURCHASE,
    funding_source: str = rules.FundingSource.FISCAL,
    user_department: OrgUnit | None = None,
    custodian: User | None = None,
    location=None,
    booked_on: date | None = None,
    useful_life_months: int | None = None,
    asset_number: str = "",
    note: str = "",
    status: str = AssetStatus.IN_USE,
    accumulated_depreciation: Decimal = Decimal("0"),
    depreciated_months: int = 0,
    threshold: Decimal | None = None,
    validate: bool = True,
) -> Asset:
    """Build (not save) a card and check it against the rules; shared by booking and the import."""
    booked_on = booked_on or timezone.localdate()
    errors: dict[str, str] = {}
    original_value = Decimal(original_value)
    if quantity and original_value > 0:
        limit = threshold if threshold is not None else capitalisation_threshold(category, booked_on)
        unit_value = (original_value / quantity).quantize(CENT)
        if unit_value < limit:
            errors["original_value"] = f"单价{unit_value}元低于资本化起点{limit}元，属于低值易耗品，不建资产卡片。"
    if useful_life_months is None:
        useful_life_months = category.min_life_months if category.depreciates else 0
    if category.depreciates and useful_life_months < category.min_life_months:
        errors["useful_life_months"] = (
            f"折旧年限不能低于分类“{category.name}”的最低年限{category.min_life_months}个月（财会〔2017〕4号）。"
        )
    if acquired_on and booked_on and acquired_on > booked_on:
        errors["acquired_on"] = "取得日期不能晚于入账日期。"
    if user_department is not None and not user_department.path.startswith(institution_of(org_unit).path):
        errors["user_department"] = "使用部门必须是所属单位的内设机构。"
    if custodian is not None and (
        not custodian.is_active or custodian.org_unit_id is None or not _same_institution(org_unit, custodian.org_unit)
    ):
        errors["custodian"] = "保管人必须是所属单位的在职人员。"
    if location is not None and (not location.is_active or not _same_institution(org_unit, location.org_unit)):
        errors["location"] = "存放地点必须是所属单位在用的房间。"
    if errors:
        raise ValidationError(errors)
    depreciates = category.depreciates
    card = Asset(
        asset_number=asset_number,
        name=name,
        category=category,
        spec=spec,
        quantity=quantity,
        unit_of_measure=unit_of_measure,
        original_value=original_value,
        acquired_on=acquired_on,
        acquisition_way=acquisition_way,
        funding_source=funding_source,
        org_unit=org_unit,
        user_department=user_department,
        custodian=custodian,
        location=location,
        status=status,
        booked_on=booked_on,
        depreciates=depreciates,
        useful_life_months=useful_life_months if depreciates else 0,
        accumulated_depreciation=accumulated_depreciation if depreciates else Decimal("0"),
        depreciated_months=depreciated_months if depreciates else 0,
        note=note,
    )
    if depreciates and depreciated_months < card.useful_life_months and accumulated_depreciation < original_value:
        card.next_depreciation_month = add_months(first_depreciation_month(booked_on), depreciated_months)
    if validate:
        card.full_clean(exclude=["asset_number"] if not asset_number else None)
    return card


@transaction.atomic
def register_card(*, actor: User, org_unit: OrgUnit, ticket=None, **fields) -> Asset:
    """入账: book an accepted item as a card (验收 → 入账). Below the capitalisation threshold
    (1,000元; 1,500元 for special equipment, 政府会计准则第3号) it is a 低值易耗品 and refused.
    Depreciation starts the month after booking (or the booking month, see rules.DepreciationStart).
    """
    _require_editor(actor, org_unit)
    card = prepare_card(org_unit=org_unit, **fields)
    if card.asset_number:
        if Asset.objects.filter(asset_number=card.asset_number).exists():
            raise ValidationError({"asset_number": f"资产编号{card.asset_number}已存在。"})
    else:
        card.asset_number = next_asset_numbers(1, year=card.booked_on.year)[0]
    card.save()
    _move(
        card,
        MovementKind.BOOK,
        actor,
        to_unit=org_unit,
        to_person=card.custodian,
        to_room=card.location,
        to_status=card.status,
        amount=card.original_value,
        ticket=ticket,
        note=f"{card.get_acquisition_way_display()}入账",
    )
    return card


# --- 领用 / 归还 (issue to and return from a person) ----------------------------------------------


@transaction.atomic
def issue(asset: Asset, *, to_person: User, actor: User, room=None, ticket=None, note: str = "") -> Asset:
    """领用: hand a card in use or idle to a person of its unit; the person becomes its custodian."""
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if asset.status not in (AssetStatus.IN_USE, AssetStatus.IDLE):
        raise ValidationError({"status": f"资产当前状态为“{_status_label(asset.status)}”，不能领用。"})
    if asset.under_repair:
        raise ValidationError({"status": "资产维修中，不能领用。"})
    if asset.custodian_id and asset.custodian_id != to_person.pk:
        raise ValidationError({"to_person": f"资产已由{asset.custodian.name}领用，须先归还。"})
    if (
        not to_person.is_active
        or to_person.org_unit_id is None
        or not _same_institution(asset.org_unit, to_person.org_unit)
    ):
        raise ValidationError({"to_person": "领用人必须是资产所属单位的在职人员。"})
    if room is not None and not _same_institution(asset.org_unit, room.org_unit):
        raise ValidationError({"room": "存放地点必须是所属单位的房间。"})
    before = (asset.custodian, asset.location, asset.status)
    asset.custodian = to_person
    asset.user_department = to_person.org_unit if to_person.org_unit.path.startswith(asset.org_unit.path) else None
    if room is not None:
        asset.location = room
    asset.status = AssetStatus.IN_USE
    asset.save()
    _move(
        asset,
        MovementKind.ISSUE,
        actor,
        from_person=before[0],
        to_person=to_person,
        from_room=before[1],
        to_room=asset.location,
        from_status=before[2],
        to_status=asset.status,
        ticket=ticket,
        note=note,
    )
    return asset


@transaction.atomic
def return_asset(asset: Asset, *, actor: User, room=None, note: str = "") -> Asset:
    """归还: the custodian hands the card back; it is idle until issued again."""
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if asset.custodian_id is None:
        raise ValidationError({"custodian": "资产未被领用，无需归还。"})
    if asset.status not in (AssetStatus.IN_USE, AssetStatus.IDLE):
        raise ValidationError({"status": f"资产当前状态为“{_status_label(asset.status)}”，不能归还。"})
    before = (asset.custodian, asset.location, asset.status)
    asset.custodian = None
    if room is not None:
        asset.location = room
    asset.status = AssetStatus.IDLE
    asset.save()
    _move(
        asset,
        MovementKind.RETURN,
        actor,
        from_person=before[0],
        from_room=before[1],
        to_room=asset.location,
        from_status=before[2],
        to_status=asset.status,
        note=note,
    )
    return asset


# --- 调拨 (transfer between units) ----------------------------------------------------------------


@transaction.atomic
def transfer(asset: Asset, *, to_unit: OrgUnit, actor: User, reason: str, ticket=None) -> Asset:
    """调拨: the card moves to another unit's books (the source unit's administrator or the bureau
    moves it). Custodian, location and user department are the old unit's and are cleared; the
    card arrives in use (在用) at the new unit, its depreciation continues unchanged.
    """
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if not reason.strip():
        raise ValidationError({"reason": "请填写调拨理由。"})
    if asset.status not in rules.MOVABLE:
        raise ValidationError({"status": f"资产当前状态为“{_status_label(asset.status)}”，不能调拨。"})
    if asset.under_repair:
        raise ValidationError({"status": "资产维修中，不能调拨。"})
    if to_unit.pk == asset.org_unit_id:
        raise ValidationError({"to_unit": "调入单位与当前所属单位相同。"})
    if not to_unit.is_active:
        raise ValidationError({"to_unit": "调入单位已停用。"})
    before = (asset.org_unit, asset.custodian, asset.location, asset.status)
    asset.org_unit = to_unit
    asset.user_department = None
    asset.custodian = None
    asset.location = None
    asset.status = AssetStatus.IN_USE
    asset.save()
    _move(
        asset,
        MovementKind.TRANSFER,
        actor,
        from_unit=before[0],
        to_unit=to_unit,
        from_person=before[1],
        from_room=before[2],
        from_status=before[3],
        to_status=asset.status,
        ticket=ticket,
        note=reason,
    )
    return asset


# --- 出租出借 (letting and lending) ---------------------------------------------------------------


def is_administrative(unit: OrgUnit) -> bool:
    return institution_of(unit).kind == OrgUnit.Kind.PARTY_GOVERNMENT


@transaction.atomic
def lend(
    asset: Asset,
    *,
    to_unit_or_party: OrgUnit | str,
    until: date,
    actor: User,
    income: Decimal | None = None,
    ticket=None,
    note: str = "",
) -> Asset:
    """出租出借. 《行政事业性国有资产管理条例》: letting and lending only with approval, and
    administrative units (党政机关) may not run businesses with state assets — so for them a loan
    needs an approved ticket (e.g. a 公物仓 loan); the income is recorded (收支两条线).
    """
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if asset.status not in rules.MOVABLE:
        raise ValidationError({"status": f"资产当前状态为“{_status_label(asset.status)}”，不能出租出借。"})
    if asset.under_repair:
        raise ValidationError({"status": "资产维修中，不能出租出借。"})
    if is_administrative(asset.org_unit) and not _ticket_approved(ticket):
        raise ValidationError({"ticket": "行政单位（党政机关）的资产出租出借须经审批：请附已批准的申请。"})
    # The approval must be this loan's: filed within the lending unit or the borrowing unit (a 公物仓
    # loan), not any approved request that happens to exist.
    sides = [asset.org_unit.path] + ([to_unit_or_party.path] if isinstance(to_unit_or_party, OrgUnit) else [])
    if ticket is not None and not ticket.org_unit.path.startswith(tuple(sides)):
        raise ValidationError(
            {"ticket": f"申请#{ticket.pk}不是本单位或借用单位的申请，不能作为本次出租出借的审批依据。"}
        )
    if until is None or until <= timezone.localdate():
        raise ValidationError({"until": "出租出借到期日必须晚于今天。"})
    if income is not None and Decimal(income) < 0:
        raise ValidationError({"income": "收入不能为负数。"})
    if isinstance(to_unit_or_party, OrgUnit):
        if to_unit_or_party.pk == asset.org_unit_id:
            raise ValidationError({"to_unit_or_party": "不能出借给本单位。"})
        asset.lent_to_unit, asset.lent_to_party = to_unit_or_party, ""
    else:
        party = (to_unit_or_party or "").strip()
        if not party:
            raise ValidationError({"to_unit_or_party": "请填写承租或借用方。"})
        asset.lent_to_unit, asset.lent_to_party = None, party[:100]
    before = asset.status
    asset.status = AssetStatus.LENT
    asset.lent_until = until
    asset.save()
    _move(
        asset,
        MovementKind.LEND,
        actor,
        from_unit=asset.org_unit,
        to_unit=asset.lent_to_unit,
        party=asset.lent_to_party,
        from_status=before,
        to_status=asset.status,
        amount=income,
        ticket=ticket,
        note=note or f"至{until:%Y-%m-%d}",
    )
    return asset


@transaction.atomic
def return_lent(
    asset: Asset,
    *,
    actor: User,
    income: Decimal | None = None,
    to_status: str = AssetStatus.IN_USE,
    note: str = "",
    ticket=None,
) -> Asset:
    """出租出借收回: the loan ends; any further income is recorded on the movement."""
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if asset.status != AssetStatus.LENT:
        raise ValidationError({"status": "资产未出租出借，无需收回。"})
    if to_status not in rules.MOVABLE:
        raise ValidationError({"to_status": "收回后的状态只能是在用、闲置或在公物仓。"})
    if income is not None and Decimal(income) < 0:
        raise ValidationError({"income": "收入不能为负数。"})
    party, unit = asset.lent_to_party, asset.lent_to_unit
    asset.status = to_status
    asset.lent_to_unit, asset.lent_to_party, asset.lent_until = None, "", None
    asset.save()
    _move(
        asset,
        MovementKind.RETURN_LENT,
        actor,
        from_unit=unit,
        to_unit=asset.org_unit,
        party=party,
        from_status=AssetStatus.LENT,
        to_status=to_status,
        amount=income,
        ticket=ticket,
        note=note,
    )
    return asset


# --- 维修 (repair) --------------------------------------------------------------------------------


@transaction.atomic
def start_repair(asset: Asset, *, actor: User, note: str = "", ticket=None) -> Asset:
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if asset.status in (AssetStatus.DISPOSED, AssetStatus.LENT):
        raise ValidationError({"status": f"资产当前状态为“{_status_label(asset.status)}”，不能送修。"})
    if asset.under_repair:
        raise ValidationError({"status": "资产已在维修中。"})
    asset.under_repair = True
    asset.save()
    _move(
        asset,
        MovementKind.REPAIR_START,
        actor,
        from_status=asset.status,
        to_status=asset.status,
        note=note,
        ticket=ticket,
    )
    return asset


@transaction.atomic
def end_repair(asset: Asset, *, actor: User, cost: Decimal | None = None, note: str = "") -> Asset:
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if not asset.under_repair:
        raise ValidationError({"status": "资产不在维修中。"})
    if cost is not None and Decimal(cost) < 0:
        raise ValidationError({"cost": "维修费用不能为负数。"})
    asset.under_repair = False
    asset.save()
    _move(
        asset, MovementKind.REPAIR_END, actor, from_status=asset.status, to_status=asset.status, amount=cost, note=note
    )
    return asset


# --- 处置 (disposal) ------------------------------------------------------------------------------


def check_disposable(asset: Asset) -> None:
    """A lent asset must be taken back first; a disposed one is gone; one under repair waits."""
    if asset.status == AssetStatus.LENT:
        raise ValidationError({"asset": "资产已出租出借，须先收回才能处置。"})
    if asset.status == AssetStatus.DISPOSED:
        raise ValidationError({"asset": "资产已处置。"})
    if asset.status not in rules.DISPOSABLE:
        raise ValidationError({"asset": f"资产当前状态为“{_status_label(asset.status)}”，不能处置。"})
    if asset.under_repair:
        raise ValidationError({"asset": "资产维修中，不能处置。"})


def disposal_needs_bureau(original_value: Decimal) -> bool:
    return Decimal(original_value) >= rules.DISPOSAL_BUREAU_APPROVAL_FROM


@transaction.atomic
def dispose(
    asset: Asset,
    *,
    way: str,
    actor: User,
    ticket=None,
    on: date | None = None,
    income: Decimal | None = None,
    note: str = "",
) -> Asset:
    """处置 (无偿划转/对外捐赠/转让/置换/报废/损失核销). No disposal without approval
    (《行政事业性国有资产管理条例》): either an approved 资产处置 ticket, or the actor holds the
    approving role — the unit's asset administrator below rules.DISPOSAL_BUREAU_APPROVAL_FROM of
    original value, the bureau administrator at or above it. Depreciation stops (rules.DepreciationStart).
    """
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if way not in rules.DisposalWay.values:
        raise ValidationError({"way": "请选择处置方式（无偿划转、对外捐赠、转让、置换、报废、损失核销）。"})
    check_disposable(asset)
    if ticket is not None and not _ticket_approved(ticket):
        raise ValidationError({"ticket": "关联的处置申请尚未批准。"})
    if (
        ticket is None
        and disposal_needs_bureau(asset.original_value)
        and not scoping.covers(actor, asset.org_unit, roles=BUREAU)
    ):
        raise ValidationError(
            {
                "way": f"原值{asset.original_value}元达到{rules.DISPOSAL_BUREAU_APPROVAL_FROM}元，"
                "须经机关事务管理局审批：请通过“资产处置”申请办理。"
            }
        )
    on = on or timezone.localdate()
    if on < asset.booked_on:
        raise ValidationError({"on": "处置日期不能早于入账日期。"})
    before = asset.status
    asset.status = AssetStatus.DISPOSED
    asset.disposed_on = on
    asset.disposal_way = way
    asset.depreciation_end = depreciation_end_month(on)
    if asset.next_depreciation_month and asset.next_depreciation_month >= asset.depreciation_end:
        asset.next_depreciation_month = None
    asset.save()
    _move(
        asset,
        MovementKind.DISPOSE,
        actor,
        from_unit=asset.org_unit,
        from_person=asset.custodian,
        from_room=asset.location,
        from_status=before,
        to_status=AssetStatus.DISPOSED,
        amount=income,
        ticket=ticket,
        note=note or rules.DisposalWay(way).label,
    )
    return asset


# --- 变更存放地点/保管人, 状态 ---------------------------------------------------------------------


@transaction.atomic
def relocate(asset: Asset, *, room=None, custodian: User | None = None, actor: User, reason: str) -> Asset:
    """Move a card to another room of its unit and/or hand it to another custodian of its unit."""
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if room is None and custodian is None:
        raise ValidationError({"room": "请选择新的存放地点或保管人。"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写变更理由。"})
    if asset.status in (AssetStatus.DISPOSED, AssetStatus.LENT):
        raise ValidationError({"status": f"资产当前状态为“{_status_label(asset.status)}”，不能变更存放地点。"})
    if room is not None and (not room.is_active or not _same_institution(asset.org_unit, room.org_unit)):
        raise ValidationError({"room": "存放地点必须是所属单位在用的房间。"})
    if custodian is not None and (
        not custodian.is_active
        or custodian.org_unit_id is None
        or not _same_institution(asset.org_unit, custodian.org_unit)
    ):
        raise ValidationError({"custodian": "保管人必须是所属单位的在职人员。"})
    before = (asset.location, asset.custodian)
    if room is not None:
        asset.location = room
    if custodian is not None:
        asset.custodian = custodian
    if before == (asset.location, asset.custodian):
        raise ValidationError({"room": "存放地点和保管人均未变化。"})
    asset.save()
    _move(
        asset,
        MovementKind.RELOCATE,
        actor,
        from_room=before[0],
        to_room=asset.location,
        from_person=before[1],
        to_person=asset.custodian,
        from_status=asset.status,
        to_status=asset.status,
        note=reason,
    )
    return asset


@transaction.atomic
def set_status(asset: Asset, status: str, *, actor: User, reason: str, ticket=None) -> Asset:
    """闲置 / 在用 / 在公物仓 / 待处置. A loan ends through return_lent, a disposal through dispose."""
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if status not in rules.SETTABLE_STATUSES:
        raise ValidationError({"status": "只能设为在用、闲置、在公物仓或待处置；出租出借、处置请走相应手续。"})
    if asset.status in (AssetStatus.DISPOSED, AssetStatus.LENT):
        raise ValidationError({"status": f"资产当前状态为“{_status_label(asset.status)}”，不能直接变更状态。"})
    if asset.status == status:
        raise ValidationError({"status": f"资产已是“{_status_label(status)}”状态。"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写变更理由。"})
    before = asset.status
    asset.status = status
    asset.save()
    _move(asset, MovementKind.STATUS, actor, from_status=before, to_status=status, note=reason, ticket=ticket)
    return asset


# --- Configuration standards ---------------------------------------------------------------------


def standard_for(category: Category, on: date | None = None) -> ConfigStandard | None:
    """The standard row in force for ``category`` or its nearest ancestor that has one."""
    on = on or timezone.localdate()
    version = ConfigStandardVersion.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    if version is None:
        return None
    codes = [category.code[:end] for end in range(3, len(category.code) + 1, 2)]
    rows = {
        r.category.code: r for r in version.rows.select_related("category", "version").filter(category__code__in=codes)
    }
    for code in reversed(codes):
        if code in rows:
            return rows[code]
    return None


def headcount(unit: OrgUnit) -> int:
    """编制内实有人数 of the unit's institution (active people in its subtree), from datahub."""
    from datahub.selectors import attach_headcounts

    home = institution_of(unit)
    attach_headcounts([home])
    return home.headcount


def check_purchase(detail) -> None:
    """A purchase must keep to the configuration standard in force (财资〔2016〕27号): unit price
    within the cap; the unit's cards of the category plus the new ones within the quantity cap
    (a fraction of the headcount); replacing a card before its minimum life needs an explicit
    早更新 request (an extra approval step by the bureau).
    """
    errors: dict[str, str] = {}
    row = standard_for(detail.category)
    if row is not None:
        rule = f"《{row.version.title}》{row.label}"
        if detail.unit_price > row.price_cap:
            errors["unit_price"] = f"单价{detail.unit_price}元超过{rule}单价上限{row.price_cap}元。"
        ratio = row.quantity_ratio
        if ratio is not None:
            if detail.classified and detail.category.code == "A02010105":
                ratio = max(ratio, rules.CLASSIFIED_DESKTOP_RATIO)
            home = institution_of(detail.ticket.org_unit)
            people = headcount(home)
            cap = int((ratio * people).to_integral_value(rounding="ROUND_FLOOR"))
            held = (
                Asset.objects.filter(org_unit__path__startswith=home.path, category__code__startswith=row.category.code)
                .exclude(status=AssetStatus.DISPOSED)
                .aggregate(n=Sum("quantity"))["n"]
                or 0
            )
            replaced = detail.replaces.quantity if detail.replaces_id else 0
            if held - replaced + detail.quantity > cap:
                errors["quantity"] = (
                    f"数量超过{rule}数量上限：实有人数{people}人×{int(ratio * 100)}%={cap}，"
                    f"现有{held}，申请后将达{held - replaced + detail.quantity}。"
                )
        if detail.replaces_id:
            age = _months_between(detail.replaces.acquired_on, timezone.localdate())
            life = max(row.min_life_months, detail.replaces.category.min_life_months)
            if age < life and not detail.early_renewal:
                errors["early_renewal"] = (
                    f"被替换资产已使用{age}个月，未满{rule}最低使用年限{life}个月："
                    "须勾选“申请提前更新”并说明理由，经机关事务管理局审批。"
                )
    if detail.replaces_id and detail.ticket_id:
        home = institution_of(detail.ticket.org_unit)
        if not detail.replaces.org_unit.path.startswith(home.path):
            errors["replaces"] = "被替换资产不属于本单位。"
    if errors:
        raise ValidationError(errors)


def _months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day and end.day != calendar.monthrange(end.year, end.month)[1]:
        months -= 1
    return max(months, 0)


def needs_early_renewal_approval(detail) -> bool:
    return bool(detail.early_renewal)


# --- Portal outcomes -----------------------------------------------------------------------------


def record_issue(ticket, detail, actor, outcome: dict) -> AssetIssueRecord:
    """Handing over the items writes the requisition ledger; no more than was asked for may be issued.
    Asset numbers given are issued to the requester through ``issue`` (each one a movement).
    """
    if outcome["quantity"] > detail.quantity:
        raise ValidationError({"quantity": f"发放数量不能超过申请数量（{detail.quantity}）。"})
    codes = [c.strip() for c in (outcome.get("asset_codes") or "").replace("，", ",").split(",") if c.strip()]
    cards = {a.asset_number: a for a in Asset.objects.filter(asset_number__in=codes)}
    if codes and cards:
        missing = [c for c in codes if c not in cards]
        if missing:
            raise ValidationError({"asset_codes": f"资产编号不存在：{'、'.join(missing)}。"})
        if len(codes) > outcome["quantity"]:
            raise ValidationError({"asset_codes": "资产编号个数超过发放数量。"})
    record = AssetIssueRecord(
        ticket=ticket,
        org_unit=ticket.org_unit,
        recipient=ticket.requester,
        item_name=detail.item_name,
        category=detail.category,
        quantity=outcome["quantity"],
        asset_codes=outcome.get("asset_codes", ""),
        issued_by=actor,
    )
    record.full_clean()
    record.save()
    for code in codes:
        if code in cards:
            issue(cards[code], to_person=ticket.requester, actor=actor, ticket=ticket, note="资产领用申请")
    return record


def record_disposal(ticket, detail, actor, outcome: dict) -> Asset:
    """The approved 资产处置 ticket is carried out: the card is disposed (same transaction)."""
    return dispose(
        detail.asset,
        way=detail.way,
        actor=actor,
        ticket=ticket,
        on=outcome.get("disposed_on"),
        income=outcome.get("income"),
        note=outcome.get("note", ""),
    )


def record_purchase(ticket, detail, actor, outcome: dict) -> list[Asset]:
    """The purchased items arrive: book one card per item (入账), in the requester's unit."""
    count = outcome.get("booked_quantity") or detail.quantity
    if count > detail.quantity:
        raise ValidationError({"booked_quantity": f"入账数量不能超过申请数量（{detail.quantity}）。"})
    price = outcome.get("unit_price") or detail.unit_price
    cards = [
        register_card(
            actor=actor,
            org_unit=institution_of(ticket.org_unit),
            user_department=ticket.org_unit if ticket.org_unit.level == OrgUnit.Level.DEPARTMENT else None,
            category=detail.category,
            name=detail.item_name,
            spec=outcome.get("spec", ""),
            original_value=price,
            acquired_on=outcome.get("acquired_on") or timezone.localdate(),
            ticket=ticket,
        )
        for _ in range(count)
    ]
    if detail.replaces_id:
        replaced = Asset.objects.get(pk=detail.replaces_id)
        if replaced.status != AssetStatus.PENDING_DISPOSAL and replaced.status in rules.SETTABLE_STATUSES:
            set_status(
                replaced, AssetStatus.PENDING_DISPOSAL, actor=actor, reason="已配置更新资产，待处置", ticket=ticket
            )
    return cards


# --- Depreciation --------------------------------------------------------------------------------


def monthly_amount(original_value: Decimal, life_months: int, months_done: int, accumulated: Decimal) -> Decimal:
    """The month's straight-line amount (zero residual): original ÷ life rounded to the cent, the
    last month takes the remainder so the months sum to the original value; never beyond it.
    (The same rule the SQL in post_depreciation applies to every card at once.)
    """
    remaining = original_value - accumulated
    base = (original_value / life_months).quantize(CENT, rounding=ROUND_HALF_UP)
    if months_done + 1 >= life_months or base >= remaining:
        return remaining
    return base


_INSERT_SQL = """
INSERT INTO assets_depreciationentry (asset_id, month, amount, accumulated)
SELECT id, %(month)s, {amount}, accumulated_depreciation + {amount}
FROM assets_asset
WHERE next_depreciation_month = %(month)s
  AND depreciates
  AND depreciated_months < useful_life_months
  AND accumulated_depreciation < original_value
  AND (depreciation_end IS NULL OR depreciation_end > %(month)s)
"""
_AMOUNT_SQL = (
    "(CASE WHEN depreciated_months + 1 >= useful_life_months"
    " OR ROUND(original_value * 1.0 / useful_life_months, 2) >= original_value - accumulated_depreciation"
    " THEN original_value - accumulated_depreciation"
    " ELSE ROUND(original_value * 1.0 / useful_life_months, 2) END)"
)
_UPDATE_SQL = """
UPDATE assets_asset
SET accumulated_depreciation = e.accumulated,
    depreciated_months = depreciated_months + 1,
    next_depreciation_month = CASE WHEN depreciated_months + 1 >= useful_life_months
        OR e.accumulated >= original_value THEN NULL ELSE %(next)s END
FROM assets_depreciationentry e
WHERE e.asset_id = assets_asset.id AND e.month = %(month)s AND assets_asset.next_depreciation_month = %(month)s
"""
# Cards due this month that were not posted (fully depreciated, disposed) stop waiting.
_RETIRE_SQL = "UPDATE assets_asset SET next_depreciation_month = NULL WHERE next_depreciation_month = %(month)s"


# PostgreSQL: one statement — the inserted entries feed the cards' update directly (no second
# lookup of the entries through their index).
_POST_SQL_PG = """
WITH posted AS ({insert} RETURNING asset_id, accumulated)
UPDATE assets_asset
SET accumulated_depreciation = posted.accumulated,
    depreciated_months = depreciated_months + 1,
    next_depreciation_month = CASE WHEN depreciated_months + 1 >= useful_life_months
        OR posted.accumulated >= original_value THEN NULL ELSE %(next)s END
FROM posted
WHERE posted.asset_id = assets_asset.id
"""


def _post_month(month: date) -> int:
    params = {"month": month, "next": add_months(month, 1)}
    insert = _INSERT_SQL.format(amount=_AMOUNT_SQL)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POST_SQL_PG.format(insert=insert.strip()), params)
            cards = cursor.rowcount
        else:
            cursor.execute(insert, params)
            cards = cursor.rowcount
            if cards:
                cursor.execute(_UPDATE_SQL, params)
        cursor.execute(_RETIRE_SQL, params)
    return cards


@transaction.atomic
def post_depreciation_by_hand(*, actor: User, month: date | None = None) -> list[DepreciationRun]:
    """手工计提: a bureau administrator posts the closed months now — the same run as the monthly task.

    The run is platform-wide, so it may be started by hand only by a bureau administrator whose subtree
    holds every card it would post: otherwise one unit's administrator would write another unit's books
    (the monthly task, or an administrator above both, posts those)."""
    if not actor.is_superuser:
        paths = scoping.granted_paths(actor, (Role.BUREAU_ADMIN,))
        if not paths:
            raise PermissionDenied("只有机关事务管理局管理员可以手工计提折旧。")
        target = first_of_month(month) if month else last_closed_month()
        due = Asset.objects.filter(next_depreciation_month__lte=target)
        if due.exclude(scoping.subtree_q(paths, "org_unit")).exists():
            raise PermissionDenied(
                "本次计提涉及您管理范围以外单位的资产，请等待每月自动计提，或由上级机关事务管理局管理员手工计提。"
            )
    return post_depreciation(month)


def last_closed_month(today: date | None = None) -> date:
    """The month the beat task posts: the one that has just ended."""
    today = today or timezone.localdate()
    return add_months(first_of_month(today), -1)


@transaction.atomic
def post_depreciation(month: date | None = None) -> list[DepreciationRun]:
    """Post every month up to ``month`` (default: the last closed month) that some card still owes:
    a missed month is caught up, a posted one is never posted twice ((asset, month) is unique and
    a card is due only in its ``next_depreciation_month``). Returns the runs written.
    """
    target = first_of_month(month) if month else last_closed_month()
    # One run at a time (a second worker waits here, then finds nothing left to post).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x61737365])
    earliest = (
        Asset.objects.filter(next_depreciation_month__lte=target)
        .order_by("next_depreciation_month")
        .values_list("next_depreciation_month", flat=True)
        .first()
    )
    runs: list[DepreciationRun] = []
    current = earliest
    while current is not None and current <= target:
        posted = _post_month(current)
        run, created = DepreciationRun.objects.get_or_create(month=current)
        if posted or created:
            totals = DepreciationEntry.objects.filter(month=current).aggregate(n=Count("pk"), s=Sum("amount"))
            run.cards, run.total = totals["n"], (totals["s"] or Decimal("0")).quantize(CENT)
            run.save()
        runs.append(run)
        current = add_months(current, 1)
    if not runs:
        run, _ = DepreciationRun.objects.get_or_create(month=target)
        runs.append(run)
    return runs


__all__ = [
    "check_disposable",
    "check_purchase",
    "dispose",
    "end_repair",
    "issue",
    "lend",
    "post_depreciation",
    "register_card",
    "relocate",
    "return_asset",
    "return_lent",
    "set_status",
    "start_repair",
    "transfer",
]
