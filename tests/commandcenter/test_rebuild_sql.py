"""The roll-up is written in SQL (each family's grouped queries inserted with INSERT … SELECT, the subtree sums
level by level) and must say exactly what the domains' figure selectors say: on the leak crawler's world
(every domain's rows, written through the services), for every figure family, every unit and every month
kept, the rebuilt rows are the selectors' answer — and a refresh of a few units leaves them as they were."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from commandcenter import catalog, rules, services
from commandcenter.models import SubtreeMonth, UnitMonth
from datahub import figures
from datahub.models import OrgUnit
from tests import leak_world
from tests.sharing import shared_fixture

shared_rebuild_world, rebuild_world = shared_fixture("rebuild_world", lambda: leak_world.build())

FOUR = Decimal("0.0001")


def selector_rows(family) -> set[tuple]:
    """What a family's selector answers for the kept months, as roll-up rows (rounded, zeros left out)."""
    rows = set()
    for start, end in rules.history_spans(timezone.localdate()):
        for (unit_id, month), values in family(start=start, end=end).items():
            rows |= {(unit_id, month, k, v.quantize(FOUR)) for k, v in values.items() if v}
    return rows


def rolled_rows(keys) -> set[tuple]:
    return set(UnitMonth.objects.filter(key__in=keys).values_list("org_unit_id", "month", "key", "value"))


@pytest.mark.parametrize("name", sorted(catalog.FAMILIES))
def test_rebuilt_rows_of_each_family_are_its_selectors_answer(rebuild_world, name):
    services.rollup_rebuild()
    want = selector_rows(catalog.FAMILIES[name])
    keys = {key for _, _, key, _ in want}
    assert rolled_rows(keys) == want
    # The roll-up holds no key of this family the selector did not answer.
    span = rules.history_spans(timezone.localdate())[-1]
    declared = {k for qs in catalog.QUERIES[name](start=span[0], end=span[1]) for k in figures.keys_of(qs)}
    assert not rolled_rows(declared - keys)


def test_the_world_gives_every_family_something_to_compare(rebuild_world):
    empty = [name for name, family in catalog.FAMILIES.items() if not selector_rows(family)]
    # 办公用房 keeps the over-standard check for the current month only; the world holds it, as the others.
    assert not empty, empty


def test_every_family_has_grouped_queries_and_its_selector_reads_them():
    """The fast path's contract: a family's selector is ``figures.collect`` of its grouped queries."""
    assert set(catalog.QUERIES) == set(catalog.FAMILIES)


def test_subtree_sums_are_the_sums_of_the_units_below(rebuild_world):
    services.rollup_rebuild()
    units = list(OrgUnit.objects.values_list("pk", "path"))
    for unit_id, path in units:
        below = [pk for pk, p in units if p.startswith(path)]
        want = {
            (m, k): v
            for m, k, v in UnitMonth.objects.filter(org_unit_id__in=below)
            .values("month", "key")
            .annotate(v=Sum("value"))
            .values_list("month", "key", "v")
        }
        got = {
            (m, k): v
            for m, k, v in SubtreeMonth.objects.filter(org_unit_id=unit_id).values_list("month", "key", "value")
        }
        assert got == want, unit_id


def snapshot():
    return (
        sorted(UnitMonth.objects.values_list("org_unit_id", "month", "key", "value")),
        sorted(SubtreeMonth.objects.values_list("org_unit_id", "month", "key", "value")),
    )


def test_refreshing_a_few_units_after_the_rebuild_changes_nothing(rebuild_world):
    services.rollup_rebuild()
    before = snapshot()
    assert before[0] and before[1]
    some = [rebuild_world.a1.pk, rebuild_world.b.pk]
    for start, end in rules.history_spans(timezone.localdate()):
        services.rollup_refresh(start=start, end=end, unit_ids=some)
    assert snapshot() == before


def test_refreshing_every_unit_for_some_months_changes_nothing(rebuild_world):
    services.rollup_rebuild()
    before = snapshot()
    this_month = figures.month_of(timezone.localdate())
    services.rollup_refresh(start=this_month, end=figures.next_month(this_month))
    assert snapshot() == before


def test_the_rebuild_puts_the_unique_constraints_back(rebuild_world):
    services.rollup_rebuild()
    row = UnitMonth.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitMonth.objects.create(org_unit_id=row.org_unit_id, month=row.month, key=row.key, value=1)
    total = SubtreeMonth.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        SubtreeMonth.objects.create(org_unit_id=total.org_unit_id, month=total.month, key=total.key, value=1)


def test_a_key_claimed_by_two_families_is_refused_and_nothing_changes(rebuild_world, monkeypatch):
    services.rollup_rebuild()
    before = snapshot()
    twice = {**catalog.QUERIES, "copy": catalog.QUERIES["fleet"]}
    monkeypatch.setattr(catalog, "QUERIES", twice)
    with pytest.raises(ValueError, match="同时出自指标族 'fleet' 和 'copy'"):
        services.rollup_rebuild()
    assert snapshot() == before
