"""Every write of 清查盘点. One transaction each; a refused action raises ValidationError
(field → Chinese message) or PermissionDenied and writes nothing.

Only the asset administrators (and bureau administrators) over the stocktake's unit may open,
count in or close it. Closing writes every adjustment to the cards through ``assets.services``
in the one transaction that locks the stocktake: all adjustments or none.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from assets import selectors as asset_selectors
from assets import services as asset_services
from datahub import scoping
from datahub.keyed import Keyed
from datahub.models import User
from officespace.selectors import rooms_by_id

from . import countsheet, rules, selectors
from .models import BookLine, Count, CountSource, Outcome, ScopeKind, Stocktake, StocktakeStatus
from .selectors import STOCKTAKE_EDITORS

# What a line's note says after the cards were adjusted to what was found (a message, translated when read).
ADJUSTED = {
    ("room",): gettext_noop("已按实物调整存放地点"),
    ("custodian",): gettext_noop("已按实物调整使用人"),
    ("custodian", "room"): gettext_noop("已按实物调整存放地点、使用人"),
}


def _require(actor, unit) -> None:
    if not scoping.covers(actor, unit, roles=STOCKTAKE_EDITORS):
        name = unit.name if unit is not None else _("该单位")
        raise PermissionDenied(_("您没有组织“%(name)s”资产清查盘点的权限（须为该单位的资产管理员）。") % {"name": name})


@transaction.atomic
def open_stocktake(
    *, actor, title, org_unit, scope_kind=ScopeKind.UNIT, building=None, room=None, note=""
) -> Stocktake:
    """Open a stocktake and snapshot its book: the cards of ``org_unit`` (and below) that should be on
    the shelf (not disposed, not lent out), narrowed to a building or room for a location count."""
    _require(actor, org_unit)
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("请填写盘点名称。")
    if scope_kind not in ScopeKind.values:
        errors["scope_kind"] = _("请选择盘点范围。")
    elif scope_kind == ScopeKind.BUILDING and building is None:
        errors["building"] = _("按楼宇盘点须选择楼宇。")
    elif scope_kind == ScopeKind.ROOM and room is None:
        errors["room"] = _("按房间盘点须选择房间。")
    if errors:
        raise ValidationError(errors)
    stocktake = Stocktake.objects.create(
        title=title.strip(),
        org_unit=org_unit,
        scope_kind=scope_kind,
        building=building if scope_kind == ScopeKind.BUILDING else None,
        room=room if scope_kind == ScopeKind.ROOM else None,
        note=note or "",
        opened_by=actor,
    )
    book = asset_selectors.book_rows(
        org_unit,
        exclude_statuses=rules.NOT_ON_SHELF_STATUSES,
        building=stocktake.building,
        room=stocktake.room,
    )
    BookLine.objects.bulk_create(
        (
            BookLine(
                stocktake=stocktake,
                asset_id=pk,
                asset_number=number,
                name=name,
                book_unit_id=unit_id,
                book_room_id=room_id,
                book_custodian_id=custodian_id,
            )
            for pk, number, name, unit_id, room_id, custodian_id in book
        ),
        batch_size=2000,
    )
    return stocktake


def _locked_open(stocktake: Stocktake, actor) -> Stocktake:
    stocktake = Stocktake.objects.select_for_update(of=("self",)).select_related("org_unit").get(pk=stocktake.pk)
    _require(actor, stocktake.org_unit)
    if stocktake.status != StocktakeStatus.OPEN:
        raise ValidationError(_("该盘点已结束并调账，不能再修改。"))
    return stocktake


def _classify(stocktake, code, *, surplus: bool):
    """(line, asset id, refusal) for a normalised code: a line of this book, a card of another book,
    or nothing (盘盈 when flagged, otherwise refused). Asset numbers are issued upper-case, so the
    normalised code is looked up exactly (an index lookup, not a scan)."""
    line = BookLine.objects.filter(stocktake=stocktake, asset_number=code).first()
    if line is not None:
        return line, line.asset_id, None
    asset_id = asset_selectors.card_id_by_number(code)
    if asset_id is not None:
        # On another book (another unit or location): reported to whoever owns it, not adjusted here.
        return None, asset_id, None
    if not surplus:
        return (
            None,
            None,
            _("资产编号“%(code)s”不在账上。如确为账外实物（盘盈），请勾选“盘盈登记”后再提交。") % {"code": code},
        )
    return None, None, None


@transaction.atomic
def record_count(
    *,
    actor,
    stocktake: Stocktake,
    code,
    observed_room=None,
    observed_custodian=None,
    surplus: bool = False,
    surplus_name: str = "",
    note: str = "",
) -> Count:
    """One item seen: a scanned label (the scanner types the number and Enter) or a typed number.
    A code twice, an unknown code not flagged as 盘盈, or a closed stocktake is refused."""
    stocktake = _locked_open(stocktake, actor)
    code = rules.normalise_code(code)
    if not code:
        raise ValidationError({"code": _("请扫描资产标签或输入资产编号。")})
    if len(code) > 100:
        raise ValidationError({"code": _("资产编号过长（最多100个字符），请检查扫码内容。")})
    if Count.objects.filter(stocktake=stocktake, code=code).exists():
        raise ValidationError({"code": _("资产“%(code)s”已盘点过，无需重复扫描。") % {"code": code}})
    line, asset_id, refusal = _classify(stocktake, code, surplus=surplus)
    if refusal:
        raise ValidationError({"code": refusal})
    if observed_room is None and stocktake.scope_kind == ScopeKind.ROOM:
        observed_room = stocktake.room
    count = Count(
        stocktake=stocktake,
        code=code,
        line=line,
        asset_id=asset_id,
        observed_room=observed_room,
        observed_custodian=observed_custodian,
        note=note or "",
        surplus_name=(surplus_name or "").strip() if line is None and asset_id is None else "",
        counted_by=actor,
        source=CountSource.SCAN,
    )
    count.full_clean(exclude=["stocktake", "line", "asset", "observed_room", "observed_custodian", "counted_by"])
    try:
        with transaction.atomic():
            count.save()
    except IntegrityError:
        raise ValidationError({"code": _("资产“%(code)s”已盘点过，无需重复扫描。") % {"code": code}}) from None
    return count


@transaction.atomic
def remove_count(*, actor, count: Count) -> None:
    """Undo a wrong scan while the stocktake is open."""
    _locked_open(count.stocktake, actor)
    Count.objects.filter(pk=count.pk).delete()


@transaction.atomic
def describe_surplus(*, actor, count: Count, name, category, value) -> Count:
    """The details of a 盘盈 item, needed to book it at closing."""
    _locked_open(count.stocktake, actor)
    count = Count.objects.select_for_update().get(pk=count.pk)
    errors = {}
    if not count.is_surplus:
        raise ValidationError(_("只有盘盈（账外）实物需要登记资产信息。"))
    if not (name or "").strip():
        errors["surplus_name"] = _("请填写盘盈资产名称。")
    if category is None:
        errors["surplus_category"] = _("请选择盘盈资产分类。")
    if value is None or value <= 0:
        errors["surplus_value"] = _("估值须大于0元。")
    if errors:
        raise ValidationError(errors)
    count.surplus_name = name.strip()
    count.surplus_category = category
    count.surplus_value = value
    count.save()
    return count


@transaction.atomic
def import_counts(*, actor, stocktake: Stocktake, rows: list[tuple[int, dict]]) -> int:
    """A count sheet (see imports.COLUMNS; the rows are checked by countsheet.parse_rows): every row checked first, every bad row reported with its
    row number and column, then all rows written or none."""
    stocktake = _locked_open(stocktake, actor)
    parsed, errors = countsheet.parse_rows(stocktake, rows, actor)
    if errors:
        raise ValidationError(errors)
    Count.objects.bulk_create(
        [Count(stocktake=stocktake, counted_by=actor, source=CountSource.IMPORT, **fields) for fields in parsed],
        batch_size=2000,
    )
    return len(parsed)


@transaction.atomic
def close_stocktake(*, actor, stocktake: Stocktake) -> dict:
    """Close the count and write the adjustments through the assets services, all in this transaction:

    - 地点/使用人不符 → ``relocate`` the card to where and with whom it was found;
    - 盘亏 → the card becomes 待处置 (``rules.MISSING_SETS_STATUS``): a loss write-off (损失核销) is a
      disposal and needs approval (R26), which the assets app's disposal request gives;
    - 盘盈 → ``register_card`` books the found item (入账) with the details entered;
    - 他处在册 → reported only (the owning unit's own stocktake corrects it).

    The stocktake is then locked. Returns the number of adjustments by outcome.
    """
    stocktake = _locked_open(stocktake, actor)
    result = selectors.reconcile(stocktake)
    incomplete = [c.code for c in result.surplus if not (c.surplus_name and c.surplus_category_id and c.surplus_value)]
    if incomplete:
        raise ValidationError(
            {
                "surplus": _("以下盘盈实物尚未登记名称、分类和估值，不能结束盘点：%(names)s")
                % {"names": _("、").join(incomplete[:20])}
            }
        )
    # The cards' movement notes are messages (read in the reader's language); the line's note is one of a
    # closed set of messages, translated when the results are read (selectors.Reconciliation.rows).
    which = {"title": stocktake.title, "pk": stocktake.pk}
    tally = dict.fromkeys(Outcome.values, 0)
    adjusted = [line for line in result.lines if line.outcome != Outcome.MATCHED]
    assets = asset_services.cards_lock(ids=[line.asset_id for line in adjusted])
    # The observed rooms and people, loaded whole once (the reconciliation holds only their ids).
    seen = [line.seen for line in adjusted if line.seen is not None]
    rooms = rooms_by_id({c.observed_room_id for c in seen})
    people = User.objects.select_related("org_unit").in_bulk({c.observed_custodian_id for c in seen} - {None})
    groups: dict[tuple[str, str], list[int]] = {}
    for line in result.lines:
        outcome = line.outcome
        note = ""
        if outcome in (Outcome.LOCATION, Outcome.CUSTODIAN, Outcome.BOTH):
            changes = {}
            if outcome in (Outcome.LOCATION, Outcome.BOTH):
                changes["room"] = rooms[line.seen.observed_room_id]
            if outcome in (Outcome.CUSTODIAN, Outcome.BOTH):
                changes["custodian"] = people[line.seen.observed_custodian_id]
            asset_services.relocate(
                asset=assets[line.asset_id],
                actor=actor,
                reason=Keyed(gettext_noop("清查盘点“%(title)s”（#%(pk)s）：存放地点/使用人按实物调整"), which),
                **changes,
            )
            note = ADJUSTED[tuple(sorted(changes))]
        elif outcome == Outcome.MISSING:
            asset = assets[line.asset_id]
            if asset.status != rules.MISSING_SETS_STATUS:
                asset_services.set_status(
                    asset=asset,
                    status=rules.MISSING_SETS_STATUS,
                    actor=actor,
                    reason=Keyed(gettext_noop("清查盘点“%(title)s”（#%(pk)s）：盘亏，待报损失核销审批"), which),
                )
            note = gettext_noop("盘亏，已转待处置（损失核销须另行报批）")
        tally[outcome] += 1
        groups.setdefault((outcome, note), []).append(line.pk)
    # Freeze the outcomes: one UPDATE per (outcome, note) and batch, not one per line.
    for (outcome, note), pks in groups.items():
        for start in range(0, len(pks), 5000):
            BookLine.objects.filter(pk__in=pks[start : start + 5000]).update(outcome=outcome, adjustment=note)
    for count in result.surplus:
        card = asset_services.register_card(
            **selectors.surplus_card_fields(stocktake, count, actor),
        )
        count.registered_asset = card
        count.save(update_fields=["registered_asset"])
        tally[Outcome.SURPLUS] += 1
    tally[Outcome.ELSEWHERE] = len(result.elsewhere)
    stocktake.status = StocktakeStatus.CLOSED
    stocktake.closed_by = actor
    stocktake.closed_at = timezone.now()
    stocktake.save()
    return tally
