"""Each step of a data-sharing request has its own time limit in working days (the check 2, the provider 5,
a 纠错's answer 5), counted on the platform's working calendar; a step past it is flagged once and escalated."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from datahub.models import Dataset
from datasharing import rules, services
from datasharing import selectors as sharing_selectors
from datasharing.kinds import KIND
from datasharing.models import StepClock
from datasharing.selectors import working_day_lookup
from portal import selectors
from portal import services as portal
from portal.models import Notification, Ticket
from telematics import services as calendar
from tests.catalog_factories import build_hub
from tests.sharing import shared_fixture

shared_hub, hub = shared_fixture("hub", build_hub)


def weekdays(day: date) -> bool:
    return day.weekday() < 5


def test_the_day_of_receipt_does_not_count_and_weekends_do_not_either():
    friday = date(2026, 3, 6)
    assert rules.last_working_day(friday, 2, weekdays) == date(2026, 3, 10)  # Mon, Tue
    assert rules.last_working_day(date(2026, 3, 2), 5, weekdays) == date(2026, 3, 9)


def test_holidays_and_adjusted_workdays_come_from_the_working_calendar(hub):
    calendar.load_holidays(actor=hub.admin_a, year=2026)
    # 国庆 2026: 10-01..10-07 off; Saturday 10-10 is a 调休 workday.
    lookup = working_day_lookup(date(2026, 9, 30), date(2026, 10, 31))
    assert rules.last_working_day(date(2026, 9, 30), 2, lookup) == date(2026, 10, 9)
    assert rules.last_working_day(date(2026, 10, 9), 1, lookup) == date(2026, 10, 10)


def _file(hub, dataset, **kw):
    today = timezone.localdate()
    fields = {
        "dataset": dataset,
        "items": [dataset.items.first().name],
        "purpose": "核对",
        "scenario": "统计",
        "valid_from": today,
        "valid_to": today + timedelta(days=30),
        **kw,
    }
    return portal.file_request(requester=hub.clerk_a1, kind_code=KIND, detail_fields=fields)


def _age(ticket, days):
    Ticket.objects.filter(pk=ticket.pk).update(submitted_at=ticket.submitted_at - timedelta(days=days))


def test_each_step_gets_its_own_limit_and_a_late_one_is_flagged_once(hub):
    rooms = Dataset.objects.get(declaration_key="officespace.rooms")  # 有条件共享: check, then the provider
    ticket = _file(hub, rooms)
    assert services.step_clocks_run() == 0
    check = StepClock.objects.get(ticket=ticket)
    assert (check.name, check.working_days) == ("数据主管部门合规审查", 2)
    start = timezone.localtime(ticket.submitted_at).date()
    assert timezone.localtime(check.due_at).date() > start + timedelta(days=2 - 1)

    later = check.due_at + timedelta(minutes=1)
    assert services.step_clocks_run(now=later) == 1
    check.refresh_from_db()
    assert check.escalated_at == later
    told = set(Notification.objects.filter(ticket=ticket, key__endswith=":late").values_list("user", flat=True))
    assert told == {hub.hub.pk}
    assert Notification.objects.filter(ticket=ticket, key__endswith=":escalate").exists()
    assert services.step_clocks_run(now=later + timedelta(days=1)) == 0  # once

    ticket.refresh_from_db()
    portal.decide(actor=hub.hub, ticket=ticket, step_id=ticket.current_step_id, decision="approved", comment="合规")
    services.step_clocks_run(now=later)
    provider = StepClock.objects.get(ticket=ticket, index=2)
    assert (provider.name, provider.working_days, provider.escalated_at) == ("提供方数据管理员审核", 5, None)
    assert provider.started_at > ticket.submitted_at  # counted from the check's decision, not the filing


def test_a_step_decided_in_time_is_never_flagged(hub):
    ticket = _file(hub, hub.units)
    services.step_clocks_run()
    portal.decide(actor=hub.hub, ticket=ticket, step_id=ticket.current_step_id, decision="approved", comment="同意")
    far = timezone.now() + timedelta(days=60)
    assert services.step_clocks_run(now=far) == 0
    assert not Notification.objects.filter(ticket=ticket, key__endswith=":escalate").exists()


def test_clocks_started_late_still_count_from_when_the_step_arrived(hub):
    ticket = _file(hub, hub.units)
    _age(ticket, 30)  # the beat was down for a month: the limit is from the filing, so it is already past
    assert services.step_clocks_run() == 1
    clock = StepClock.objects.get(ticket=ticket)
    assert clock.due_at < timezone.now() and isinstance(clock.started_at, datetime)


def _local(*args):
    return timezone.make_aware(datetime(*args))


def test_the_requests_own_limit_is_its_steps_working_days_not_calendar_hours(hub):
    """The engine's due_at (the inbox's order, its overdue reminder) counts working days too: a 有条件共享 request
    filed on a Friday has the check's 2 and the provider's 5 working days, so the weekends in between on top."""
    rooms = Dataset.objects.get(declaration_key="officespace.rooms")  # 有条件共享
    ticket = _file(hub, rooms)
    detail = selectors.detail_of(ticket)
    assert ticket.due_at == sharing_selectors.ticket_deadline(ticket=ticket, detail=detail, start=ticket.submitted_at)
    friday = _local(2026, 3, 6, 10, 0)
    # Mon 9 … Fri 13 (5), Mon 16 (6), Tue 17 (7): due when Tuesday ends.
    assert sharing_selectors.ticket_deadline(ticket=ticket, detail=detail, start=friday) == _local(2026, 3, 18)
    unconditional = _file(hub, hub.units)
    plain = selectors.detail_of(unconditional)
    assert sharing_selectors.ticket_deadline(ticket=unconditional, detail=plain, start=friday) == _local(2026, 3, 11)


def test_a_request_filed_before_a_holiday_gets_the_holiday_on_top(hub):
    calendar.load_holidays(actor=hub.admin_a, year=2026)
    ticket = _file(hub, hub.units)  # 无条件共享: the check's 2 working days
    detail = selectors.detail_of(ticket)
    # 国庆 2026: 10-01..10-07 off; filed 09-30, the 2 working days are 10-08 and 10-09.
    due = sharing_selectors.ticket_deadline(ticket=ticket, detail=detail, start=_local(2026, 9, 30, 16, 0))
    assert due == _local(2026, 10, 10)


def test_a_correction_has_the_providers_answer_and_the_confirmation(hub):
    assert rules.ticket_working_days(rules.CORRECTION_KIND) == 7
    assert rules.ticket_working_days(rules.ACCESS_KIND, "conditional") == 7
    assert rules.ticket_working_days(rules.ACCESS_KIND, "unconditional") == 2
