"""Bugs found walking every role through the platform (issue #19): the emergency-trip reviewer opens the
ticket she is asked to review; emergency trips head the dispatch board; the ledger's insurance filter."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory, grant
from vehicles.models import CostRecord

from .factories import VehicleFactory
from .test_trips import approve_all, file


def test_emergency_trip_reviewer_opens_the_ticket_from_the_review_list(login, fleet):
    ticket = file(fleet.clerk_a1, emergency=True)
    client = login(fleet.head_a1)
    html = client.get(reverse("vehicles:reviews")).content.decode()
    link = reverse("portal:ticket", args=[ticket.pk])
    assert link in html
    response = client.get(link)
    assert response.status_code == 200 and ticket.title in response.content.decode()


def test_another_departments_head_still_gets_404_on_the_emergency_ticket(login, fleet, tree):
    ticket = file(fleet.clerk_a1, emergency=True)
    other_head = grant(UserFactory(org_unit=tree.b1), "approver", tree.b1)
    assert login(other_head).get(reverse("portal:ticket", args=[ticket.pk])).status_code == 404


def test_emergency_trips_come_first_on_the_dispatch_board(login, fleet):
    routine = approve_all(file(fleet.clerk_a1))
    later = timezone.now().replace(microsecond=0) + timedelta(hours=5)
    urgent = file(fleet.clerk_a1, emergency=True, starts_at=later, ends_at=later + timedelta(hours=2))
    html = login(fleet.disp_a).get(reverse("vehicles:board")).content.decode()
    first = html.index(reverse("vehicles:assign", args=[urgent.pk]))
    assert first < html.index(reverse("vehicles:assign", args=[routine.pk]))


def test_ledger_lists_vehicles_whose_insurance_runs_out(login, fleet, tree):
    soon = VehicleFactory(org_unit=tree.a, plate="浙A0INS1")
    fine = VehicleFactory(org_unit=tree.a, plate="浙A0INS2")
    today = timezone.localdate()
    for vehicle, until in ((soon, today + timedelta(days=10)), (fine, today + timedelta(days=200))):
        CostRecord.objects.create(
            vehicle=vehicle, kind=CostRecord.Kind.INSURANCE, date=today, amount=3000, valid_until=until
        )
    client = login(fleet.disp_a)
    html = client.get(reverse("vehicles:vehicle-list") + "?insurance_expiring=1").content.decode()
    assert "浙A0INS1" in html and "浙A0INS2" not in html
    home = client.get(reverse("home")).content.decode()
    assert "保险 30 日内到期或已过期的车辆" in home


def test_dispatch_record_and_return_time_read_in_asia_shanghai(login, fleet, tree):
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from portal import services as portal
    from vehicles import services
    from vehicles.models import Dispatch

    from .factories import DriverFactory

    shanghai = ZoneInfo("Asia/Shanghai")
    start = (
        (timezone.now() + timedelta(days=1)).astimezone(shanghai).replace(hour=14, minute=0, second=0, microsecond=0)
    )
    ticket = approve_all(file(fleet.clerk_a1, starts_at=start, ends_at=start + timedelta(hours=3)))
    car = VehicleFactory(org_unit=tree.a, odometer_km=20000)
    dispatch = services.dispatch_trip(
        actor=fleet.disp_a, ticket=ticket, vehicle=car, driver=DriverFactory(org_unit=tree.a)
    )
    html = login(fleet.clerk_a1).get(reverse("portal:ticket", args=[ticket.pk])).content.decode()
    assert f"{start:%Y-%m-%d} 14:00" in html and f"{start:%Y-%m-%d} 06:00" not in html
    services.depart(actor=fleet.disp_a, dispatch=dispatch, odometer_km=20010)
    returned = timezone.now().replace(second=0, microsecond=0)
    Dispatch.objects.filter(pk=dispatch.pk).update(departed_at=returned - timedelta(hours=2))
    portal.complete(
        actor=fleet.disp_a,
        ticket=ticket,
        outcome={
            "returned_at": returned,
            "odometer_in": 20060,
            "fuel_litres": Decimal("20"),
            "fuel_cost": Decimal("160"),
            "toll_cost": Decimal("35"),
            "parking_cost": Decimal("10"),
            "notes": "顺利",
        },
    )
    html = login(fleet.clerk_a1).get(reverse("portal:ticket", args=[ticket.pk])).content.decode()
    assert f"归还时间：{returned.astimezone(shanghai):%Y-%m-%d %H:%M}" in html
    assert "+00:00" not in html
