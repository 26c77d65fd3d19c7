from decimal import Decimal

from energy import rules
from energy.models import ConsumptionRecord


def _first_value_the_column_cannot_hold(name: str) -> Decimal:
    f = ConsumptionRecord._meta.get_field(name)
    return Decimal(10) ** (f.max_digits - f.decimal_places)


def test_entry_limits_are_those_of_the_record_columns():
    assert rules.QUANTITY_BELOW == _first_value_the_column_cannot_hold("quantity")
    assert rules.COST_BELOW == _first_value_the_column_cannot_hold("cost")


def test_entry_over_the_column_limit_names_the_field():
    _, errors = rules.validate_entry("electricity", rules.QUANTITY_BELOW, "kWh", None, rules.Collection.METERED_PAID)
    assert "过大" in errors["quantity"]


def test_profile_area_differing_from_office_space_is_refused():
    errors = rules.profile_errors(
        year=2025,
        category=rules.InstitutionCategory.values[0],
        climate_zone=rules.ClimateZone.values[0],
        grid_region=rules.GridRegion.NATIONAL,
        building_area="900",
        area_from_space=Decimal("1000"),
        heated_area=Decimal(0),
        energy_users=10,
    )
    assert set(errors) == {"building_area"}
