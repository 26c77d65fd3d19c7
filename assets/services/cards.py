"""Cards behind other ledgers (一数一源): a vehicle of the fleet ledger and a building of the office-space
ledger are asset cards. Their facts are entered once: a vehicle's purchase price and date are its card's
original value and acquisition date (the fleet ledger shows them from the card); a building's area and
structure stay office space's (the card shows them from there) and its useful life follows the structure
(rules.BUILDING_LIFE_YEARS).
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from datahub import scoping
from datahub.keyed import Keyed, choice
from datahub.models import OrgUnit, User
from datahub.roles import Role

from .. import rules
from ..models import Asset
from ..rules import AssetStatus
from ..selectors import category_by_code, institution_of, same_institution, vehicle_card_to_link
from ._common import ASSET_EDITORS, _require_editor
from .booking import book_card, prepare_card

# The fleet's dispatcher registers a vehicle and with it the vehicle's card (the card is not typed twice).
VEHICLE_CARD_EDITORS = (Role.VEHICLE_DISPATCHER, *ASSET_EDITORS)


def _category(code: str):
    category = category_by_code(code)
    if category is None:
        raise ValidationError(
            {"category": _("资产分类%(code)s尚未载入（GB/T 14885），请先导入分类。") % {"code": code}}
        )
    return category


@transaction.atomic
def vehicle_card_register(
    *,
    actor: User,
    org_unit: OrgUnit,
    name: str,
    spec: str,
    original_value: Decimal | None = None,
    acquired_on: date | None = None,
    asset_number: str = "",
) -> Asset:
    """A vehicle entering the fleet ledger is a card of class 车辆 (A0203): with ``asset_number`` the
    existing card of the vehicle's institution is linked (class 车辆, not disposed: its value and date
    count); without it a card is booked from the purchase price and date given (typed once, here).
    The actor holds the dispatcher, asset administrator or bureau role over the vehicle's unit.
    """
    if not scoping.covers(actor, org_unit, roles=VEHICLE_CARD_EDITORS):
        raise PermissionDenied(_("您没有为“%(org_unit)s”登记车辆资产卡片的权限。") % {"org_unit": org_unit})
    if asset_number.strip():
        card = vehicle_card_to_link(asset_number)
        if card is None or not same_institution(org_unit, card.org_unit):
            raise ValidationError(
                {"asset_number": _("本单位没有编号为“%(number)s”的资产卡片。") % {"number": asset_number.strip()}}
            )
        if not rules.is_vehicle_category(card.category.code):
            raise ValidationError(
                {
                    "asset_number": _("资产卡片%(asset_number)s的分类是“%(name)s”，不是车辆（A0203）。")
                    % {"asset_number": card.asset_number, "name": card.category.name}
                }
            )
        if card.status == AssetStatus.DISPOSED:
            raise ValidationError(
                {"asset_number": _("资产卡片%(asset_number)s已处置。") % {"asset_number": card.asset_number}}
            )
        return card
    errors = {}
    if original_value is None:
        errors["purchase_price"] = _("请填写购置价格，或填写已有资产卡片的编号。")
    if acquired_on is None:
        errors["purchase_date"] = _("请填写购置日期，或填写已有资产卡片的编号。")
    if errors:
        raise ValidationError(errors)
    home = institution_of(org_unit)
    try:
        card = prepare_card(
            org_unit=home,
            user_department=org_unit if org_unit.pk != home.pk else None,
            category=_category(rules.VEHICLE_CATEGORY_CODE),
            name=name[:100],
            spec=spec[:200],
            original_value=original_value,
            acquired_on=acquired_on,
            unit_of_measure=rules.VEHICLE_UNIT_OF_MEASURE,
        )
    except ValidationError as exc:
        # The vehicle form names the fields purchase_price / purchase_date.
        names = {"original_value": "purchase_price", "acquired_on": "purchase_date"}
        raise ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()}) from None
    return book_card(card=card, actor=actor, note=Keyed(gettext_noop("公务用车登记入账")))


@transaction.atomic
def building_card_register(
    *,
    actor: User,
    building,
    original_value: Decimal,
    acquired_on: date,
    acquisition_way: str = rules.AcquisitionWay.PURCHASE,
    asset_number: str = "",
) -> Asset:
    """A building of the office-space ledger becomes a card (房屋) once: name, unit and class come from
    the building, its useful life from the structure (钢/钢混 ≥ 50 years, 砖混 ≥ 30, 简易 ≥ 8;
    财会〔2017〕4号); only what the building ledger does not hold — value, date, way — is entered.
    """
    home = institution_of(building.org_unit)
    _require_editor(actor, home)
    if Asset.objects.filter(building=building).exists():
        raise ValidationError({"building": _("楼宇“%(name)s”已有资产卡片，不能重复建卡。") % {"name": building.name}})
    category = _category(rules.building_category_code(building.structure))
    life = rules.building_life_months(building.structure)
    card = prepare_card(
        org_unit=home,
        category=category,
        name=building.name[:100],
        original_value=original_value,
        acquired_on=acquired_on,
        acquisition_way=acquisition_way,
        unit_of_measure=rules.BUILDING_UNIT_OF_MEASURE,
        useful_life_months=max(life or 0, category.min_life_months),
        asset_number=asset_number.strip(),
    )
    card.building = building
    return book_card(
        card=card,
        actor=actor,
        note=Keyed(
            gettext_noop("%(way)s入账（楼宇%(building)s）"),
            {"way": choice(card, "acquisition_way"), "building": building.code},
        ),
    )
