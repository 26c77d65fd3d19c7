"""入账 (booking): build a card against the rules, draw its number, book it with its first movement."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from datahub.keyed import Keyed, choice
from datahub.models import OrgUnit, User

from .. import rules
from ..models import Asset, AssetNumberSequence, Category, MovementKind
from ..rules import CENT, AssetStatus, add_months, first_depreciation_month
from ..selectors import (
    capitalisation_threshold,
    institution_of,
    same_institution,
)
from ._common import _move, _require_editor


def next_asset_numbers(*, count: int = 1, year: int | None = None) -> list[str]:
    """Draw ``count`` fresh numbers ZC<year><8 digits>; the sequence row is locked meanwhile."""
    year = year or timezone.localdate().year
    prefix = f"{rules.ASSET_NUMBER_PREFIX}{year}"
    with transaction.atomic():
        seq, _ = AssetNumberSequence.objects.select_for_update().get_or_create(prefix=prefix)
        start = seq.last + 1
        seq.last += count
        seq.save(update_fields=["last"])
    return [f"{prefix}{n:08d}" for n in range(start, start + count)]


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
            errors["original_value"] = _(
                "单价%(unit_value)s元低于资本化起点%(limit)s元，属于低值易耗品，不建资产卡片。"
            ) % {"unit_value": unit_value, "limit": limit}
    if useful_life_months is None:
        useful_life_months = category.min_life_months if category.depreciates else 0
    if category.depreciates and useful_life_months < category.min_life_months:
        errors["useful_life_months"] = _(
            "折旧年限不能低于分类“%(name)s”的最低年限%(min_life_months)s个月（财会〔2017〕4号）。"
        ) % {"name": category.name, "min_life_months": category.min_life_months}
    if acquired_on and booked_on and acquired_on > booked_on:
        errors["acquired_on"] = _("取得日期不能晚于入账日期。")
    if user_department is not None and not user_department.path.startswith(institution_of(org_unit).path):
        errors["user_department"] = _("使用部门必须是所属单位的内设机构。")
    if custodian is not None and (
        not custodian.is_active or custodian.org_unit_id is None or not same_institution(org_unit, custodian.org_unit)
    ):
        errors["custodian"] = _("保管人必须是所属单位的在职人员。")
    if location is not None and (not location.is_active or not same_institution(org_unit, location.org_unit)):
        errors["location"] = _("存放地点必须是所属单位在用的房间。")
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
        card.next_depreciation_month = add_months(
            first_depreciation_month(acquired_on=acquired_on, booked_on=booked_on), depreciated_months
        )
    if validate:
        card.full_clean(exclude=["asset_number"] if not asset_number else None)
    return card


@transaction.atomic
def register_card(*, actor: User, org_unit: OrgUnit, ticket=None, **fields) -> Asset:
    """入账: book an accepted item as a card (验收 → 入账). Below the capitalisation threshold
    (1,000元; 1,500元 for special equipment, 政府会计准则第3号) it is a 低值易耗品 and refused.
    Depreciation starts in the acquisition month (rules.DEPRECIATION_TIMING).
    """
    _require_editor(actor, org_unit)
    card = prepare_card(org_unit=org_unit, **fields)
    return book_card(
        card=card,
        actor=actor,
        ticket=ticket,
        note=Keyed(gettext_noop("%(way)s入账"), {"way": choice(card, "acquisition_way")}),
    )


@transaction.atomic
def book_card(*, card: Asset, actor: User, ticket=None, note="") -> Asset:
    """Save a card built by ``prepare_card`` (the caller checked the actor): a given number must be
    free, else one is drawn; the first movement (入账) is written with it."""
    if card.asset_number:
        if Asset.objects.filter(asset_number=card.asset_number).exists():
            raise ValidationError(
                {"asset_number": _("资产编号%(asset_number)s已存在。") % {"asset_number": card.asset_number}}
            )
    else:
        card.asset_number = next_asset_numbers(count=1, year=card.booked_on.year)[0]
    card.save()
    _move(
        card,
        MovementKind.BOOK,
        actor,
        to_unit=card.org_unit,
        to_person=card.custodian,
        to_room=card.location,
        to_status=card.status,
        amount=card.original_value,
        ticket=ticket,
        note=note,
    )
    return card
