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


def test_profile_without_a_building_area_at_its_source_is_refused():
    errors = rules.profile_errors(
        year=2025,
        category=rules.InstitutionCategory.values[0],
        climate_zone=rules.ClimateZone.values[0],
        building_area=None,
        heated_area=Decimal(0),
        energy_users=10,
    )
    assert set(errors) == {"building_area"} and "办公用房" in errors["building_area"]


def test_zone_and_grid_follow_the_province_of_the_region_code():
    assert rules.derived_climate_zone("230100") == rules.ClimateZone.SEVERE_COLD  # 黑龙江
    assert rules.derived_grid_region("440300") == rules.GridRegion.SOUTH  # 广东
    assert rules.derived_climate_zone("990000") is None and rules.derived_grid_region("") == "national"
