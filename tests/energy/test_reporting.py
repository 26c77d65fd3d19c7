"""Energy reports on the portal's one workflow engine: submit → the level above approves or returns in its
one inbox, the reporter is notified; locking, corrections as new versions, a period not yet ended refused,
and the review rules (审核规则) shown to the reviewer with the request."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from energy import services
from energy.models import ConsumptionRecord, Submission
from portal import selectors as portal_selectors
from portal import services as portal
from portal.models import Notification
from portal.workflow import Status
from tests.sharing import shared_fixture

from .factories import full_year, profile, record


def submit(people, unit, year=2025, quarter=1):
    return services.submit(
        actor=people.reporter_b, org_unit=unit, period=services.period_of(year=year, quarter=quarter)
    )


def decide(user, sub, decision="approved", comment=""):
    """The reviewer's decision on the report's current step, as the inbox makes it."""
    ticket = sub.ticket
    ticket.refresh_from_db()
    portal.decide(actor=user, ticket=ticket, step_id=ticket.current_step_id, decision=decision, comment=comment)
    sub = Submission.objects.select_related("ticket").get(pk=sub.pk)
    return sub


def rules_of(sub) -> set[str]:
    return {w["rule"] for w in sub.warnings}


def build_clean_b(energy_people, tree):
    """乙厅 with a full, plausible 2024 and 2025 (no warning expected); built once per module
    (tests/sharing.py), so the rules that need 乙厅 without these years are in test_reporting_own_data.py."""
    for year in (2024, 2025):
        profile(tree.b, year, area="1000", users=100)
        full_year(tree.b, year)
    return tree.b


shared_clean_b, clean_b = shared_fixture("clean_b", build_clean_b)


def test_clean_quarter_has_no_warnings(clean_b, energy_people):
    assert submit(energy_people, clean_b).warnings == []


def test_report_is_in_the_reviewers_one_inbox(clean_b, energy_people):
    """The level above (the provincial energy reviewer on R) finds it among every other request to approve."""
    sub = submit(energy_people, clean_b)
    assert sub.ticket.kind == "energy_report" and sub.ticket.status == Status.IN_REVIEW
    assert list(portal_selectors.approval_inbox(energy_people.reviewer)) == [sub.ticket]
    assert not portal_selectors.approval_inbox(energy_people.reporter_a).exists()
    assert not portal_selectors.approval_inbox(energy_people.reporter_b).exists()
    assert Notification.objects.filter(user=energy_people.reviewer, ticket=sub.ticket).exists()


def test_submitted_months_are_locked(clean_b, energy_people):
    submit(energy_people, clean_b)
    with pytest.raises(ValidationError) as exc:
        record(clean_b, 2025, 2, "electricity", 1)
    assert "锁定" in exc.value.message_dict["month"][0]
    record(clean_b, 2025, 4, "electricity", 1)  # Q2 stays open


def test_only_the_level_above_decides(clean_b, energy_people):
    sub = submit(energy_people, clean_b)
    for outsider in (energy_people.reporter_b, energy_people.reporter_a):
        with pytest.raises(PermissionDenied):
            decide(outsider, sub)
    sub.ticket.refresh_from_db()
    assert sub.ticket.status == Status.IN_REVIEW


def test_approval_closes_the_report_and_notifies_the_reporter(clean_b, energy_people):
    sub = decide(energy_people.reviewer, submit(energy_people, clean_b), comment="同意")
    assert sub.ticket.status == Status.DONE and sub.figures["kgce"]
    note = Notification.objects.get(user=energy_people.reporter_b, ticket=sub.ticket, key__endswith=":approved")
    assert "审核通过" in note.message
    assert not portal_selectors.handling_queue(energy_people.reviewer).exists()  # nothing left to handle


def test_return_notifies_unlocks_and_resubmit_goes_back_to_the_inbox(clean_b, energy_people):
    sub = submit(energy_people, clean_b)
    with pytest.raises(ValidationError) as exc:
        decide(energy_people.reviewer, sub, "returned", " ")
    assert "comment" in exc.value.message_dict
    sub = decide(energy_people.reviewer, sub, "returned", "2月电费偏低，请核实")
    assert sub.ticket.status == Status.RETURNED
    note = Notification.objects.get(user=energy_people.reporter_b, ticket=sub.ticket, key__endswith=":return")
    assert "2月电费偏低" in note.message
    record(clean_b, 2025, 2, "electricity", 10000, cost=8000)  # editable again
    again = submit(energy_people, clean_b)
    assert again.pk == sub.pk and again.ticket.status == Status.IN_REVIEW and again.ticket.round == 2
    actions = list(sub.ticket.timeline.values_list("action", flat=True))
    assert actions.count("submit") == 2 and "return" in actions


def test_report_for_a_period_not_yet_ended_refused(clean_b, energy_people):
    today = date.today()
    with pytest.raises(ValidationError) as exc:
        submit(energy_people, clean_b, year=today.year, quarter=0)
    assert "尚未结束" in exc.value.message_dict["period"][0]
    with pytest.raises(ValidationError):
        submit(energy_people, clean_b, year=today.year, quarter=(today.month - 1) // 3 + 1)
    assert not Submission.objects.exists()


def test_report_of_another_unit_refused(clean_b, energy_people):
    with pytest.raises(PermissionDenied):
        services.submit(
            actor=energy_people.reporter_a, org_unit=clean_b, period=services.period_of(year=2025, quarter=1)
        )
    assert not Submission.objects.exists()


def test_filing_through_the_portal_form_is_refused(client, energy_people):
    client.force_login(energy_people.reporter_b)
    r = client.post("/portal/new/energy_report/", {})
    assert r.status_code == 200 and "公共机构节能" in r.content.decode()
    assert not Submission.objects.exists()


def test_submitting_twice_refused(clean_b, energy_people):
    submit(energy_people, clean_b)
    with pytest.raises(ValidationError) as exc:
        submit(energy_people, clean_b)
    assert "更正" in exc.value.message_dict["status"][0]


def test_correction_after_approval_is_a_new_version_with_reason(clean_b, energy_people):
    v1 = decide(energy_people.reviewer, submit(energy_people, clean_b))
    published = v1.figures["kgce"]
    with pytest.raises(ValidationError):
        services.open_correction(actor=energy_people.reporter_b, submission=v1, reason="")
    v2 = services.open_correction(actor=energy_people.reporter_b, submission=v1, reason="1月电表读数录错")
    assert (v2.version, v2.ticket.status, v2.correction_reason) == (2, Status.DRAFT, "1月电表读数录错")
    ConsumptionRecord.objects.get(org_unit=clean_b, year=2025, month=1, energy_type="electricity")
    record(clean_b, 2025, 1, "electricity", 12000, cost=9600)  # unlocked during the correction
    v1.refresh_from_db()
    assert not v1.superseded and v1.figures["kgce"] == published  # still the published one
    v2 = decide(energy_people.reviewer, submit(energy_people, clean_b))
    v1.refresh_from_db()
    assert v1.superseded and Decimal(v2.figures["kgce"]) > Decimal(published)


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


def test_rule_metered_type_without_cost(clean_b, energy_people):
    record(clean_b, 2025, 2, "water", 100)  # 计量付费, no cost
    sub = submit(energy_people, clean_b)
    assert any(w["rule"] == "metered_no_cost" and "2月水" in w["message"] for w in sub.warnings)
