"""督办: leaders and bureau administrators supervise tickets; reminders and escalation run once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal import rules, selectors, services
from portal.models import Notification, Supervision
from portal.tasks import send_notification_emails, supervise_deadlines


def open_sup(actor, ticket, hours=48, note="请加快办理"):
    return services.supervision_open(
        actor=actor, ticket=ticket, note=note, deadline=timezone.now() + timedelta(hours=hours)
    )


def test_a_leader_supervises_the_head_who_must_decide(staff, repair_ticket):
    ticket = repair_ticket()
    sup = open_sup(staff.leader, ticket)
    assert [u.username for u in sup.supervised.all()] == ["head_a1"]
    assert Notification.objects.filter(user=staff.head_a1, message__startswith="【督办】").exists()
    assert selectors.supervised_ids(staff.head_a1, [ticket.pk]) == {ticket.pk}
    assert ticket.timeline.filter(action="supervise").exists()


def test_only_overseers_of_the_requesters_unit_may_supervise(staff, repair_ticket):
    ticket = repair_ticket()
    for outsider in (staff.admin_b, staff.head_a1, staff.clerk_a1):
        with pytest.raises(PermissionDenied):
            open_sup(outsider, ticket)
    assert not Supervision.objects.exists()


def test_bad_supervision_is_refused_by_field(staff, repair_ticket):
    ticket = repair_ticket()
    with pytest.raises(ValidationError) as err:
        services.supervision_open(
            actor=staff.admin_a, ticket=ticket, note="", deadline=timezone.now() - timedelta(minutes=1)
        )
    assert set(err.value.message_dict) == {"note", "deadline"}
    assert not Supervision.objects.exists() and not ticket.timeline.filter(action="supervise").exists()


@pytest.mark.usefixtures("eager_celery")
def test_reminder_before_the_deadline_and_escalation_after_it_each_once(staff, repair_ticket, settings):
    """Eager Celery: the beat task runs in this process."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ticket = repair_ticket()
    sup = open_sup(staff.leader, ticket, hours=30)
    now = timezone.now()
    assert services.supervision_sweep(now=now) == {"reminded": 0, "escalated": 0}
    later = now + timedelta(hours=7)
    assert supervise_deadlines.delay(now=later.isoformat()).get() == {"reminded": 1, "escalated": 0}
    assert services.supervision_sweep(now=later) == {"reminded": 0, "escalated": 0}
    assert Notification.objects.filter(user=staff.head_a1, key__endswith=f"sup{sup.pk}:remind").count() == 1
    send_notification_emails()  # what the commit would queue; the e-mail goes out with the in-app note
    assert any("督办提醒" in m.subject and m.to == [staff.head_a1.email] for m in mail.outbox)

    past = now + timedelta(hours=31)
    assert services.supervision_sweep(now=past) == {"reminded": 0, "escalated": 1}
    assert services.supervision_sweep(now=past) == {"reminded": 0, "escalated": 0}
    assert Notification.objects.filter(user=staff.leader, key__endswith=f"sup{sup.pk}:late").count() == 1
    assert ticket.timeline.filter(action="supervise_late").count() == 1
    assert [s.pk for s in selectors.needs_attention(staff.leader)] == [sup.pk]
    assert list(selectors.needs_attention(staff.admin_b)) == []


def test_supervision_list_tells_open_on_time_and_late(staff, repair_ticket):
    on_time = repair_ticket(location="1")
    open_sup(staff.leader, on_time)
    services.decide(actor=staff.head_a1, ticket=on_time, step_id=on_time.current_step_id, decision="approved")
    services.start_handling(actor=staff.space_a, ticket=on_time)
    services.complete(actor=staff.space_a, ticket=on_time, outcome={"cost": 0, "parts": "", "result": "好"})
    still_open = repair_ticket(location="2")
    open_sup(staff.leader, still_open)
    late = repair_ticket(location="3")
    sup = open_sup(staff.leader, late)
    Supervision.objects.filter(pk=sup.pk).update(deadline=timezone.now() - timedelta(hours=1))
    standings = {s.ticket_id: s.standing for s in selectors.supervision_list(staff.leader)}
    assert standings == {on_time.pk: "on_time", still_open.pk: "open", late.pk: "late"}
    assert [s.ticket_id for s in selectors.supervision_list(staff.leader, state="late")] == [late.pk]


def test_supervision_state_rule():
    deadline = timezone.now()
    assert rules.supervision_state(deadline=deadline, closed_at=None, now=deadline - timedelta(1)) == "open"
    assert rules.supervision_state(deadline=deadline, closed_at=None, now=deadline + timedelta(1)) == "late"
    assert rules.supervision_state(deadline=deadline, closed_at=deadline, now=deadline) == "on_time"
