"""Factories of the assets tests: rooms (officespace ledger rows written directly) and cards
(booked through the service, so every card has its booking movement like in production)."""

from datetime import date
from decimal import Decimal

import factory

from assets import services
from officespace.models import Building, Floor, Room


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    code = factory.Sequence(lambda n: f"B{n:04d}")
    name = factory.Sequence(lambda n: f"测试楼{n}")
    address = "杭州市测试路1号"
    building_area = Decimal("5000")
    use_area = Decimal("4000")


class FloorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Floor

    building = factory.SubFactory(BuildingFactory)
    number = factory.Sequence(lambda n: n % 50 + 1)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    floor = factory.SubFactory(FloorFactory, building__org_unit=factory.SelfAttribute("...org_unit"))
    building = factory.SelfAttribute("floor.building")
    number = factory.Sequence(lambda n: f"{n + 100}")
    use_area = Decimal("18")


def card(actor, org_unit, category, **fields):
    """Book a card through register_card with sensible defaults (a 6,000元 item bought and booked on 2026-01-15)."""
    defaults = {
        "name": f"{category.name}",
        "original_value": Decimal("6000"),
        "acquired_on": date(2026, 1, 10),
        "booked_on": date(2026, 1, 15),
    }
    defaults.update(fields)
    return services.register_card(actor=actor, org_unit=org_unit, category=category, **defaults)
