"""Factories of the vehicles app's tests (the shared ones are in tests/factories.py)."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

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


class VehicleFactory(factory.django.DjangoModelFactory):
    """A 12万/1.6 L gasoline 其他公务用车; pass org_unit. Created directly (ledger tests use the service)."""

    class Meta:
        model = Vehicle

    plate = factory.Sequence(lambda n: f"浙A{n % 100000:05d}")
    vin = factory.Sequence(valid_vin)
    category = rules.Category.OTHER
    brand = "红旗"
    model_name = "H5"
    energy_type = rules.EnergyType.GASOLINE
    displacement = Decimal("1.5")
    seats = 5
    purchase_price = Decimal("110000")
    purchase_date = date(2022, 3, 1)
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
