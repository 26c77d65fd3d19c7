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


def test_three_countersigners_at_once_are_all_counted_and_the_ticket_moves_on_once(staff, tree):
    from portal import registry

    from .collab import countersign_kind

    registry.register(countersign_kind("cs_all_pg", "all"))
    try:
        ticket = services.file_request(requester=staff.clerk_a1, kind_code="cs_all_pg", detail_fields=REPAIR)
        step_id = ticket.current_step_id
        signers = [staff.space_a, staff.asset_a, staff.admin_a]
        barrier = threading.Barrier(len(signers))
        outcomes: dict[str, str] = {}

        def sign(user):
            try:
                barrier.wait(timeout=10)
                services.decide(actor=user, ticket=ticket, step_id=step_id, decision="approved")
                outcomes[user.username] = "signed"
            except ValidationError as exc:
                outcomes[user.username] = exc.messages[0]
            finally:
                connection.close()

        threads = [threading.Thread(target=sign, args=(u,)) for u in signers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)

        assert outcomes == {u.username: "signed" for u in signers}
        step = TicketStep.objects.get(pk=step_id)
        assert step.decision == "approved"
        assert sorted(step.parts.values_list("decided_by__username", flat=True)) == ["admin_a", "asset_a", "space_a"]
        ticket = Ticket.objects.get(pk=ticket.pk)
        assert ticket.current_step.index == 2
        assert ticket.timeline.filter(action="countersign").count() == 3
        assert ticket.timeline.filter(action="approve_step").count() == 1
    finally:
        registry._KINDS.pop("cs_all_pg", None)


def test_any_countersign_with_simultaneous_signers_passes_once_and_tells_the_others(staff, tree):
    from portal import registry

    from .collab import countersign_kind

    registry.register(countersign_kind("cs_any_pg", "any"))
    try:
        ticket = services.file_request(requester=staff.clerk_a1, kind_code="cs_any_pg", detail_fields=REPAIR)
        step_id = ticket.current_step_id
        signers = [staff.space_a, staff.asset_a, staff.admin_a]
        barrier = threading.Barrier(len(signers))
        outcomes: dict[str, str] = {}

        def sign(user):
            try:
                barrier.wait(timeout=10)
                services.decide(actor=user, ticket=ticket, step_id=step_id, decision="approved")
                outcomes[user.username] = "signed"
            except ValidationError as exc:
                outcomes[user.username] = exc.messages[0]
            finally:
                connection.close()

        threads = [threading.Thread(target=sign, args=(u,)) for u in signers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)

        signed = [u for u, r in outcomes.items() if r == "signed"]
        assert len(signed) == 1, outcomes
        assert all("会签步骤已结束" in r for u, r in outcomes.items() if u not in signed)
        ticket = Ticket.objects.get(pk=ticket.pk)
        assert ticket.current_step.index == 2
        assert ticket.timeline.filter(action="approve_step").count() == 1
    finally:
        registry._KINDS.pop("cs_any_pg", None)
