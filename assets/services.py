from django.core.exceptions import ValidationError

from .models import AssetIssueRecord


def record_issue(ticket, detail, actor, outcome: dict) -> AssetIssueRecord:
    """Handing over the items writes the requisition ledger; no more than was asked for may be issued."""
    if outcome["quantity"] > detail.quantity:
        raise ValidationError({"quantity": f"发放数量不能超过申请数量（{detail.quantity}）。"})
    record = AssetIssueRecord(
        ticket=ticket,
        org_unit=ticket.org_unit,
        recipient=ticket.requester,
        item_name=detail.item_name,
        category=detail.category,
        quantity=outcome["quantity"],
        asset_codes=outcome.get("asset_codes", ""),
        issued_by=actor,
    )
    record.full_clean()
    record.save()
    return record
