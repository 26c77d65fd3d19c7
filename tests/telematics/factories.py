"""Factories of the monitoring tests: vehicles and dispatches are the vehicles app's models,
made directly (their own services are tested in tests/vehicles)."""

from datetime import date
from decimal import Decimal

import factory

from portal.models import Ticket
from tests.vehicles.factories import vehicle_card
from vehicles.models import Dispatch, Vehicle


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    plate = factory.Sequence(lambda n: f"浙A{n:05d}")
    vin = factory.Sequence(lambda n: f"LSVTEST{n:010d}")
    category = "other"
    brand = "红旗"
    model_name = "H5"
    energy_type = "gasoline"
    displacement = Decimal("1.5")
    asset = factory.LazyAttribute(lambda o: vehicle_card(o.org_unit, Decimal("150000"), date(2022, 1, 1)))


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    kind = "trip"
    title = "用车申请"


def dispatch(vehicle, requester, starts_at, ends_at, **fields) -> Dispatch:
    ticket = TicketFactory(requester=requester, org_unit=vehicle.org_unit)
    return Dispatch.objects.create(vehicle=vehicle, ticket=ticket, starts_at=starts_at, ends_at=ends_at, **fields)
