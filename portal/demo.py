"""Demo requests for `manage.py seed_demo` (run after the directory exists; idempotent)."""

from django.utils import timezone

from datahub.models import User
from portal import services as portal
from portal.models import Ticket


def seed(stdout) -> None:
    """A few requests in different states, so every inbox has something to show."""

    clerk = User.objects.get(username="zhangwei")
    if Ticket.objects.filter(requester=clerk).exists():
        return
    head, space, assets = (User.objects.get(username=u) for u in ("lina", "sunli", "zhoujie"))
    repair = {"category": "air_conditioning", "description": "空调不制冷", "contact_phone": "13805710001"}
    portal.file_request(requester=clerk, kind_code="repair", detail_fields={**repair, "location": "财政厅 3号楼 502室"})
    waiting = portal.file_request(
        requester=clerk, kind_code="repair", detail_fields={**repair, "location": "财政厅 1号楼 会议室"}
    )
    portal.decide(actor=head, ticket=waiting, step_id=waiting.current_step_id, decision="approved", comment="同意")
    done = portal.file_request(
        requester=clerk,
        kind_code="asset_requisition",
        detail_fields={
            "item_name": "激光打印机",
            "category": "office_equipment",
            "quantity": 1,
            "purpose": "处室日常打印",
            "needed_by": timezone.localdate(),
        },
    )
    portal.decide(actor=head, ticket=done, step_id=done.current_step_id, decision="approved")
    portal.start_handling(actor=assets, ticket=done)
    portal.complete(actor=assets, ticket=done, outcome={"quantity": 1, "asset_codes": "ZC-2026-0001"})
    portal.rate(actor=clerk, ticket=done, rating=5, comment="发放及时")
    stdout.write(f"演示申请：待 lina 审批 1 件，待 {space.username} 办理 1 件，已办结 1 件。")
