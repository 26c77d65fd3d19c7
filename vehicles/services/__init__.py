"""Every write of the vehicles app. One transaction each; the actor must hold the vehicle dispatcher
(or bureau administrator) role over the unit concerned; a broken rule raises ValidationError
(field → Chinese message) or PermissionDenied and writes nothing.

Double booking: ``dispatch_trip`` locks the vehicle and driver rows and checks for an overlapping live dispatch
(clear message); on PostgreSQL migration 0002's exclusion constraints hold it for any other write too.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop
from django.utils.translation import gettext_lazy as _

from datahub import scoping
from datahub.keyed import Keyed
from datahub.models import OrgUnit, User
from datahub.roles import Role
from datahub.selectors import nearest_holders
from energy import services as energy_services
from portal import selectors as portal_selectors
from portal import services as portal
from portal.models import Ticket
from portal.workflow import Status

from .. import rules, selectors
from ..models import (
    CostRecord,
    Dispatch,
    Driver,
    QuotaChange,
    TripRequest,
    Vehicle,
    VehiclePhoto,
    VehicleQuota,
)
from ..rules import VehicleStatus
from ._base import FLEET_EDITORS, _require, _unknown
from .cards import card_for, vehicle_card_disposal_check, vehicle_card_disposed, vehicle_card_link
from .drivers import DRIVER_FIELDS, driver_follows_directory, save_driver

# Re-exported: the card hooks (.cards) and the driver register (.drivers).
__all__ = [
    "DRIVER_FIELDS",
    "FLEET_EDITORS",
    "driver_follows_directory",
    "save_driver",
    "vehicle_card_disposal_check",
    "vehicle_card_disposed",
    "vehicle_card_link",
]

VEHICLE_FIELDS = (
    "org_unit",
    "plate",
    "vin",
    "category",
    "brand",
    "model_name",
    "energy_type",
    "body_type",
    "use_scope",
    "fixed_use",
    "displacement",
    "seats",
    "licence_needed",
    "odometer_km",
    "note",
)
# Typed once, when a vehicle is registered, and kept on its asset card (assets.services.vehicle_card_register):
# the purchase price and date — or the number of the card that already holds them.
CARD_FIELDS = ("purchase_price", "purchase_date", "asset_number")
RECORD_FIELDS = (
    "kind",
    "date",
    "amount",
    "fuel",
    "quantity",
    "odometer_km",
    "supplier",
    "items",
    "valid_until",
)


# --- Ledger ------------------------------------------------------------------------------------


@transaction.atomic
def add_photo(*, actor: User, vehicle: Vehicle, file, caption: str = "") -> VehiclePhoto:
    """A photo of a vehicle, by someone who manages it; the file must be given and pass the model's checks."""
    if not scoping.covers(actor, vehicle.org_unit, roles=FLEET_EDITORS):
        raise PermissionDenied(_("您没有管理该车辆的权限。"))
    photo = VehiclePhoto(vehicle=vehicle, file=file, caption=(caption or "")[:100])
    if file is None:
        raise ValidationError({"file": _("请选择照片。")})
    photo.full_clean()
    photo.save()
    return photo


def check_vehicle(*, vehicle: Vehicle, new_purchase: bool) -> None:
    """Plate, VIN, displacement, the purchase caps in force on the purchase date, and (for a vehicle
    entering the unit's ledger) the unit's quota for the category, with approved changes."""
    errors: dict[str, str] = {}
    vehicle.plate = (vehicle.plate or "").strip().upper()
    vehicle.vin = (vehicle.vin or "").strip().upper()
    if msg := rules.plate_error(vehicle.plate):
        errors["plate"] = msg
    elif Vehicle.objects.filter(plate=vehicle.plate).exclude(pk=vehicle.pk).exists():
        errors["plate"] = _("号牌“%(plate)s”已登记在台账中。") % {"plate": vehicle.plate}
    if msg := rules.vin_error(vehicle.vin):
        errors["vin"] = msg
    elif Vehicle.objects.filter(vin=vehicle.vin).exclude(pk=vehicle.pk).exists():
        errors["vin"] = _("车辆识别代号“%(vin)s”已登记在台账中。") % {"vin": vehicle.vin}
    errors.update(_vehicle_errors(vehicle, new_purchase))
    if errors:
        raise ValidationError(errors)
    try:
        vehicle.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None

    if new_purchase and vehicle.asset_id:
        _check_caps(vehicle, price=vehicle.purchase_price, on=vehicle.purchase_date)
    if vehicle.status != VehicleStatus.DISPOSED:
        _check_quota(vehicle)


def _vehicle_errors(vehicle: Vehicle, new_purchase: bool, *, purchase_date=None) -> dict:
    facts = {f: getattr(vehicle, f) for f in rules.VEHICLE_FACTS}
    if purchase_date is not None:  # before buying: no card yet, the planned date
        facts["purchase_date"] = purchase_date
    return rules.vehicle_errors(**facts, today=timezone.localdate(), new_purchase=new_purchase)


def _check_caps(vehicle: Vehicle, *, price, on) -> list:
    caps = selectors.caps_for(on, vehicle.category, vehicle.is_new_energy, vehicle.body_type)
    refusal = rules.check_caps(
        caps=[(c.label, c.max_price, c.max_displacement) for c in caps],
        price=price,
        displacement=vehicle.displacement,
        category_label=vehicle.get_category_display(),
    )
    if refusal:
        raise ValidationError({"purchase_price": refusal})
    return caps


def _check_quota(vehicle: Vehicle) -> None:
    refusal = rules.check_quota(
        quota=selectors.effective_quota(vehicle.org_unit_id, vehicle.category),
        held=selectors.vehicles_held(vehicle.org_unit_id, vehicle.category, exclude_pk=vehicle.pk),
        unit_name=vehicle.org_unit.name,
        category_label=vehicle.get_category_display(),
    )
    if refusal:
        raise ValidationError({"category": refusal})


def check_purchase(
    *, actor: User, unit: OrgUnit, category: str, energy_type: str, price, displacement, on=None, **use: str
) -> list[str]:
    """Before buying: the caps, the 100%-new-energy uses (``use``: body_type, use_scope) and the quota, without
    registering anything. Returns the caps that apply (labels); raises ValidationError naming the field."""
    _require(actor, unit)
    vehicle = Vehicle(org_unit=unit, category=category, energy_type=energy_type, displacement=displacement, **use)
    on = on or timezone.localdate()
    errors = _vehicle_errors(vehicle, True, purchase_date=on) | rules.purchase_errors(
        category=category, energy_type=energy_type, price=price
    )
    if errors:
        raise ValidationError(errors)
    caps = _check_caps(vehicle, price=price, on=on)
    _check_quota(vehicle)
    return [c.label for c in caps]


@transaction.atomic
def register_vehicle(*, actor: User, fields: dict) -> Vehicle:
    """Register a purchased vehicle: plate and VIN valid and unique, within the purchase caps, within quota.
    The vehicle is an asset card: its card is booked from the purchase price and date given, or the card
    numbered ``asset_number`` is linked (its value and date count); both in this transaction."""
    _unknown(fields, VEHICLE_FIELDS + CARD_FIELDS)
    fields = dict(fields)
    card = {k: fields.pop(k) for k in CARD_FIELDS if k in fields}
    unit = fields.get("org_unit")
    if unit is None:
        raise ValidationError({"org_unit": _("请选择所属单位。")})
    _require(actor, unit)
    vehicle = Vehicle(**fields)
    check_vehicle(vehicle=vehicle, new_purchase=False)
    vehicle.asset = card_for(actor=actor, vehicle=vehicle, card=card)
    check_vehicle(vehicle=vehicle, new_purchase=True)
    vehicle.save()
    return vehicle


@transaction.atomic
def update_vehicle(*, actor: User, vehicle: Vehicle, fields: dict) -> Vehicle:
    """Change a vehicle's ledger entry; moving it to another unit or category checks that quota again.
    The purchase price and date are the asset card's: they are changed there, not here."""
    fields = dict(fields)
    card = {k: fields.pop(k) for k in CARD_FIELDS if k in fields}
    if any(v not in (None, "") for v in card.values()):
        raise ValidationError(
            dict.fromkeys(sorted(card), _("购置价格、购置日期以资产卡片为准，请由资产管理员在资产卡片中修改。"))
        )
    _unknown(fields, VEHICLE_FIELDS)
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    _require(actor, vehicle.org_unit)
    if vehicle.status == VehicleStatus.DISPOSED:
        raise ValidationError(gettext_lazy("该车辆已处置，台账已关闭，不能修改。"))
    for name, value in fields.items():
        setattr(vehicle, name, value)
    _require(actor, vehicle.org_unit)
    check_vehicle(vehicle=vehicle, new_purchase=False)
    vehicle.save()
    return vehicle


MANUAL_STATUSES = (VehicleStatus.AVAILABLE, VehicleStatus.MAINTENANCE, VehicleStatus.SEALED)


@transaction.atomic
def set_status(*, actor: User, vehicle: Vehicle, status: str) -> Vehicle:
    """Put a vehicle in or out of maintenance or sealing (e.g. over holidays). 出车中 and 已处置 follow
    from a departure and a disposal record; they are not set by hand."""
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    _require(actor, vehicle.org_unit)
    if status not in MANUAL_STATUSES:
        raise ValidationError({"status": _("只能设为可用、维修中或封存。")})
    if vehicle.status in (VehicleStatus.DISPOSED, VehicleStatus.ON_TRIP):
        raise ValidationError(
            {"status": _("车辆当前为“%(status)s”，不能直接改变状态。") % {"status": vehicle.get_status_display()}}
        )
    vehicle.status = status
    vehicle.save(update_fields=["status", "updated_at"])
    return vehicle


@transaction.atomic
def quota_set(*, actor: User, unit: OrgUnit, category: str, quota: int, document: str = "") -> VehicleQuota:
    """Only the bureau sets a unit's approved number of vehicles of a category (never negative)."""
    _require(actor, unit, roles=(Role.BUREAU_ADMIN,), what=_("车辆编制"))
    if category not in rules.Category.values:
        raise ValidationError({"category": _("请选择车辆类别。")})
    if quota < 0:
        raise ValidationError({"quota": _("编制数不能为负数。")})
    row, _created = VehicleQuota.objects.update_or_create(
        org_unit=unit, category=category, defaults={"quota": quota, "document": document}
    )
    return row


@transaction.atomic
def quota_change_approve(
    *, actor: User, unit: OrgUnit, category: str, delta: int, reason: str, document: str
) -> QuotaChange:
    """Record an approved quota change (the approval itself is a document of the 主管部门/财政部门)."""
    _require(actor, unit, roles=(Role.BUREAU_ADMIN,), what=_("车辆编制"))
    errors = rules.quota_change_errors(delta=delta, reason=reason, document=document)
    if errors:
        raise ValidationError(errors)
    return QuotaChange.objects.create(
        org_unit=unit, category=category, delta=delta, reason=reason, document=document, approved=True
    )


@transaction.atomic
def add_record(*, actor: User, vehicle: Vehicle, fields: dict, dispatch: Dispatch | None = None) -> CostRecord:
    """A cost on the vehicle. Fuel needs the fuel and quantity; insurance and inspection need the expiry
    (it drives the reminders)."""
    _unknown(fields, RECORD_FIELDS)
    _require(actor, vehicle.org_unit)
    if vehicle.status == VehicleStatus.DISPOSED:
        raise ValidationError(gettext_lazy("该车辆已处置，台账已关闭。"))
    record = CostRecord(vehicle=vehicle, created_by=actor, dispatch=dispatch, **fields)
    if record.kind == CostRecord.Kind.FUEL:  # the vehicle's fuel; asked only of a two-fuel vehicle
        record.fuel = rules.record_fuel(vehicle.energy_type, record.fuel)
    errors = rules.cost_record_errors(
        energy_type=vehicle.energy_type,
        is_fuel=record.kind == CostRecord.Kind.FUEL,
        needs_expiry=record.kind in (CostRecord.Kind.INSURANCE, CostRecord.Kind.INSPECTION),
        fuel=record.fuel,
        quantity=record.quantity,
        day=record.date,
        valid_until=record.valid_until,
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    try:
        record.full_clean(exclude=["vehicle", "created_by", "dispatch"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    record.save()
    if record.odometer_km and record.odometer_km > vehicle.odometer_km:
        Vehicle.objects.filter(pk=vehicle.pk).update(odometer_km=record.odometer_km)
    if record.kind == CostRecord.Kind.FUEL:  # energy derives 汽油/柴油 from these: tell it now (一数一源)
        energy_services.vehicle_fuel_recorded(org_unit=vehicle.org_unit, day=record.date)
    return record


# --- Trip requests, dispatch, execution ----------------------------------------------------------


def _trip(ticket: Ticket) -> TripRequest:
    if ticket.kind != rules.TRIP_KIND:
        raise ValidationError(gettext_lazy("这不是用车申请。"))
    return TripRequest.objects.select_related("dispatch").get(ticket=ticket)


def _overlap_message(vehicle: Vehicle | None = None, driver: Driver | None = None) -> str:
    if vehicle is not None:
        return _("车辆%(plate)s在该时段已被派出，不能重复预订。") % {"plate": vehicle.plate}
    return _("驾驶员%(name)s在该时段已有出车任务，不能重复安排。") % {"name": driver.person.name}


@transaction.atomic
def dispatch_trip(*, actor: User, ticket: Ticket, vehicle: Vehicle, driver: Driver | None = None) -> Dispatch:
    """Assign a vehicle (and a driver, when the request needs one) to an approved trip request.

    The vehicle must be in service, of the category asked, with enough seats, not booked in an
    overlapping window; the driver on duty, licence valid through the trip and covering the vehicle,
    not booked either. The dispatcher takes the ticket (办理中) if nobody has yet.
    """
    ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    trip = _trip(ticket)
    _require(actor, vehicle.org_unit, what=_("车辆"))
    if not portal_selectors.may_handle(actor, ticket):
        raise PermissionDenied(_("您不是该用车申请的办理人。"))
    if ticket.status not in (Status.APPROVED, Status.IN_PROGRESS):
        raise ValidationError(_("申请当前为“%(status)s”，不能派车。") % {"status": ticket.get_status_display()})
    if trip.dispatch_id and trip.dispatch.status != Dispatch.Status.CANCELLED:
        raise ValidationError(gettext_lazy("该申请已派车。"))
    errors: dict[str, str] = {}
    # Lock the vehicle (then the driver) row: concurrent bookings of the same vehicle or driver queue
    # here and the second sees the first's dispatch in the check below. Without it, two inserts racing
    # through the exclusion constraint can deadlock each other instead of one failing cleanly.
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    refusal = rules.vehicle_refusal(
        plate=vehicle.plate,
        status=vehicle.status,
        category=vehicle.category,
        seats=vehicle.seats,
        asked_category=trip.category,
        passengers=trip.passengers,
        needs_driver=trip.needs_driver,
    )
    if refusal:
        errors["vehicle"] = refusal
    elif Dispatch.objects.filter(selectors._overlapping(trip.starts_at, trip.ends_at), vehicle=vehicle).exists():
        errors["vehicle"] = _overlap_message(vehicle=vehicle)
    if trip.needs_driver and driver is None:
        errors["driver"] = _("该申请需要驾驶员，请选择驾驶员。")
    if driver is not None:
        driver = Driver.objects.select_for_update(of=("self",)).select_related("person", "org_unit").get(pk=driver.pk)
        if not scoping.covers(actor, driver.org_unit, roles=FLEET_EDITORS):
            errors["driver"] = _("您不能安排该驾驶员。")
        elif refusal := rules.driver_refusal(
            name=driver.person.name,
            on_duty=driver.status == Driver.Status.ON_DUTY,
            status_label=driver.get_status_display(),
            licence_class=driver.licence_class,
            licence_expires=driver.licence_expires,
            trip_ends_on=timezone.localdate(trip.ends_at),
            licence_needed=vehicle.licence_needed,
        ):
            errors["driver"] = refusal
        elif Dispatch.objects.filter(selectors._overlapping(trip.starts_at, trip.ends_at), driver=driver).exists():
            errors["driver"] = _overlap_message(driver=driver)
    if errors:
        raise ValidationError(errors)
    if ticket.status == Status.APPROVED:
        portal.start_handling(actor=actor, ticket=ticket)
    try:
        with transaction.atomic():
            dispatch = Dispatch.objects.create(
                vehicle=vehicle,
                driver=driver,
                ticket=ticket,
                starts_at=trip.starts_at,
                ends_at=trip.ends_at,
                dispatched_by=actor,
            )
    except IntegrityError as exc:
        # A concurrent booking won the race (PostgreSQL exclusion constraint).
        if "driver_no_overlap" in str(exc):
            raise ValidationError({"driver": _overlap_message(driver=driver)}) from None
        raise ValidationError({"vehicle": _overlap_message(vehicle=vehicle)}) from None
    trip.dispatch = dispatch
    trip.save(update_fields=["dispatch"])
    values = {"plate": vehicle.plate, "title": ticket.title_message, "driver": driver.person.name if driver else ""}
    if driver:
        done = Keyed(gettext_noop("已派车：%(plate)s，驾驶员%(driver)s。"), values)
        text = Keyed(gettext_noop("已为您派车：%(plate)s，驾驶员%(driver)s（%(title)s）"), values)
    else:
        done = Keyed(gettext_noop("已派车：%(plate)s。"), values)
        text = Keyed(gettext_noop("已为您派车：%(plate)s（%(title)s）"), values)
    portal.add_comment(actor=actor, ticket=ticket, comment=done)
    portal.notify(users=[ticket.requester], ticket=ticket, key=f"dispatch{dispatch.pk}", message=text)
    if driver is not None:
        text = Keyed(gettext_noop("出车任务：%(title)s，车辆%(plate)s"), values)
        portal.notify(users=[driver.person], ticket=ticket, key=f"drive{dispatch.pk}", message=text)
    return dispatch


@transaction.atomic
def pool_trip(*, actor: User, ticket: Ticket, dispatch: Dispatch) -> TripRequest:
    """Car-pooling: attach an approved request to an existing dispatch whose window covers it, of the same
    category, with seats left. The request's ticket is handled along with the dispatch."""
    ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    trip = _trip(ticket)
    dispatch = Dispatch.objects.select_for_update(of=("self",)).select_related("vehicle").get(pk=dispatch.pk)
    _require(actor, dispatch.vehicle.org_unit, what=_("车辆"))
    if not portal_selectors.may_handle(actor, ticket):
        raise PermissionDenied(_("您不是该用车申请的办理人。"))
    if ticket.status not in (Status.APPROVED, Status.IN_PROGRESS):
        raise ValidationError(_("申请当前为“%(status)s”，不能拼车。") % {"status": ticket.get_status_display()})
    if trip.dispatch_id:
        raise ValidationError(gettext_lazy("该申请已派车。"))
    if not selectors.poolable_dispatches(actor, trip).filter(pk=dispatch.pk).exists():
        raise ValidationError({"dispatch": _("该派车单不能拼车：须为同类车辆、尚未出车、时段覆盖本申请且座位足够。")})
    if ticket.status == Status.APPROVED:
        portal.start_handling(actor=actor, ticket=ticket)
    trip.dispatch = dispatch
    trip.save(update_fields=["dispatch"])
    portal.add_comment(
        actor=actor,
        ticket=ticket,
        comment=Keyed(
            gettext_noop("已安排拼车：%(plate)s（派车单%(dispatch)s）。"),
            {"plate": dispatch.vehicle.plate, "dispatch": dispatch.pk},
        ),
    )
    return trip


@transaction.atomic
def cancel_dispatch(*, actor: User, dispatch: Dispatch, reason: str) -> Dispatch:
    """A dispatch not yet departed may be cancelled, with a reason; its requests wait for a vehicle again."""
    dispatch = Dispatch.objects.select_for_update(of=("self",)).select_related("vehicle").get(pk=dispatch.pk)
    _require(actor, dispatch.vehicle.org_unit, what=_("车辆"))
    if dispatch.status != Dispatch.Status.SCHEDULED:
        raise ValidationError(gettext_lazy("只有尚未出车的派车单可以取消。"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写取消原因。")})
    dispatch.status = Dispatch.Status.CANCELLED
    dispatch.notes = reason[:500]
    dispatch.save(update_fields=["status", "notes"])
    TripRequest.objects.filter(dispatch=dispatch).update(dispatch=None)
    return dispatch


@transaction.atomic
def depart(*, actor: User, dispatch: Dispatch, odometer_km: int, at: datetime | None = None) -> Dispatch:
    """Record the departure with the odometer reading; the vehicle is 出车中."""
    dispatch = Dispatch.objects.select_for_update(of=("self",)).get(pk=dispatch.pk)
    vehicle = Vehicle.objects.select_for_update().get(pk=dispatch.vehicle_id)
    _require(actor, vehicle.org_unit, what=_("车辆"))
    if dispatch.status != Dispatch.Status.SCHEDULED:
        raise ValidationError(_("派车单当前为“%(status)s”，不能登记出车。") % {"status": dispatch.get_status_display()})
    if odometer_km is None or odometer_km < 0:
        raise ValidationError({"odometer_km": _("请填写出车时的里程表读数。")})
    if odometer_km < vehicle.odometer_km:
        raise ValidationError(
            {
                "odometer_km": _("出车里程不能小于车辆台账里程%(odometer_km)s公里。")
                % {"odometer_km": vehicle.odometer_km}
            }
        )
    dispatch.status = Dispatch.Status.DEPARTED
    dispatch.departed_at = at or timezone.now()
    dispatch.odometer_out = odometer_km
    dispatch.save()
    vehicle.status = VehicleStatus.ON_TRIP
    vehicle.odometer_km = odometer_km
    vehicle.save(update_fields=["status", "odometer_km", "updated_at"])
    return dispatch


@transaction.atomic
def trip_record_outcome(*, ticket: Ticket, detail: TripRequest, actor: User, outcome: dict) -> Dispatch:
    """Close a 用车申请 by recording the return on its dispatch (the engine's record_outcome, inside its
    transaction): odometer (distance = return − departure; negative or beyond rules' plausibility is
    refused), fuel, tolls, parking as cost records of the vehicle. Pooled requests on the same dispatch
    are closed with it."""
    dispatch = detail.dispatch
    if dispatch is None:
        raise ValidationError(gettext_lazy("该申请尚未派车，不能登记归还。"))
    dispatch = Dispatch.objects.select_for_update(of=("self",)).get(pk=dispatch.pk)
    if dispatch.status == Dispatch.Status.RETURNED:
        return dispatch  # a pooled request closed along with its dispatch
    if dispatch.status != Dispatch.Status.DEPARTED:
        raise ValidationError(gettext_lazy("尚未登记出车，不能登记归还。"))
    vehicle = Vehicle.objects.select_for_update().get(pk=dispatch.vehicle_id)
    returned_at = outcome.get("returned_at") or timezone.now()
    odometer_in = outcome.get("odometer_in")
    litres, fuel_cost = outcome.get("fuel_litres"), outcome.get("fuel_cost")
    errors = rules.return_errors(
        departed_at=dispatch.departed_at,
        returned_at=returned_at,
        now=timezone.now(),
        odometer_out=dispatch.odometer_out,
        odometer_in=odometer_in,
        fuel_litres=litres,
        fuel_cost=fuel_cost,
    )
    if errors:
        raise ValidationError(errors)
    dispatch.status = Dispatch.Status.RETURNED
    dispatch.returned_at = returned_at
    dispatch.odometer_in = odometer_in
    dispatch.distance_km = odometer_in - dispatch.odometer_out
    dispatch.notes = (outcome.get("notes") or "")[:500]
    dispatch.save()
    vehicle.status = VehicleStatus.AVAILABLE
    vehicle.odometer_km = max(vehicle.odometer_km, odometer_in)
    vehicle.save(update_fields=["status", "odometer_km", "updated_at"])
    day = timezone.localdate(returned_at)
    fuel = CostRecord.Fuel.DIESEL if vehicle.energy_type == rules.EnergyType.DIESEL else CostRecord.Fuel.GASOLINE
    if vehicle.energy_type in (rules.EnergyType.BEV, rules.EnergyType.FCEV):
        fuel = CostRecord.Fuel.ELECTRICITY
    costs = [
        (CostRecord.Kind.FUEL, fuel_cost, {"fuel": fuel, "quantity": litres, "odometer_km": odometer_in}),
        (CostRecord.Kind.TOLL, outcome.get("toll_cost"), {}),
        (CostRecord.Kind.PARKING, outcome.get("parking_cost"), {}),
    ]
    for kind, amount, extra in costs:
        if amount:
            CostRecord.objects.create(
                vehicle=vehicle, kind=kind, date=day, amount=amount, dispatch=dispatch, created_by=actor, **extra
            )
            if kind == CostRecord.Kind.FUEL:
                energy_services.vehicle_fuel_recorded(org_unit=vehicle.org_unit, day=day)
    for other in Ticket.objects.filter(
        pk__in=TripRequest.objects.filter(dispatch=dispatch).exclude(ticket=ticket).values("ticket_id"),
        status=Status.IN_PROGRESS,
    ):
        portal.complete(
            actor=other.handler,
            ticket=other,
            outcome={},
            comment=Keyed(gettext_noop("随派车单%(pk)s一并办结（拼车）。"), {"pk": dispatch.pk}),
        )
    return dispatch


@transaction.atomic
def review_emergency(*, actor: User, ticket: Ticket, comment: str) -> TripRequest:
    """Emergency trips skip approval (straight to dispatch); the department head reviews them afterwards."""
    ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    trip = _trip(ticket)
    if not trip.emergency:
        raise ValidationError(gettext_lazy("只有紧急用车需要事后审核。"))
    if trip.reviewed_at:
        raise ValidationError(gettext_lazy("该紧急用车已审核。"))
    if actor.pk == ticket.requester_id or not scoping.covers(
        actor, ticket.org_unit, roles=[Role.APPROVER, Role.BUREAU_ADMIN]
    ):
        raise PermissionDenied(_("只有申请人所在处室负责人可以事后审核。"))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("请填写审核意见。")})
    trip.reviewed_by = actor
    trip.reviewed_at = timezone.now()
    trip.review_comment = comment[:300]
    trip.save(update_fields=["reviewed_by", "reviewed_at", "review_comment"])
    portal.add_comment(
        actor=actor, ticket=ticket, comment=Keyed(gettext_noop("紧急用车事后审核：%(comment)s"), {"comment": comment})
    )
    return trip


@transaction.atomic
def trip_after_approval(*, ticket: Ticket, detail: TripRequest) -> None:
    """Emergency: approved without steps; ask the department head for the after-the-fact review."""
    if detail.emergency:
        heads, _ = nearest_holders(Role.APPROVER, ticket.org_unit, exclude=ticket.requester)
        text = Keyed(
            gettext_noop("紧急用车待事后审核：%(title)s（%(requester)s）"),
            {"title": ticket.title_message, "requester": ticket.requester.name},
        )
        portal.notify(users=heads, ticket=ticket, key="emergency-review", message=text)
