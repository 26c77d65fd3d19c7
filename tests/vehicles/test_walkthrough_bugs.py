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
