"""The command center's figures for the service, fleet and office-space questions added in #14, on a
hand-computed example: 甲厅 and 乙厅 under 浙江省, January 2026 against January 2025, "today" 2026-03-15.

- handling time by kind: 甲 finished two 维修报修 in 24 h and 48 h and one 用车 in 6 h; 乙 one 维修报修 in
  10 h; a year before 甲 finished one 维修报修 in 12 h;
- the fleet: 甲 holds two 其他公务用车 bought in 2016 (past the 8-year renewal age) and a BEV bought on
  2026-01-20, against a quota of 2 plus an approved change of 1; 乙 holds one gasoline car bought on
  2026-01-10 and has no quota; 甲's first car's insurance runs out in 10 days, its second's lapsed but was
  renewed, 乙's car's annual inspection lapsed 5 days ago; 甲 has a driver whose licence expired yesterday;
- office space: 甲's building holds an office (20 m²), a service room (30 m²) and an equipment room
  (10 m²); a leaver's office whose post ended on 2026-01-10 (due back 02-10: late), a second office ended
  the same day (due back 03-10: late) and one ended on 2026-02-01 (due back 04-01: not yet); 甲 has one
  repair request still open.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from commandcenter import dashboard, selectors, services, snapshot
from commandcenter.rules import Period
from datahub.roles import Role
from officespace import services as space_services
from officespace.models import Occupancy, RepairRequest, RoomCategory
from portal.models import Ticket
from portal.workflow import Status
from tests.factories import UserFactory, grant, superuser
from tests.sharing import shared_fixture
from tests.vehicles.factories import (
    CostRecordFactory,
    DispatchFactory,
    DriverFactory,
    VehicleFactory,
    VehicleQuotaFactory,
)
from vehicles import rules as vrules
from vehicles.models import CostRecord, QuotaChange

TODAY = date(2026, 3, 15)
JAN = Period("month", 2026, 1)


def at(y, m, d, hh=9):
    return timezone.make_aware(datetime(y, m, d, hh))


def done(unit, requester, kind, submitted, hours):
    return Ticket.objects.create(
        kind=kind,
        title=kind,
        requester=requester,
        org_unit=unit,
        status=Status.DONE,
        submitted_at=submitted,
        due_at=submitted + timedelta(days=5),
        closed_at=submitted + timedelta(hours=hours),
    )


def paper(vehicle, kind, until):
    return CostRecordFactory(
        vehicle=vehicle, kind=kind, date=until - timedelta(days=365), valid_until=until, fuel="", quantity=None
    )


def build_snapshot_world(tree):
    root = superuser()
    clerk_a, clerk_b = UserFactory(org_unit=tree.a1), UserFactory(org_unit=tree.b1)
    done(tree.a1, clerk_a, "repair", at(2026, 1, 5), 24)
    done(tree.a1, clerk_a, "repair", at(2026, 1, 12), 48)
    done(tree.a1, clerk_a, "vehicle_trip", at(2026, 1, 14), 6)
    done(tree.b1, clerk_b, "repair", at(2026, 1, 20), 10)
    done(tree.a1, clerk_a, "repair", at(2025, 1, 8), 12)
    open_repair = Ticket.objects.create(
        kind="repair",
        title="空调不制冷",
        requester=clerk_a,
        org_unit=tree.a1,
        status=Status.IN_REVIEW,
        submitted_at=at(2026, 3, 10),
        due_at=at(2026, 3, 30),
    )
    # Its detail, as the portal files it: 维修台账 lists the repair requests (未办结报修 opens it).
    RepairRequest.objects.create(
        ticket=open_repair,
        location="甲厅1号楼 501室",
        category="air_conditioning",
        description="空调不制冷",
        contact_phone="13800000001",
    )

    old = [VehicleFactory(org_unit=tree.a, purchase_date=date(2016, 5, 1)) for _ in range(2)]
    bev = VehicleFactory(
        org_unit=tree.a, energy_type=vrules.EnergyType.BEV, displacement=None, purchase_date=date(2026, 1, 20)
    )
    car_b = VehicleFactory(org_unit=tree.b, purchase_date=date(2026, 1, 10))
    # A night trip of 甲's BEV across the month's end: 4 hours in January, 4 in February.
    trip = Ticket.objects.create(
        kind="vehicle_trip",
        title="夜间出车",
        requester=clerk_a,
        org_unit=tree.a1,
        status=Status.IN_PROGRESS,
        submitted_at=at(2026, 1, 30),
        due_at=at(2026, 1, 31),
    )
    DispatchFactory(vehicle=bev, ticket=trip, starts_at=at(2026, 1, 31, 20), ends_at=at(2026, 2, 1, 4), distance_km=60)
    VehicleQuotaFactory(org_unit=tree.a, category=vrules.Category.OTHER, quota=2)
    QuotaChange.objects.create(
        org_unit=tree.a,
        category=vrules.Category.OTHER,
        delta=1,
        approved=True,
        reason="增编",
        document="浙编〔2026〕1号",
    )
    paper(old[0], CostRecord.Kind.INSURANCE, TODAY + timedelta(days=10))
    paper(old[1], CostRecord.Kind.INSURANCE, date(2026, 3, 1))
    paper(old[1], CostRecord.Kind.INSURANCE, date(2027, 3, 1))
    paper(car_b, CostRecord.Kind.INSPECTION, TODAY - timedelta(days=5))
    DriverFactory(org_unit=tree.a, licence_expires=TODAY - timedelta(days=1))

    building = space_services.create_building(
        actor=root,
        code="A-9",
        name="甲厅9号楼",
        address="杭州市某路9号",
        org_unit=tree.a,
        building_area=Decimal("500"),
        use_area=Decimal("300"),
    )
    floor = space_services.create_floor(actor=root, building=building, number=1)
    rooms = {
        category: space_services.create_room(
            actor=root, floor=floor, number=f"10{i}", use_area=Decimal(area), category=category
        )
        for i, (category, area) in enumerate(
            ((RoomCategory.OFFICE, "20"), (RoomCategory.SERVICE, "30"), (RoomCategory.EQUIPMENT, "10"))
        )
    }
    office = rooms[RoomCategory.OFFICE]
    for is_main, ended in ((True, date(2026, 1, 10)), (False, date(2026, 1, 10)), (False, date(2026, 2, 1))):
        Occupancy.objects.create(
            room=office,
            person=UserFactory(org_unit=tree.a1),
            is_main=is_main,
            start_date=date(2024, 1, 1),
            post_ended_on=ended,
            post_end_reason=Occupancy.PostEnd.TRANSFER if is_main else Occupancy.PostEnd.SIDE_POST_ENDED,
        )
    services.rollup_refresh(start=date(2025, 1, 1), end=date(2026, 4, 1))
    return root


shared_snapshot_world, snapshot_world = shared_fixture("snapshot_world", build_snapshot_world)


def page(unit, user, period=JAN):
    return dashboard.build(user, unit, period, TODAY)


def figure(built, key):
    return next(c for s in built["sections"] for c in s["cells"] if c.figure.key == key)


def section(built, key):
    return next(s for s in built["sections"] if s["key"] == key)


def test_average_handling_time_by_kind_against_the_same_month_last_year(snapshot_world, tree):
    kinds = {r["kind"]: r for r in section(page(tree.a, snapshot_world), "service")["kinds"]}
    assert (kinds["repair"]["done"], kinds["repair"]["hours"], kinds["repair"]["last_year"]) == (
        2,
        Decimal("36.0"),  # (24 + 48) / 2
        Decimal("12.0"),
    )
    assert kinds["repair"]["change_pct"] == Decimal("200.0")
    assert kinds["repair"]["label"] == "维修报修"
    assert (kinds["vehicle_trip"]["hours"], kinds["vehicle_trip"]["last_year"]) == (Decimal("6.0"), None)
    province = {r["kind"]: r for r in section(page(tree.r, snapshot_world), "service")["kinds"]}
    assert province["repair"]["hours"] == Decimal("27.3")  # (24 + 48 + 10) / 3


def test_new_energy_share_of_the_months_purchases_against_30_percent(snapshot_world, tree):
    province = page(tree.r, snapshot_world)
    assert figure(province, "vehicles_bought").value == 2
    share = figure(province, "nev_purchase_pct")
    assert (share.value, share.target_met) == (Decimal("50.0"), True)
    assert figure(page(tree.b, snapshot_world), "nev_purchase_pct").target_met is False  # 0 of 1
    # The year so far counts the same two purchases; 2025 had none, so no share at all.
    assert figure(page(tree.r, snapshot_world, Period("year", 2026, 0)), "nev_purchase_pct").value == Decimal("50.0")
    assert figure(page(tree.r, snapshot_world, Period("year", 2025, 0)), "nev_purchase_pct").value is None


def test_utilisation_is_booked_hours_over_the_fleets_working_hours(snapshot_world, tree):
    # January 2026 has 22 working days (176 h); 甲 held 3 vehicles at its end: 4 h of 528 h.
    assert figure(page(tree.a, snapshot_world), "utilisation").value == Decimal("0.8")
    # February: 20 working days (160 h) × 3 vehicles, 4 h.
    assert figure(page(tree.a, snapshot_world, Period("month", 2026, 2)), "utilisation").value == Decimal("0.8")
    # The quarter: 8 h over 64 working days × 8 h × 3 vehicles = 1,536 h.
    assert figure(page(tree.a, snapshot_world, Period("quarter", 2026, 1)), "utilisation").value == Decimal("0.5")
    assert figure(page(tree.b, snapshot_world), "utilisation").value == Decimal("0.0")  # a car, no trip


def test_vehicles_in_use_against_the_quota_by_category(snapshot_world, tree):
    quotas = section(page(tree.r, snapshot_world), "fleet")["quotas"]
    assert [(r["category"], r["held"], r["quota"]) for r in quotas] == [("other", 4, 3)]  # 乙 has no quota
    assert quotas[0]["over"] is True
    (of_a,) = section(page(tree.a, snapshot_world), "fleet")["quotas"]
    assert (of_a["held"], of_a["quota"], of_a["use_pct"], of_a["over"]) == (3, 3, Decimal("100.0"), False)


def test_renewal_and_expiring_papers_as_of_today(snapshot_world, tree):
    province = page(tree.r, snapshot_world)
    values = {k: figure(province, k).value for k in ("renewal_due", "insurance_expiring", "inspection_expiring")}
    assert values == {"renewal_due": 2, "insurance_expiring": 1, "inspection_expiring": 1}
    assert figure(province, "licences_expired").value == 1
    assert figure(page(tree.b, snapshot_world), "insurance_expiring").value == 0
    renewal = figure(province, "renewal_due")
    assert (renewal.last_year, renewal.percentile, renewal.extra["snapshot"]) == (None, None, True)


def test_office_area_by_use_and_offices_not_handed_back_in_time(snapshot_world, tree):
    built = page(tree.a, snapshot_world)
    areas = {r["category"]: (r["rooms"], r["area"], r["share_pct"]) for r in section(built, "space")["areas"]}
    assert areas["office"] == (1, Decimal("20.00"), Decimal("33.3"))
    assert areas["service"] == (1, Decimal("30.00"), Decimal("50.0"))
    assert areas["equipment"] == (1, Decimal("10.00"), Decimal("16.7"))
    assert areas["ancillary"][:2] == (0, None)
    assert (figure(built, "leavers_overdue").value, figure(built, "second_overdue").value) == (1, 1)
    assert figure(built, "repairs_open").value == 1
    assert figure(page(tree.b, snapshot_world), "leavers_overdue").value == 0


def test_needs_attention_lists_lapsed_and_expiring_papers_with_where_to_handle_them(snapshot_world, tree):
    lines = page(tree.r, snapshot_world)["attention"]["lines"]
    papers = [line for line in lines if "保险" in line["what"] or "年检" in line["what"]]
    assert [line["what"].split(" ")[1] for line in papers] == ["年检已过期（2026-03-10）", "保险将到期（2026-03-25）"]
    assert all(line["url"].startswith("/") and "/vehicles/" in line["url"] for line in papers)
    whats = {line["what"] for line in lines}
    assert {"调离/退休人员办公室逾期未腾退", "兼职结束的第二办公室逾期未腾退", "驾驶员驾驶证已过期"} <= whats


def test_a_leader_of_one_agency_sees_nothing_of_the_sibling(snapshot_world, tree):
    """甲厅's leader, even asking for the province's subtree through the selectors, counts 甲's rows only."""
    leader_a = grant(UserFactory(username="leader_snap_a", org_unit=tree.a), Role.LEADER, tree.a)
    snap = snapshot.counts(leader_a, tree.r, TODAY)
    assert snap["fleet"]["inspection_expiring"] == 0  # 乙's car
    assert sum(row["held"] for _, _, row in snap["fleet"]["categories"]) == 3
    assert all(p["vehicle"].org_unit_id == tree.a.pk for p in snap["papers"])
    assert selectors.unit_for(leader_a, tree.b.pk) is None and selectors.unit_for(leader_a, tree.r.pk) is None
    built = page(tree.a, leader_a)
    assert "乙" not in "".join(line["what"] + line["unit"].name for line in built["attention"]["lines"])


@pytest.mark.parametrize(
    ("key", "url_name"),
    [
        ("renewal_due", "vehicles:renewal"),
        ("insurance_expiring", "vehicles:vehicle-list"),
        ("inspection_expiring", "vehicles:vehicle-list"),
        ("licences_expired", "vehicles:driver-list"),
        ("repairs_open", "officespace:repairs"),
        ("vehicles_bought", "vehicles:renewal"),
    ],
)
def test_each_snapshot_figure_opens_its_list_of_the_unit(client, snapshot_world, tree, key, url_name):
    cell = figure(page(tree.a, snapshot_world), key)
    assert cell.url.startswith(reverse(url_name)) and f"unit={tree.a.pk}" in cell.url
    client.force_login(snapshot_world)
    listed = client.get(cell.url)
    assert listed.status_code == 200
    if key not in ("vehicles_bought",):  # the renewal page lists the cars due, its share table the purchases
        assert listed.context["page"].paginator.count == cell.value


def test_a_kind_row_opens_the_finished_requests_of_that_kind(client, snapshot_world, tree):
    row = next(r for r in section(page(tree.a, snapshot_world), "service")["kinds"] if r["kind"] == "repair")
    client.force_login(snapshot_world)
    listed = client.get(row["url"])
    assert listed.context["page"].paginator.count == row["done"] == 2


def test_figures_are_written_with_the_shared_filters(client, snapshot_world, tree):
    client.force_login(snapshot_world)
    url = reverse("commandcenter:unit", args=[tree.a.pk]) + "?period=2026-01"
    html = client.get(url).content.decode()
    # A percentage with one decimal, money with 元 and 2 decimals, areas with m².
    assert '<span class="kpi-value">' in html
    kinds = html.split('id="service-kinds"')[1].split("</table>")[0]
    assert "维修报修" in kinds
    areas = html.split('id="space-areas"')[1].split("</table>")[0]
    assert "20.00 m²" in areas and "33.3%" in areas


def test_the_excel_brief_holds_the_breakdown_tables(client, snapshot_world, tree):
    from io import BytesIO

    import openpyxl

    client.force_login(snapshot_world)
    response = client.get(reverse("commandcenter:unit-export", args=[tree.a.pk]), {"period": "2026-01"})
    rows = list(
        openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    repair = next(r for r in rows if r[1] == "平均办理时长·维修报修")
    assert (repair[0], repair[2], repair[3], repair[4]) == ("政务服务", "小时", 36, 12)
    assert any(r[1] == "使用面积·服务用房" and r[3] == 30 for r in rows)
