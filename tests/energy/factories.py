"""Energy test helpers: profiles and records are written through the services (as users do)."""

from decimal import Decimal

from datahub.models import User
from energy import services
from energy.rules import ClimateZone, Collection, InstitutionCategory
from tests.factories import superuser


def root() -> User:
    return User.objects.filter(is_superuser=True).first() or superuser()


def profile(
    unit,
    year,
    *,
    area="1000",
    users=100,
    category=InstitutionCategory.AGENCY,
    zone=ClimateZone.HOT_SUMMER_COLD_WINTER,
    **kw,
):
    return services.save_profile(
        actor=root(),
        org_unit=unit,
        year=year,
        category=category,
        climate_zone=zone,
        building_area=None if area is None else Decimal(area),
        energy_users=users,
        **kw,
    )


def record(unit, year, month, energy_type, quantity, unit_name=None, *, cost=None, collection=Collection.METERED_PAID):
    from energy.rules import BASE_UNIT

    return services.save_record(
        actor=root(),
        org_unit=unit,
        year=year,
        month=month,
        energy_type=energy_type,
        quantity=Decimal(str(quantity)),
        unit=unit_name or BASE_UNIT[energy_type],
        cost=None if cost is None else Decimal(str(cost)),
        collection=collection,
    )


def full_year(unit, year, *, kwh=10000, water=100, price="0.8", water_price="4"):
    """Twelve months of electricity and water with plausible prices."""
    for month in range(1, 13):
        record(unit, year, month, "electricity", kwh, cost=Decimal(kwh) * Decimal(price))
        record(unit, year, month, "water", water, cost=Decimal(water) * Decimal(water_price))
