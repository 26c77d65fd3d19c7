"""Reads of the data-sharing requests: the open 纠错 of an entry (for the catalog page) and the step clocks."""

from datetime import date

from django.db.models import QuerySet

from portal.workflow import OPEN_STATES, Status
from telematics import rules as calendar_rules
from telematics import selectors as calendar

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


def clocks_of(ticket) -> QuerySet:
    return StepClock.objects.filter(ticket=ticket).order_by("round", "index")
