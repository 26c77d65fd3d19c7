"""公共机构基本信息 derived from the apps that own each fact (一数一源): users from the directory, building
area from office space, climate zone and grid region from the 行政区划代码, type from the unit's kind. A
different value is only a recorded correction with a reason and a document, kept in the history."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from datahub import services as directory
from energy import basedata, selectors, services
from energy.models import InstitutionProfile, ProfileCorrection
from energy.rules import ClimateZone, GridRegion, InstitutionCategory
from officespace import services as space
from tests.factories import UserFactory

from .factories import correct, document, profile, record, root


@pytest.fixture
def a_building(staff, tree):
    return space.create_building(
        actor=staff.space_a,
        code="A-1",
        name="甲厅1号楼",
        address="杭州市某路1号",
        org_unit=tree.a,
        building_area=Decimal("2000"),
        use_area=Decimal("1500"),
    )


def test_zone_grid_and_type_come_from_the_directory(energy_people, tree):
    """浙江 (33xxxx): 夏热冬冷, 华东 grid; a 党政机关 is a 机关."""
    d = basedata.derived(tree.a)
    assert (d["climate_zone"], d["grid_region"], d["category"]) == (
        ClimateZone.HOT_SUMMER_COLD_WINTER,
        GridRegion.EAST,
        InstitutionCategory.AGENCY,
    )


def test_a_person_moving_unit_moves_the_energy_users(energy_people, tree, django_capture_on_commit_callbacks):
    for unit in (tree.a, tree.b):
        profile(unit, 2025, users=None)
    before_a = InstitutionProfile.objects.get(org_unit=tree.a, year=2025).energy_users
    before_b = InstitutionProfile.objects.get(org_unit=tree.b, year=2025).energy_users
    person = UserFactory(username="mover", org_unit=tree.a1)
    with django_capture_on_commit_callbacks(execute=True):
        directory.update_user(actor=root(), user=person, org_unit=tree.b1)
    a = InstitutionProfile.objects.get(org_unit=tree.a, year=2025)
    b = InstitutionProfile.objects.get(org_unit=tree.b, year=2025)
    # The factory made the person in A1 without telling energy; the move recounts both sides.
    assert (a.energy_users, b.energy_users) == (before_a, before_b + 1)
    assert a.users_from_directory and b.users_from_directory


def test_building_area_edited_in_officespace_moves_energy_per_m2(a_building, staff, energy_people, tree):
    profile(tree.a, 2025, area=None, users=10)
    record(tree.a, 2025, 1, "electricity", 10000)  # 1 229 kgce
    assert selectors.indicators(tree.a, 2025)["figures"].energy_per_m2 == Decimal("0.6145")
    space.update_building(
        actor=staff.space_a, building=a_building, building_area=Decimal("1229"), use_area=Decimal("1000")
    )
    assert InstitutionProfile.objects.get(org_unit=tree.a, year=2025).building_area == Decimal("1229")
    assert selectors.indicators(tree.a, 2025)["figures"].energy_per_m2 == Decimal("1")


def test_correction_with_reason_and_document_applies_next_to_the_derived_value(a_building, energy_people, tree):
    profile(tree.a, 2025, area=None, users=10)
    c = correct(tree.a, 2025, "building_area", "2100", actor=energy_people.reporter_a, reason="新测绘报告")
    p = InstitutionProfile.objects.get(org_unit=tree.a, year=2025)
    assert p.building_area == Decimal("2100") and not p.area_from_officespace
    eff = basedata.effective(tree.a, 2025)["building_area"]
    assert (eff["derived"], eff["value"], eff["correction"]) == (Decimal("2000.00"), Decimal("2100"), c)
    assert Decimal(c.derived_value) == Decimal("2000") and c.created_by == energy_people.reporter_a
    # Withdrawn: the office-space figure applies again; both corrections stay in the history.
    correct(tree.a, 2025, "building_area", "", reason="测绘结果已录入办公用房")
    p.refresh_from_db()
    assert p.building_area == Decimal("2000") and p.area_from_officespace
    assert basedata.correction_history(tree.a, 2025).filter(field="building_area").count() == 2
    assert p.history.count() >= 3


@pytest.mark.parametrize(
    ("field", "value", "reason", "doc", "error"),
    [
        ("building_area", "1000", "", True, "reason"),
        ("building_area", "1000", "测绘", False, "document"),
        ("building_area", "-5", "测绘", True, "value"),
        ("energy_users", "abc", "名册", True, "value"),
        ("climate_zone", "arctic", "规划", True, "value"),
        ("heated_area", "10", "规划", True, "field"),
    ],
)
def test_bad_correction_refused_and_nothing_written(energy_people, tree, field, value, reason, doc, error):
    with pytest.raises(ValidationError) as exc:
        services.profile_correct(
            actor=energy_people.reporter_a,
            org_unit=tree.a,
            year=2025,
            field=field,
            value=value,
            reason=reason,
            document=document() if doc else None,
        )
    assert error in exc.value.message_dict
    assert not ProfileCorrection.objects.exists()


def test_document_that_is_not_what_it_claims_refused(energy_people, tree):
    fake = SimpleUploadedFile("批复.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.profile_correct(
            actor=energy_people.reporter_a,
            org_unit=tree.a,
            year=2025,
            field="energy_users",
            value="50",
            reason="名册",
            document=fake,
        )
    assert "document" in exc.value.message_dict and not ProfileCorrection.objects.exists()


def test_another_units_reporter_cannot_correct(energy_people, tree):
    with pytest.raises(PermissionDenied):
        correct(tree.b, 2025, "energy_users", "50", actor=energy_people.reporter_a)
    assert not ProfileCorrection.objects.exists()


def test_correction_page_of_another_unit_is_not_found(client, energy_people, tree):
    client.force_login(energy_people.reporter_a)
    url = reverse("energy:profile-correct", args=[tree.b.pk, 2025])
    assert client.get(url).status_code == 404
    r = client.post(url, {"field": "energy_users", "value": "5", "reason": "x", "document": document()})
    assert r.status_code == 404 and not ProfileCorrection.objects.exists()


def test_correction_page_records_it_and_the_detail_shows_both(client, a_building, energy_people, tree):
    profile(tree.a, 2025, area=None, users=10)
    client.force_login(energy_people.reporter_a)
    url = reverse("energy:profile-correct", args=[tree.a.pk, 2025])
    r = client.post(url, {"field": "building_area", "value": "2050", "reason": "扩建竣工", "document": document()})
    assert r.status_code == 302
    body = client.get(reverse("energy:institution-detail", args=[tree.a.pk]), {"year": 2025}).content.decode()
    assert "2,000.00" in body and "2050" in body and "扩建竣工" in body  # the derived area through the amount filter


def test_profile_api_does_not_take_typed_base_data(api, a_building, energy_people, tree):
    correct(tree.a, 2025, "energy_users", "40")
    r = api(energy_people.reporter_a).post(
        "/api/v1/energy/profiles/",
        {"org_unit": tree.a.pk, "year": 2025, "building_area": "9999", "energy_users": 7, "heated_area": "100"},
        format="json",
    )
    assert r.status_code == 201, r.content
    p = InstitutionProfile.objects.get(org_unit=tree.a, year=2025)
    assert (p.building_area, p.energy_users, p.heated_area) == (Decimal("2000"), 40, Decimal("100"))
