"""Standard-coal and CO₂ conversion (GB/T 2589-2020, MEE grid factors), each coefficient on a
hand-computed example, and unit conversions (万kWh, t, GJ, litres by density)."""

from decimal import Decimal

import pytest

from energy import conversion, rules
from energy.models import CoefficientVersion


@pytest.fixture
def conv(db):
    return conversion.Converter(CoefficientVersion.objects.get(is_current=True))


# (type, quantity, unit, year, expected base, kgce, kgCO₂) — worked by hand from REFERENCE §3.2–3.3.
CASES = [
    # 10 000 kWh × 0.1229 = 1 229 kgce; × 0.5306 (2023 grid) = 5 306 kgCO₂
    ("electricity", "10000", "kWh", 2023, "10000", "1229", "5306"),
    # 2022 grid factor 0.5366
    ("electricity", "10000", "kWh", 2022, "10000", "1229", "5366"),
    # no 2024 CO₂ factor published: the latest (2023) applies
    ("electricity", "1", "万kWh", 2024, "10000", "1229", "5306"),
    # water is a resource: no standard coal, no CO₂
    ("water", "100", "t", 2023, "100", "0", "0"),
    # raw coal 1 000 kg × 0.7143; × 1.9003
    ("coal", "1", "t", 2023, "1000", "714.3", "1900.3"),
    # natural gas (gas-field) 1 000 m³ × 1.2143; × 2.1622
    ("natural_gas", "1000", "m³", 2023, "1000", "1214.3", "2162.2"),
    # LPG 100 kg × 1.7143; × 3.1013
    ("lpg", "100", "kg", 2023, "100", "171.43", "310.13"),
    # town gas 1 000 m³ × 0.5714; × 0.7623
    ("town_gas", "1000", "m³", 2023, "1000", "571.4", "762.3"),
    # gasoline 100 kg × 1.4714; × 2.9251
    ("gasoline", "100", "kg", 2023, "100", "147.14", "292.51"),
    # gasoline 100 L × 0.73 kg/L = 73 kg → 107.4122 kgce; 213.5323 kgCO₂
    ("gasoline", "100", "L", 2023, "73", "107.4122", "213.5323"),
    # diesel 100 kg × 1.4571; × 3.0959
    ("diesel", "100", "kg", 2023, "100", "145.71", "309.59"),
    # diesel 100 L × 0.84 = 84 kg → 122.3964 kgce
    ("diesel", "100", "L", 2023, "84", "122.3964", "260.0556"),
    # kerosene 1 t × 1.4714
    ("kerosene", "1", "t", 2023, "1000", "1471.4", "3033"),
    # heat 1 GJ = 1 000 MJ × 0.03412 = 34.12 kgce; × 0.11 = 110 kgCO₂
    ("heat", "1", "GJ", 2023, "1000", "34.12", "110"),
    # 其他能源 reported in tce
    ("other", "2", "tce", 2023, "2000", "2000", "0"),
]


@pytest.mark.parametrize(("energy_type", "quantity", "unit", "year", "base", "kgce", "kgco2"), CASES)
def test_coefficient_on_hand_computed_example(conv, energy_type, quantity, unit, year, base, kgce, kgco2):
    got = conv.convert(energy_type, Decimal(quantity), unit, year)
    assert got == (Decimal(base), Decimal(kgce), Decimal(kgco2))


def test_regional_grid_factor_used_when_profile_names_a_region(conv):
    # 华东 2023: 0.5500 → 1 000 kWh = 550 kgCO₂
    assert conv.convert("electricity", Decimal("1000"), "kWh", 2023, "east")[2] == Decimal("550")


def test_oilfield_gas_version_applies_1_33(db):
    oil = CoefficientVersion.objects.get(name__contains="1.3300")
    assert conversion.Converter(oil).convert("natural_gas", Decimal("1000"), "m³", 2023)[1] == Decimal("1330")


def test_unit_not_allowed_for_type_refused(conv):
    with pytest.raises(Exception) as exc:
        conv.convert("electricity", Decimal("1"), "kg", 2023)
    assert "计量单位" in str(exc.value)


def test_unit_conversion_factors():
    assert rules.to_base(Decimal("2.5"), "electricity", "万kWh") == Decimal("25000")
    assert rules.to_base(Decimal("3"), "heat", "GJ") == Decimal("3000")
    assert rules.to_base(Decimal("10"), "diesel", "L", Decimal("0.84")) == Decimal("8.40")
    with pytest.raises(ValueError):
        rules.to_base(Decimal("10"), "diesel", "L", None)


def test_grid_year_pick():
    assert rules.pick_grid_year([2021, 2022, 2023], 2025) == 2023
    assert rules.pick_grid_year([2021, 2022, 2023], 2022) == 2022
    assert rules.pick_grid_year([2021, 2022, 2023], 2019) == 2021


def test_robust_z_flags_a_spike_and_not_noise():
    history = [100, 102, 98, 101, 99, 100, 103, 97]
    assert abs(rules.robust_z(100, history)) < 1
    assert rules.robust_z(300, history) > 3.5
    assert rules.robust_z(300, history[:3]) is None  # too little history


def test_target_light_pro_rata():
    # 2023 is 3 of 5 plan years: −3% of the −5% target is due.
    assert rules.target_light(Decimal("-4"), Decimal("5"), 2023, 2020, 2025)[0] == rules.Light.GREEN
    assert rules.target_light(Decimal("-1"), Decimal("5"), 2023, 2020, 2025)[0] == rules.Light.AMBER
    assert rules.target_light(Decimal("2"), Decimal("5"), 2023, 2020, 2025)[0] == rules.Light.RED
    assert rules.target_light(None, Decimal("5"), 2023, 2020, 2025)[0] == rules.Light.NONE


def test_quota_bands():
    cap, base, guide = Decimal("18.48"), Decimal("12.49"), Decimal("11.02")
    assert rules.band_of(Decimal("20"), cap, base, guide) == rules.Band.OVER_CAP
    assert rules.band_of(Decimal("15"), cap, base, guide) == rules.Band.ABOVE_BASE
    assert rules.band_of(Decimal("12"), cap, base, guide) == rules.Band.ABOVE_GUIDE
    assert rules.band_of(Decimal("10"), cap, base, guide) == rules.Band.ADVANCED
    assert rules.band_of(Decimal("10"), None, None, None) == rules.Band.NONE
