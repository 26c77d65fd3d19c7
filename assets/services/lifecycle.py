"""The lifecycle moves of a card: 领用/归还, 调拨, 出租出借, 维修, 处置, 变更存放地点/保管人, 状态.

Each locks the card, checks the actor's role over its unit and the rule of the move, saves the
card and writes one Movement, all in one transaction.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from datahub import scoping
from datahub.keyed import Keyed, label
from datahub.models import OrgUnit, User

from .. import rules
from ..models import Asset, MovementKind
from ..rules import AssetStatus, check_disposable, depreciation_end_month, disposal_needs_bureau
from ..selectors import is_administrative, same_institution
from ._common import BUREAU, _locked, _move, _require_editor, _status_label, _ticket_approved
from .hooks import run_disposed

# --- 领用 / 归还 (issue to and return from a person) ----------------------------------------------


@transaction.atomic
def issue(*, asset: Asset, to_person: User, actor: User, room=None, ticket=None, note: str = "") -> Asset:
    """领用: hand a card in use or idle to a person of its unit; the person becomes its custodian."""
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if asset.status not in (AssetStatus.IN_USE, AssetStatus.IDLE):
        raise ValidationError(
            {"status": _("资产当前状态为“%(status)s”，不能领用。") % {"status": _status_label(asset.status)}}
        )
    if asset.under_repair:
        raise ValidationError({"status": _("资产维修中，不能领用。")})
    if asset.custodian_id and asset.custodian_id != to_person.pk:
        raise ValidationError({"to_person": _("资产已由%(name)s领用，须先归还。") % {"name": asset.custodian.name}})
    if (
        not to_person.is_active
        or to_person.org_unit_id is None
        or not same_institution(asset.org_unit, to_person.org_unit)
    ):
        raise ValidationError({"to_person": _("领用人必须是资产所属单位的在职人员。")})
    if room is not None and not same_institution(asset.org_unit, room.org_unit):
        raise ValidationError({"room": _("存放地点必须是所属单位的房间。")})
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
def return_asset(*, asset: Asset, actor: User, room=None, note: str = "") -> Asset:
    """归还: the custodian hands the card back; it is idle until issued again."""
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if asset.custodian_id is None:
        raise ValidationError({"custodian": _("资产未被领用，无需归还。")})
    if asset.status not in (AssetStatus.IN_USE, AssetStatus.IDLE):
        raise ValidationError(
            {"status": _("资产当前状态为“%(status)s”，不能归还。") % {"status": _status_label(asset.status)}}
        )
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
def transfer(*, asset: Asset, to_unit: OrgUnit, actor: User, reason: "str | Keyed", ticket=None) -> Asset:
    """调拨: the card moves to another unit's books (the source unit's administrator or the bureau
    moves it). Custodian, location and user department are the old unit's and are cleared; the
    card arrives in use (在用) at the new unit, its depreciation continues unchanged.
    """
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if not str(reason).strip():
        raise ValidationError({"reason": _("请填写调拨理由。")})
    if asset.status not in rules.MOVABLE:
        raise ValidationError(
            {"status": _("资产当前状态为“%(status)s”，不能调拨。") % {"status": _status_label(asset.status)}}
        )
    if asset.under_repair:
        raise ValidationError({"status": _("资产维修中，不能调拨。")})
    if to_unit.pk == asset.org_unit_id:
        raise ValidationError({"to_unit": _("调入单位与当前所属单位相同。")})
    if not to_unit.is_active:
        raise ValidationError({"to_unit": _("调入单位已停用。")})
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


@transaction.atomic
def lend(
    *,
    asset: Asset,
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
        raise ValidationError(
            {"status": _("资产当前状态为“%(status)s”，不能出租出借。") % {"status": _status_label(asset.status)}}
        )
    if asset.under_repair:
        raise ValidationError({"status": _("资产维修中，不能出租出借。")})
    if is_administrative(asset.org_unit) and not _ticket_approved(ticket):
        raise ValidationError({"ticket": _("行政单位（党政机关）的资产出租出借须经审批：请附已批准的申请。")})
    # The approval must be this loan's: filed within the lending unit or the borrowing unit (a 公物仓
    # loan), not any approved request that happens to exist.
    sides = [asset.org_unit.path] + ([to_unit_or_party.path] if isinstance(to_unit_or_party, OrgUnit) else [])
    if ticket is not None and not ticket.org_unit.path.startswith(tuple(sides)):
        raise ValidationError(
            {"ticket": _("申请#%(pk)s不是本单位或借用单位的申请，不能作为本次出租出借的审批依据。") % {"pk": ticket.pk}}
        )
    if until is None or until <= timezone.localdate():
        raise ValidationError({"until": _("出租出借到期日必须晚于今天。")})
    if income is not None and Decimal(income) < 0:
        raise ValidationError({"income": _("收入不能为负数。")})
    if isinstance(to_unit_or_party, OrgUnit):
        if to_unit_or_party.pk == asset.org_unit_id:
            raise ValidationError({"to_unit_or_party": _("不能出借给本单位。")})
        asset.lent_to_unit, asset.lent_to_party = to_unit_or_party, ""
    else:
        party = (to_unit_or_party or "").strip()
        if not party:
            raise ValidationError({"to_unit_or_party": _("请填写承租或借用方。")})
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
        note=note or Keyed(gettext_noop("至%(day)s"), {"day": f"{until:%Y-%m-%d}"}),
    )
    return asset


@transaction.atomic
def return_lent(
    *,
    asset: Asset,
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
        raise ValidationError({"status": _("资产未出租出借，无需收回。")})
    if to_status not in rules.MOVABLE:
        raise ValidationError({"to_status": _("收回后的状态只能是在用、闲置或在公物仓。")})
    if income is not None and Decimal(income) < 0:
        raise ValidationError({"income": _("收入不能为负数。")})
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
def start_repair(*, asset: Asset, actor: User, note: str = "", ticket=None) -> Asset:
    """送修: a card not disposed of nor lent out goes to repair; until it is back it cannot be issued,
    transferred, lent or disposed of."""
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if asset.status in (AssetStatus.DISPOSED, AssetStatus.LENT):
        raise ValidationError(
            {"status": _("资产当前状态为“%(status)s”，不能送修。") % {"status": _status_label(asset.status)}}
        )
    if asset.under_repair:
        raise ValidationError({"status": _("资产已在维修中。")})
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
def end_repair(*, asset: Asset, actor: User, cost: Decimal | None = None, note: str = "") -> Asset:
    """修复: a card under repair is back; the cost (not negative) is recorded on the movement."""
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if not asset.under_repair:
        raise ValidationError({"status": _("资产不在维修中。")})
    if cost is not None and Decimal(cost) < 0:
        raise ValidationError({"cost": _("维修费用不能为负数。")})
    asset.under_repair = False
    asset.save()
    _move(
        asset, MovementKind.REPAIR_END, actor, from_status=asset.status, to_status=asset.status, amount=cost, note=note
    )
    return asset


# --- 处置 (disposal) ------------------------------------------------------------------------------


@transaction.atomic
def dispose(
    *,
    asset: Asset,
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
    original value, the bureau administrator at or above it. Depreciation stops with the disposal month (rules.DEPRECIATION_TIMING).
    A card behind another ledger's row (a vehicle) leaves that ledger in the same transaction
    (``hooks``): the other ledger may refuse, e.g. a vehicle is disposed of only on an approved request.
    """
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if way not in rules.DisposalWay.values:
        raise ValidationError({"way": _("请选择处置方式（无偿划转、对外捐赠、转让、置换、报废、损失核销）。")})
    check_disposable(asset.status, asset.under_repair)
    if ticket is not None and not _ticket_approved(ticket):
        raise ValidationError({"ticket": _("关联的处置申请尚未批准。")})
    if (
        ticket is None
        and disposal_needs_bureau(asset.original_value)
        and not scoping.covers(actor, asset.org_unit, roles=BUREAU)
    ):
        raise ValidationError(
            {
                "way": _("原值%(original_value)s元达到%(limit)s元，须经机关事务管理局审批：请通过“资产处置”申请办理。")
                % {"original_value": asset.original_value, "limit": rules.DISPOSAL_BUREAU_APPROVAL_FROM}
            }
        )
    on = on or timezone.localdate()
    if on < asset.booked_on:
        raise ValidationError({"on": _("处置日期不能早于入账日期。")})
    run_disposed(asset=asset, actor=actor, ticket=ticket, on=on, income=income, way=way)
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
        note=note or label(rules.DisposalWay(way).label),
    )
    return asset


# --- 变更存放地点/保管人, 状态 ---------------------------------------------------------------------


@transaction.atomic
def relocate(*, asset: Asset, room=None, custodian: User | None = None, actor: User, reason: "str | Keyed") -> Asset:
    """Move a card to another room of its unit and/or hand it to another custodian of its unit."""
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if room is None and custodian is None:
        raise ValidationError({"room": _("请选择新的存放地点或保管人。")})
    if not str(reason or "").strip():
        raise ValidationError({"reason": _("请填写变更理由。")})
    if asset.status in (AssetStatus.DISPOSED, AssetStatus.LENT):
        raise ValidationError(
            {"status": _("资产当前状态为“%(status)s”，不能变更存放地点。") % {"status": _status_label(asset.status)}}
        )
    if room is not None and (not room.is_active or not same_institution(asset.org_unit, room.org_unit)):
        raise ValidationError({"room": _("存放地点必须是所属单位在用的房间。")})
    if custodian is not None and (
        not custodian.is_active
        or custodian.org_unit_id is None
        or not same_institution(asset.org_unit, custodian.org_unit)
    ):
        raise ValidationError({"custodian": _("保管人必须是所属单位的在职人员。")})
    before = (asset.location, asset.custodian)
    if room is not None:
        asset.location = room
    if custodian is not None:
        asset.custodian = custodian
    if before == (asset.location, asset.custodian):
        raise ValidationError({"room": _("存放地点和保管人均未变化。")})
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
def set_status(*, asset: Asset, status: str, actor: User, reason: "str | Keyed", ticket=None) -> Asset:
    """闲置 / 在用 / 在公物仓 / 待处置. A loan ends through return_lent, a disposal through dispose."""
    asset = _locked(asset)
    _require_editor(actor, asset.org_unit)
    if status not in rules.SETTABLE_STATUSES:
        raise ValidationError({"status": _("只能设为在用、闲置、在公物仓或待处置；出租出借、处置请走相应手续。")})
    if asset.status in (AssetStatus.DISPOSED, AssetStatus.LENT):
        raise ValidationError(
            {"status": _("资产当前状态为“%(status)s”，不能直接变更状态。") % {"status": _status_label(asset.status)}}
        )
    if asset.status == status:
        raise ValidationError({"status": _("资产已是“%(status)s”状态。") % {"status": _status_label(status)}})
    if not str(reason or "").strip():
        raise ValidationError({"reason": _("请填写变更理由。")})
    before = asset.status
    asset.status = status
    asset.save()
    _move(asset, MovementKind.STATUS, actor, from_status=before, to_status=status, note=reason, ticket=ticket)
    return asset
