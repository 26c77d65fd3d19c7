"""用车申请 through the portal's workflow engine: approval chain, dispatch without double booking,
departure and return on the same ticket, car-pooling, emergency requests reviewed afterwards."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from portal import services as portal
from portal.models import Ticket, TimelineEntry
from portal.workflow import Status
from vehicles import reminders, rules, selectors, services
from vehicles.models import CostRecord, Dispatch, TripRequest

from .factories import DriverFactory, VehicleFactory

pytestmark = pytest.mark.django_db
KIND = rules.TRIP_KIND


def trip_fields(**over):
    start = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    base = {
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "origin": "省政府",
        "destinations": "省档案馆",
        "passengers": 2,
        "purpose": "送审材料",
        "category": rules.Category.OTHER,
        "needs_driver": True,
    }
    return {**base, **over}


def approve_all(ticket):
    ticket.refresh_from_db()
    while ticket.status == Status.IN_REVIEW:
        step = ticket.current_step
        portal.decide(actor=step.assignees.first(), ticket=ticket, step_id=step.pk, decision="approved")
        ticket.refresh_from_db()
    return ticket


def file(requester, **over):
    return portal.file_request(requester=requester, kind_code=KIND, detail_fields=trip_fields(**over))


@pytest.fixture
def car(tree):
    return VehicleFactory(org_unit=tree.a, odometer_km=20000)


@pytest.fixture
def driver(tree):
    return DriverFactory(org_unit=tree.a)


# --- Approval chain -------------------------------------------------------------------------------


def test_chain_is_department_head_then_vehicle_office(fleet):
    ticket = file(fleet.clerk_a1)
    steps = list(ticket.steps.order_by("index").values_list("name", "assignees__username"))
    assert steps == [("处室负责人审批", "head_a1"), ("车辆管理部门审核", "disp_a")]


def test_out_of_city_trip_adds_a_bureau_step(fleet):
    ticket = file(fleet.clerk_a1, out_of_city=True)
    assert [s.role for s in ticket.steps.order_by("index")] == ["approver", "vehicle_dispatcher", "bureau_admin"]


def test_emergency_goes_straight_to_dispatch_and_is_reviewed_afterwards(fleet, car, driver):
    ticket = file(fleet.clerk_a1, emergency=True)
    assert ticket.status == Status.APPROVED and not ticket.steps.exists()
    assert fleet.head_a1.notifications.filter(key__endswith="emergency-review").exists()
    services.dispatch_trip(actor=fleet.disp_a, ticket=ticket, vehicle=car, driver=driver)
    with pytest.raises(ValidationError):
        services.review_emergency(actor=fleet.head_a1, ticket=ticket, comment="")
    with pytest.raises(PermissionDenied):
        services.review_emergency(actor=fleet.clerk_a1, ticket=ticket, comment="自己审")
    trip = services.review_emergency(actor=fleet.head_a1, ticket=ticket, comment="情况属实")
    assert trip.reviewed_by == fleet.head_a1
    with pytest.raises(ValidationError):
        services.review_emergency(actor=fleet.head_a1, ticket=ticket, comment="再审")


def test_emergency_trips_head_the_dispatch_queue(fleet):
    routine = approve_all(file(fleet.clerk_a1))
    later = timezone.now().replace(microsecond=0) + timedelta(hours=5)
    urgent = file(fleet.clerk_a1, emergency=True, starts_at=later, ends_at=later + timedelta(hours=2))
    queue = [trip.ticket_id for trip in selectors.waiting_trips(fleet.disp_a)]
    assert queue == [urgent.pk, routine.pk]


def test_request_with_end_before_start_refused(fleet):
    start = timezone.now() + timedelta(hours=3)
    with pytest.raises(ValidationError) as exc:
        file(fleet.clerk_a1, starts_at=start, ends_at=start - timedelta(hours=1))
    assert "ends_at" in exc.value.message_dict
    assert not Ticket.objects.exists()


# --- The full flow --------------------------------------------------------------------------------


def test_full_trip_flow_through_the_workflow_engine(fleet, car, driver):
    ticket = approve_all(file(fleet.clerk_a1))
    assert ticket.status == Status.APPROVED
    assert list(selectors.waiting_trips(fleet.disp_a)) == [TripRequest.objects.get(ticket=ticket)]
    assert car in selectors.available_vehicles(fleet.disp_a, *_window(ticket), category="other", seats=3)

    dispatch = services.dispatch_trip(actor=fleet.disp_a, ticket=ticket, vehicle=car, driver=driver)
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS and ticket.handler == fleet.disp_a
    assert car not in selectors.available_vehicles(fleet.disp_a, *_window(ticket))
    assert driver not in selectors.available_drivers(fleet.disp_a, *_window(ticket))

    services.depart(actor=fleet.disp_a, dispatch=dispatch, odometer_km=20010)
    car.refresh_from_db()
    assert car.status == rules.VehicleStatus.ON_TRIP

    returned = timezone.now()
    dispatch.refresh_from_db()
    Dispatch.objects.filter(pk=dispatch.pk).update(departed_at=returned - timedelta(hours=2))
    portal.complete(
        actor=fleet.disp_a,
        ticket=ticket,
        outcome={
            "returned_at": returned,
            "odometer_in": 20095,
            "fuel_litres": Decimal("20"),
            "fuel_cost": Decimal("160"),
            "toll_cost": Decimal("35"),
            "parking_cost": Decimal("10"),
            "notes": "顺利",
        },
    )
    dispatch.refresh_from_db()
    car.refresh_from_db()
    ticket.refresh_from_db()
    assert (dispatch.status, dispatch.distance_km) == (Dispatch.Status.RETURNED, 85)
    assert (car.status, car.odometer_km) == (rules.VehicleStatus.AVAILABLE, 20095)
    assert ticket.status == Status.DONE
    assert sorted(CostRecord.objects.filter(dispatch=dispatch).values_list("kind", "amount")) == [
        ("fuel", Decimal("160.00")),
        ("parking", Decimal("10.00")),
        ("toll", Decimal("35.00")),
    ]
    portal.rate(actor=fleet.clerk_a1, ticket=ticket, rating=5, comment="准时")
    assert Ticket.objects.get(pk=ticket.pk).rating == 5


def _window(ticket):
    trip = TripRequest.objects.get(ticket=ticket)
    return trip.starts_at, trip.ends_at


def _departed(fleet, car, driver, hours=2):
    ticket = approve_all(file(fleet.clerk_a1))
    dispatch = services.dispatch_trip(actor=fleet.disp_a, ticket=ticket, vehicle=car, driver=driver)
    services.depart(actor=fleet.disp_a, dispatch=dispatch, odometer_km=20000)
    Dispatch.objects.filter(pk=dispatch.pk).update(departed_at=timezone.now() - timedelta(hours=hours))
    return ticket, dispatch


def test_negative_distance_refused_and_nothing_changes(fleet, car, driver):
    ticket, dispatch = _departed(fleet, car, driver)
    with pytest.raises(ValidationError) as exc:
        portal.complete(actor=fleet.disp_a, ticket=ticket, outcome={"odometer_in": 19990})
    assert "小于出车里程" in exc.value.message_dict["odometer_in"][0]
    dispatch.refresh_from_db()
    ticket.refresh_from_db()
    assert dispatch.status == Dispatch.Status.DEPARTED and ticket.status == Status.IN_PROGRESS


def test_implausible_distance_refused(fleet, car, driver):
    ticket, _ = _departed(fleet, car, driver, hours=2)
    # Two hours out: at most 240 km at the rules' 120 km/h.
    with pytest.raises(ValidationError) as exc:
        portal.complete(actor=fleet.disp_a, ticket=ticket, outcome={"odometer_in": 20241})
    assert "不合常理" in exc.value.message_dict["odometer_in"][0]
    portal.complete(actor=fleet.disp_a, ticket=ticket, outcome={"odometer_in": 20240})
    assert Ticket.objects.get(pk=ticket.pk).status == Status.DONE


def test_return_before_departure_refused(fleet, car, driver):
    ticket, dispatch = _departed(fleet, car, driver)
    dispatch.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        portal.complete(
            actor=fleet.disp_a,
            ticket=ticket,
            outcome={"odometer_in": 20010, "returned_at": dispatch.departed_at - timedelta(minutes=1)},
        )
    assert "returned_at" in exc.value.message_dict


def test_departure_odometer_below_ledger_refused(fleet, car, driver):
    ticket = approve_all(file(fleet.clerk_a1))
    dispatch = services.dispatch_trip(actor=fleet.disp_a, ticket=ticket, vehicle=car, driver=driver)
    with pytest.raises(ValidationError) as exc:
        services.depart(actor=fleet.disp_a, dispatch=dispatch, odometer_km=19999)
    assert "odometer_km" in exc.value.message_dict


# --- Double booking -------------------------------------------------------------------------------


def test_vehicle_cannot_be_booked_for_overlapping_windows(fleet, car, driver):
    first = approve_all(file(fleet.clerk_a1))
    services.dispatch_trip(actor=fleet.disp_a, ticket=first, vehicle=car, driver=driver)
    start = TripRequest.objects.get(ticket=first).starts_at + timedelta(hours=1)
    second = approve_all(file(fleet.clerk_a1, starts_at=start, ends_at=start + timedelta(hours=4)))
    with pytest.raises(ValidationError) as exc:
        services.dispatch_trip(
            actor=fleet.disp_a, ticket=second, vehicle=car, driver=DriverFactory(org_unit=car.org_unit)
        )
    assert "已被派出" in exc.value.message_dict["vehicle"][0]
    assert Dispatch.objects.count() == 1
    assert Ticket.objects.get(pk=second.pk).status == Status.APPROVED  # nothing written


def test_driver_cannot_be_booked_for_overlapping_windows(fleet, car, driver, tree):
    first = approve_all(file(fleet.clerk_a1))
    services.dispatch_trip(actor=fleet.disp_a, ticket=first, vehicle=car, driver=driver)
    second = approve_all(file(fleet.clerk_a1))
    with pytest.raises(ValidationError) as exc:
        services.dispatch_trip(
            actor=fleet.disp_a, ticket=second, vehicle=VehicleFactory(org_unit=tree.a), driver=driver
        )
    assert "已有出车任务" in exc.value.message_dict["driver"][0]


def test_back_to_back_windows_are_not_an_overlap(fleet, car, driver):
    first = approve_all(file(fleet.clerk_a1))
    services.dispatch_trip(actor=fleet.disp_a, ticket=first, vehicle=car, driver=driver)
    end = TripRequest.objects.get(ticket=first).ends_at
    second = approve_all(file(fleet.clerk_a1, starts_at=end, ends_at=end + timedelta(hours=1)))
    assert services.dispatch_trip(actor=fleet.disp_a, ticket=second, vehicle=car, driver=driver).pk


def test_cancelled_dispatch_frees_the_window(fleet, car, driver):
    first = approve_all(file(fleet.clerk_a1))
    d = services.dispatch_trip(actor=fleet.disp_a, ticket=first, vehicle=car, driver=driver)
    services.cancel_dispatch(actor=fleet.disp_a, dispatch=d, reason="车辆故障")
    second = approve_all(file(fleet.clerk_a1))
    assert services.dispatch_trip(actor=fleet.disp_a, ticket=second, vehicle=car, driver=driver).pk


def test_driver_with_expired_licence_cannot_be_dispatched(fleet, car, tree):
    expired = DriverFactory(org_unit=tree.a, licence_expires=timezone.localdate() - timedelta(days=1))
    ticket = approve_all(file(fleet.clerk_a1))
    assert expired not in selectors.available_drivers(fleet.disp_a, *_window(ticket))
    with pytest.raises(ValidationError) as exc:
        services.dispatch_trip(actor=fleet.disp_a, ticket=ticket, vehicle=car, driver=expired)
    assert "驾驶证有效期" in exc.value.message_dict["driver"][0]


def test_driver_licence_must_cover_the_vehicle(fleet, tree):
    bus = VehicleFactory(org_unit=tree.a, seats=19, licence_needed="B1", category="other")
    c1 = DriverFactory(org_unit=tree.a, licence_class="C1")
    ticket = approve_all(file(fleet.clerk_a1, passengers=10))
    assert c1 not in selectors.available_drivers(fleet.disp_a, *_window(ticket), licence="B1")
    with pytest.raises(ValidationError) as exc:
        services.dispatch_trip(actor=fleet.disp_a, ticket=ticket, vehicle=bus, driver=c1)
    assert "准驾车型" in exc.value.message_dict["driver"][0]


def test_vehicle_in_maintenance_or_wrong_category_not_offered(fleet, car, driver, tree):
    confidential = VehicleFactory(org_unit=tree.a, category="confidential")
    ticket = approve_all(file(fleet.clerk_a1))
    services.set_status(actor=fleet.disp_a, vehicle=car, status="maintenance")
    assert list(selectors.available_vehicles(fleet.disp_a, *_window(ticket), category="other")) == []
    with pytest.raises(ValidationError):
        services.dispatch_trip(actor=fleet.disp_a, ticket=ticket, vehicle=car, driver=driver)
    with pytest.raises(ValidationError) as exc:
        services.dispatch_trip(actor=fleet.disp_a, ticket=ticket, vehicle=confidential, driver=driver)
    assert "机要通信用车" in exc.value.message_dict["vehicle"][0]


def test_request_not_yet_approved_cannot_be_dispatched(fleet, car, driver):
    ticket = file(fleet.clerk_a1)
    with pytest.raises(ValidationError):
        services.dispatch_trip(actor=fleet.disp_a, ticket=ticket, vehicle=car, driver=driver)


# --- Scoping --------------------------------------------------------------------------------------


def test_dispatcher_of_b_cannot_see_or_dispatch_a_vehicles(fleet, car, driver, tree):
    ticket = approve_all(file(fleet.clerk_a1))
    assert car not in selectors.available_vehicles(fleet.disp_b, *_window(ticket))
    assert not selectors.waiting_trips(fleet.disp_b).exists()
    with pytest.raises(PermissionDenied):
        services.dispatch_trip(actor=fleet.disp_b, ticket=ticket, vehicle=car, driver=driver)
    car_b = VehicleFactory(org_unit=tree.b)
    with pytest.raises(PermissionDenied):  # B's dispatcher does not handle A's requests either
        services.dispatch_trip(actor=fleet.disp_b, ticket=ticket, vehicle=car_b)
    assert not Dispatch.objects.exists()


# --- Car-pooling ----------------------------------------------------------------------------------


def test_compatible_request_joins_a_dispatch_and_closes_with_it(fleet, tree, car, driver):
    main = approve_all(file(fleet.clerk_a1, passengers=2))
    dispatch = services.dispatch_trip(actor=fleet.disp_a, ticket=main, vehicle=car, driver=driver)
    start, end = _window(main)
    rider = approve_all(
        file(fleet.clerk_a1, passengers=1, starts_at=start + timedelta(minutes=30), ends_at=end - timedelta(minutes=30))
    )
    trip = TripRequest.objects.get(ticket=rider)
    assert list(selectors.poolable_dispatches(fleet.disp_a, trip)) == [dispatch]
    services.pool_trip(actor=fleet.disp_a, ticket=rider, dispatch=dispatch)
    too_many = approve_all(file(fleet.clerk_a1, passengers=2))  # 1 driver + 3 seated: 1 seat left of 5
    with pytest.raises(ValidationError) as exc:
        services.pool_trip(actor=fleet.disp_a, ticket=too_many, dispatch=dispatch)
    assert "dispatch" in exc.value.message_dict

    services.depart(actor=fleet.disp_a, dispatch=dispatch, odometer_km=20000)
    Dispatch.objects.filter(pk=dispatch.pk).update(departed_at=timezone.now() - timedelta(hours=1))
    portal.complete(actor=fleet.disp_a, ticket=main, outcome={"odometer_in": 20030})
    assert Ticket.objects.get(pk=rider.pk).status == Status.DONE
    assert Ticket.objects.get(pk=main.pk).status == Status.DONE
    # The rider's timeline says why it closed, in the reader's language (issue #19).
    remark = TimelineEntry.objects.get(ticket=rider, action="complete")
    with translation.override("zh-hans"):
        assert remark.shown_comment == f"随派车单{dispatch.pk}一并办结（拼车）。" == remark.comment
    with translation.override("en"):
        assert remark.shown_comment == f"Completed with dispatch order {dispatch.pk} (car-pool)."


# --- Reminders ------------------------------------------------------------------------------------


def test_insurance_expiry_reminder_sent_once_to_the_dispatcher(fleet, tree, eager_celery):
    """Runs the beat task eagerly on purpose: it is the task body that is under test."""
    from vehicles.tasks import remind_expiring

    car = VehicleFactory(org_unit=tree.a1)
    today = timezone.localdate()
    CostRecord.objects.create(
        vehicle=car,
        kind="insurance",
        date=date(2025, 12, 1),
        amount=Decimal("3000"),
        valid_until=today + timedelta(days=10),
    )
    CostRecord.objects.create(
        vehicle=car,
        kind="inspection",
        date=date(2025, 12, 1),
        amount=Decimal("300"),
        valid_until=today + timedelta(days=90),
    )
    assert remind_expiring.delay().get() == 1
    assert remind_expiring.delay().get() == 0
    note = fleet.disp_a.notifications.get()
    assert car.plate in note.message and "保险" in note.message
    assert not fleet.disp_b.notifications.exists()


def test_renewed_insurance_is_not_reminded(fleet, tree):
    car = VehicleFactory(org_unit=tree.a1)
    today = timezone.localdate()
    CostRecord.objects.create(
        vehicle=car,
        kind="insurance",
        date=date(2025, 1, 1),
        amount=Decimal("3000"),
        valid_until=today + timedelta(days=5),
    )
    CostRecord.objects.create(
        vehicle=car, kind="insurance", date=today, amount=Decimal("3000"), valid_until=today + timedelta(days=370)
    )
    assert reminders.send_expiry_reminders() == 0
    assert not fleet.disp_a.notifications.exists()


def test_a_trip_longer_than_the_rules_maximum_is_refused(fleet):
    start = timezone.now() + timedelta(hours=3)
    with pytest.raises(ValidationError) as exc:
        file(fleet.clerk_a1, starts_at=start, ends_at=start + timedelta(days=rules.MAX_TRIP_DAYS, minutes=1))
    assert "最长" in exc.value.message_dict["ends_at"][0]
    assert file(fleet.clerk_a1, starts_at=start, ends_at=start + timedelta(days=rules.MAX_TRIP_DAYS)).pk


def test_a_week_long_booking_still_blocks_its_last_day(fleet, car, driver):
    start = timezone.now().replace(microsecond=0) + timedelta(hours=3)
    week = approve_all(file(fleet.clerk_a1, starts_at=start, ends_at=start + timedelta(days=rules.MAX_TRIP_DAYS)))
    services.dispatch_trip(actor=fleet.disp_a, ticket=week, vehicle=car, driver=driver)
    last_day = start + timedelta(days=rules.MAX_TRIP_DAYS - 1)
    assert car not in selectors.available_vehicles(fleet.disp_a, last_day, last_day + timedelta(hours=2))
    assert driver not in selectors.available_drivers(fleet.disp_a, last_day, last_day + timedelta(hours=2))


def test_expiry_reminder_is_in_the_beat_schedule():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["vehicles-expiry-reminders"]
    assert entry["task"] == "vehicles.tasks.remind_expiring" and entry["schedule"] == 24 * 60 * 60
