"""数字平台构建 and 一数一源 computed from the platform's own data (rules.PLATFORM_PARTS,
rules.ONE_SOURCE_PARTS), each on a small unit whose counts are known by hand."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment import selectors, services
from assessment.models import Framework, Indicator
from assets.models import Movement, MovementKind
from energy.models import ConsumptionRecord, InstitutionProfile, ReportingPeriod, Submission
from portal.models import Ticket
from tests.energy.factories import correct, record
from tests.factories import UserFactory
from tests.vehicles.factories import DispatchFactory, VehicleFactory
from vehicles.models import Disposal, TripRequest

YEAR = 2026


def at(month, day=1, hour=9):
    return timezone.make_aware(datetime(YEAR, month, day, hour))


@pytest.fixture
def platform_framework():
    """T2 as shipped (pooled share), the domains in use and 一数一源 (not in the default framework)."""
    fw = Framework.objects.create(code="PLAT", version=1, name="平台数据")
    rows = [
        ("T2", "数字平台构建", "platform_business", "0.5"),
        ("T3", "在用业务领域", "platform_domains", "0.25"),
        ("T4", "一数一源", "one_source", "0.25"),
    ]
    for order, (code, name, source, weight) in enumerate(rows):
        Indicator.objects.create(
            framework=fw,
            code=code,
            name=name,
            dimension="T",
            weight=Decimal(weight),
            measurement="computed",
            source=source,
            order=order,
        )
    return fw


@pytest.fixture
def plat_round(bureau, tree, platform_framework):
    return services.create_round(
        actor=bureau,
        name="平台评估",
        year=YEAR,
        framework=platform_framework,
        org_unit=tree.r,
        case_level="institution",
    )


def value(round_, unit, code):
    row = round_.values.filter(org_unit=unit, indicator__code=code).first()
    return None if row is None else row.value


def _ticket(unit, kind, status, when, person=None):
    person = person or UserFactory(org_unit=unit)
    return Ticket.objects.create(
        kind=kind, title=kind, requester=person, org_unit=unit, status=status, submitted_at=when
    )


@pytest.fixture
def business_of_a(tree):
    """Unit 甲厅 (A) in 2026, by part:

    * requests: 2 报修 + 2 用车 + 1 资产调拨 filed (a draft and the energy report's own request are not counted)
      → 5 of 5;
    * energy reports: periods Q1 and Q2 are over, one institution → 2 due, Q1 submitted online → 1 of 2;
    * dispatches: the 2 approved trips, one dispatched from the board → 1 of 2;
    * asset movements: 2 transfers from A to B, one with its request → 1 of 2 (for B too: it received them).
    Pooled: (5 + 1 + 1 + 1) ÷ (5 + 2 + 2 + 2) = 8 ÷ 11 = 72.73 %. Domains in use: 办公用房 (报修), 公务用车,
    资产管理, 公共机构节能 → 4.
    """
    person = UserFactory(org_unit=tree.a1)
    for status in ("done", "in_review"):
        _ticket(tree.a1, "repair", status, at(3), person)
    _ticket(tree.a1, "repair", "draft", None, person)
    q1 = ReportingPeriod.objects.create(year=YEAR, quarter=1)
    ReportingPeriod.objects.create(year=YEAR, quarter=2)
    report = _ticket(tree.a, "energy_report", "in_review", at(4, 5), person)
    Submission.objects.create(ticket=report, period=q1, org_unit=tree.a)
    car = VehicleFactory(org_unit=tree.a)
    for n, dispatched in enumerate((True, False)):
        trip = _ticket(tree.a1, "vehicle_trip", "approved", at(5), person)
        dispatch = DispatchFactory(vehicle=car, ticket=trip, starts_at=at(5, 10 + n)) if dispatched else None
        TripRequest.objects.create(
            ticket=trip,
            starts_at=at(5, 10 + n),
            ends_at=at(5, 10 + n, 17),
            origin="省府",
            destinations="萧山",
            purpose="调研",
            dispatch=dispatch,
        )
    transfer = _ticket(tree.a, "asset_transfer", "done", at(6), person)
    for ticket in (transfer, None):
        Movement.objects.create(
            asset=car.asset,
            kind=MovementKind.TRANSFER,
            actor=person,
            at=at(6, 2),
            from_unit=tree.a,
            to_unit=tree.b,
            ticket=ticket,
        )
    return tree.a


def test_platform_building_is_the_pooled_share_of_business_handled_on_the_platform(
    plat_round, bureau, tree, business_of_a
):
    services.compute_platform_indicators(actor=bureau, round_=plat_round)
    assert value(plat_round, tree.a, "T2") == Decimal("72.7300")  # 8 ÷ 11
    assert value(plat_round, tree.a, "T3") == Decimal("4")
    # 乙厅 (B) had its Q1 and Q2 reports due and filed neither; it received the two cards → (0 + 1) ÷ (2 + 2)
    assert value(plat_round, tree.b, "T2") == Decimal("25.0000")


def test_the_drill_down_lists_every_item_counted_with_the_parts_counts(plat_round, bureau, tree, business_of_a):
    indicator = plat_round.framework.indicators.get(code="T2")
    headers, rows, total, parts = selectors.indicator_drill(bureau, plat_round, indicator, tree.a)
    assert total == 11 and len(rows) == 11
    assert [(p.code, kept, counted) for p, kept, counted in parts] == [
        ("requests", 5, 5),
        ("energy_reports", 1, 2),
        ("dispatches", 1, 2),
        ("asset_movements", 1, 2),
    ]
    assert headers[4] == "在平台上办理"
    assert sorted(r[4] for r in rows) == ["否"] * 3 + ["是"] * 8


def test_the_indicator_page_shows_the_formula_the_parts_and_the_rows(client, plat_round, bureau, tree, business_of_a):
    services.compute_platform_indicators(actor=bureau, round_=plat_round)
    indicator = plat_round.framework.indicators.get(code="T2")
    client.force_login(bureau)
    page = client.get(reverse("assessment:case-indicator", args=[plat_round.pk, tree.a.pk, indicator.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "调度台派车的用车数" in text  # the formula
    assert "能耗数据报送" in text and "未经调度台派车" in text and "无审批申请（直接登记）" in text


def test_another_unit_reads_none_of_the_rows(client, plat_round, bureau, people, tree, business_of_a):
    indicator = plat_round.framework.indicators.get(code="T2")
    client.force_login(people.admin_b)
    page = client.get(reverse("assessment:case-indicator", args=[plat_round.pk, tree.a.pk, indicator.pk]))
    assert page.status_code == 404


@pytest.fixture
def facts_of_a(tree):
    """Unit 甲厅 (A), 2026, by fact of the register (docs/facts.md):

    * 基本信息: one profile × 5 fields, 用能人数 corrected (typed) → 4 of 5;
    * 车辆燃料消耗: 2 gasoline months, one summed from the fleet's fuel records → 1 of 2;
    * 车辆购置价格与日期: 2 vehicles, one linked to its asset card → 1 of 2;
    * 车辆处置的批准: 1 disposal with a document number only → 0 of 1.
    Pooled: (4 + 1 + 1 + 0) ÷ (5 + 2 + 2 + 1) = 60 %.
    """
    InstitutionProfile.objects.create(
        org_unit=tree.a,
        year=YEAR,
        category="agency",
        climate_zone="hscw",
        building_area=Decimal("1000"),
        energy_users=10,
    )
    correct(tree.a, YEAR, "energy_users", 12)
    record(tree.a, YEAR, 3, "gasoline", 100)
    derived = record(tree.a, YEAR, 4, "gasoline", 80)
    ConsumptionRecord.objects.filter(pk=derived.pk).update(source=ConsumptionRecord.Source.VEHICLES)
    VehicleFactory(org_unit=tree.a)
    loose = VehicleFactory(org_unit=tree.a, asset=None)
    Disposal.objects.create(
        vehicle=loose,
        method="scrap",
        date=date(YEAR, 5, 1),
        document="浙财资〔2026〕1号",
        created_by=UserFactory(org_unit=tree.a),
    )
    return tree.a


def test_one_source_is_the_share_of_the_units_facts_taken_from_their_source(plat_round, bureau, tree, facts_of_a):
    services.compute_platform_indicators(actor=bureau, round_=plat_round)
    assert value(plat_round, tree.a, "T4") == Decimal("60.0000")
    assert value(plat_round, tree.b, "T4") is None
    indicator = plat_round.framework.indicators.get(code="T4")
    _, rows, total, parts = selectors.indicator_drill(bureau, plat_round, indicator, tree.a)
    assert total == 10
    assert [(p.code, kept, counted) for p, kept, counted in parts] == [
        ("energy_base", 4, 5),
        ("fuel", 1, 2),
        ("vehicle_card", 1, 2),
        ("vehicle_disposal", 0, 1),
    ]
    assert any("更正值" in r[4] for r in rows) and any("录入批准文号" in r[4] for r in rows)
