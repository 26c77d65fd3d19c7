"""Reporting periods: submit → approve / return, locking, corrections as new versions, and the
review rules (审核规则) a reviewer must acknowledge."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from energy import selectors, services
from energy.models import ConsumptionRecord, Submission, SubmissionEvent

from .factories import full_year, profile, record


def submit(people, unit, year=2025, quarter=1):
    return services.submit(
        actor=people.reporter_b, org_unit=unit, period=services.period_of(year=year, quarter=quarter)
    )


def rules_of(sub) -> set[str]:
    return {w["rule"] for w in sub.warnings}


@pytest.fixture
def clean_b(energy_people, tree):
    """乙厅 with a full, plausible 2024 and 2025 (no warning expected)."""
    for year in (2024, 2025):
        profile(tree.b, year, area="1000", users=100)
        full_year(tree.b, year)
    return tree.b


def test_clean_quarter_has_no_warnings(clean_b, energy_people):
    assert submit(energy_people, clean_b).warnings == []


def test_submitted_months_are_locked(clean_b, energy_people):
    submit(energy_people, clean_b)
    with pytest.raises(ValidationError) as exc:
        record(clean_b, 2025, 2, "electricity", 1)
    assert "锁定" in exc.value.message_dict["month"][0]
    record(clean_b, 2025, 4, "electricity", 1)  # Q2 stays open


def test_reviewer_must_be_the_level_above_and_not_the_submitter(clean_b, energy_people):
    sub = submit(energy_people, clean_b)
    with pytest.raises(PermissionDenied):
        services.approve(actor=energy_people.reporter_b, submission=sub)
    with pytest.raises(PermissionDenied):
        services.approve(actor=energy_people.reporter_a, submission=sub)
    assert services.approve(actor=energy_people.reviewer, submission=sub).status == Submission.Status.APPROVED


def test_return_with_comment_unlocks_and_resubmit(clean_b, energy_people):
    sub = submit(energy_people, clean_b)
    with pytest.raises(ValidationError) as exc:
        services.return_submission(actor=energy_people.reviewer, submission=sub, comment=" ")
    assert "comment" in exc.value.message_dict
    sub = services.return_submission(actor=energy_people.reviewer, submission=sub, comment="2月电费偏低，请核实")
    assert sub.status == Submission.Status.RETURNED
    record(clean_b, 2025, 2, "electricity", 10000, cost=8000)  # editable again
    again = submit(energy_people, clean_b)
    assert again.pk == sub.pk and again.status == Submission.Status.SUBMITTED
    assert list(SubmissionEvent.objects.filter(submission=sub).values_list("action", flat=True)) == [
        "submit",
        "return",
        "submit",
    ]


def test_submitting_twice_refused(clean_b, energy_people):
    submit(energy_people, clean_b)
    with pytest.raises(ValidationError) as exc:
        submit(energy_people, clean_b)
    assert "更正" in exc.value.message_dict["status"][0]


def test_correction_after_approval_is_a_new_version_with_reason(clean_b, energy_people):
    v1 = services.approve(actor=energy_people.reviewer, submission=submit(energy_people, clean_b))
    published = v1.figures["kgce"]
    with pytest.raises(ValidationError):
        services.open_correction(actor=energy_people.reporter_b, submission=v1, reason="")
    v2 = services.open_correction(actor=energy_people.reporter_b, submission=v1, reason="1月电表读数录错")
    assert (v2.version, v2.status, v2.correction_reason) == (2, "correcting", "1月电表读数录错")
    ConsumptionRecord.objects.get(org_unit=clean_b, year=2025, month=1, energy_type="electricity")
    record(clean_b, 2025, 1, "electricity", 12000, cost=9600)  # unlocked during the correction
    v1.refresh_from_db()
    assert v1.status == "approved" and v1.figures["kgce"] == published  # still the published one
    v2 = submit(energy_people, clean_b)
    v2 = services.approve(actor=energy_people.reviewer, submission=v2, acknowledge=True)
    v1.refresh_from_db()
    assert v1.status == "superseded" and Decimal(v2.figures["kgce"]) > Decimal(published)


def test_approval_requires_acknowledging_warnings(energy_people, tree):
    profile(tree.b, 2025)
    record(tree.b, 2025, 1, "electricity", 10000, cost=8000)
    sub = submit(energy_people, tree.b)
    assert "missing_months" in rules_of(sub)
    with pytest.raises(ValidationError) as exc:
        services.approve(actor=energy_people.reviewer, submission=sub)
    assert "acknowledge" in exc.value.message_dict
    sub.refresh_from_db()
    assert sub.status == "submitted"
    assert services.approve(actor=energy_people.reviewer, submission=sub, acknowledge=True).acknowledged


# --- each review rule ---------------------------------------------------------------------------------


def test_rule_unit_price_out_of_range(clean_b, energy_people):
    record(clean_b, 2025, 1, "electricity", 10000, cost=50000)  # Q1: (50 000 + 2 × 8 000) / 30 000 = 2.2 元/kWh
    assert "unit_price" in rules_of(submit(energy_people, clean_b))


def test_rule_year_on_year_over_10_percent(clean_b, energy_people):
    for m in (1, 2, 3):
        record(clean_b, 2025, m, "electricity", 11500, cost=9200)  # +15%
    sub = submit(energy_people, clean_b)
    assert "yoy" in rules_of(sub) and "15.00%" in sub.warnings[0]["message"]


def test_rule_area_or_users_changed_over_10_percent(clean_b, energy_people):
    profile(clean_b, 2025, area="1000", users=120)  # users +20%
    sub = submit(energy_people, clean_b)
    assert "profile_change" in rules_of(sub) and "用能人数" in sub.warnings[0]["message"]


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


def test_rule_metered_type_without_cost(clean_b, energy_people):
    record(clean_b, 2025, 2, "water", 100)  # 计量付费, no cost
    sub = submit(energy_people, clean_b)
    assert any(w["rule"] == "metered_no_cost" and "2月水" in w["message"] for w in sub.warnings)


def test_submission_without_profile_or_data_refused(energy_people, tree):
    with pytest.raises(ValidationError):
        submit(energy_people, tree.b)
    record(tree.b, 2025, 1, "electricity", 1)
    with pytest.raises(ValidationError) as exc:
        submit(energy_people, tree.b)
    assert "基本信息" in exc.value.message_dict["period"][0]


def test_review_inbox_is_the_level_above(clean_b, energy_people):
    sub = submit(energy_people, clean_b)
    assert list(selectors.review_inbox(energy_people.reviewer)) == [sub]
    assert not selectors.review_inbox(energy_people.reporter_b).exists()
    assert not selectors.review_inbox(energy_people.reporter_a).exists()
