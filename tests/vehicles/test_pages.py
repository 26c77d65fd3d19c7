"""Vehicle pages: scoping (A's dispatcher never sees or changes B's vehicles), forms showing the service's
Chinese messages, exports, the dispatch board, statistics, and fixed query counts on the lists."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.workflow import Status
from vehicles.models import Dispatch, Driver, Vehicle

from .factories import DriverFactory, VehicleFactory
from .test_trips import approve_all, file

pytestmark = pytest.mark.django_db


def test_dispatcher_of_a_sees_only_a_vehicles_in_the_list(login, fleet, tree):
    VehicleFactory(org_unit=tree.a1, plate="浙A11111")
    VehicleFactory(org_unit=tree.b1, plate="浙B22222")
    html = login(fleet.disp_a).get(reverse("vehicles:vehicle-list")).content.decode()
    assert "浙A11111" in html and "浙B22222" not in html


def test_dispatcher_of_a_gets_404_on_b_vehicle_and_cannot_change_it(login, fleet, tree):
    car_b = VehicleFactory(org_unit=tree.b1)
    client = login(fleet.disp_a)
    assert client.get(reverse("vehicles:vehicle-detail", args=[car_b.pk])).status_code == 404
    assert client.post(reverse("vehicles:vehicle-update", args=[car_b.pk]), {"brand": "x"}).status_code == 404
    assert client.post(reverse("vehicles:vehicle-status", args=[car_b.pk]), {"status": "sealed"}).status_code == 404
    car_b.refresh_from_db()
    assert car_b.status == "available"


def test_civil_servant_cannot_open_the_ledger(login, fleet):
    assert login(fleet.clerk_a1).get(reverse("vehicles:vehicle-list")).status_code == 403


def test_registration_form_shows_the_cap_refusal_and_writes_nothing(login, fleet, tree):
    data = {
        "org_unit": tree.a1.pk,
        "plate": "浙A88888",
        "vin": "LSVAM4187C2188888",
        "category": "confidential",
        "brand": "红旗",
        "model_name": "H5",
        "energy_type": "gasoline",
        "body_type": "sedan",
        "use_scope": "general",
        "displacement": "1.5",
        "seats": "5",
        "licence_needed": "C1",
        "purchase_price": "130000",
        "purchase_date": "2024-01-01",
        "odometer_km": "0",
    }
    response = login(fleet.disp_a).post(reverse("vehicles:vehicle-create"), data)
    assert response.status_code == 200
    assert "超出机要通信用车的配备标准" in response.content.decode()
    assert not Vehicle.objects.exists()
    data["purchase_price"] = "115000"
    response = login(fleet.disp_a).post(reverse("vehicles:vehicle-create"), data)
    assert response.status_code == 302 and Vehicle.objects.get().plate == "浙A88888"


def test_registration_form_refuses_a_unit_out_of_scope(login, fleet, tree):
    response = login(fleet.disp_a).post(reverse("vehicles:vehicle-create"), {"org_unit": tree.b1.pk, "plate": "浙A1"})
    assert response.status_code == 200 and "org_unit" in response.context["form"].errors
    assert not Vehicle.objects.exists()


def test_vehicle_detail_shows_records_and_history(login, fleet, tree):
    car = VehicleFactory(org_unit=tree.a1)
    client = login(fleet.disp_a)
    client.post(
        reverse("vehicles:record-create", args=[car.pk]),
        {"kind": "maintenance", "date": "2026-01-05", "amount": "880", "supplier": "定点维修厂", "items": "换刹车片"},
    )
    html = client.get(reverse("vehicles:vehicle-detail", args=[car.pk])).content.decode()
    assert "换刹车片" in html and "880" in html


def test_record_form_shows_missing_fuel_fields(login, fleet, tree):
    car = VehicleFactory(org_unit=tree.a1)
    response = login(fleet.disp_a).post(
        reverse("vehicles:record-create", args=[car.pk]), {"kind": "fuel", "date": "2026-01-05", "amount": "300"}
    )
    assert "请填写加油升数或充电千瓦时" in response.content.decode()


def test_ledger_export_is_scoped(login, fleet, tree):
    VehicleFactory(org_unit=tree.a1, plate="浙A11111")
    VehicleFactory(org_unit=tree.b1, plate="浙B22222")
    response = login(fleet.disp_a).get(reverse("vehicles:vehicle-list") + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    plates = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert plates == ["浙A11111"]


def test_dispatch_board_assigns_and_records_departure(login, fleet, tree):
    car = VehicleFactory(org_unit=tree.a, odometer_km=100)
    driver = DriverFactory(org_unit=tree.a)
    ticket = approve_all(file(fleet.clerk_a1))
    client = login(fleet.disp_a)
    board = client.get(reverse("vehicles:board")).content.decode()
    assert reverse("vehicles:assign", args=[ticket.pk]) in board
    page = client.get(reverse("vehicles:assign", args=[ticket.pk])).content.decode()
    assert car.plate in page and driver.person.name in page
    client.post(reverse("vehicles:assign", args=[ticket.pk]), {"vehicle": car.pk, "driver": driver.pk})
    dispatch = Dispatch.objects.get()
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    client.post(reverse("vehicles:depart", args=[dispatch.pk]), {"odometer_km": "105"})
    dispatch.refresh_from_db()
    assert dispatch.status == "departed" and dispatch.odometer_out == 105


def test_dispatcher_of_b_cannot_open_a_request(login, fleet):
    ticket = approve_all(file(fleet.clerk_a1))
    assert login(fleet.disp_b).get(reverse("vehicles:assign", args=[ticket.pk])).status_code == 404


def test_return_is_recorded_on_the_ticket_page_and_a_bad_odometer_is_shown(login, fleet, tree):
    from vehicles import services

    car = VehicleFactory(org_unit=tree.a, odometer_km=100)
    ticket = approve_all(file(fleet.clerk_a1))
    dispatch = services.dispatch_trip(
        actor=fleet.disp_a, ticket=ticket, vehicle=car, driver=DriverFactory(org_unit=tree.a)
    )
    services.depart(actor=fleet.disp_a, dispatch=dispatch, odometer_km=100)
    client = login(fleet.disp_a)
    response = client.post(reverse("portal:complete", args=[ticket.pk]), {"odometer_in": "90"}, follow=True)
    assert "小于出车里程" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS


def test_filing_page_offers_the_trip_kind(login, fleet):
    response = login(fleet.clerk_a1).get(reverse("portal:new", args=["vehicle_trip"]))
    assert response.status_code == 200 and "需要驾驶员" in response.content.decode()


def test_emergency_review_page(login, fleet):
    ticket = file(fleet.clerk_a1, emergency=True)
    client = login(fleet.head_a1)
    assert ticket.title in client.get(reverse("vehicles:reviews")).content.decode()
    from vehicles.models import TripRequest

    trip = TripRequest.objects.get(ticket=ticket)
    client.post(reverse("vehicles:reviews"), {"trip": trip.pk, "comment": "情况属实"})
    trip.refresh_from_db()
    assert trip.reviewed_by == fleet.head_a1


def test_statistics_page_and_export(login, fleet, tree):
    VehicleFactory(org_unit=tree.a1, plate="浙A11111")
    client = login(fleet.disp_a)
    html = client.get(reverse("vehicles:statistics") + "?start=2026-03-02&end=2026-03-06").content.decode()
    assert "浙A11111" in html and "40 小时" in html
    response = client.get(reverse("vehicles:statistics") + "?start=2026-03-02&end=2026-03-06&export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert next(sheet.iter_rows(min_row=2, values_only=True))[0] == "浙A11111"


def test_renewal_page_lists_old_vehicles(login, fleet, tree):
    VehicleFactory(org_unit=tree.a1, plate="浙A00001", purchase_date=date(2012, 1, 1))
    VehicleFactory(org_unit=tree.a1, plate="浙A00002", purchase_date=timezone.localdate() - timedelta(days=365))
    html = login(fleet.disp_a).get(reverse("vehicles:renewal")).content.decode()
    assert "浙A00001" in html and "浙A00002" not in html


def test_driver_list_flags_expired_licences(login, fleet, tree):
    DriverFactory(org_unit=tree.a, licence_expires=date(2020, 1, 1))
    html = login(fleet.disp_a).get(reverse("vehicles:driver-list") + "?expired=1").content.decode()
    assert "已过期" in html
    assert Driver.objects.count() == 1


def test_home_and_sections(login, fleet, tree):
    VehicleFactory(org_unit=tree.a1)
    assert login(fleet.disp_a).get(reverse("vehicles:home")).status_code == 200


# Baselines with 30 rows on the page: session, user, grants (read roles), own unit (header), unread
# count, nav roles, units for the filter (lists) and the selected unit, count, the page (vehicles with their unit, drivers with
# person and unit joined), edit roles (may add). The renewal page has the unit filter too (the command center's
# 达到更新年限 figure opens it narrowed to a unit: its choices, one query), and reads the versioned vehicle rules
# twice (in force today: the renewal age; at the year's end: the new-energy share). The ledger without filters reads
# its count and its page in one statement (vehicles.ledger_page).
@pytest.mark.parametrize(("url_name", "queries"), [("vehicle-list", 7), ("driver-list", 8), ("renewal", 11)])
def test_list_pages_use_a_fixed_number_of_queries(login, fleet, tree, url_name, queries, django_assert_num_queries):
    for i in range(30):
        VehicleFactory(org_unit=tree.a1, plate=f"浙A{i:05d}", purchase_date=date(2010, 1, 1))
        DriverFactory(org_unit=tree.a1)
    client = login(fleet.disp_a)
    url = reverse(f"vehicles:{url_name}")
    client.get(url)  # warm the session
    with django_assert_num_queries(queries):
        r = client.get(url)
    assert r.status_code == 200
    if url_name != "renewal":  # the ledgers name the department with its agency, in the same queries
        assert f"<td>{tree.a.name} › {tree.a1.name}</td>" in r.content.decode()


def test_statistics_page_uses_a_fixed_number_of_queries(login, fleet, tree, django_assert_num_queries):
    from portal.models import Ticket

    ticket = Ticket.objects.create(kind="vehicle_trip", title="t", requester=fleet.clerk_a1, org_unit=tree.a1)
    for i in range(20):
        car = VehicleFactory(org_unit=tree.a1, plate=f"浙A{i:05d}")
        start = timezone.now() - timedelta(days=2, hours=i)
        Dispatch.objects.create(
            vehicle=car, ticket=ticket, starts_at=start, ends_at=start + timedelta(hours=1), distance_km=10
        )
    client = login(fleet.disp_a)
    url = reverse("vehicles:statistics")
    client.get(url)
    # The page's chrome (session, user, grants, unread count, nav roles, header, filter units) plus three for the figures: vehicles, dispatch windows, grouped costs — not one per vehicle.
    with django_assert_num_queries(9):  # 10 before one read of the grants per request (#17)
        assert client.get(url).status_code == 200


def test_admin_lists_are_scoped(login, fleet, tree):
    VehicleFactory(org_unit=tree.a1, plate="浙A11111")
    VehicleFactory(org_unit=tree.b1, plate="浙B22222")
    client = login(fleet.disp_a)
    html = client.get("/admin/vehicles/vehicle/").content.decode()
    assert "浙A11111" in html and "浙B22222" not in html
    for model in (
        "driver",
        "costrecord",
        "dispatch",
        "disposal",
        "triprequest",
        "vehiclequota",
        "quotachange",
        "purchasecap",
        "vehiclephoto",
    ):
        assert client.get(f"/admin/vehicles/{model}/").status_code == 200, model
    car_b = Vehicle.objects.get(plate="浙B22222")
    assert client.get(f"/admin/vehicles/vehicle/{car_b.pk}/change/").status_code in (302, 404)


def test_home_shows_quota_usage_with_approved_changes(login, fleet, tree):
    from vehicles import selectors, services
    from vehicles.models import VehicleQuota

    VehicleQuota.objects.filter(org_unit=tree.a1, category="other").update(quota=1)
    VehicleFactory(org_unit=tree.a1)
    services.quota_change_approve(
        actor=fleet.bureau, unit=tree.a1, category="other", delta=2, reason="应急", document="文1"
    )
    row = next(
        r
        for r in selectors.quota_usage(fleet.disp_a)
        if r["quota"].org_unit == tree.a1 and r["quota"].category == "other"
    )
    assert (row["allowed"], row["held"], row["full"]) == (3, 1, False)
    assert {r["quota"].org_unit for r in selectors.quota_usage(fleet.disp_a)} == {tree.a, tree.a1}
    assert "车辆编制使用情况" in login(fleet.disp_a).get(reverse("vehicles:home")).content.decode()


def test_department_head_sees_the_review_section_with_its_count(login, fleet):
    from datahub.navigation import sections_for

    file(fleet.clerk_a1, emergency=True)
    section = next(s for s in sections_for(fleet.head_a1) if s.url_name == "vehicles:reviews")
    assert section.count(fleet.head_a1) == 1
    assert not any(s.url_name == "vehicles:reviews" for s in sections_for(fleet.clerk_a1))


def test_photo_upload_is_served_only_within_scope(login, fleet, tree, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from vehicles.models import VehiclePhoto

    settings.MEDIA_ROOT = tmp_path
    car = VehicleFactory(org_unit=tree.a1)
    client = login(fleet.disp_a)
    bad = SimpleUploadedFile("car.exe", b"MZ", content_type="application/octet-stream")
    client.post(reverse("vehicles:vehicle-photo", args=[car.pk]), {"file": bad})
    assert not VehiclePhoto.objects.exists()
    photo = SimpleUploadedFile("car.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    client.post(reverse("vehicles:vehicle-photo", args=[car.pk]), {"file": photo, "caption": "正面"})
    stored = VehiclePhoto.objects.get()
    assert client.get(reverse("vehicles:photo", args=[stored.pk])).status_code == 200
    assert login(fleet.disp_b).get(reverse("vehicles:photo", args=[stored.pk])).status_code == 404


def test_a_photo_is_checked_by_content_not_by_extension(login, fleet, tree, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.badfiles import EXE
    from vehicles.models import VehiclePhoto

    settings.MEDIA_ROOT = tmp_path
    car = VehicleFactory(org_unit=tree.a1)
    fake = SimpleUploadedFile("正面.jpg", EXE, content_type="image/jpeg")
    response = login(fleet.disp_a).post(reverse("vehicles:vehicle-photo", args=[car.pk]), {"file": fake}, follow=True)
    assert "内容不是JPEG图片（实际内容识别为 .exe 文件）" in response.content.decode()
    assert not VehiclePhoto.objects.exists()


def test_purchase_check_page_shows_the_verdict(login, fleet, tree):
    client = login(fleet.disp_a)
    url = reverse("vehicles:purchase-check")
    params = {"org_unit": tree.a1.pk, "category": "other", "energy_type": "bev", "price": "175000"}
    assert "新能源轿车 18万元" in client.get(url, params).content.decode()
    params["price"] = "185000"
    assert "超出其他公务用车的配备标准" in client.get(url, params).content.decode()


def test_tabs_link_only_to_pages_the_user_may_open(login, fleet, tree):
    leader_home = login(fleet.leader).get(reverse("vehicles:home")).content.decode()
    assert reverse("vehicles:vehicle-list") in leader_home
    assert reverse("vehicles:board") not in leader_home  # dispatching is for dispatchers
    assert reverse("vehicles:reviews") not in leader_home
    head_reviews = login(fleet.head_a1).get(reverse("vehicles:reviews")).content.decode()
    assert reverse("vehicles:vehicle-list") not in head_reviews  # a department head reads no ledger
    assert reverse("vehicles:reviews") in head_reviews


@pytest.mark.parametrize("garbage", ["abc", "²", "1e5", "2026-02-30", "0001-01-01", "9999-12-31", "99999999"])
def test_garbage_parameters_give_a_page_or_404_not_a_500(login, fleet, tree, garbage):
    ticket = approve_all(file(fleet.clerk_a1))
    client = login(fleet.disp_a)
    for url in (
        f"{reverse('vehicles:vehicle-list')}?unit={garbage}",
        f"{reverse('vehicles:driver-list')}?unit={garbage}",
        f"{reverse('vehicles:statistics')}?start={garbage}&end={garbage}&unit={garbage}",
        f"{reverse('vehicles:renewal')}?year={garbage}",
    ):
        assert client.get(url).status_code in (200, 404), url  # an unknown unit id is a 404
    for data in ({"vehicle": garbage, "driver": garbage}, {"pool": "x" + garbage}):
        response = client.post(reverse("vehicles:assign", args=[ticket.pk]), data)
        assert response.status_code in (200, 404) and not Dispatch.objects.exists()
    head = login(fleet.head_a1)
    assert head.post(reverse("vehicles:reviews"), {"trip": garbage, "comment": "x"}).status_code == 404


def test_ledger_and_driver_filters(login, fleet, tree):
    VehicleFactory(org_unit=tree.a1, plate="浙A11111", brand="比亚迪", energy_type="electric", displacement=None)
    VehicleFactory(org_unit=tree.a, plate="浙A22222")
    VehicleFactory(org_unit=tree.b, plate="浙B33333", brand="比亚迪")
    DriverFactory(org_unit=tree.a1, licence_expires=timezone.localdate() - timedelta(days=1))
    DriverFactory(org_unit=tree.a)
    client = login(fleet.disp_a)

    def plates(query):
        page = client.get(reverse("vehicles:vehicle-list") + query).context["page"]
        return sorted(row["plate"] for row in page)

    assert plates("") == ["浙A11111", "浙A22222"]
    assert plates("?q=比亚迪") == ["浙A11111"]
    assert plates("?energy_type=electric") == ["浙A11111"]
    assert plates(f"?unit={tree.a1.pk}") == ["浙A11111"]
    drivers = client.get(reverse("vehicles:driver-list") + "?expired=1").context["page"]
    assert [d.org_unit for d in drivers] == [tree.a1]
