"""Per-institution figures, the peer percentile and the summary tables computed in SQL (issue #17): the same
answers as the previous computation in Python (``previous_figures``) — hand-computed examples first, then
generated provinces with missing months, institutions without a profile or without records, vehicle fuel
only, water only, no cost, nested institutions and a region without institutions of its own."""

import random
from decimal import Decimal

import pytest
from django.db.models import Q

from datahub.models import OrgUnit
from energy import exporters, figures, selectors
from energy.models import CoefficientVersion, ConsumptionRecord, InstitutionProfile
from energy.rules import ClimateZone, EnergyType, InstitutionCategory
from tests.factories import OrgUnitFactory as Unit
from tests.factories import region

from . import previous_figures as previous
from .factories import profile, record

pytestmark = pytest.mark.django_db


# --- Hand-computed ------------------------------------------------------------------------------------------


def test_an_institutions_figures_are_its_sums_and_the_ratios_of_them(energy_people, tree):
    profile(tree.a, 2025, area="1000", users=100)
    record(tree.a, 2025, 1, "electricity", 100000, cost="60000.50")  # 12 290 kgce
    record(tree.a, 2025, 2, "gasoline", 1000)  # 1 471.4 kgce of vehicle fuel
    record(tree.b, 2025, 3, "water", 500)  # water only, no profile
    f = selectors.figures_by_unit(Q(org_unit__path__startswith=tree.r.path), 2025)
    a, b = f[tree.a.pk], f[tree.b.pk]
    assert (a.kgce, a.kgce_vehicle, a.cost) == (Decimal("13761.4"), Decimal("1471.4"), Decimal("60000.50"))
    assert a.energy_per_m2 == Decimal("12.29") and a.energy_per_person == Decimal("137.614")
    assert a.water_per_person is None and a.institutions == 1
    assert b.water == Decimal(500) and b.area == 0 and b.institutions == 0 and b.energy_per_m2 is None
    assert b.water_per_person is None  # no people to divide by


def test_the_percentile_counts_ties_half(energy_people, tree):
    c = Unit(code="C", name="丙厅", parent=tree.r)
    for unit, kwh in ((tree.a, 100000), (tree.b, 100000), (c, 300000)):
        profile(unit, 2025, area="1000", users=100)
        record(unit, 2025, 1, "electricity", kwh)  # 12.29, 12.29 and 36.87 kgce/m²
    # A and B: one peer worse (C) and one tie out of two others → (1 + ½) / 2 = 75.
    assert selectors.percentile(tree.a, 2025) == {
        "score": 75,
        "peers": 3,
        "category": "机关",
        "value": Decimal("12.29"),
    }
    assert selectors.percentile(c, 2025)["score"] == 0
    assert selectors.percentile(tree.a, 2024) is None  # no profile that year


def test_the_summary_by_category_and_department(energy_people, tree):
    a2 = Unit(code="A2", name="甲厅直属中心", parent=tree.a, kind=OrgUnit.Kind.PUBLIC_INSTITUTION)
    profile(tree.a, 2025, area="1000", users=100)
    profile(a2, 2025, area="3000", users=50, category=InstitutionCategory.VENUE)
    record(tree.a, 2025, 1, "electricity", 100000)  # 12 290
    record(a2, 2025, 4, "electricity", 100000)  # 12 290, in the second quarter
    record(tree.b, 2025, 1, "electricity", 10000)  # 1 229, no profile
    by_category = dict(selectors.summary(energy_people.leader, year=2025, by="category"))
    assert list(by_category) == sorted(["机关", "场馆", "未填基本信息"])
    assert by_category["场馆"].energy_per_m2 == Decimal("4.0967")  # 12 290 / 3 000
    assert by_category["未填基本信息"].institutions == 0 and by_category["未填基本信息"].kgce == Decimal("1229")
    by_department = selectors.summary(energy_people.leader, year=2025, by="department")
    assert [name for name, _ in by_department] == ["甲厅", "乙厅"]  # A2 counts under its 主管部门 甲厅
    a = by_department[0][1]
    assert (a.institutions, a.area, a.kgce) == (2, Decimal(4000), Decimal(24580))
    assert a.energy_per_m2 == Decimal("6.145") and a.by_type["electricity"]["quantity"] == Decimal(200000)
    q1 = dict(selectors.summary(energy_people.leader, year=2025, by="department", quarter=1))
    assert q1["甲厅"].kgce == Decimal(12290) and q1["甲厅"].area == Decimal(4000)  # profiles count every quarter
    by_region = selectors.summary(energy_people.leader, year=2025, by="region")
    assert [name for name, _ in by_region] == [tree.r.name]


def test_a_groups_cells_and_totals_follow_the_rules_vehicle_fuel_and_water(energy_people, tree):
    """Vehicle fuel counts in a group's energy but not in its per-m² figure, water in its per-person water;
    a type whose records carry no cost has a cost of 0, and a group with a profile and no records has no
    figures but its area."""
    profile(tree.a, 2025, area="2000", users=40)
    profile(tree.b, 2025, area="500", users=10)
    record(tree.a, 2025, 1, "electricity", 10000, cost="8000")  # 1 229 kgce
    record(tree.a, 2025, 2, "gasoline", 1000)  # vehicle fuel, no cost
    record(tree.a, 2025, 3, "water", 400, cost="1200")
    [(_, a), (_, b)] = selectors.summary(energy_people.leader, year=2025, by="department")
    gasoline = a.by_type["gasoline"]
    assert gasoline["cost"] == 0 and gasoline["kgce"] == a.kgce_vehicle > 0
    assert a.kgce == Decimal(1229) + a.kgce_vehicle and a.cost == Decimal(9200)
    assert a.energy_per_m2 == Decimal("0.6145")  # 1 229 / 2 000: the gasoline left out
    assert (a.water, a.water_per_person, a.has_water) == (Decimal(400), Decimal(10), True)
    assert set(a.by_type) == {"electricity", "gasoline", "water"} and a.by_type["water"]["kgce"] == 0
    assert (b.has_records, b.has_water, b.kgce, b.area, b.institutions) == (False, False, 0, Decimal(500), 1)
    assert b.by_type == {} and b.energy_per_m2 is None


def test_a_quarter_is_asked_for_as_a_range_of_months(energy_people, tree):
    """The records are partitioned by month on PostgreSQL: a quarter asked for as a range reads its three
    months, as a list (``month IN (4, 5, 6)``) the whole year. The same WHERE on either database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    record(tree.a, 2025, 5, "electricity", 1000)
    record(tree.a, 2025, 7, "electricity", 1000)  # the third quarter: not counted
    with CaptureQueriesContext(connection) as queries:
        by_unit = selectors.figures_by_unit(Q(org_unit__path__startswith=tree.r.path), 2025, months=range(4, 7))
        [(_, summed)] = selectors.summary(energy_people.leader, year=2025, by="department", quarter=2)
        quarter = selectors.indicators(tree.a, 2025, quarter=2)["figures"]
    assert by_unit[tree.a.pk].kgce == summed.kgce == quarter.kgce == Decimal("122.9")
    reads = [q["sql"] for q in queries.captured_queries if ConsumptionRecord._meta.db_table in q["sql"]]
    assert len(reads) == 3
    for sql in reads:
        where = sql[sql.index("WHERE") :].replace('"', "").replace("energy_consumptionrecord.", "r.")
        assert "month IN" not in where
        assert ("month >= 4" in where and "month <= 6" in where) or "month BETWEEN 4 AND 6" in where


# --- Generated: the SQL against the previous Python computation -----------------------------------------------

CATEGORIES = (InstitutionCategory.AGENCY, InstitutionCategory.HOSPITAL, InstitutionCategory.SCHOOL)


def _province(tree, rng: random.Random) -> list[OrgUnit]:
    """Institutions under R (some nested in another institution), under a city and under an empty county."""
    city = region(code="CITY", name="示范市", parent=tree.r)
    region(code="EMPTY", name="空县", parent=city)
    units = [tree.a, tree.b]
    for i in range(10):
        parent = rng.choice([tree.r, city, tree.a, *units[2:]])
        units.append(Unit(code=f"G{i:02d}", name=f"生成单位{i}", parent=parent))
    Unit(code="GOFF", name="撤销单位", parent=city, is_active=False)
    return [OrgUnit.objects.get(pk=u.pk) for u in units]


def _fill(units, rng: random.Random, year: int):
    version = CoefficientVersion.objects.get(is_current=True)
    profiles, records = [], []
    for i, unit in enumerate(units):
        if i % 5 != 4:  # every fifth without a profile
            profiles.append(
                InstitutionProfile(
                    org_unit=unit,
                    year=year,
                    category=rng.choice(CATEGORIES),
                    climate_zone=ClimateZone.HOT_SUMMER_COLD_WINTER,
                    building_area=Decimal(rng.randint(100, 900000)) / 100,
                    energy_users=rng.randint(0, 400),
                )
            )
        if i % 7 == 6:
            continue  # a profile and no records
        types = rng.sample(EnergyType.values, rng.randint(1, 5))
        if i % 6 == 3:
            types = list(EnergyType.values[:2]) if i % 4 else ["gasoline", "diesel"]
        for month in rng.sample(range(1, 13), rng.randint(1, 12)):  # missing months
            for t in types:
                q = Decimal(rng.randint(0, 10**9)) / 10000
                records.append(
                    ConsumptionRecord(
                        org_unit=unit,
                        year=year,
                        month=month,
                        energy_type=t,
                        quantity=q.quantize(Decimal("0.001")),
                        unit="kg",
                        cost=None if rng.random() < 0.3 else Decimal(rng.randint(0, 10**8)) / 100,
                        base_quantity=q,
                        kgce=(q * Decimal("0.1229")).quantize(Decimal("0.0001")),
                        kgco2=(q * Decimal("0.5703")).quantize(Decimal("0.0001")),
                        coefficient_version=version,
                    )
                )
    InstitutionProfile.objects.bulk_create(profiles)
    ConsumptionRecord.objects.bulk_create(records)


FIELDS = ("kgce", "kgce_vehicle", "kgco2", "kgco2_vehicle", "water", "cost", "area", "users", "institutions")
DERIVED = ("has_data", "tce", "tco2", "energy_per_m2", "energy_per_person", "water_per_person", "co2_per_m2")


@pytest.mark.parametrize("seed", [1, 17, 2025])
def test_the_sql_gives_the_previous_answers_on_a_generated_province(energy_people, tree, seed):
    rng = random.Random(seed)
    units = _province(tree, rng)
    _fill(units, rng, 2025)
    within = Q(org_unit__path__startswith=tree.r.path)
    for months in (range(1, 13), range(4, 7)):
        new, old = selectors.figures_by_unit(within, 2025, months), previous.figures_by_unit(within, 2025, months)
        assert set(new) == set(old)
        for unit_id, f in old.items():
            for name in FIELDS + DERIVED:
                assert getattr(new[unit_id], name) == getattr(f, name), (unit_id, name)
    for unit in units:
        assert selectors.percentile(unit, 2025) == previous.percentile(unit, 2025), unit.code
    for by in figures.SUMMARY_BY:
        for quarter in (0, 2):
            for user, within_unit in ((energy_people.leader, None), (energy_people.leader, tree.a)):
                new = selectors.summary(user, year=2025, by=by, quarter=quarter, within=within_unit)
                old = previous.summary(user, year=2025, by=by, quarter=quarter, within=within_unit)
                assert list(exporters.summary_rows(new)) == list(exporters.summary_rows(old)), (by, quarter)
                assert [f.kgco2_vehicle for _, f in new] == [f.kgco2_vehicle for _, f in old]
                # Every sum of every group, and its cells by type (quantity, cost and kgce), not only what the
                # page shows: the groups' totals and cells are the statement's now, not added up here.
                assert [name for name, _ in new] == [name for name, _ in old]
                for (name, f), (_, g) in zip(new, old, strict=True):
                    for field in (*FIELDS, "has_records", "has_water"):
                        assert getattr(f, field) == getattr(g, field), (by, quarter, name, field)
                    assert f.by_type == g.by_type, (by, quarter, name)
