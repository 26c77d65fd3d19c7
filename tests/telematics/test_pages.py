"""Monitoring pages: scoped lists, acknowledgement, terminals and tokens, calendar, fences, rules."""

import pytest
from django.test import Client

from telematics import selectors, services
from telematics.models import Alert, CalendarDay, Geofence, Terminal
from telematics.rules import AlertKind
from tests.unit_paths import shown

from .conftest import SQUARE, at, drive
from .factories import VehicleFactory

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alerts(fleet, upload):
    upload(fleet.token_a, drive(at(2026, 3, 7, 21), 3, speed=130))
    upload(fleet.token_b, drive(at(2026, 3, 7, 21), 3, speed=130))
    return fleet


def test_alert_page_lists_only_own_units_alerts(alerts):
    page = login(alerts.dispatcher_a).get("/telematics/alerts/").content.decode()
    assert "浙A12345" in page and "浙B54321" not in page
    other = Alert.objects.filter(vehicle=alerts.car_b).first()
    assert login(alerts.dispatcher_a).get(f"/telematics/alerts/{other.pk}/").status_code == 404


def test_civil_servant_is_refused(alerts):
    assert login(alerts.clerk_a1).get("/telematics/alerts/").status_code == 403


def test_alert_page_query_count_is_fixed(alerts, django_assert_max_num_queries, django_assert_num_queries):
    client = login(alerts.leader)
    client.get("/telematics/alerts/")  # warm the session
    with django_assert_max_num_queries(14) as captured:
        client.get("/telematics/alerts/")
    baseline = len(captured)
    for i in range(5):
        _, token = services.create_terminal(
            actor=alerts.dispatcher_a, vehicle=VehicleFactory(org_unit=alerts.car_a.org_unit), serial=f"P-{i}"
        )
        from rest_framework.test import APIClient

        APIClient().post(
            "/api/v1/telematics/positions/",
            {"points": drive(at(2026, 3, 8, 21), 1, speed=130)},
            format="json",
            HTTP_AUTHORIZATION=f"Terminal {token}",
        )
    with django_assert_num_queries(baseline):
        response = client.get("/telematics/alerts/")
    assert response.content.decode().count("/telematics/alerts/") >= 20
    assert f"<td>{shown(alerts.car_a.org_unit)}</td>" in response.content.decode()


def test_alert_export_is_scoped(alerts):
    from io import BytesIO

    from openpyxl import load_workbook

    response = login(alerts.dispatcher_a).get("/telematics/alerts/?status=&export=xlsx")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("车牌号", "所属单位", "告警类型")
    assert {r[0] for r in rows[1:]} == {"浙A12345"} and len(rows) == 4


def test_acknowledge_on_the_page(alerts):
    alert = Alert.objects.get(vehicle=alerts.car_a, kind=AlertKind.OVERSPEED)
    client = login(alerts.dispatcher_a)
    bad = client.post(f"/telematics/alerts/{alert.pk}/", {"comment": ""})
    assert "请填写处理意见" in bad.content.decode()
    client.post(f"/telematics/alerts/{alert.pk}/", {"comment": "已约谈"})
    alert.refresh_from_db()
    assert (alert.status, alert.comment, alert.acknowledged_by) == ("acknowledged", "已约谈", alerts.dispatcher_a)


def test_leader_cannot_acknowledge_on_the_page(alerts):
    alert = Alert.objects.get(vehicle=alerts.car_a, kind=AlertKind.OVERSPEED)
    assert login(alerts.leader).post(f"/telematics/alerts/{alert.pk}/", {"comment": "阅"}).status_code == 403
    alert.refresh_from_db()
    assert alert.status == "open"


def test_alert_detail_draws_the_track(alerts):
    alert = Alert.objects.get(vehicle=alerts.car_a, kind=AlertKind.OVERSPEED)
    page = login(alerts.dispatcher_a).get(f"/telematics/alerts/{alert.pk}/").content.decode()
    assert "<polyline" in page and "共4个点" in page


def test_terminal_token_shown_once_at_registration(fleet):
    car = VehicleFactory(org_unit=fleet.car_a.org_unit, plate="浙A99999")
    client = login(fleet.dispatcher_a)
    form = client.get("/telematics/terminals/new/").content.decode()
    assert "浙A99999" in form and "浙B54321" not in form  # picked among the dispatcher's vehicles, never typed
    page = client.post("/telematics/terminals/new/", {"vehicle": car.pk, "serial": "T-NEW"}).content.decode()
    terminal = Terminal.objects.get(serial="T-NEW")
    assert terminal.vehicle == car
    token = page.split('<code class="token">')[1].split("</code>")[0]
    assert services.hash_token(token) == terminal.token_hash
    assert token not in client.get(f"/telematics/terminals/{terminal.pk}/").content.decode()


def test_terminal_for_another_units_vehicle_refused(fleet):
    page = login(fleet.dispatcher_a).post("/telematics/terminals/new/", {"vehicle": fleet.car_b.pk, "serial": "T-X"})
    assert "车辆：所选车辆不存在或不在您的管理范围内" in page.content.decode()
    assert not Terminal.objects.filter(serial="T-X").exists()


def test_terminal_without_a_vehicle_or_with_a_typed_plate_refused(fleet):
    client = login(fleet.dispatcher_a)
    for data in ({"serial": "T-Y"}, {"vehicle": "浙A12345", "serial": "T-Y"}, {"plate": "浙A12345", "serial": "T-Y"}):
        page = client.post("/telematics/terminals/new/", data).content.decode()
        assert "车辆：" in page
    assert not Terminal.objects.filter(serial="T-Y").exists()


def test_second_terminal_for_a_vehicle_refused(fleet):
    page = login(fleet.dispatcher_a).post("/telematics/terminals/new/", {"vehicle": fleet.car_a.pk, "serial": "T-2"})
    assert "已安装终端" in page.content.decode()
    assert Terminal.objects.count() == 2


def test_rotate_token_on_the_page(fleet):
    old = fleet.term_a.token_hash
    response = login(fleet.dispatcher_a).post(f"/telematics/terminals/{fleet.term_a.pk}/rotate/")
    assert "已更换令牌" in response.content.decode()
    fleet.term_a.refresh_from_db()
    assert fleet.term_a.token_hash != old


def test_terminals_of_another_unit_hidden_and_not_rotatable(fleet):
    client = login(fleet.dispatcher_a)
    assert "T-B-1" not in client.get("/telematics/terminals/").content.decode()
    assert client.get(f"/telematics/terminals/{fleet.term_b.pk}/").status_code == 404
    assert client.post(f"/telematics/terminals/{fleet.term_b.pk}/rotate/").status_code == 404


def test_terminal_list_query_count(fleet, django_assert_max_num_queries, django_assert_num_queries):
    client = login(fleet.leader)
    client.get("/telematics/terminals/")
    with django_assert_max_num_queries(14) as captured:
        client.get("/telematics/terminals/")
    baseline = len(captured)
    for i in range(5):
        services.create_terminal(
            actor=fleet.dispatcher_a, vehicle=VehicleFactory(org_unit=fleet.car_a.org_unit), serial=f"Q-{i}"
        )
    with django_assert_num_queries(baseline):
        assert "Q-4" in client.get("/telematics/terminals/").content.decode()


def test_bureau_admin_loads_holidays_and_sets_a_day(fleet):
    client = login(fleet.admin_a)
    client.post("/telematics/calendar/?year=2026", {"action": "load"})
    assert CalendarDay.objects.filter(date__year=2026, kind="holiday").count() == 33
    client.post(
        "/telematics/calendar/",
        {"date": "2026-07-01", "kind": "workday", "name": "夏令时", "work_start": "08:00", "work_end": "17:00"},
    )
    assert CalendarDay.objects.get(date="2026-07-01").work_end.hour == 17


def test_calendar_hours_on_a_holiday_refused(fleet):
    page = login(fleet.admin_a).post(
        "/telematics/calendar/", {"date": "2026-07-01", "kind": "holiday", "work_start": "08:00"}
    )
    assert "只有工作日或调休上班日可以设置上下班时间" in page.content.decode()
    assert not CalendarDay.objects.exists()


def test_dispatcher_cannot_change_the_calendar(fleet):
    response = login(fleet.dispatcher_a).post("/telematics/calendar/", {"date": "2026-07-01", "kind": "holiday"})
    assert response.status_code == 403
    assert not CalendarDay.objects.exists()


def test_geofence_created_and_drawn(fleet):
    client = login(fleet.dispatcher_a)
    client.post(
        "/telematics/geofences/new/",
        {"org_unit": fleet.car_a.org_unit_id, "name": "基地", "polygon_text": SQUARE, "is_active": "on"},
    )
    fence = Geofence.objects.get()
    assert fence.polygon == [[120.0, 30.0], [120.2, 30.0], [120.2, 30.2], [120.0, 30.2]]
    assert "<polygon" in client.get(f"/telematics/geofences/{fence.pk}/").content.decode()


def test_bad_geofence_refused_with_the_line(fleet):
    page = login(fleet.dispatcher_a).post(
        "/telematics/geofences/new/",
        {"org_unit": fleet.car_a.org_unit_id, "name": "基地", "polygon_text": "120,30\n121,x\n121,31"},
    )
    assert "第2行含有不是数字的内容" in page.content.decode()
    assert not Geofence.objects.exists()


def test_geofence_for_another_unit_refused(fleet):
    page = login(fleet.dispatcher_a).post(
        "/telematics/geofences/new/", {"org_unit": fleet.car_b.org_unit_id, "name": "基地", "polygon_text": SQUARE}
    )
    assert page.status_code == 200 and not Geofence.objects.exists()


def test_other_units_geofence_hidden(fleet):
    fence = services.save_geofence(
        actor=fleet.dispatcher_b, org_unit=fleet.car_b.org_unit, name="乙", polygon_text=SQUARE
    )
    client = login(fleet.dispatcher_a)
    assert "乙" not in client.get("/telematics/geofences/").content.decode().split("<table")[1]
    assert client.get(f"/telematics/geofences/{fence.pk}/").status_code == 404


def test_rule_set_for_own_unit_and_refused_out_of_range(fleet):
    client = login(fleet.dispatcher_a)
    client.post(
        "/telematics/rules/",
        {
            "kind": "overspeed",
            "org_unit": fleet.car_a.org_unit_id,
            "enabled": "on",
            "threshold": "80",
            "gap_minutes": "5",
        },
    )
    assert selectors.rules_for_unit(fleet.car_a.org_unit)[AlertKind.OVERSPEED].threshold == 80
    bad = client.post(
        "/telematics/rules/",
        {"kind": "overspeed", "org_unit": fleet.car_a.org_unit_id, "threshold": "5", "gap_minutes": "5"},
    )
    assert "限速应在20到250" in bad.content.decode()


def test_navigation_counts_open_alerts_in_scope(alerts):
    from datahub.navigation import SECTIONS

    section = next(s for s in SECTIONS if s.url_name == "telematics:home")
    assert section.count(alerts.dispatcher_a) == 3
    assert section.count(alerts.leader) == 6
    assert selectors.open_alerts(alerts.dispatcher_b).count() == 3


def test_large_alert_export_runs_as_a_scoped_background_job(
    alerts, settings, tmp_path, eager_celery, django_capture_on_commit_callbacks
):
    """Eager mode on purpose: the export job runs right after the request commits."""
    from io import BytesIO

    from django.urls import reverse
    from openpyxl import load_workbook

    from datahub.models import ExportJob

    settings.EXPORT_INLINE_MAX_ROWS = 2
    settings.MEDIA_ROOT = tmp_path
    client = login(alerts.dispatcher_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/telematics/alerts/", {"export": "xlsx", "status": ""})
    job = ExportJob.objects.get()
    assert response.url == reverse("export-job", args=[job.pk])
    assert (job.status, job.rows_total) == ("done", 3)
    download = client.get(reverse("export-download", args=[job.pk]))
    rows = list(load_workbook(BytesIO(b"".join(download.streaming_content))).active.values)
    assert {r[0] for r in rows[1:]} == {"浙A12345"}


def test_vehicle_track_page_draws_the_day_and_is_scoped(fleet, upload):
    upload(fleet.token_a, drive(at(2026, 3, 2, 10), 5))
    client = login(fleet.dispatcher_a)
    page = client.get(f"/telematics/vehicles/{fleet.car_a.pk}/track/?date=2026-03-02").content.decode()
    assert "<polyline" in page and "10:00:00 — 10:05:00" in page
    assert (
        "当天没有定位点" in client.get(f"/telematics/vehicles/{fleet.car_a.pk}/track/?date=2026-03-03").content.decode()
    )
    assert client.get(f"/telematics/vehicles/{fleet.car_b.pk}/track/?date=2026-03-02").status_code == 404


@pytest.mark.parametrize("garbage", ["abc", "²", "1e5", "2026-02-30", "0001-01-01", "9999-12-31", "-1", "99999999"])
def test_garbage_parameters_give_a_page_or_404_not_a_500(alerts, garbage):
    client = login(alerts.dispatcher_a)
    for url in (
        f"/telematics/alerts/?unit={garbage}&since={garbage}&until={garbage}",
        f"/telematics/calendar/?year={garbage}",
        f"/telematics/vehicles/{alerts.car_a.pk}/track/?date={garbage}",
    ):
        assert client.get(url).status_code in (200, 404), url  # an unknown unit id is a 404
    admin = login(alerts.admin_a)
    assert admin.post("/telematics/calendar/", {"action": "delete", "day": garbage}).status_code == 404
