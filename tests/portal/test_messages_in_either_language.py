"""What the engine writes into rows reads in the reader's language (issue #19): a notification, a remark the
system puts on the timeline and a generated title are kept as their message and values, so the same
stored row is Chinese for a zh-hans reader and English for an English one. The text column still holds
the Chinese sentence (e-mail, search, the admin); what a person typed stays as typed; a row written before
(no message kept) shows its stored text in either language."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from portal import services
from portal.models import Notification, Ticket, TimelineEntry

ZH, EN = "zh-hans", "en"


def read(language, make):
    with translation.override(language):
        return str(make())


def english(client, user):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_a_generated_title_reads_in_the_readers_language_and_is_stored_in_chinese(repair_ticket):
    ticket = Ticket.objects.get(pk=repair_ticket().pk)
    assert ticket.title == "维修报修：1号楼 502室（空调）"
    assert read(ZH, lambda: ticket.shown_title) == "维修报修：1号楼 502室（空调）"
    assert read(EN, lambda: ticket.shown_title) == "Repair: 1号楼 502室 (Air conditioning)"


def test_the_approvers_notification_reads_in_the_readers_language(staff, repair_ticket):
    ticket = repair_ticket()
    note = Notification.objects.get(user=staff.head_a1, ticket=ticket)
    assert note.message == "待您审批：维修报修：1号楼 502室（空调）（" + staff.clerk_a1.name + "）"
    assert read(ZH, lambda: note.shown_message) == note.message
    assert read(EN, lambda: note.shown_message) == (
        f"Awaiting your approval: Repair: 1号楼 502室 (Air conditioning) ({staff.clerk_a1.name})"
    )


def test_a_return_keeps_the_approvers_words_as_typed_in_either_language(staff, repair_ticket):
    ticket = repair_ticket()
    services.decide(
        actor=staff.head_a1, ticket=ticket, step_id=ticket.current_step_id, decision="returned", comment="请补充照片"
    )
    note = Notification.objects.get(user=staff.clerk_a1, ticket=ticket, key__endswith=":return")
    assert read(ZH, lambda: note.shown_message) == "您的申请被退回修改：维修报修：1号楼 502室（空调）。意见：请补充照片"
    assert read(EN, lambda: note.shown_message) == (
        "Your request was returned for changes: Repair: 1号楼 502室 (Air conditioning). Remarks: 请补充照片"
    )


def test_the_systems_timeline_remark_reads_in_the_readers_language(repair_ticket):
    ticket = repair_ticket()
    entry = TimelineEntry.objects.get(ticket=ticket, action="start_review")
    assert entry.comment.startswith("第1步：")
    assert read(ZH, lambda: entry.shown_comment) == entry.comment
    assert read(EN, lambda: entry.shown_comment).startswith("Step 1: ")


def test_a_remark_a_person_typed_stays_as_typed(staff, repair_ticket):
    ticket = repair_ticket()
    entry = services.add_comment(actor=staff.clerk_a1, ticket=ticket, comment="已联系物业")
    entry.refresh_from_db()
    assert (entry.comment_key, read(ZH, lambda: entry.shown_comment), read(EN, lambda: entry.shown_comment)) == (
        "",
        "已联系物业",
        "已联系物业",
    )


def test_the_outcome_and_the_rating_read_in_the_readers_language_with_what_people_wrote(staff, repair_ticket):
    ticket = repair_ticket()
    ticket.refresh_from_db()
    services.decide(actor=staff.head_a1, ticket=ticket, step_id=ticket.current_step_id, decision="approved")
    services.start_handling(actor=staff.space_a, ticket=ticket)
    services.complete(
        actor=staff.space_a, ticket=ticket, outcome={"cost": Decimal("10.00"), "parts": "", "result": "好"}
    )
    done = TimelineEntry.objects.get(ticket=ticket, action="complete")
    assert done.comment == "维修费用（元）：10.00；处理结果：好"
    assert read(EN, lambda: done.shown_comment) == "Repair cost (yuan): 10.00; Outcome: 好"
    services.rate(actor=staff.clerk_a1, ticket=ticket, rating=5, comment="很快")
    entry = TimelineEntry.objects.get(ticket=ticket, action="rate")
    assert entry.comment == "5分。很快"
    assert read(EN, lambda: entry.shown_comment) == "5 points. 很快"
    started = Notification.objects.get(user=staff.clerk_a1, ticket=ticket, key__endswith=":start")
    assert read(EN, lambda: started.shown_message).startswith(f"{staff.space_a.name} has started handling: Repair:")


def test_a_row_written_before_keeps_its_stored_text_in_either_language(staff):
    note = Notification.objects.create(user=staff.clerk_a1, key="legacy", message="旧通知：请查看")
    assert read(ZH, lambda: note.shown_message) == "旧通知：请查看"
    assert read(EN, lambda: note.shown_message) == "旧通知：请查看"


@pytest.mark.parametrize(
    "language, shown, hidden",
    [(ZH, "待您审批：维修报修", "Awaiting your approval"), (EN, "Awaiting your approval: Repair:", "待您审批")],
)
def test_the_notifications_page_shows_the_same_row_in_the_readers_language(
    client, staff, repair_ticket, language, shown, hidden
):
    repair_ticket()
    if language == EN:
        english(client, staff.head_a1)
    else:
        client.force_login(staff.head_a1)
    html = client.get(reverse("portal:notifications")).content.decode()
    assert shown in html and hidden not in html


def test_the_ticket_page_and_the_api_read_the_title_and_timeline_in_english(client, staff, repair_ticket):
    ticket = repair_ticket()
    html = english(client, staff.clerk_a1).get(reverse("portal:ticket", args=[ticket.pk])).content.decode()
    assert "Repair: 1号楼 502室 (Air conditioning)" in html and "维修报修：" not in html
    assert "Step 1: " in html and "第1步：" not in html
    data = client.get(f"/api/v1/portal/tickets/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert data["title"] == "Repair: 1号楼 502室 (Air conditioning)"


@pytest.fixture
def two_step_repair():
    """A repair approved by the head of division, then by the bureau: the engine writes the move between them."""
    from datahub.roles import Role
    from officespace.forms import RepairOutcomeForm, RepairRequestForm
    from officespace.models import RepairRequest
    from portal import registry
    from portal.registry import RequestKind, Step

    kind = RequestKind(
        code="two_step_repair",
        label="两级审批维修",
        domain="测试",
        detail_model=RepairRequest,
        form_class=RepairRequestForm,
        chain=(Step("处室负责人审批", Role.APPROVER), Step("机关事务管理局审批", Role.BUREAU_ADMIN)),
        handler_role=Role.SPACE_ADMIN,
        sla_hours=48,
        outcome_form=RepairOutcomeForm,
        record_outcome=lambda **kwargs: None,
    )
    registry.register(kind)
    yield kind
    registry._KINDS.pop(kind.code, None)


def test_the_move_to_the_next_step_reads_in_the_readers_language(staff, two_step_repair):
    from .conftest import REPAIR

    ticket = services.file_request(requester=staff.clerk_a1, kind_code="two_step_repair", detail_fields=REPAIR)
    services.decide(actor=staff.head_a1, ticket=ticket, step_id=ticket.current_step_id, decision="approved")
    entry = TimelineEntry.objects.get(ticket=ticket, action="approve_step")
    assert (entry.comment, read(ZH, lambda: entry.shown_comment), read(EN, lambda: entry.shown_comment)) == (
        "转第2步",
        "转第2步",
        "On to step 2",
    )
