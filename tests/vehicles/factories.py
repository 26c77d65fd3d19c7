"""Factories of the vehicles app's tests (the shared ones are in tests/factories.py)."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from assets.models import Asset, Category
from tests.factories import UserFactory
from vehicles import rules
from vehicles.models import CostRecord, Dispatch, Driver, Vehicle, VehicleQuota

VIN_BODY = "LSVAM4187C2"  # 11 characters; a 6-digit serial makes 17


def valid_vin(n: int, head: str = "1HGCM826") -> str:
    """A 17-character VIN with a correct check digit (position 9)."""
    body = f"{head}0A{n:07d}"[:17]
    body = body[:8] + "0" + body[9:]
    return body[:8] + rules.vin_check_char(body) + body[9:]


class VehicleQuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VehicleQuota

    category = rules.Category.OTHER
    quota = 50


_card_numbers = iter(range(1, 10**9))


def vehicle_card(org_unit, purchase_price=Decimal("110000"), purchase_date=date(2022, 3, 1)) -> Asset:
    """The vehicle's asset card (车辆 A0203), written directly like the vehicle itself: the purchase price
    and date live on it (一数一源)."""
    return Asset.objects.create(
        asset_number=f"ZCT{next(_card_numbers):09d}",
        name="公务用车",
        category=Category.objects.get(code="A0203"),
        unit_of_measure="辆",
        original_value=purchase_price,
        acquired_on=purchase_date,
        booked_on=purchase_date,
        org_unit=org_unit,
        useful_life_months=96,
    )


class VehicleFactory(factory.django.DjangoModelFactory):
    """A 12万/1.6 L gasoline 其他公务用车; pass org_unit. Created directly (ledger tests use the service);
    ``purchase_price``/``purchase_date`` go to its asset card."""

    class Meta:
        model = Vehicle

    class Params:
        purchase_price = Decimal("110000")
        purchase_date = date(2022, 3, 1)

    asset = factory.LazyAttribute(lambda o: vehicle_card(o.org_unit, o.purchase_price, o.purchase_date))

    plate = factory.Sequence(lambda n: f"浙A{n % 100000:05d}")
    vin = factory.Sequence(valid_vin)
    category = rules.Category.OTHER
    brand = "红旗"
    model_name = "H5"
    energy_type = rules.EnergyType.GASOLINE
    displacement = Decimal("1.5")
    seats = 5
    odometer_km = 10000


class DriverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Driver

    person = factory.LazyAttribute(lambda o: UserFactory(org_unit=o.org_unit))
    licence_class = "C1"
    licence_expires = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=3650))


class DispatchFactory(factory.django.DjangoModelFactory):
    """A booking made directly (service tests go through services.dispatch_trip); pass vehicle and ticket."""

    class Meta:
        model = Dispatch

    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))


class CostRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostRecord

    kind = CostRecord.Kind.FUEL
    date = date(2026, 3, 10)
    amount = Decimal("300")
    fuel = CostRecord.Fuel.GASOLINE
    quantity = Decimal("40")


def dispose_through_request(*, vehicle, requester, handler, way="scrap", on=date(2026, 1, 20), early=False, note=""):
    """A vehicle leaves the ledger the one way there is: a 资产处置 request on its card, approved (set here
    directly: the chain is the portal's, tested there), then carried out by the asset administrator."""
    from portal import services as portal  # imported here: the portal's registry is filled once apps are ready
    from portal.models import Ticket
    from portal.registry import get

    ticket = portal.file_request(
        requester=requester,
        kind_code="asset_disposal",
        detail_fields={"asset": vehicle.asset, "way": way, "reason": note or "超年限报废", "early": early},
    )
    Ticket.objects.filter(pk=ticket.pk).update(status="approved")
    ticket.refresh_from_db()
    kind = get("asset_disposal")
    kind.record_outcome(
        ticket=ticket,
        detail=kind.detail_model.objects.get(ticket=ticket),
        actor=handler,
        outcome={"disposed_on": on, "note": note},
    )
    return vehicle.__class__.objects.get(pk=vehicle.pk).disposal


def registration_fields(unit, **over) -> dict:
    """What a dispatcher types to register a vehicle (its purchase price and date go onto its asset card)."""
    base = {
        "org_unit": unit,
        "plate": "浙A12345",
        "vin": "LSVAM4187C2184847",
        "category": rules.Category.OTHER,
        "brand": "红旗",
        "model_name": "H5",
        "energy_type": rules.EnergyType.GASOLINE,
        "displacement": Decimal("1.5"),
        "seats": 5,
        "purchase_price": Decimal("118000"),
        "purchase_date": date(2024, 5, 1),
    }
    return {**base, **over}
