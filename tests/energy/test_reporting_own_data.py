"""Energy reports whose 乙厅 starts without data (test_reporting.py's tests share a full 2024 and 2025 of
乙厅): a report with months missing, the per-m² bands, a report without a profile or data."""

import pytest
from django.core.exceptions import ValidationError

from .factories import full_year, profile, record
from .test_reporting import decide, rules_of, submit


def test_warnings_go_with_the_request_and_approval_acknowledges_them(energy_people, tree):
    profile(tree.b, 2025)
    record(tree.b, 2025, 1, "electricity", 10000, cost=8000)
    sub = submit(energy_people, tree.b)
    assert "missing_months" in rules_of(sub) and not sub.acknowledged
    assert decide(energy_people.reviewer, sub).acknowledged


def test_rule_per_m2_above_cap(energy_people, tree):
    profile(tree.b, 2025, area="1000", users=100)
    full_year(tree.b, 2025, kwh=20000)  # 240 000 kWh × 0.1229 / 1 000 = 29.50 kgce/m² > 18.48
    sub = submit(energy_people, tree.b, quarter=0)
    assert "per_m2_cap" in rules_of(sub)


def test_rule_per_m2_below_target_band(energy_people, tree):
    profile(tree.b, 2025, area="10000", users=100)
    full_year(tree.b, 2025, kwh=10000)  # 120 000 × 0.1229 / 10 000 = 1.47 < 引导值 11.02
    assert "per_m2_low" in rules_of(submit(energy_people, tree.b, quarter=0))


def test_rule_missing_months(energy_people, tree):
    profile(tree.b, 2025)
    record(tree.b, 2025, 1, "electricity", 10000, cost=8000)
    record(tree.b, 2025, 3, "electricity", 10000, cost=8000)
    sub = submit(energy_people, tree.b)
    assert any(w["rule"] == "missing_months" and "2月" in w["message"] for w in sub.warnings)


def test_submission_without_profile_or_data_refused(energy_people, tree):
    with pytest.raises(ValidationError):
        submit(energy_people, tree.b)
    record(tree.b, 2025, 1, "electricity", 1)
    with pytest.raises(ValidationError) as exc:
        submit(energy_people, tree.b)
    assert "基本信息" in exc.value.message_dict["period"][0]
