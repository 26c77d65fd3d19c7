"""数据共享 indicators computed from the data hub (catalog entries, grants, exchange calls), each on a
hand-computed example; the formula on the case page and the drill-down to the rows counted."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment import rules, selectors, services
from assessment.models import Framework, Indicator, IndicatorValue
from datahub.catalog import services as catalog_services
from datahub.catalog.models import Dataset, Grant
from tests.factories import UserFactory

SOURCES = {"S1": "sharing_entries", "S2": "sharing_grants", "S3": "sharing_calls"}


@pytest.fixture
def sharing_round(bureau, tree):
    fw = Framework.objects.create(code="SHARE", version=1, name="数据共享")
    for order, (code, source) in enumerate(SOURCES.items()):
        Indicator.objects.create(
            framework=fw, code=code, name=code, dimension="T", measurement="computed", source=source, order=order
        )
    return services.create_round(
        actor=bureau, name="共享", year=2026, framework=fw, org_unit=tree.r, case_level="institution"
    )


def _dataset(code, provider, status="published"):
    return Dataset.objects.create(
        code=f"3-07-001.{code:04d}",
        name=f"条目{code}",
        provider=provider,
        summary="x",
        share_type="unconditional",
        update_cycle="yearly",
        status=status,
    )


def _grant(dataset, consumer_unit, valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31), revoked_at=None):
    return Grant.objects.create(
        dataset=dataset,
        consumer_unit=consumer_unit,
        user=UserFactory(org_unit=consumer_unit),
        valid_from=valid_from,
        valid_to=valid_to,
        revoked_at=revoked_at,
    )


@pytest.fixture
def hub_data(tree):
    d1, d2 = _dataset(1, tree.a1), _dataset(2, tree.a)
    _dataset(3, tree.a, status="draft")  # not published: not counted
    d4 = _dataset(4, tree.b)
    _grant(d1, tree.b)  # A gives, B receives
    _grant(d4, tree.a1)  # B gives, A receives
    _grant(d2, tree.a)  # A receives (its own entry: not "given")
    _grant(d4, tree.a, date(2024, 1, 1), date(2024, 12, 31))  # not live in 2026
    _grant(d1, tree.b, date(2025, 1, 1), date(2027, 12, 31), timezone.make_aware(datetime(2025, 6, 1)))  # revoked
    for unit, status in ((tree.a1, 200), (tree.a1, 200), (tree.a1, 403), (tree.b1, 200)):
        catalog_services.trail_append(caller_unit=unit, dataset=d1, status=status)
    return tree


def value(round_, unit, code):
    row = IndicatorValue.objects.filter(round=round_, org_unit=unit, indicator__code=code).first()
    return None if row is None else row.value


def test_sharing_indicators_on_a_hand_computed_example(sharing_round, bureau, hub_data):
    tree = hub_data
    services.compute_platform_indicators(actor=bureau, round_=sharing_round)
    # entries: A provides d1 (via A1) and d2 published (d3 is a draft) → 2; B provides d4 → 1
    assert (value(sharing_round, tree.a, "S1"), value(sharing_round, tree.b, "S1")) == (2, 1)
    # grants live in 2026: A gave 1 (d1→B) and received 2 (d4→A1, d2→A) = 3; B gave 1, received 1 = 2
    assert (value(sharing_round, tree.a, "S2"), value(sharing_round, tree.b, "S2")) == (3, 2)
    # successful calls in 2026: A1 twice (the 403 is not counted) → A 2; B1 once → B 1
    assert (value(sharing_round, tree.a, "S3"), value(sharing_round, tree.b, "S3")) == (2, 1)
    # a unit with no sharing at all (丙厅) counts 0, not "unknown"
    others = IndicatorValue.objects.filter(round=sharing_round).exclude(org_unit__in=[tree.a, tree.b])
    assert {v.value for v in others} == {0} and others.count() == 3
    # another year has no calls
    assert selectors.sharing_calls(bureau, [tree.a], 2025) == {tree.a.pk: Decimal(0)}


def test_the_case_page_shows_the_formula_and_the_drill_down_lists_the_rows_counted(
    sharing_round, bureau, hub_data, people, client
):
    tree = hub_data
    services.compute_platform_indicators(actor=bureau, round_=sharing_round)
    client.force_login(bureau)
    page = client.get(reverse("assessment:case", args=[sharing_round.pk, tree.a.pk])).content.decode()
    assert rules.SOURCE_FORMULAS[rules.Source.SHARING_GRANTS][:20] in page
    s2 = sharing_round.framework.indicators.get(code="S2")
    url = reverse("assessment:case-indicator", args=[sharing_round.pk, tree.a.pk, s2.pk])
    page = client.get(url).content.decode()
    assert "共 3 条" in page and page.count("<td>给出</td>") == 1 and page.count("<td>获得</td>") == 2
    # B's administrator reads neither A's page nor its drill-down
    client.force_login(people.admin_b)
    assert client.get(url).status_code == 404


def test_an_entered_indicator_has_no_drill_down(entered, bureau, client):
    client.force_login(bureau)
    t1 = entered.round.framework.indicators.get(code="T1")
    url = reverse("assessment:case-indicator", args=[entered.round.pk, entered.a.pk, t1.pk])
    assert client.get(url).status_code == 404
