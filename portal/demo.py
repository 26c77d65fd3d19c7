"""Demo requests for `manage.py seed_demo` (run after the directory exists; idempotent)."""

from django.utils import timezone

from datahub.models import User
from portal import services as portal
from portal.models import Bundle, Ticket


def seed(stdout) -> None:
    """A few requests in different states, so every inbox has something to show."""
    _seed_requests(stdout)
    _seed_collaboration(stdout)


def _seed_requests(stdout) -> None:
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
            "category_id": "A020210",  # GB/T 14885 打印机
            "quantity": 1,
            "purpose": "处室日常打印",
            "needed_by": timezone.localdate(),
        },
    )
    portal.decide(actor=head, ticket=done, step_id=done.current_step_id, decision="approved")
    portal.start_handling(actor=assets, ticket=done)
    portal.complete(actor=assets, ticket=done, outcome={"quantity": 1, "asset_codes": ""})
    portal.rate(actor=clerk, ticket=done, rating=5, comment="发放及时")
    stdout.write(f"演示申请：待 lina 审批 1 件，待 {space.username} 办理 1 件，已办结 1 件。")


def _seed_collaboration(stdout) -> None:
    """One of each 一网协同 matter: a 大中修 waiting for its countersign (lina has agreed, sunli signs
    next to zhoujie and wangqiang), a repair handled by sunli with a part asked of 财政厅's asset
    administrator, a supervision by chenming, and zhangwei's 新人入职 bundle for a new colleague."""
    from datetime import timedelta

    clerk = User.objects.get(username="zhangwei")
    if Bundle.objects.filter(requester=clerk).exists():
        return
    head, space, assets, leader = (User.objects.get(username=u) for u in ("lina", "sunli", "zhoujie", "chenming"))
    repair = {"category": "other", "description": "会议室屋面渗水，需整体翻修", "contact_phone": "13805710001"}
    major = portal.file_request(
        requester=clerk,
        kind_code="repair",
        detail_fields={**repair, "location": "财政厅 1号楼 屋面", "is_major": True, "estimated_cost": 86000},
    )
    portal.decide(actor=head, ticket=major, step_id=major.current_step_id, decision="approved", comment="同意报修")
    major.refresh_from_db()
    portal.decide(actor=space, ticket=major, step_id=major.current_step_id, decision="approved", comment="现场已核实")
    handled = Ticket.objects.filter(requester=clerk, kind="repair", status="approved").first()
    if handled is not None and assets.org_unit is not None:
        portal.start_handling(actor=space, ticket=handled)
        portal.assist_ask(
            actor=space,
            ticket=handled,
            unit=assets.org_unit,
            role="asset_admin",
            description="核对会议室空调的资产卡片，需更换时办理领用",
            due_at=timezone.now() + timedelta(days=2),
        )
    waiting = Ticket.objects.filter(requester=clerk, kind="repair", status="in_review").exclude(pk=major.pk).first()
    if waiting is not None:
        portal.supervision_open(
            actor=leader,
            ticket=waiting,
            note="空调故障影响办公，请尽快审批",
            deadline=timezone.now() + timedelta(hours=20),
        )
    newcomer = User.objects.filter(org_unit=clerk.org_unit).exclude(pk__in=[clerk.pk, head.pk]).order_by("pk").first()
    if newcomer is not None:
        portal.bundle_file(
            requester=clerk,
            bundle_code="onboarding",
            data={"person": newcomer, "start_on": timezone.localdate() + timedelta(days=7), "roles": "", "note": ""},
        )
    stdout.write("一网协同演示：大中修会签 1 件、协办 1 项、督办 1 项、新人入职一件事 1 件。")
