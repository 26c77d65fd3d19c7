"""Two approvers deciding the same step at the same moment, on two PostgreSQL connections."""

import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from datahub.roles import Role
from portal import services
from portal.models import Ticket, TicketStep
from portal.workflow import Status
from tests.factories import UserFactory, grant

from .conftest import REPAIR

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL: row locks across two connections",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_approvers_at_once_exactly_one_decision_counts(staff, tree):
    second_head = grant(UserFactory(username="head2_a1", name="乙处长", org_unit=tree.a1), Role.APPROVER, tree.a1)
    ticket = services.file_request(requester=staff.clerk_a1, kind_code="repair", detail_fields=REPAIR)
    step_id = ticket.current_step_id
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(user, decision):
        try:
            barrier.wait(timeout=10)
            services.decide(actor=user, ticket=ticket, step_id=step_id, decision=decision, comment="并发测试")
            outcomes[user.username] = "won"
        except ValidationError as exc:
            outcomes[user.username] = exc.messages[0]
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(staff.head_a1, "approved")),
        threading.Thread(target=decide, args=(second_head, "rejected")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    winners = [u for u, result in outcomes.items() if result == "won"]
    assert len(winners) == 1, outcomes
    loser = next(u for u in outcomes if u not in winners)
    assert "无需重复审批" in outcomes[loser]
    step = TicketStep.objects.get(pk=step_id)
    assert step.decided_by.username == winners[0]
    expected = Status.APPROVED if winners[0] == "head_a1" else Status.REJECTED
    assert Ticket.objects.get(pk=ticket.pk).status == expected
    assert Ticket.objects.get(pk=ticket.pk).timeline.filter(action__in=["approve", "reject"]).count() == 1
