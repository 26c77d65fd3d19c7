"""The e-mail leg of in-app notifications: a Celery task of its own module, so that the services which
queue it (portal.services._base.send) do not import portal.tasks, which calls those services."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification

log = logging.getLogger(__name__)


@shared_task(name="portal.tasks.send_notification_emails")
def send_notification_emails(batch: int = 200) -> int:
    """E-mail each in-app notification once; rows are claimed under a lock so two workers never both send.

    A mail server that fails leaves the row unsent for the next run (beat retries every few minutes);
    it never fails the request that queued it.
    """
    sent = 0
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(emailed_at__isnull=True, user__email__gt="")
            .select_related("user")[:batch]
        )
        delivered = []
        for note in pending:
            try:
                send_mail(
                    subject=f"【一网协同】{note.message[:60]}",
                    message=f"{note.user.name}，您好：\n\n{note.message}\n\n请登录一网协同平台查看。",
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[note.user.email],
                    fail_silently=False,
                )
            except OSError as exc:  # smtplib errors are OSErrors too
                log.warning("notification %s not e-mailed yet: %s", note.pk, exc)
                continue
            note.emailed_at = timezone.now()
            delivered.append(note)
            sent += 1
        Notification.objects.bulk_update(delivered, ["emailed_at"])
    return sent
