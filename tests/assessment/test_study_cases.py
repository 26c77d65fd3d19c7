"""Study cases are not org units (issue #18): an external round's cases (provinces in a study) live
apart from the directory, so no directory list, unit filter or command-center figure shows them;
they are read by those covering the study's owner; the migration moves the old demo units out."""

import importlib
import io

import pytest
from django.apps import apps
from django.urls import reverse

from assessment import demo, rules, selectors, services
from assessment.models import IndicatorValue, Round, Score, StudyCase
from datahub.models import OrgUnit
from datahub.roles import Role
from tests.factories import OrgUnitFactory, UserFactory, grant, superuser

# Names only a study case carries here (the test directory is 浙江省 with 甲厅 / 乙厅).
STUDY_NAMES = ("内蒙古", "黑龙江", "新疆", "四川", "（演示）")


@pytest.fixture
def seeded(db, tree):
    superuser()
    return demo.seed(io.StringIO())


@pytest.fixture
def leader(tree):
    return grant(UserFactory(org_unit=tree.r), Role.LEADER, tree.r)


def test_no_study_case_in_directory_unit_filters_or_command_center(seeded, leader, tree, client):
    client.force_login(leader)
    urls = [
        reverse("unit-list"),
        reverse("energy:institution-list"),
        reverse("energy:summary"),
        reverse("telematics:alert-list"),
        reverse("commandcenter:index"),
        reverse("commandcenter:unit", args=[tree.r.pk]),
        reverse("commandcenter:unit-json", args=[tree.r.pk]),
    ]
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        page = response.content.decode()
        if url.endswith(".json"):
            page = response.content.decode("unicode_escape", errors="ignore")
        assert not [n for n in STUDY_NAMES if n in page], url


def test_visible_units_of_the_studys_readers_hold_no_study_case(seeded, leader, tree):
    from datahub import scoping

    names = set(rules.province_names().values()) - {tree.r.name}
    for roles in ((Role.LEADER,), selectors.READERS):
        units = scoping.visible_units(leader, roles=roles)
        assert units.exists()
        assert not units.filter(name__in=names).exists()


def test_the_owners_readers_see_the_study_cases_and_an_agency_does_not(seeded, leader, tree, client):
    round_ = seeded
    assert selectors.visible_cases(leader, round_).count() == 29
    assert selectors.scores_for(leader, round_=round_).count() == 29
    agency = grant(UserFactory(org_unit=tree.a), Role.BUREAU_ADMIN, tree.a)
    assert selectors.round_for(agency, round_.pk) is not None  # inside the round's scope
    assert selectors.visible_cases(agency, round_).count() == 0
    assert selectors.scores_for(agency, round_=round_).count() == 0
    assert selectors.values_for(agency, round_=round_).count() == 0
    case = StudyCase.objects.get(owner=tree.r, code="51")
    client.force_login(agency)
    assert client.get(reverse("assessment:case", args=[round_.pk, case.pk])).status_code == 404
    client.force_login(leader)
    page = client.get(reverse("assessment:case", args=[round_.pk, case.pk]))
    assert page.status_code == 200 and "四川" in page.content.decode()
    page = client.get(reverse("assessment:round", args=[round_.pk])).content.decode()
    assert "四川" in page and "外部研究案例" in page


def test_an_internal_round_still_assesses_org_units(db, tree, bureau, small_framework):
    r = services.create_round(
        actor=bureau, name="内部评估", year=2026, framework=small_framework, org_unit=tree.r, case_level="institution"
    )
    assert {u.code for u in selectors.cases_of(r)} >= {"A", "B"}
    assert all(isinstance(u, OrgUnit) for u in selectors.cases_of(r))


def test_a_study_case_is_refused_in_an_internal_round_and_a_unit_in_an_external_one(db, tree, bureau, small_framework):
    from django.core.exceptions import ValidationError

    internal = services.create_round(
        actor=bureau, name="内部", year=2026, framework=small_framework, org_unit=tree.r, case_level="institution"
    )
    external = services.create_round(
        actor=bureau,
        name="外部",
        year=2026,
        framework=small_framework,
        org_unit=tree.r,
        case_level="region",
        external=True,
    )
    case = services.add_study_case(actor=bureau, owner=tree.r, code="44", name="广东", region_code="440000")
    values = {"T1": "1", "O1": "1", "E1": "1", "Y": "1"}
    with pytest.raises(ValidationError, match="不是本轮评估的对象"):
        services.enter_values(actor=bureau, round_=internal, unit=case, values=values)
    with pytest.raises(ValidationError, match="不是本轮评估的对象"):
        services.enter_values(actor=bureau, round_=external, unit=tree.a, values=values)
    assert not IndicatorValue.objects.exists()
    services.enter_values(actor=bureau, round_=external, unit=case, values=values)
    assert IndicatorValue.objects.filter(study_case=case, org_unit__isnull=True).count() == 4


def test_adding_a_study_case_checks_its_fields_and_the_managers_scope(db, tree, bureau):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError) as exc:
        services.add_study_case(actor=bureau, owner=tree.r, code="", name="", region_code="44x")
    assert set(exc.value.message_dict) == {"code", "name", "region_code"}
    agency = grant(UserFactory(org_unit=tree.b), Role.BUREAU_ADMIN, tree.b)
    with pytest.raises(PermissionDenied):
        services.add_study_case(actor=agency, owner=tree.r, code="44", name="广东")
    assert not StudyCase.objects.exists()


def test_the_migration_moves_the_old_demo_units_out_of_the_directory(db, tree, small_framework):
    root = OrgUnitFactory(code="QCA-DEMO", name="演示数据：省级区域样本（29个）", level="region", parent=None)
    units = []
    for code, name in (("11", "北京"), ("44", "广东")):
        root.refresh_from_db()
        units.append(
            OrgUnitFactory(
                code=f"QCA-DEMO-{code}", name=f"{name}（演示）", level="region", region_code=f"{code}0000", parent=root
            )
        )
    round_ = Round.objects.create(
        name="演示", year=2025, framework=small_framework, org_unit=root, case_level="region", is_demo=True
    )
    t1 = small_framework.indicators.get(code="T1")
    for k, unit in enumerate(units):
        IndicatorValue.objects.create(round=round_, indicator=t1, org_unit=unit, value=10 + k)
        Score.objects.create(
            round=round_,
            org_unit=unit,
            index=50,
            level=3,
            level_name="x",
            strongest="T",
            weakest="O",
            recommendation="-",
            rank=k + 1,
        )
    migration = importlib.import_module("assessment.migrations.0008_study_cases_out_of_the_directory")
    migration.forwards(apps, None)
    round_.refresh_from_db()
    assert round_.external and round_.org_unit == tree.r
    assert not OrgUnit.objects.filter(code__startswith="QCA-DEMO").exists()
    cases = {c.code: c for c in StudyCase.objects.filter(owner=tree.r)}
    assert {c: cases[c].name for c in cases} == {"11": "北京", "44": "广东"}
    assert IndicatorValue.objects.get(study_case=cases["44"]).value == 11
    assert Score.objects.filter(study_case__isnull=False, org_unit__isnull=True).count() == 2
    assert {u.pk for u in selectors.cases_of(round_)} == {c.pk for c in cases.values()}


def test_the_api_lists_study_case_scores_to_the_owners_readers_only(seeded, leader, tree, client):
    round_ = seeded
    client.force_login(leader)
    body = client.get("/api/v1/assessment/scores/", {"round": round_.pk, "page_size": 100}).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert len(rows) == 29
    assert all(r["org_unit"] is None and r["study_case"] for r in rows)
    assert any("四川" in r["org_unit_name"] for r in rows)
    agency = grant(UserFactory(org_unit=tree.b), Role.BUREAU_ADMIN, tree.b)
    client.force_login(agency)
    body = client.get("/api/v1/assessment/values/", {"round": round_.pk}).json()
    assert (body["results"] if isinstance(body, dict) else body) == []
