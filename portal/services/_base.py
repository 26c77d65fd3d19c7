"""What every write of the engine shares: the timeline, notifications, the ticket row lock."""

from django.db import transaction

from datahub import keyed
from datahub.models import User
from datahub.selectors import nearest_holders

from .. import registry
from ..mail import send_notification_emails
from ..models import AssistPart, Notification, Ticket, TimelineEntry


def log(*, ticket, actor, action, frm="", to="", comment="", attachment=None) -> TimelineEntry:
    """``comment`` is a person's text, kept as typed, or a ``keyed.Keyed`` message the system writes, kept
    as its message and values so each reader sees it in their language."""
    text, key, values = keyed.split(comment, 1000)
    entry = TimelineEntry(
        ticket=ticket,
        actor=actor,
        action=action,
        from_status=frm,
        to_status=to,
        comment=text,
        comment_key=key,
        comment_values=values,
    )
    if attachment:
        entry.attachment = attachment
        entry.attachment_name = attachment.name[:200]
        entry.full_clean(exclude=["ticket", "actor"])
    entry.save()
    return entry


def send(*, users, ticket: Ticket | None, key: str, message) -> None:
    """In-app notification now, e-mail by a Celery task after commit; the same key never notifies twice.
    ``message`` is a ``keyed.Keyed`` message (read in each reader's language) or a plain text."""
    prefix = f"t{ticket.pk}:" if ticket is not None else ""
    text, message_key, values = keyed.split(message, 300)
    rows = [
        Notification(
            user=u,
            ticket=ticket,
            key=f"{prefix}{key}"[:120],
            message=text,
            message_key=message_key,
            message_values=values,
        )
        for u in set(users)
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        transaction.on_commit(send_notification_emails.delay)


def locked(*, ticket: Ticket) -> Ticket:
    # of=("self",): lock the ticket row only, not the requester's or unit's rows it joins.
    return Ticket.objects.select_for_update(of=("self",)).select_related("requester", "org_unit").get(pk=ticket.pk)


def detail(*, ticket: Ticket):
    return registry.get(ticket.kind).detail_model.objects.get(ticket=ticket)


def handlers(*, ticket: Ticket) -> list[User]:
    holders, _ = nearest_holders(registry.get(ticket.kind).handler_role, ticket.org_unit)
    return holders


def open_assists(*, ticket: Ticket) -> list:
    return list(ticket.assists.filter(state=AssistPart.State.OPEN).select_related("unit"))


def _title(ticket: Ticket):
    """The ticket's title as a value for a message (its generated message when it has one): the engine's
    shorthand for its notices, private to the services package."""
    return ticket.title_message
