"""The vehicle as an asset card (一数一源): its card is booked or linked when it is registered (through
assets' services), and it leaves the ledger only with its card, on an approved 资产处置 request
(assets.services.hooks calls the two hooks below, registered in VehiclesConfig.ready()).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets import services as assets
from datahub.models import User

from .. import rules, selectors
from ..models import Dispatch, Disposal, PurchaseCapVersion, Vehicle
from ..rules import VehicleStatus


def card_for(*, actor: User, vehicle: Vehicle, card: dict):
    """The vehicle's asset card (车辆, GB/T 14885): the existing card numbered ``asset_number``, not yet
    behind another vehicle, or a card booked from the purchase price and date (assets' service)."""
    number = (card.get("asset_number") or "").strip()
    asset = assets.vehicle_card_register(
        actor=actor,
        org_unit=vehicle.org_unit,
        name=f"{vehicle.brand} {vehicle.model_name}".strip() or "公务用车",
        spec=f"{vehicle.plate} VIN {vehicle.vin}",
        original_value=card.get("purchase_price"),
        acquired_on=card.get("purchase_date"),
        asset_number=number,
    )
    if number and Vehicle.objects.filter(asset=asset).exclude(pk=vehicle.pk).exists():
        raise ValidationError(
            {"asset_number": _("资产卡片%(asset_number)s已登记为另一辆车。") % {"asset_number": asset.asset_number}}
        )
    return asset


@transaction.atomic
def vehicle_card_link(*, actor: User, vehicle: Vehicle, asset_number: str) -> Vehicle:
    """A vehicle without a card (listed for the asset administrator) is linked to its card of class 车辆."""
    vehicle = Vehicle.objects.select_for_update().select_related("org_unit").get(pk=vehicle.pk)
    if vehicle.asset_id:
        raise ValidationError({"asset_number": _("车辆%(plate)s已有资产卡片。") % {"plate": vehicle.plate}})
    if not (asset_number or "").strip():
        raise ValidationError({"asset_number": _("请填写资产卡片编号。")})
    vehicle.asset = card_for(actor=actor, vehicle=vehicle, card={"asset_number": asset_number})
    vehicle.save(update_fields=["asset", "updated_at"])
    return vehicle


def vehicle_card_disposal_check(*, asset, way: str, early: bool) -> None:
    """Filing a 资产处置 request for a vehicle's card (assets' hook): 第二十二条 — a vehicle may be renewed
    (and so disposed of) after the renewal age in force (8 years); earlier only 因安全等原因 with a stricter approval, so the request
    must say it is early (the bureau then approves too). The way must be one of 第二十二条's."""
    vehicle = Vehicle.objects.filter(asset=asset).first()
    if vehicle is None:
        return
    today = timezone.localdate()
    version = selectors.rules_in_force(today)
    errors = rules.disposal_errors(
        way=way,
        purchase_date=asset.acquired_on,
        early=early,
        today=today,
        renewal_years=(version or PurchaseCapVersion()).renewal_years,  # no version yet: the field's default
    )
    if errors:
        raise ValidationError(errors)
    _refuse_if_busy(vehicle)


def _refuse_if_busy(vehicle: Vehicle) -> None:
    if vehicle.status == VehicleStatus.DISPOSED:
        raise ValidationError({"asset": _("车辆%(plate)s已处置。") % {"plate": vehicle.plate}})
    if Dispatch.objects.filter(
        vehicle=vehicle, status__in=[Dispatch.Status.SCHEDULED, Dispatch.Status.DEPARTED]
    ).exists():
        raise ValidationError({"asset": _("车辆%(plate)s还有未完成的派车单，请先处理。") % {"plate": vehicle.plate}})


@transaction.atomic
def vehicle_card_disposed(*, asset, actor: User, ticket, on, income, way: str) -> Disposal | None:
    """The vehicle leaves the ledger with its card (called by assets.services.dispose, same transaction):
    only on an approved 资产处置 request — a typed 批准文号 disposes of nothing — and only by a way of
    第二十二条 (拍卖/厂家回收/报废); the vehicle is then 已处置 and its disposal record names the request."""
    vehicle = Vehicle.objects.select_for_update().filter(asset=asset).first()
    if vehicle is None:
        return None
    if ticket is None:
        raise ValidationError(
            {"ticket": _("车辆%(plate)s的资产卡片只能通过已批准的“资产处置”申请处置。") % {"plate": vehicle.plate}}
        )
    method = rules.DISPOSAL_WAY_METHOD.get(way)
    if method is None:
        raise ValidationError({"way": rules.DISPOSAL_WAY_MESSAGE})
    _refuse_if_busy(vehicle)
    if on < vehicle.purchase_date:
        raise ValidationError({"on": _("处置日期不能早于购置日期。")})
    disposal = Disposal.objects.create(
        vehicle=vehicle,
        method=method,
        date=on,
        proceeds=income or 0,
        document=f"资产处置申请#{ticket.pk}",
        ticket=ticket,
        created_by=actor,
    )
    vehicle.status = VehicleStatus.DISPOSED
    vehicle.save(update_fields=["status", "updated_at"])
    return disposal
