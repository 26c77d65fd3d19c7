"""The transition table: every legal move works, every illegal one is refused with the reason."""

import pytest
from django.core.exceptions import ValidationError

from portal.models import Ticket
from portal.workflow import TRANSITIONS, Action, Status, allowed, move

CASES = [(action, status) for action in TRANSITIONS for status in Status.values]


@pytest.mark.parametrize(("action", "status"), CASES)
def test_every_action_from_every_state(action, status):
    ticket = Ticket(status=status)
    sources, target = TRANSITIONS[action]
    if status in sources:
        assert move(ticket, action) == (status, target or status)
        assert ticket.status == (target or status)
    else:
        with pytest.raises(ValidationError) as exc:
            move(ticket, action)
        assert str(Status(status).label) in exc.value.messages[0]
        assert ticket.status == status


def test_the_main_path_is_draft_submitted_review_approved_progress_done():
    ticket = Ticket(status=Status.DRAFT)
    path = [Action.SUBMIT, Action.START_REVIEW, Action.APPROVE_STEP, Action.APPROVE, Action.START, Action.COMPLETE]
    for action in path:
        move(ticket, action)
    assert ticket.status == Status.DONE


def test_a_returned_request_can_be_resubmitted_but_a_rejected_one_cannot():
    assert allowed(Action.SUBMIT, Status.RETURNED)
    assert not allowed(Action.SUBMIT, Status.REJECTED)


def test_withdrawal_is_only_before_a_final_decision():
    assert allowed(Action.WITHDRAW, Status.IN_REVIEW)
    for status in (Status.APPROVED, Status.IN_PROGRESS, Status.DONE, Status.REJECTED):
        assert not allowed(Action.WITHDRAW, status)


def test_unknown_action_is_refused():
    with pytest.raises(ValidationError, match="未知的操作"):
        move(Ticket(status=Status.DRAFT), "teleport")
