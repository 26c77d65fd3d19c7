"""A returned request resubmitted unchanged keeps its title's figures and its 提交时间 (issue #19, bug 5)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal import services
from portal.models import Ticket, TimelineEntry
from portal.registry import detail_form, get
from portal.workflow import Action, Status

pytestmark = pytest.mark.django_db


def _adjustment(staff):
    form = detail_form(
        get("space_adjustment"), staff.clerk_a1, {"purpose": "more", "requested_area": "18", "reason": "新增人员"}
    )
    assert form.is_valid(), form.errors
    return services.file_request(
        requester=staff.clerk_a1, kind_code="space_adjustment", detail_fields=form.cleaned_data
    )


def test_resubmission_keeps_the_title_figures_and_the_first_submission_time(staff):
    ticket = _adjustment(staff)
    title = ticket.title
    assert "18.00m²" in title  # the figure as stored, from the first filing on
    first_submitted = timezone.now() - timedelta(days=2)
    Ticket.objects.filter(pk=ticket.pk).update(submitted_at=first_submitted)
    ticket.refresh_from_db()
    ticket = services.decide(
        actor=staff.head_a1, ticket=ticket, step_id=ticket.current_step_id, decision="returned", comment="请说明"
    )
    form = detail_form(
        get("space_adjustment"),
        staff.clerk_a1,
        {"purpose": "more", "requested_area": "18", "reason": "新增人员两名"},
        instance=get("space_adjustment").detail_model.objects.get(ticket=ticket),
    )
    assert form.is_valid(), form.errors
    services.update_draft(actor=staff.clerk_a1, ticket=ticket, detail_fields=form.cleaned_data)
    ticket = services.submit_ticket(actor=staff.clerk_a1, ticket=ticket)
    assert (ticket.status, ticket.round) == (Status.IN_REVIEW, 2)
    assert ticket.title == title
    assert ticket.submitted_at == first_submitted
    # The resubmission itself is on the timeline.
    assert TimelineEntry.objects.filter(ticket=ticket, action=Action.SUBMIT).count() == 2
