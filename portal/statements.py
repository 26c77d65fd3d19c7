"""The ticket page's fixed-shape reads as statements compiled once per process (datahub.compiled, #17): the ticket
with its requester, unit, current step and handler, its steps with who decided and their assignees, and its
timeline with who acted. Every ticket's page asks the same querysets but for the ticket's id, and building and compiling them was about
half of the page's CPU. The querysets are the selectors' (portal.selectors.ticket_for, steps_of), built here
once with a marker for the id.
"""

from datahub.compiled import InstanceStatement

from .models import Ticket, TicketStep, TimelineEntry

# The rows a ticket is read with by the lists and the ticket page (portal.selectors uses it too).
LIST_RELATED = ("requester", "org_unit", "current_step", "handler")
# A marker no ticket id is.
_ID = {"pk": -917_263_548_237}


def _ticket(pk):
    return Ticket.objects.select_related(*LIST_RELATED).filter(pk=pk)[:1]


def _steps(pk):
    return (
        TicketStep.objects.filter(ticket_id=pk)
        .select_related("decided_by", "assigned_unit")
        .prefetch_related("assignees")
    )


TICKET = InstanceStatement(Ticket, _ticket, _ID)
STEPS = InstanceStatement(TicketStep, _steps, _ID)
TIMELINE = InstanceStatement(
    TimelineEntry, lambda pk: TimelineEntry.objects.filter(ticket_id=pk).select_related("actor"), _ID
)
_TICKET_OF_STEP = TicketStep._meta.get_field("ticket")
_TICKET_OF_ENTRY = TimelineEntry._meta.get_field("ticket")


def ticket(pk: int) -> Ticket | None:
    """``Ticket.objects.select_related(*LIST_RELATED).filter(pk=pk).first()``."""
    found = TICKET.rows({"pk": int(pk)})  # as the queryset casts an id given as text
    return found[0] if found else None


def steps(ticket: Ticket) -> list[TicketStep]:
    """``list(ticket.steps.select_related("decided_by", "assigned_unit").prefetch_related("assignees"))``, each
    step knowing its ticket (as the related manager's rows do)."""
    rows = STEPS.rows({"pk": ticket.pk})
    for step in rows:
        _TICKET_OF_STEP.set_cached_value(step, ticket)
    return rows


def timeline(ticket: Ticket) -> list[TimelineEntry]:
    """``list(ticket.timeline.select_related("actor"))``, each entry knowing its ticket."""
    rows = TIMELINE.rows({"pk": ticket.pk})
    for entry in rows:
        _TICKET_OF_ENTRY.set_cached_value(entry, ticket)
    return rows
