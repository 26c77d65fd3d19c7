"""Energy test helpers: profiles and records are written through the services (as users do)."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from datahub.models import User
from energy import basedata, services
from energy.rules import ClimateZone, Collection, InstitutionCategory
from tests.factories import superuser


def root() -> User:
    return User.objects.filter(is_superuser=True).first() or superuser()


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def document(name="依据.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def correct(unit, year, field, value, *, actor=None, reason="按批复更正。"):
    return services.profile_correct(
        actor=actor or root(),
        org_unit=unit,
        year=year,
        field=field,
        value=str(value),
        reason=reason,
        document=document(),
    )


def profile(
    unit,
    year,
    *,
    area="1000",
    users=100,
    category=InstitutionCategory.AGENCY,
    zone=ClimateZone.HOT_SUMMER_COLD_WINTER,
    grid_region=None,
    heated_area=None,
):
    """The year's profile; every given value that differs from what the directory and office space say
    is recorded as a correction first (as an institution must), ``None`` leaves the derived value."""
    derived = basedata.derived(unit)
    wanted = {
        "building_area": area,
        "energy_users": users,
        "category": category,
        "climate_zone": zone,
        "grid_region": grid_region,
    }
    for field, value in wanted.items():
        if value is not None and str(value) != str(derived[field]):
            correct(unit, year, field, value)
    return services.save_profile(
        actor=root(), org_unit=unit, year=year, heated_area=None if heated_area is None else Decimal(heated_area)
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


# --- Vehicles (another app's ledger, created directly as its own tests do) -----------------------------


def vehicle(unit, n: int = 1):
    from tests.vehicles.factories import vehicle_card
    from vehicles import rules as vrules
    from vehicles.models import Vehicle

    body = f"1HGCM8260A{n:07d}"[:17]
    vin = body[:8] + vrules.vin_check_char(body) + body[9:]
    return Vehicle.objects.create(
        org_unit=unit,
        plate=f"浙E{n:05d}",
        vin=vin,
        category=vrules.Category.OTHER,
        brand="红旗",
        model_name="H5",
        energy_type=vrules.EnergyType.GASOLINE,
        displacement=Decimal("1.5"),
        asset=vehicle_card(unit, Decimal("110000"), date(2022, 3, 1)),
    )


def fuel(car, day: date, litres, amount, fuel_type="gasoline"):
    from vehicles.models import CostRecord

    return CostRecord.objects.create(
        vehicle=car,
        kind=CostRecord.Kind.FUEL,
        date=day,
        fuel=fuel_type,
        quantity=Decimal(str(litres)),
        amount=Decimal(str(amount)),
    )
