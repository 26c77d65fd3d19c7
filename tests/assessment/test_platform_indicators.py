"""Indicators computed from the platform's own data (read through other apps' selectors only)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from assessment import selectors, services
from assessment.models import Framework, IndicatorValue
from portal.models import Ticket
from tests.factories import OrgUnitFactory, UserFactory, region


@pytest.fixture
def toe_round(bureau, tree):
    return services.create_round(
        actor=bureau,
        name="机关评估",
        year=2026,
        framework=Framework.objects.get(code="TOE", version=1),
        org_unit=tree.r,
        case_level="institution",
    )


def value(round_, unit, code):
    row = IndicatorValue.objects.filter(round=round_, org_unit=unit, indicator__code=code).first()
    return None if row is None else row.value


def _tickets(unit, statuses):
    person = UserFactory(org_unit=unit)
    for i, status in enumerate(statuses):
        Ticket.objects.create(kind="repair", title=f"报修{i}", requester=person, org_unit=unit, status=status)


def test_platform_building_counts_every_request_filed_online(toe_round, bureau, tree):
    """Requests can only be filed online: with no other business, every filed request counts on both
    sides of the pooled share (the other parts are in test_platform_use.py); drafts were never filed."""
    _tickets(tree.a1, ["done", "done", "done", "in_review", "draft"])
    services.compute_platform_indicators(actor=bureau, round_=toe_round)
    assert value(toe_round, tree.a, "T2") == Decimal("100.0000")  # 4 of 4
    assert value(toe_round, tree.b, "T2") is None  # no business: nothing to measure


def test_only_who_covers_the_whole_round_computes_platform_indicators(toe_round, people, tree):
    _tickets(tree.a1, ["done"])
    with pytest.raises(PermissionDenied, match="覆盖整个评估范围"):
        services.compute_platform_indicators(actor=people.admin_a, round_=toe_round)


@pytest.fixture
def regions(bureau):
    from tests.factories import grant

    root = region(code="DEMO", name="样本", region_code="100000")
    units = {}
    for code, name in (("33", "浙江"), ("31", "上海"), ("32", "江苏"), ("11", "北京")):
        units[code] = OrgUnitFactory(
            code=f"P{code}", name=name, parent=root, level="region", kind="", uscc=None, region_code=f"{code}0000"
        )
    root.refresh_from_db()
    from datahub.roles import Role

    grant(bureau, Role.BUREAU_ADMIN, root)
    r = services.create_round(
        actor=bureau,
        name="省级",
        year=2025,
        framework=Framework.objects.get(code="TOE", version=1),
        org_unit=root,
        case_level="region",
    )
    # the outcome Y differs per region; T1 is the same everywhere (the study averages the outcome)
    y = {"33": "90", "31": "80", "32": "70", "11": "60"}
    for code, unit in units.items():
        services.enter_values(
            actor=bureau,
            round_=r,
            unit=unit,
            values={"T1": "50", "O1": "10", "O2": "2", "E1": "5", "Y": y[code]},
        )
    return r, units


def test_intergovernmental_competition_is_the_mean_of_the_adjacent_regions_outcome(regions, bureau):
    r, units = regions
    services.compute_platform_indicators(actor=bureau, round_=r)
    assert value(r, units["33"], "E2") == Decimal("75.0000")  # 上海 80, 江苏 70
    assert value(r, units["31"], "E2") == Decimal("80.0000")  # 江苏 70, 浙江 90
    assert value(r, units["32"], "E2") == Decimal("85.0000")  # 上海 80, 浙江 90
    assert value(r, units["11"], "E2") is None  # no neighbour among the cases


def test_a_value_entered_by_hand_for_a_computed_indicator_is_kept(regions, bureau):
    r, units = regions
    services.compute_platform_indicators(actor=bureau, round_=r)
    IndicatorValue.objects.filter(round=r, org_unit=units["33"], indicator__code="E2").update(
        value=Decimal("10"), origin="imported"
    )
    services.compute_platform_indicators(actor=bureau, round_=r)
    assert value(r, units["33"], "E2") == Decimal("10.0000")


def test_computing_again_changes_nothing(regions, bureau):
    r, _ = regions
    services.compute_platform_indicators(actor=bureau, round_=r)
    before = list(IndicatorValue.objects.order_by("pk").values_list("pk", "value"))
    services.compute_platform_indicators(actor=bureau, round_=r)
    assert list(IndicatorValue.objects.order_by("pk").values_list("pk", "value")) == before


def test_modules_in_use_is_the_share_of_domains_with_requests(toe_round, bureau, tree):
    from assessment.models import Indicator
    from portal.registry import all_kinds

    Indicator.objects.create(
        framework=toe_round.framework,
        code="T3",
        name="业务模块使用",
        dimension="T",
        measurement="computed",
        source="portal_domains",
        weight=0,
        order=9,
    )
    domains = {k.domain for k in all_kinds()}
    kind = next(k for k in all_kinds() if k.code == "repair")
    _tickets(tree.a1, ["done"])
    services.compute_platform_indicators(actor=bureau, round_=toe_round)
    assert kind.domain in domains
    assert value(toe_round, tree.a, "T3") == Decimal(str(round(100 / len(domains), 2))).quantize(Decimal("0.0001"))
    assert value(toe_round, tree.b, "T3") == Decimal("0")


def test_service_quality_on_time_share_and_satisfaction_by_hand(bureau, tree):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    person = UserFactory(org_unit=tree.a1)

    def ticket(status, closed_hours, due_hours, rating):
        Ticket.objects.create(
            kind="repair",
            title="报修",
            requester=person,
            org_unit=tree.a1,
            status=status,
            closed_at=None if closed_hours is None else now + timedelta(hours=closed_hours),
            due_at=None if due_hours is None else now + timedelta(hours=due_hours),
            rating=rating,
        )

    ticket("done", 1, 2, 5)  # on time, rated 5
    ticket("done", 3, 2, 2)  # late, rated 2
    ticket("done", 4, None, None)  # no time limit: on time; not rated
    ticket("in_review", None, 1, None)  # not finished: not counted
    on_time = selectors.portal_service_quality(bureau, [tree.a, tree.b], "on_time")
    assert on_time[tree.a.pk] == Decimal("66.67")  # 2 of 3 finished on time
    assert on_time[tree.b.pk] is None
    satisfaction = selectors.portal_service_quality(bureau, [tree.a], "satisfaction")
    assert satisfaction[tree.a.pk] == Decimal("3.50")  # (5 + 2) / 2 rated
