"""Admin for every energy model: lists load, scoped for non-superusers, frozen coefficient versions."""

import pytest
from django.urls import reverse

from energy.models import Coefficient, CoefficientVersion, InstitutionProfile

from .factories import correct, record, root

MODELS = [
    "coefficientversion",
    "coefficient",
    "gridfactor",
    "quota",
    "target",
    "institutionprofile",
    "consumptionrecord",
    "reportingperiod",
    "submission",
    "anomaly",
    "profilecorrection",
]


@pytest.mark.parametrize("model", MODELS)
def test_changelist_loads(client, energy_people, tree, model):
    record(tree.a, 2025, 1, "electricity", 1)
    client.force_login(root())
    assert client.get(reverse(f"admin:energy_{model}_changelist")).status_code == 200


def test_reporter_admin_lists_only_own_records(client, energy_people, tree):
    record(tree.a, 2025, 1, "electricity", 1)
    record(tree.b, 2025, 1, "electricity", 1)
    client.force_login(energy_people.reporter_a)
    r = client.get(reverse("admin:energy_consumptionrecord_changelist"))
    assert r.status_code == 200
    assert {o.org_unit_id for o in r.context["cl"].result_list} == {tree.a.pk}


def test_used_version_coefficient_edit_refused_in_admin(client, energy_people, tree):
    rec = record(tree.a, 2025, 1, "electricity", 1)
    coeff = Coefficient.objects.get(version=rec.coefficient_version, energy_type="electricity")
    client.force_login(root())
    url = reverse("admin:energy_coefficient_change", args=[coeff.pk])
    r = client.post(
        url, {"version": coeff.version_id, "energy_type": "electricity", "kgce_per_unit": "0.2", "kgco2_per_unit": "0"}
    )
    assert r.status_code == 200 and "复制为新版本" in r.content.decode()
    coeff.refresh_from_db()
    assert str(coeff.kgce_per_unit) == "0.122900"


def test_profile_saved_through_service_in_admin(client, energy_people, tree):
    correct(tree.b, 2025, "building_area", "900")
    correct(tree.b, 2025, "energy_users", "40")
    client.force_login(energy_people.admin_b)
    r = client.post(
        reverse("admin:energy_institutionprofile_add"),
        {"org_unit": tree.b.pk, "year": 2025, "heated_area": "0", "building_area": "1", "energy_users": "40"},
    )
    assert r.status_code == 302
    saved = InstitutionProfile.objects.get(org_unit=tree.b, year=2025)
    assert (saved.building_area, saved.energy_users) == (900, 40)


def test_make_current_action(client, energy_people):
    oil = CoefficientVersion.objects.get(name__contains="1.3300")
    client.force_login(root())
    client.post(
        reverse("admin:energy_coefficientversion_changelist"), {"action": "make_current", "_selected_action": [oil.pk]}
    )
    oil.refresh_from_db()
    assert oil.is_current and CoefficientVersion.objects.filter(is_current=True).count() == 1
