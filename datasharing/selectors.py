"""Reads of the data-sharing requests: the open 纠错 of an entry (for the catalog page) and the step clocks."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from portal.workflow import OPEN_STATES, Status
from telematics import rules as calendar_rules
from telematics import selectors as calendar

from . import rules
from .models import DataCorrection, StepClock


def open_corrections(dataset) -> list[dict]:
    """The entry's 纠错 not yet closed, oldest first: shown on the catalog page to everyone who sees the entry
    (the item and the ticket's state, not the reporter's words: those stay on the ticket)."""
    rows = (
        DataCorrection.objects.filter(dataset=dataset, ticket__status__in=OPEN_STATES)
        .order_by("ticket__submitted_at", "pk")
        .values_list("ticket_id", "ticket__title", "item", "ticket__status", "ticket__submitted_at")
    )
    return [
        {"ticket_id": t, "title": title, "item": item, "status": Status(status).label, "filed_at": at}
        for t, title, item, status, at in rows
    ]


def working_day_lookup(start: date, end: date):
    """``day -> is a working day`` over [start, end] from the platform's working calendar (holidays, 调休)."""
    days = calendar.calendar_days(start, end)
    return lambda day: days[day].kind in calendar_rules.WORKING_KINDS


def due_after_working_days(start: datetime, days: int) -> datetime:
    """The midnight ending the ``days``-th working day after ``start``'s day (the day of receipt does not count),
    on the platform's working calendar."""
    first = timezone.localtime(start).date()
    last = rules.last_working_day(first, days, working_day_lookup(first, first + timedelta(days=days * 3 + 30)))
    return timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))


def ticket_deadline(*, ticket, detail, start: datetime) -> datetime:
    """The engine's limit for a data-sharing ticket (RequestKind.deadline): its steps' working days
    (rules.ticket_working_days) on the working calendar, not calendar hours: a request filed before a holiday
    gets the holiday on top, one filed on a Friday the weekend."""
    share_type = getattr(getattr(detail, "dataset", None), "share_type", "")
    return due_after_working_days(start, rules.ticket_working_days(ticket.kind, share_type))


def clocks_of(ticket) -> QuerySet:
    return StepClock.objects.filter(ticket=ticket).order_by("round", "index")
