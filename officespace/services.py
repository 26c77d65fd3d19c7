from .models import RepairRecord


def record_repair_outcome(ticket, detail, actor, outcome: dict) -> RepairRecord:
    """A finished repair goes into the repair ledger straight from the ticket (no second entry)."""
    record = RepairRecord(
        ticket=ticket,
        org_unit=ticket.org_unit,
        location=detail.location,
        category=detail.category,
        cost=outcome["cost"],
        parts=outcome.get("parts", ""),
        result=outcome["result"],
        handled_by=actor,
    )
    record.full_clean()
    record.save()
    return record
