"""The e-mail leg of in-app notifications: a Celery task of its own module, so that the services which
queue it (portal.services._base.send) do not import portal.tasks, which calls those services."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Notification

log = logging.getLogger(__name__)


@shared_task(name="portal.tasks.send_notification_emails")
def send_notification_emails(batch: int = 200) -> int:
    """E-mail each in-app notification once; rows are claimed under a lock so two workers never both send.

    A mail server that fails leaves the row unsent for the next run (beat retries every few minutes);
    it never fails the request that queued it. Each mail is written in its recipient's saved language
    (User.language), the notification's message included (datahub.keyed).
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
                send_mail(**_mail(note), from_email=settings.DEFAULT_FROM_EMAIL, fail_silently=False)
            except OSError as exc:  # smtplib errors are OSErrors too
                log.warning("notification %s not e-mailed yet: %s", note.pk, exc)
                continue
            note.emailed_at = timezone.now()
            delivered.append(note)
            sent += 1
        Notification.objects.bulk_update(delivered, ["emailed_at"])
    return sent


def _mail(note: Notification) -> dict:
    """The subject, body and recipient of ``note``'s e-mail, in the recipient's language."""
    language = note.user.language if note.user.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        message = note.shown_message
        return {
            "subject": _("【一网协同】%(message)s") % {"message": message[:60]},
            "message": _("%(name)s，您好：\n\n%(message)s\n\n请登录一网协同平台查看。")
            % {"name": note.user.name, "message": message},
            "recipient_list": [note.user.email],
        }
