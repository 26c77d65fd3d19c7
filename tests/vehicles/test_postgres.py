"""The exclusion constraints behind the no-double-booking rule, on PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from vehicles import services
from vehicles.models import Dispatch

from .factories import DispatchFactory, DriverFactory, VehicleFactory
from .test_trips import approve_all, file

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL: GiST exclusion constraints and two connections",
    ),
]


@pytest.mark.django_db
def test_database_refuses_overlapping_bookings_of_one_vehicle_even_bypassing_the_service(fleet, tree):
    car = VehicleFactory(org_unit=tree.a)
    ticket = file(fleet.clerk_a1)
    first = DispatchFactory(vehicle=car, ticket=ticket)
    with pytest.raises(IntegrityError, match="dispatch_vehicle_no_overlap"), transaction.atomic():
        DispatchFactory(vehicle=car, ticket=ticket, starts_at=first.starts_at + timedelta(minutes=30))
    # A cancelled booking does not hold the window.
    Dispatch.objects.filter(pk=first.pk).update(status=Dispatch.Status.CANCELLED)
    assert DispatchFactory(vehicle=car, ticket=ticket, starts_at=first.starts_at).pk


@pytest.mark.django_db
def test_database_refuses_overlapping_bookings_of_one_driver(fleet, tree):
    driver = DriverFactory(org_unit=tree.a)
    ticket = file(fleet.clerk_a1)
    first = DispatchFactory(vehicle=VehicleFactory(org_unit=tree.a), driver=driver, ticket=ticket)
    with pytest.raises(IntegrityError, match="dispatch_driver_no_overlap"), transaction.atomic():
        DispatchFactory(
            vehicle=VehicleFactory(org_unit=tree.a), driver=driver, ticket=ticket, starts_at=first.starts_at
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("shared", "message"), [("vehicle", "已被派出"), ("driver", "已有出车任务")])
def test_concurrent_double_booking_fails_cleanly_for_one(fleet, tree, shared, message):
    one_car, one_driver = VehicleFactory(org_unit=tree.a), DriverFactory(org_unit=tree.a)
    cars = [one_car, one_car] if shared == "vehicle" else [one_car, VehicleFactory(org_unit=tree.a)]
    drivers = [one_driver, one_driver] if shared == "driver" else [one_driver, DriverFactory(org_unit=tree.a)]
    tickets = [approve_all(file(fleet.clerk_a1)) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def book(i):
        try:
            barrier.wait(timeout=10)
            services.dispatch_trip(actor=fleet.disp_a, ticket=tickets[i], vehicle=cars[i], driver=drivers[i])
            outcomes[i] = "won"
        except ValidationError as exc:
            outcomes[i] = exc.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes.values()).count("won") == 1, outcomes
    loser = next(m for m in outcomes.values() if m != "won")
    assert message in loser
    assert Dispatch.objects.count() == 1
    # The loser's ticket was left as it was (its start of handling rolled back with the booking).
    statuses = sorted(t.__class__.objects.get(pk=t.pk).status for t in tickets)
    assert statuses == ["approved", "in_progress"]
