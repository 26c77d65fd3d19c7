"""一数一源: a building is an asset card (房屋). Its name, unit, area and structure are office space's
(read from there, so a change of the building or of a room shows on the card at once); its useful life
follows the structure (财会〔2017〕4号: 钢/钢混 ≥ 50 years, 砖混 ≥ 30, 简易 ≥ 8); it is booked once."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assets import rules, selectors, services
from assets.models import Asset
from officespace import services as space

from .factories import BuildingFactory, RoomFactory

pytestmark = pytest.mark.django_db


def book(actor, building, **over):
    values = {"original_value": Decimal("32000000"), "acquired_on": date(2010, 6, 1)}
    return services.building_card_register(actor=actor, building=building, **{**values, **over})


@pytest.mark.parametrize(
    ("structure", "months", "code"),
    [("frame", 600, "A010101"), ("steel", 600, "A010101"), ("masonry", 360, "A010101"), ("simple", 96, "A01")],
)
def test_useful_life_follows_the_structure(cats, tree, admins, structure, months, code):
    card = book(admins.a, BuildingFactory(org_unit=tree.a, structure=structure))
    assert card.useful_life_months == months and card.category.code == code
    assert card.useful_life_months == rules.building_life_months(structure)


def test_the_card_takes_name_and_unit_from_the_building_and_is_not_booked_twice(cats, tree, admins):
    building = BuildingFactory(org_unit=tree.a, name="甲厅办公楼")
    card = book(admins.a, building)
    assert (card.name, card.org_unit, card.building, card.unit_of_measure) == ("甲厅办公楼", tree.a, building, "栋")
    with pytest.raises(ValidationError) as exc:
        book(admins.a, building)
    assert "已有资产卡片" in exc.value.message_dict["building"][0]
    assert Asset.objects.filter(building=building).count() == 1


def test_building_and_room_area_changes_show_on_the_card(cats, tree, admins, staff):
    room = RoomFactory(org_unit=tree.a, use_area=Decimal("18"))
    card = book(admins.a, room.building)
    facts = selectors.card_building(card)
    assert (facts["building_area"], facts["use_area"], facts["rooms_area"]) == (
        Decimal("5000"),
        Decimal("4000"),
        Decimal("18"),
    )
    space.update_building(actor=staff.space_a, building=room.building, building_area=Decimal("5200"))
    space.update_room(actor=staff.space_a, room=room, use_area=Decimal("24"))
    facts = selectors.card_building(card)
    assert facts["building_area"] == Decimal("5200") and facts["rooms_area"] == Decimal("24")


def test_another_units_administrator_cannot_book_the_building(cats, tree, admins):
    building = BuildingFactory(org_unit=tree.a)
    with pytest.raises(PermissionDenied):
        book(admins.b, building)
    assert not Asset.objects.exists()
    assert building not in selectors.buildings_to_book(admins.b)


def test_bad_value_or_date_is_refused_naming_the_field(cats, tree, admins):
    building = BuildingFactory(org_unit=tree.a)
    with pytest.raises(ValidationError) as exc:
        book(admins.a, building, original_value=Decimal("500"))
    assert "资本化起点" in exc.value.message_dict["original_value"][0]
    with pytest.raises(ValidationError) as exc:
        book(admins.a, building, acquired_on=date(2099, 1, 1))
    assert "acquired_on" in exc.value.message_dict
    assert not Asset.objects.exists()


def test_building_card_page_books_and_shows_the_buildings_areas(cats, tree, admins, client):
    building = BuildingFactory(org_unit=tree.a, structure="masonry")
    client.force_login(admins.a)
    url = reverse("assets:building-card-create")
    response = client.post(
        url,
        {
            "building": building.pk,
            "original_value": "8000000",
            "acquired_on": "2005-03-01",
            "acquisition_way": "self_built",
        },
    )
    card = Asset.objects.get(building=building)
    assert response.status_code == 302 and card.useful_life_months == 360
    page = client.get(reverse("assets:card-detail", args=[card.pk])).content.decode()
    assert "5,000.00" in page and "砖混" in page  # the building's area through the amount filter
    # Another unit's administrator is not offered the building, and cannot book it by its id.
    client.force_login(admins.b)
    assert building.name not in client.get(url).content.decode()
    other = BuildingFactory(org_unit=tree.a)
    client.post(url, {"building": other.pk, "original_value": "1000000", "acquired_on": "2005-03-01"})
    assert not Asset.objects.filter(building=other).exists()
