"""Profiles, records, indicators and versioned coefficients through the services."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from datahub.models import User
from energy import selectors, services
from energy.models import CoefficientVersion, ConsumptionRecord
from officespace import services as space
from portal import services as portal

from .factories import full_year, profile, record, root


@pytest.fixture
def a_building(staff, tree):
    """甲厅's building recorded in office space: 2 000 m² building area."""
    return space.create_building(
        actor=staff.space_a,
        code="A-1",
        name="甲厅1号楼",
        address="杭州市某路1号",
        org_unit=tree.a,
        building_area=Decimal("2000"),
        use_area=Decimal("1500"),
    )


def test_building_area_flows_from_officespace(a_building, energy_people, tree):
    p = profile(tree.a, 2025, area=None, users=None)
    assert p.building_area == a_building.building_area
    assert p.area_from_officespace


def test_energy_users_are_the_directory_headcount(energy_people, tree):
    p = profile(tree.a, 2025, users=None, area="500")
    expected = User.objects.filter(org_unit__path__startswith=tree.a.path, is_active=True).count()
    assert p.energy_users == expected and p.users_from_directory


def test_department_is_not_a_reporting_institution(energy_people, tree):
    with pytest.raises(ValidationError) as exc:
        record(tree.a1, 2025, 1, "electricity", 100)
    assert "org_unit" in exc.value.message_dict


def test_negative_quantity_refused_and_nothing_written(energy_people, tree):
    with pytest.raises(ValidationError) as exc:
        record(tree.a, 2025, 1, "electricity", -5)
    assert "负数" in exc.value.message_dict["quantity"][0]
    assert not ConsumptionRecord.objects.exists()


def test_reporter_of_b_cannot_write_a(energy_people, tree):
    with pytest.raises(PermissionDenied):
        services.save_record(
            actor=energy_people.reporter_b,
            org_unit=tree.a,
            year=2025,
            month=1,
            energy_type="electricity",
            quantity=Decimal(1),
            unit="kWh",
        )


def test_month_sheet_all_types_at_once_all_or_nothing(energy_people, tree):
    lines = {
        "electricity": {"quantity": "1000", "unit": "kWh", "cost": "800", "collection": "metered_paid"},
        "water": {"quantity": "-1", "unit": "m³", "cost": "", "collection": "metered_paid"},
    }
    with pytest.raises(ValidationError) as exc:
        services.save_month_sheet(actor=energy_people.reporter_a, org_unit=tree.a, year=2025, month=3, lines=lines)
    assert "water-quantity" in exc.value.message_dict
    assert not ConsumptionRecord.objects.exists()
    lines["water"]["quantity"] = "50"
    out = services.save_month_sheet(actor=energy_people.reporter_a, org_unit=tree.a, year=2025, month=3, lines=lines)
    assert out["saved"] == 2
    lines["water"]["quantity"] = ""
    out = services.save_month_sheet(actor=energy_people.reporter_a, org_unit=tree.a, year=2025, month=3, lines=lines)
    assert out["removed"] == 1
    assert list(ConsumptionRecord.objects.values_list("energy_type", flat=True)) == ["electricity"]


def test_per_m2_excludes_vehicle_fuel(energy_people, tree):
    profile(tree.b, 2025, area="1000", users=100)
    record(tree.b, 2025, 1, "electricity", 100000)  # 12 290 kgce
    record(tree.b, 2025, 1, "gasoline", 1000)  # 1 471.4 kgce of vehicle fuel, hand-entered (no vehicles in platform)
    ind = selectors.indicators(tree.b, 2025)
    f = ind["figures"]
    assert f.kgce == Decimal("13761.4")
    assert f.energy_per_m2 == Decimal("12.29")  # (13 761.4 − 1 471.4) / 1 000
    assert f.energy_per_person == Decimal("137.614")  # all energy / 100 people


def test_subtree_indicators_are_ratios_of_sums(energy_people, tree):
    profile(tree.a, 2025, area="1000", users=100)
    profile(tree.b, 2025, area="3000", users=100)
    record(tree.a, 2025, 1, "electricity", 100000)  # 12 290
    record(tree.b, 2025, 1, "electricity", 100000)  # 12 290
    f = selectors.indicators(tree.r, 2025)["figures"]
    assert f.area == Decimal("4000") and f.energy_per_m2 == Decimal("6.145")  # 24 580 / 4 000


def test_yoy_and_baseline_with_target_light(energy_people, tree):
    for year, kwh in ((2020, 10000), (2024, 9800), (2025, 9400)):
        profile(tree.b, year, area="1000", users=100)
        full_year(tree.b, year, kwh=kwh)
    ind = selectors.indicators(tree.b, 2025)
    per_m2 = ind["changes"]["energy_per_m2"]
    # 2025 vs 2020: 9 400/10 000 − 1 = −6%; vs 2024: 9 400/9 800 − 1 = −4.08%
    assert per_m2["vs_baseline_pct"] == Decimal("-6.00")
    assert per_m2["yoy_pct"] == Decimal("-4.08")
    light = {t.indicator: t.light for t in ind["targets"]}
    assert light["energy_per_m2"] == "green"  # −6% ≥ the −5% due by 2025
    # water unchanged since 2020 → red
    assert light["water_per_person"] == "red"


def test_quota_band_and_percentile(energy_people, tree):
    for unit, kwh in ((tree.a, 200000), (tree.b, 100000)):
        profile(unit, 2025, area="1000", users=100)
        record(unit, 2025, 1, "electricity", kwh)
    prof_a = tree.a and selectors.InstitutionProfile.objects.get(org_unit=tree.a, year=2025)
    band = selectors.quota_band(prof_a, selectors.indicators(tree.a, 2025)["figures"])
    assert band["value"] == Decimal("24.58") and band["band"] == "over_cap"  # 机关 cap 18.48
    assert selectors.percentile(tree.b, 2025)["score"] == 100
    assert selectors.percentile(tree.a, 2025)["score"] == 0


# --- Versioned coefficients ---------------------------------------------------------------------------


def test_new_version_does_not_rewrite_old_figures_and_recompute_is_explicit(energy_people, tree):
    gas = record(tree.b, 2025, 1, "natural_gas", 1000)
    old = gas.coefficient_version
    assert gas.kgce == Decimal("1214.3")
    oil = CoefficientVersion.objects.get(name__contains="1.3300")
    services.coefficient_version_make_current(actor=root(), version=oil)
    gas.refresh_from_db()
    assert gas.kgce == Decimal("1214.3") and gas.coefficient_version == old
    assert record(tree.b, 2025, 2, "natural_gas", 1000).kgce == Decimal("1330")
    result = services.recompute(actor=root(), version=oil, unit=tree.r, year=2025)
    gas.refresh_from_db()
    assert result.updated == 2 and gas.kgce == Decimal("1330") and gas.coefficient_version == oil


def test_recompute_leaves_submitted_months_and_published_snapshot(energy_people, tree):
    profile(tree.b, 2025)
    for m in (1, 2, 3):
        record(tree.b, 2025, m, "natural_gas", 1000, cost=3000)
    sub = services.submit(
        actor=energy_people.reporter_b, org_unit=tree.b, period=services.period_of(year=2025, quarter=1)
    )
    portal.decide(
        actor=energy_people.reviewer, ticket=sub.ticket, step_id=sub.ticket.current_step_id, decision="approved"
    )
    sub.refresh_from_db()
    published = sub.figures["kgce"]
    oil = CoefficientVersion.objects.get(name__contains="1.3300")
    services.coefficient_version_make_current(actor=root(), version=oil)
    result = services.recompute(actor=root(), version=oil, unit=tree.b, year=2025)
    assert result.updated == 0 and result.skipped_locked == 3
    sub.refresh_from_db()
    assert sub.figures["kgce"] == published == "3642.9000"


def test_used_version_is_frozen(energy_people, tree):
    rec = record(tree.b, 2025, 1, "electricity", 1)
    with pytest.raises(ValidationError):
        services.check_version_editable(version=rec.coefficient_version)
    copy = services.coefficient_version_copy(actor=root(), version=rec.coefficient_version, name="副本")
    services.check_version_editable(version=copy)  # a fresh copy may be edited
    assert copy.coefficients.count() == 11 and copy.grid_factors.count() == rec.coefficient_version.grid_factors.count()


def test_only_bureau_admin_manages_versions(energy_people):
    with pytest.raises(PermissionDenied):
        services.coefficient_version_make_current(
            actor=energy_people.reporter_a, version=CoefficientVersion.objects.first()
        )


# --- Anomalies ----------------------------------------------------------------------------------------


def test_spike_flagged_against_own_history_and_same_month(energy_people, tree):
    for year in (2024, 2025):
        for m in range(1, 13):
            record(tree.b, year, m, "electricity", 10000 + (m % 3) * 100)
    ConsumptionRecord.objects.filter(org_unit=tree.b, year=2025, month=7).delete()
    record(tree.b, 2025, 7, "electricity", 40000)
    assert services.detect_anomalies(year=2025) == 1
    flagged = selectors.anomalies(energy_people.reporter_b).get()
    assert flagged.month == 7 and "稳健Z值" in flagged.reason and "同月" in flagged.reason
    assert selectors.anomalies(energy_people.reporter_a).count() == 0
    services.detect_anomalies(year=2025)  # idempotent
    assert selectors.anomalies(energy_people.leader).count() == 1


def test_too_large_figures_are_a_field_error_not_a_crash(energy_people, tree):
    """Beyond the column (max_digits 16/14): a Chinese field error, not a database error on PostgreSQL."""
    with pytest.raises(ValidationError) as exc:
        services.save_record(
            actor=energy_people.reporter_a,
            org_unit=tree.a,
            year=2025,
            month=1,
            energy_type="electricity",
            quantity="1e15",
            unit="kWh",
            cost="1e13",
        )
    assert set(exc.value.message_dict) == {"quantity", "cost"}
