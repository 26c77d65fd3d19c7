"""Portal tasks through a real Celery worker consuming from Redis (skipped without REDIS_URL).
The eager-mode versions are in test_services.py."""

import os
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from config.celery import app
from portal.models import Notification, Ticket
from portal.tasks import escalate_overdue_tickets, send_notification_emails

from .conftest import REPAIR

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL: a real Celery worker on Redis"),
    pytest.mark.django_db(transaction=True),
]


def test_overdue_escalation_and_emails_run_once_on_a_real_worker(staff, tree):
    from celery.contrib.testing.worker import start_worker

    from portal import services

    ticket = services.file_request(requester=staff.clerk_a1, kind_code="repair", detail_fields=REPAIR)
    Ticket.objects.filter(pk=ticket.pk).update(due_at=timezone.now() - timedelta(hours=2))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert escalate_overdue_tickets.delay().get(timeout=30) == 1
        assert escalate_overdue_tickets.delay().get(timeout=30) == 0
        # Filing already queued a send after commit; these two calls mop up whatever is left.
        send_notification_emails.delay().get(timeout=30)
        again = send_notification_emails.delay().get(timeout=30)
    notes = Notification.objects.filter(ticket=ticket)
    assert notes.count() == 2  # the head's request to approve, and the overdue alert one level up
    assert again == 0
    assert not notes.filter(emailed_at__isnull=True).exists()
    assert len(mail.outbox) == 2
