"""The refusals the rules give read in the reader's language (issue #19): the source text is Chinese and an
English reader gets the English catalogue's sentence with the same figures — for the vehicles, office
space, assets and energy rules, which used to build their messages as Chinese f-strings."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from assets import rules as asset_rules
from energy import rules as energy_rules
from officespace import rules as space_rules
from vehicles import rules as fleet_rules


def in_both(make):
    """``make()`` in Chinese and in English (read as text while the language is on: a lazy message is
    translated when it is read)."""
    with translation.override("zh-hans"):
        zh = str(make())
    with translation.override("en"):
        en = str(make())
    return zh, en


def test_a_bad_plate_is_refused_in_the_readers_language():
    zh, en = in_both(lambda: fleet_rules.plate_error("ABC"))
    assert zh.startswith("号牌格式不正确")
    assert en.startswith("The plate is not valid")


def test_a_vehicle_with_too_few_seats_names_its_plate_and_figures_in_either_language():
    def refusal():
        return fleet_rules.vehicle_refusal(
            plate="浙A12345",
            status=fleet_rules.VehicleStatus.AVAILABLE,
            category=fleet_rules.Category.OTHER,
            seats=5,
            asked_category=fleet_rules.Category.OTHER,
            passengers=5,
            needs_driver=True,
        )

    zh, en = in_both(refusal)
    assert zh == "车辆浙A12345座位不足（5座，乘车5人）。"
    assert en == "Vehicle 浙A12345 has too few seats (5 seats, 5 passengers)."


def test_a_unit_over_its_vehicle_quota_is_told_so_in_either_language():
    zh, en = in_both(lambda: fleet_rules.check_quota(quota=2, held=2, unit_name="财政厅", category_label="X"))
    assert zh == "财政厅的X超出编制（编制2辆，已有2辆）；如确需增加，须先有经批准的编制调整。"
    assert en.startswith("X of 财政厅 exceed the quota (quota 2, held 2)")


def test_a_use_area_above_the_building_area_is_refused_in_either_language():
    def errors():
        return space_rules.building_errors(
            title_filed=False, title_reason="", building_area=Decimal(100), use_area=Decimal(120), rooms_area=None
        )["use_area"]

    zh, en = in_both(errors)
    assert zh == "使用面积（120m²）不能大于总建筑面积（100m²）。"
    assert en == "The use area (120m²) cannot exceed the total floor area (100m²)."


def test_a_disposed_asset_cannot_be_disposed_of_again_in_either_language():
    def refusal():
        with pytest.raises(ValidationError) as caught:
            asset_rules.check_disposable(asset_rules.AssetStatus.DISPOSED, under_repair=False)
        return caught.value.message_dict["asset"][0]

    zh, en = in_both(refusal)
    assert zh == "资产已处置。"
    assert en == "The asset is already disposed of."


def test_a_negative_energy_quantity_is_refused_with_its_label_in_either_language():
    def errors():
        _clean, errors = energy_rules.validate_entry(
            energy_rules.EnergyType.ELECTRICITY, "-1", "kWh", "", energy_rules.Collection.values[0]
        )
        return errors["quantity"]

    zh, en = in_both(errors)
    assert zh.endswith("实物量不能为负数。")
    assert en.endswith("quantity cannot be negative.") and not any("\u4e00" <= c <= "\u9fff" for c in en)
