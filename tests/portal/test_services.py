"""The workflow engine end to end in services: file, decide, hand on, return, handle, record, rate."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assets.models import AssetIssueRecord
from officespace.models import RepairRecord
from portal import selectors, services
from portal.models import Notification, Ticket, TicketStep, TimelineEntry
from portal.workflow import Status

from .conftest import REPAIR


def approve(ticket, user, comment=""):
    ticket.refresh_from_db()
    return services.decide(
        actor=user, ticket=ticket, step_id=ticket.current_step_id, decision="approved", comment=comment
    )


def test_filing_a_repair_routes_it_to_the_department_head(staff, repair_ticket):
    ticket = repair_ticket()
    assert ticket.status == Status.IN_REVIEW
    assert ticket.title == "维修报修：1号楼 502室（空调）"
    assert list(ticket.current_step.assignees.values_list("username", flat=True)) == ["head_a1"]
    assert ticket.due_at - ticket.submitted_at == timedelta(hours=48)
    assert Notification.objects.filter(user=staff.head_a1, ticket=ticket).exists()


def test_full_repair_flow_writes_the_repair_ledger_from_the_ticket(staff, repair_ticket):
    ticket = approve(repair_ticket(), staff.head_a1)
    assert ticket.status == Status.APPROVED
    ticket = services.start_handling(actor=staff.space_a, ticket=ticket)
    assert ticket.status == Status.IN_PROGRESS
    outcome = {"cost": Decimal("260.00"), "parts": "压缩机电容", "result": "已修复"}
    ticket = services.complete(actor=staff.space_a, ticket=ticket, outcome=outcome)
    assert ticket.status == Status.DONE
    record = RepairRecord.objects.get(ticket=ticket)
    assert (record.location, record.cost, record.handled_by) == ("1号楼 502室", Decimal("260.00"), staff.space_a)
    assert (
        ticket.timeline.get(action="complete").comment
        == "维修费用（元）：260.00；更换配件：压缩机电容；处理结果：已修复"
    )
    ticket = services.rate(actor=staff.clerk_a1, ticket=ticket, rating=5, comment="很快")
    assert ticket.rating == 5
    actions = list(ticket.timeline.values_list("action", flat=True))
    assert actions == ["create", "submit", "start_review", "approve", "start", "complete", "rate"]


def test_costly_repair_needs_the_space_administrator_too(staff, repair_ticket):
    ticket = approve(repair_ticket(estimated_cost=Decimal("9000")), staff.head_a1)
    assert ticket.status == Status.IN_REVIEW
    assert ticket.current_step.name.startswith("房产管理员审核")
    ticket = approve(ticket, staff.space_a)
    assert ticket.status == Status.APPROVED


def test_someone_not_assigned_cannot_decide(staff, repair_ticket):
    ticket = repair_ticket()
    with pytest.raises(PermissionDenied):
        services.decide(actor=staff.admin_b, ticket=ticket, step_id=ticket.current_step_id, decision="approved")
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_REVIEW


def test_the_second_decision_on_a_step_is_refused_as_already_decided(staff, tree, repair_ticket):
    from datahub.roles import Role
    from tests.factories import UserFactory, grant

    other_head = grant(UserFactory(username="head2_a1", name="乙处长", org_unit=tree.a1), Role.APPROVER, tree.a1)
    ticket = repair_ticket()
    step_id = ticket.current_step_id
    services.decide(actor=staff.head_a1, ticket=ticket, step_id=step_id, decision="approved")
    with pytest.raises(ValidationError, match="已由甲处长处理"):
        services.decide(actor=other_head, ticket=ticket, step_id=step_id, decision="rejected", comment="不行")
    assert Ticket.objects.get(pk=ticket.pk).status == Status.APPROVED


def test_rejecting_needs_a_comment_and_closes_the_ticket(staff, repair_ticket):
    ticket = repair_ticket()
    with pytest.raises(ValidationError) as exc:
        services.decide(actor=staff.head_a1, ticket=ticket, step_id=ticket.current_step_id, decision="rejected")
    assert "comment" in exc.value.message_dict
    assert TicketStep.objects.get(pk=ticket.current_step_id).decision == TicketStep.Decision.PENDING
    ticket = services.decide(
        actor=staff.head_a1, ticket=ticket, step_id=ticket.current_step_id, decision="rejected", comment="本月预算已满"
    )
    assert ticket.status == Status.REJECTED
    assert ticket.closed_at is not None
    assert "本月预算已满" in Notification.objects.filter(user=staff.clerk_a1).first().message


def test_returned_request_is_changed_and_resubmitted_in_a_new_round(staff, repair_ticket):
    ticket = repair_ticket()
    ticket = services.decide(
        actor=staff.head_a1, ticket=ticket, step_id=ticket.current_step_id, decision="returned", comment="请写明楼层"
    )
    assert ticket.status == Status.RETURNED
    services.update_draft(actor=staff.clerk_a1, ticket=ticket, detail_fields={"location": "1号楼5层 502室"})
    ticket = services.submit_ticket(actor=staff.clerk_a1, ticket=ticket)
    assert (ticket.status, ticket.round) == (Status.IN_REVIEW, 2)
    assert ticket.title == "维修报修：1号楼5层 502室（空调）"
    assert ticket.steps.filter(round=1).get().decision == TicketStep.Decision.RETURNED
    assert ticket.steps.filter(round=2).get().decision == TicketStep.Decision.PENDING


def test_only_the_requester_may_change_a_returned_request(staff, repair_ticket):
    ticket = repair_ticket()
    services.decide(
        actor=staff.head_a1, ticket=ticket, step_id=ticket.current_step_id, decision="returned", comment="改"
    )
    with pytest.raises(PermissionDenied):
        services.update_draft(actor=staff.head_a1, ticket=ticket, detail_fields={"location": "别处"})


def test_invalid_detail_change_keeps_the_old_detail(staff, repair_ticket):
    ticket = repair_ticket()
    services.decide(
        actor=staff.head_a1, ticket=ticket, step_id=ticket.current_step_id, decision="returned", comment="改"
    )
    with pytest.raises(ValidationError) as exc:
        services.update_draft(actor=staff.clerk_a1, ticket=ticket, detail_fields={"contact_phone": "12"})
    assert "contact_phone" in exc.value.message_dict
    assert selectors.detail_of(ticket).contact_phone == REPAIR["contact_phone"]


def test_requester_withdraws_before_a_decision(staff, repair_ticket):
    ticket = services.withdraw(actor=staff.clerk_a1, ticket=repair_ticket())
    assert ticket.status == Status.WITHDRAWN
    assert not TicketStep.objects.filter(ticket=ticket, decision=TicketStep.Decision.PENDING).exists()


def test_withdrawing_after_approval_is_refused_and_changes_nothing(staff, repair_ticket):
    ticket = approve(repair_ticket(), staff.head_a1)
    with pytest.raises(ValidationError, match="已批准"):
        services.withdraw(actor=staff.clerk_a1, ticket=ticket)
    assert Ticket.objects.get(pk=ticket.pk).status == Status.APPROVED


def test_hand_on_to_a_colleague_in_the_own_unit(staff, tree, repair_ticket):
    from tests.factories import UserFactory

    deputy = UserFactory(username="deputy_a1", name="副处长", org_unit=tree.a1)
    ticket = repair_ticket()
    services.hand_on(actor=staff.head_a1, ticket=ticket, step_id=ticket.current_step_id, to_user=deputy)
    ticket = approve(ticket, deputy)
    assert ticket.status == Status.APPROVED


def test_hand_on_outside_the_own_unit_is_refused(staff, repair_ticket):
    ticket = repair_ticket()
    with pytest.raises(ValidationError, match="本单位"):
        services.hand_on(actor=staff.head_a1, ticket=ticket, step_id=ticket.current_step_id, to_user=staff.clerk_b1)
    assert list(ticket.current_step.assignees.all()) == [staff.head_a1]


def test_only_a_handler_over_the_unit_may_start(staff, repair_ticket):
    ticket = approve(repair_ticket(), staff.head_a1)
    with pytest.raises(PermissionDenied):
        services.start_handling(actor=staff.asset_a, ticket=ticket)
    assert Ticket.objects.get(pk=ticket.pk).status == Status.APPROVED


def test_issuing_more_than_requested_is_refused_and_nothing_is_written(staff):
    ticket = services.file_request(
        requester=staff.clerk_a1,
        kind_code="asset_requisition",
        detail_fields={
            "item_name": "激光打印机",
            "category_id": "A0202",
            "quantity": 1,
            "purpose": "处室打印",
            "needed_by": timezone.localdate(),
        },
    )
    ticket = approve(ticket, staff.head_a1)
    ticket = services.start_handling(actor=staff.asset_a, ticket=ticket)
    with pytest.raises(ValidationError) as exc:
        services.complete(actor=staff.asset_a, ticket=ticket, outcome={"quantity": 3, "asset_codes": ""})
    assert "不能超过申请数量" in exc.value.message_dict["quantity"][0]
    assert Ticket.objects.get(pk=ticket.pk).status == Status.IN_PROGRESS
    assert not AssetIssueRecord.objects.exists()
    services.complete(actor=staff.asset_a, ticket=ticket, outcome={"quantity": 1, "asset_codes": ""})
    assert AssetIssueRecord.objects.get(ticket=ticket).recipient == staff.clerk_a1


def test_rating_is_once_and_one_to_five(staff, repair_ticket):
    ticket = approve(repair_ticket(), staff.head_a1)
    services.start_handling(actor=staff.space_a, ticket=ticket)
    services.complete(actor=staff.space_a, ticket=ticket, outcome={"cost": Decimal("0"), "parts": "", "result": "好了"})
    with pytest.raises(ValidationError):
        services.rate(actor=staff.clerk_a1, ticket=ticket, rating=6)
    services.rate(actor=staff.clerk_a1, ticket=ticket, rating=4)
    with pytest.raises(ValidationError, match="已评价"):
        services.rate(actor=staff.clerk_a1, ticket=ticket, rating=1)
    assert Ticket.objects.get(pk=ticket.pk).rating == 4


def test_rating_before_done_is_refused(staff, repair_ticket):
    with pytest.raises(ValidationError, match="不能执行“评价”"):
        services.rate(actor=staff.clerk_a1, ticket=repair_ticket(), rating=5)


def test_timeline_is_append_only(staff, repair_ticket):
    entry = repair_ticket().timeline.first()
    entry.comment = "改写历史"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert TimelineEntry.objects.get(pk=entry.pk).comment == ""


def test_a_draft_is_not_routed_until_submitted(staff):
    ticket = services.file_request(requester=staff.clerk_a1, kind_code="repair", detail_fields=REPAIR, submit=False)
    assert ticket.status == Status.DRAFT
    assert not ticket.steps.exists()
    ticket = services.submit_ticket(actor=staff.clerk_a1, ticket=ticket)
    assert ticket.status == Status.IN_REVIEW


def test_invalid_detail_files_nothing(staff):
    before = Ticket.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.file_request(
            requester=staff.clerk_a1, kind_code="repair", detail_fields={**REPAIR, "contact_phone": "1"}
        )
    assert "contact_phone" in exc.value.message_dict
    assert Ticket.objects.count() == before


def test_unknown_kind_is_refused(staff):
    with pytest.raises(ValidationError, match="没有“flying_car”这种申请类型"):
        services.file_request(requester=staff.clerk_a1, kind_code="flying_car", detail_fields={})


def test_notifications_are_emailed_once_in_eager_mode(
    staff, repair_ticket, django_capture_on_commit_callbacks, eager_celery
):
    """Eager mode on purpose (no REDIS_URL): the e-mail task runs in-process after commit."""
    from portal.tasks import send_notification_emails

    with django_capture_on_commit_callbacks(execute=True):
        repair_ticket()
    assert [m.to for m in mail.outbox] == [[staff.head_a1.email]]
    assert send_notification_emails() == 0
    assert len(mail.outbox) == 1


def test_overdue_tickets_are_flagged_once_and_the_level_above_is_told(staff, tree, repair_ticket):
    from datahub.roles import Role
    from tests.factories import UserFactory, grant

    chief = grant(UserFactory(username="chief_a", org_unit=tree.a), Role.APPROVER, tree.a)
    ticket = repair_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(due_at=timezone.now() - timedelta(hours=1))
    assert services.escalate_overdue() == 1
    assert services.escalate_overdue() == 0
    notes = Notification.objects.filter(ticket=ticket, key__endswith="overdue")
    assert list(notes.values_list("user__username", flat=True)) == [chief.username]
    assert ticket.timeline.filter(action="overdue").count() == 1


def test_a_failing_mail_server_leaves_the_notification_for_the_next_run(staff, repair_ticket, settings):
    """Eager mode on purpose; the broken backend stands in for an unreachable SMTP server."""
    from portal.tasks import send_notification_emails

    repair_ticket()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens on 9
    assert send_notification_emails() == 0
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_notification_emails() == 1


def test_hand_on_to_someone_who_cannot_sign_in_is_refused(staff, tree, repair_ticket):
    from tests.factories import UserFactory

    entry_only = UserFactory(username="entry_only", name="未开户", org_unit=tree.a1, password="!unusable")
    ticket = repair_ticket()
    with pytest.raises(ValidationError, match="尚未开通登录账号"):
        services.hand_on(actor=staff.head_a1, ticket=ticket, step_id=ticket.current_step_id, to_user=entry_only)
