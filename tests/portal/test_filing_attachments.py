"""Files are attached while filing a request, not only afterwards (issue #19, bug 8); a refused file
refuses the filing, which then creates nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.models import Ticket, TimelineEntry
from portal.workflow import Action


def _requisition(**files):
    return {
        "item_name": "签字笔",
        "category": "A05",
        "quantity": "10",
        "purpose": "日常办公",
        "needed_by": timezone.localdate().isoformat(),
        "submit": "",
        **files,
    }


def test_files_chosen_on_the_filing_form_go_with_the_request(client, staff):
    client.force_login(staff.clerk_a1)
    page = client.get(reverse("portal:new", args=["asset_requisition"])).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="attachment"' in page
    files = [
        SimpleUploadedFile("清单.txt", "签字笔 10 支".encode(), content_type="text/plain"),
        SimpleUploadedFile("说明.txt", "日常办公".encode(), content_type="text/plain"),
    ]
    response = client.post(reverse("portal:new", args=["asset_requisition"]), _requisition(attachment=files))
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket = Ticket.objects.get(requester=staff.clerk_a1, title__contains="签字笔")
    names = set(
        TimelineEntry.objects.filter(ticket=ticket, action=Action.COMMENT).values_list("attachment_name", flat=True)
    )
    assert names == {"清单.txt", "说明.txt"}
    assert "清单.txt" in client.get(reverse("portal:ticket", args=[ticket.pk])).content.decode()


def test_a_refused_file_refuses_the_filing_and_creates_nothing(client, staff):
    client.force_login(staff.clerk_a1)
    bad = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(reverse("portal:new", args=["asset_requisition"]), _requisition(attachment=[bad]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "不能上传“.exe”格式的文件" in html
    assert not Ticket.objects.filter(requester=staff.clerk_a1).exists()
