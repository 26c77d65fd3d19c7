"""一数一源: a vehicle is an asset card (GB/T 14885 车辆 A0203). Registering a vehicle books or links its
card; the purchase price and date are the card's; the vehicle leaves the ledger only through an approved
资产处置 request on its card (第二十二条: 8 years, or early with the bureau's approval), in the card's own
disposal transaction — a refused request or a refused step changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assets import services as asset_services
from assets.models import Asset, AssetStatus, Movement
from datahub.roles import Role
from portal import services as portal
from portal.models import TicketStep
from portal.registry import get
from tests.factories import UserFactory, grant
from vehicles import rules, selectors, services
from vehicles.models import Disposal, Vehicle

from .factories import DispatchFactory, VehicleFactory, registration_fields, vehicle_card

pytestmark = pytest.mark.django_db


def fields(unit, **over):
    return registration_fields(unit, **over)


@pytest.fixture
def keeper(tree):
    """The asset administrator of agency A (甲厅)."""
    return grant(UserFactory(username="keeper_a", name="甲资产员", org_unit=tree.a), Role.ASSET_ADMIN, tree.a)


def disposal_request(fleet, vehicle, **detail):
    return portal.file_request(
        requester=fleet.clerk_a1,
        kind_code="asset_disposal",
        detail_fields={"asset": vehicle.asset, "way": "scrap", "reason": "超年限报废", **detail},
    )


def decide_all(ticket, decision="approved", comment="同意"):
    while (step := TicketStep.objects.filter(ticket=ticket, decision=TicketStep.Decision.PENDING).first()) is not None:
        portal.decide(actor=step.assignees.first(), ticket=ticket, step_id=step.pk, decision=decision, comment=comment)
        ticket.refresh_from_db()
        if decision != "approved":
            break
    return ticket


# --- Registration creates or links the card -------------------------------------------------------


def test_registering_a_vehicle_books_its_card_of_class_vehicles(fleet, tree):
    car = services.register_vehicle(actor=fleet.disp_a, fields=fields(tree.a1))
    card = Asset.objects.get(pk=car.asset_id)
    assert card.category.code == "A0203" and card.unit_of_measure == "辆"
    assert (card.original_value, card.acquired_on) == (Decimal("118000"), date(2024, 5, 1))
    assert card.org_unit == tree.a and card.user_department == tree.a1  # the institution's books
    assert Movement.objects.filter(asset=card, kind="book").count() == 1
    # The vehicle shows the card's facts: one source.
    assert (car.purchase_price, car.purchase_date) == (card.original_value, card.acquired_on)
    Asset.objects.filter(pk=card.pk).update(original_value=Decimal("117500"))
    assert Vehicle.objects.get(pk=car.pk).purchase_price == Decimal("117500")
    assert selectors.card_of(car)["asset_number"] == card.asset_number


def test_registering_with_an_existing_card_links_it_without_typing_price_or_date(fleet, tree):
    card = vehicle_card(tree.a, Decimal("115000"), date(2023, 6, 1))
    over = {"purchase_price": None, "purchase_date": None, "asset_number": card.asset_number.lower()}
    car = services.register_vehicle(actor=fleet.disp_a, fields=fields(tree.a1, **over))
    assert car.asset_id == card.pk and car.purchase_date == date(2023, 6, 1)
    assert Asset.objects.count() == 1
    with pytest.raises(ValidationError) as exc:  # one card, one vehicle
        services.register_vehicle(
            actor=fleet.disp_a, fields=fields(tree.a1, plate="浙A22222", vin="LSVAM4187C2122222", **over)
        )
    assert "已登记为另一辆车" in exc.value.message_dict["asset_number"][0]


def test_linking_a_card_of_another_unit_or_class_is_refused_and_nothing_is_written(fleet, tree, keeper):
    other = vehicle_card(tree.b, Decimal("115000"), date(2023, 6, 1))
    desk = asset_services.register_card(
        actor=keeper,
        org_unit=tree.a,
        category=Asset._meta.get_field("category").related_model.objects.get(code="A02010105"),
        name="台式计算机",
        original_value=Decimal("4800"),
        acquired_on=date(2024, 1, 1),
    )
    for number, message in ((other.asset_number, "本单位没有编号"), (desk.asset_number, "不是车辆")):
        with pytest.raises(ValidationError) as exc:
            services.register_vehicle(actor=fleet.disp_a, fields=fields(tree.a1, asset_number=number))
        assert message in exc.value.message_dict["asset_number"][0]
    assert not Vehicle.objects.exists() and Asset.objects.count() == 2


def test_registration_without_price_and_date_names_both_fields(fleet, tree):
    with pytest.raises(ValidationError) as exc:
        services.register_vehicle(actor=fleet.disp_a, fields=fields(tree.a1, purchase_price=None, purchase_date=None))
    assert {"purchase_price", "purchase_date"} <= set(exc.value.message_dict)
    assert not Vehicle.objects.exists() and not Asset.objects.exists()


def test_future_purchase_date_or_caps_refusal_books_no_card(fleet, tree):
    with pytest.raises(ValidationError) as exc:
        services.register_vehicle(actor=fleet.disp_a, fields=fields(tree.a1, purchase_date=date(2099, 1, 1)))
    assert "purchase_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.register_vehicle(actor=fleet.disp_a, fields=fields(tree.a1, purchase_price=Decimal("190000")))
    assert "purchase_price" in exc.value.message_dict
    assert not Asset.objects.exists()


def test_price_and_date_are_changed_on_the_card_not_on_the_vehicle(fleet, tree):
    car = services.register_vehicle(actor=fleet.disp_a, fields=fields(tree.a1))
    with pytest.raises(ValidationError) as exc:
        services.update_vehicle(actor=fleet.disp_a, vehicle=car, fields={"purchase_price": Decimal("1")})
    assert "资产卡片" in exc.value.message_dict["purchase_price"][0]
    assert Asset.objects.get(pk=car.asset_id).original_value == Decimal("118000")


def test_another_units_dispatcher_cannot_register_into_a(fleet, tree):
    with pytest.raises(PermissionDenied):
        services.register_vehicle(actor=fleet.disp_b, fields=fields(tree.a1))
    assert not Asset.objects.exists()


def test_vehicle_without_a_card_is_listed_for_the_asset_administrator(fleet, tree, keeper):
    car = VehicleFactory(org_unit=tree.a1, asset=None)
    VehicleFactory(org_unit=tree.b1, asset=None)
    assert list(selectors.vehicles_without_card(keeper, roles=(Role.ASSET_ADMIN,))) == [car]
    card = vehicle_card(tree.a)
    services.vehicle_card_link(actor=keeper, vehicle=car, asset_number=card.asset_number)
    assert not selectors.vehicles_without_card(keeper, roles=(Role.ASSET_ADMIN,)).exists()


# --- Disposal only through the approved request ------------------------------------------------------


def test_disposal_through_the_approved_request_disposes_card_and_vehicle_together(fleet, tree, keeper):
    car = VehicleFactory(org_unit=tree.a1, purchase_date=date(2016, 1, 1))
    ticket = decide_all(disposal_request(fleet, car))
    assert ticket.status == "approved"
    portal.start_handling(actor=keeper, ticket=ticket)
    portal.complete(actor=keeper, ticket=ticket, outcome={"disposed_on": date(2026, 2, 1), "income": Decimal("800")})
    car.refresh_from_db()
    card = Asset.objects.get(pk=car.asset_id)
    disposal = Disposal.objects.get(vehicle=car)
    assert car.status == rules.VehicleStatus.DISPOSED and card.status == AssetStatus.DISPOSED
    assert disposal.ticket_id == ticket.pk and disposal.get_method_display() == "报废"
    assert disposal.proceeds == Decimal("800") and disposal.date == card.disposed_on == date(2026, 2, 1)


def test_refused_request_changes_nothing(fleet, tree, keeper):
    car = VehicleFactory(org_unit=tree.a1, purchase_date=date(2016, 1, 1))
    ticket = decide_all(disposal_request(fleet, car), decision="rejected", comment="仍可使用")
    assert ticket.status == "rejected"
    with pytest.raises((ValidationError, PermissionDenied)):
        portal.start_handling(actor=keeper, ticket=ticket)
    car.refresh_from_db()
    assert car.status == rules.VehicleStatus.AVAILABLE and not Disposal.objects.exists()
    assert Asset.objects.get(pk=car.asset_id).status == AssetStatus.IN_USE


def test_a_typed_approval_alone_disposes_nothing(fleet, tree, keeper):
    car = VehicleFactory(org_unit=tree.a1, purchase_date=date(2016, 1, 1))
    bureau = grant(UserFactory(), Role.BUREAU_ADMIN, tree.r)
    for actor in (keeper, bureau):
        with pytest.raises(ValidationError) as exc:
            asset_services.dispose(asset=car.asset, way="scrap", actor=actor, note="浙机管〔2026〕3号")
        assert "资产处置" in exc.value.message_dict["ticket"][0]
    assert not hasattr(services, "dispose")  # the fleet's own typed disposal is gone
    car.refresh_from_db()
    assert car.status == rules.VehicleStatus.AVAILABLE
    assert Asset.objects.get(pk=car.asset_id).status == AssetStatus.IN_USE


def test_open_dispatch_refuses_the_disposal_and_the_card_stays(fleet, tree, keeper):
    car = VehicleFactory(org_unit=tree.a1, purchase_date=date(2016, 1, 1))
    ticket = decide_all(disposal_request(fleet, car))
    DispatchFactory(vehicle=car, ticket=ticket)
    portal.start_handling(actor=keeper, ticket=ticket)
    with pytest.raises(ValidationError) as exc:
        portal.complete(actor=keeper, ticket=ticket, outcome={"disposed_on": date(2026, 2, 1)})
    assert "未完成的派车单" in str(exc.value)
    assert Asset.objects.get(pk=car.asset_id).status == AssetStatus.IN_USE
    assert Vehicle.objects.get(pk=car.pk).status == rules.VehicleStatus.AVAILABLE


def test_eight_year_rule_on_filing_and_early_disposal_needs_the_bureau(fleet, tree):
    car = VehicleFactory(org_unit=tree.a1, purchase_date=date(2022, 3, 1))
    with pytest.raises(ValidationError) as exc:
        disposal_request(fleet, car)
    assert "未满8年" in exc.value.message_dict["early"][0]
    ticket = disposal_request(fleet, car, early=True, reason="事故损毁，经鉴定无修复价值")
    kind = get("asset_disposal")
    detail = kind.detail_model.objects.get(ticket=ticket)
    assert "机关事务管理局审批（原值较高或提前处置）" in [s.name for s in kind.chain if s.applies_to(detail)]


def test_a_way_outside_article_22_is_refused(fleet, tree):
    car = VehicleFactory(org_unit=tree.a1, purchase_date=date(2016, 1, 1))
    with pytest.raises(ValidationError) as exc:
        disposal_request(fleet, car, way="donation")
    assert "第二十二条" in exc.value.message_dict["way"][0]


def test_another_units_asset_administrator_cannot_carry_out_the_disposal(fleet, tree, keeper):
    car = VehicleFactory(org_unit=tree.a1, purchase_date=date(2016, 1, 1))
    other = grant(UserFactory(), Role.ASSET_ADMIN, tree.b)
    ticket = decide_all(disposal_request(fleet, car))
    with pytest.raises(PermissionDenied):
        portal.start_handling(actor=other, ticket=ticket)
    with pytest.raises(PermissionDenied):
        asset_services.dispose(asset=car.asset, way="scrap", actor=other, ticket=ticket)
    assert Vehicle.objects.get(pk=car.pk).status == rules.VehicleStatus.AVAILABLE
