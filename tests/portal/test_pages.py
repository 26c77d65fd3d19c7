"""Portal pages: the filing form explains what is wrong, the inbox decides in one click, bulk approval."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portal import services
from portal.models import Ticket
from portal.workflow import Status

from .conftest import REPAIR

# The start of a real PNG (signature and IHDR chunk): attachments are checked by content.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def requisition(staff, name="签字笔"):
    return services.file_request(
        requester=staff.clerk_a1,
        kind_code="asset_requisition",
        detail_fields={
            "item_name": name,
            "category_id": "A05",
            "quantity": 10,
            "purpose": "日常办公",
            "needed_by": timezone.localdate(),
        },
    )


def test_portal_home_lists_the_kinds_by_domain(login, staff):
    html = login(staff.clerk_a1).get(reverse("portal:home")).content.decode()
    assert "维修报修" in html and "资产领用" in html and "办公用房" in html


def test_filing_form_shows_field_errors_and_files_nothing(login, staff):
    response = login(staff.clerk_a1).post(
        reverse("portal:new", args=["asset_requisition"]),
        {
            "item_name": "",
            "category": "A05",
            "quantity": "0",
            "purpose": "x",
            "needed_by": "2000-01-01",
            "submit": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "需用日期不能早于今天" in html
    assert "该字段是必填项" in html
    assert not Ticket.objects.exists()


def test_saving_a_draft_then_submitting_it(login, staff):
    client = login(staff.clerk_a1)
    data = {k: str(v) for k, v in REPAIR.items() if k != "urgent"}
    response = client.post(reverse("portal:new", args=["repair"]), {**data, "draft": "1"})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and ticket.status == Status.DRAFT
    client.post(reverse("portal:submit", args=[ticket.pk]))
    assert Ticket.objects.get().status == Status.IN_REVIEW


def test_one_click_approval_from_the_inbox(login, staff, repair_ticket):
    ticket = repair_ticket()
    client = login(staff.head_a1)
    response = client.post(
        reverse("portal:decide", args=[ticket.pk]), {"step_id": ticket.current_step_id, "decision": "approved"}
    )
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).status == Status.APPROVED


def test_rejecting_without_a_comment_from_the_inbox_says_why(login, staff, repair_ticket):
    ticket = repair_ticket()
    client = login(staff.head_a1)
    response = client.post(
        reverse("portal:decide", args=[ticket.pk]),
        {"step_id": ticket.current_step_id, "decision": "rejected"},
        follow=True,
    )
    assert "请填写意见" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status == Status.IN_REVIEW


def test_bulk_approval_approves_simple_kinds_and_reports_the_rest(login, staff, repair_ticket):
    pens, paper = requisition(staff), requisition(staff, "打印纸")
    repair = repair_ticket()
    response = login(staff.head_a1).post(
        reverse("portal:bulk-approve"), {"ticket": [pens.pk, paper.pk, repair.pk]}, follow=True
    )
    html = response.content.decode()
    assert "已批量同意 2 件" in html
    assert "需逐件审批" in html
    assert set(Ticket.objects.filter(status=Status.APPROVED).values_list("pk", flat=True)) == {pens.pk, paper.pk}
    assert Ticket.objects.get(pk=repair.pk).status == Status.IN_REVIEW


def test_outcome_form_errors_are_shown_on_the_ticket_page(login, staff, repair_ticket):
    ticket = repair_ticket()
    services.decide(actor=staff.head_a1, ticket=ticket, step_id=ticket.current_step_id, decision="approved")
    services.start_handling(actor=staff.space_a, ticket=ticket)
    response = login(staff.space_a).post(reverse("portal:complete", args=[ticket.pk]), {"cost": "-1", "result": ""})
    assert response.status_code == 400
    assert "确保该值大于或等于" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status == Status.IN_PROGRESS


def test_attachment_of_a_forbidden_type_is_refused(login, staff, repair_ticket):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ticket = repair_ticket()
    upload = SimpleUploadedFile("run.exe", b"MZ...", content_type="application/octet-stream")
    response = login(staff.clerk_a1).post(
        reverse("portal:comment", args=[ticket.pk]), {"comment": "见附件", "attachment": upload}, follow=True
    )
    assert "不能上传“.exe”格式的文件；可以上传的格式：" in response.content.decode()
    assert "不被允许" not in response.content.decode()
    assert not ticket.timeline.filter(action="comment").exists()


def test_an_exe_renamed_pdf_is_refused_by_its_content(login, staff, repair_ticket, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.badfiles import EXE

    settings.MEDIA_ROOT = tmp_path
    ticket = repair_ticket()
    upload = SimpleUploadedFile("报价单.pdf", EXE, content_type="application/pdf")
    response = login(staff.clerk_a1).post(
        reverse("portal:comment", args=[ticket.pk]), {"comment": "见附件", "attachment": upload}, follow=True
    )
    assert "内容不是PDF文档（实际内容识别为 .exe 文件）" in response.content.decode()
    assert not ticket.timeline.filter(action="comment").exists()
    assert not list(tmp_path.rglob("*.pdf"))


def test_unread_notifications_show_in_the_header_and_clear_when_opened(login, staff, repair_ticket):
    ticket = repair_ticket()
    client = login(staff.head_a1)
    assert 'id="unread-count">1<' in client.get(reverse("portal:home")).content.decode()
    note = staff.head_a1.notifications.get()
    assert client.get(reverse("portal:notification", args=[note.pk])).url == reverse("portal:ticket", args=[ticket.pk])
    assert 'id="unread-count"' not in client.get(reverse("portal:home")).content.decode()


# Baselines, whatever the page holds: session, user, own unit, grants (nav, overseer tab), and one statement for
# the page's rows under 督办, their count and the unread count; no session write (renewed at most once a minute).
def test_my_requests_page_uses_a_fixed_number_of_queries(login, staff, repair_ticket, django_assert_num_queries):
    for i in range(20):
        repair_ticket(location=f"{i}号会议室")
    client = login(staff.clerk_a1)
    # 9, then 7: the grants read once, the 督办 mark in the rows' query; then count, rows and unread in one (#17)
    with django_assert_num_queries(5):
        response = client.get(reverse("portal:mine"))
    assert response.content.decode().count("会议室") >= 20


def test_portal_pages_are_translated_to_english(client, staff):
    client.force_login(staff.clerk_a1)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("portal:home")).content.decode()
    assert "New request" in html and "To approve" in html


def test_overseers_see_all_requests_in_their_subtree_and_others_are_refused(login, staff, repair_ticket):
    mine, theirs = repair_ticket(), repair_ticket(requester=staff.clerk_b1)
    html = login(staff.admin_a).get(reverse("portal:all")).content.decode()
    assert f"#{mine.pk}" in html and f"#{theirs.pk}" not in html
    assert login(staff.clerk_a1).get(reverse("portal:all")).status_code == 403


def test_attachments_are_served_only_to_people_who_see_the_ticket(client, staff, repair_ticket, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    ticket = repair_ticket()
    entry = services.add_comment(
        actor=staff.clerk_a1, ticket=ticket, comment="照片", attachment=SimpleUploadedFile("现场.png", PNG)
    )
    assert "现场" not in entry.attachment.name  # stored under a random name
    url = reverse("portal:attachment", args=[ticket.pk, entry.pk])
    client.force_login(staff.head_a1)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert "现场.png" in response["Content-Disposition"] or "%E7%8E%B0%E5%9C%BA.png" in response["Content-Disposition"]
    client.force_login(staff.clerk_b1)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_opening_a_ticket_marks_its_notifications_read(login, staff, repair_ticket):
    ticket = repair_ticket()
    client = login(staff.head_a1)
    client.get(reverse("portal:ticket", args=[ticket.pk]))
    assert not staff.head_a1.notifications.filter(read_at__isnull=True).exists()


def test_a_decision_never_redirects_off_site(login, staff, repair_ticket):
    ticket = repair_ticket()
    response = login(staff.head_a1).post(
        reverse("portal:decide", args=[ticket.pk]),
        {"step_id": ticket.current_step_id, "decision": "approved", "next": "https://evil.example.com/"},
    )
    assert response.url == reverse("portal:inbox")


def test_bulk_approval_ignores_a_tampered_ticket_id(login, staff):
    pens = requisition(staff)
    response = login(staff.head_a1).post(reverse("portal:bulk-approve"), {"ticket": ["abc", pens.pk]}, follow=True)
    assert response.status_code == 200
    assert "已批量同意 1 件" in response.content.decode()
    assert Ticket.objects.get(pk=pens.pk).status == Status.APPROVED
