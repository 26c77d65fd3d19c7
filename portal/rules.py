"""The engine's rules as pure functions on plain values (no database): when a countersign step is
decided, and how a supervision or a bundle stands."""

from datetime import datetime, timedelta

PENDING, APPROVED, REJECTED, RETURNED = "pending", "approved", "rejected", "returned"

# 督办: the supervised are reminded this long before the deadline.
SUPERVISION_REMIND_BEFORE = timedelta(hours=24)
# The home page and the inbox mark a request as near its time limit this long before it falls due.
NEAR_LIMIT = timedelta(hours=24)


def limit_state(due_at: datetime | None, now: datetime) -> str:
    """ "overdue" past the time limit, "near" within NEAR_LIMIT of it, else "" (no limit, or time enough)."""
    if due_at is None:
        return ""
    if due_at < now:
        return "overdue"
    return "near" if due_at - now <= NEAR_LIMIT else ""


def countersign_result(rule: str, quorum: int | None, decisions: list[str]) -> str:
    """The decision of a countersign step from its parts' decisions, or "pending" while open.

    all: one refusal refuses, one return returns, every part agreeing passes.
    any: one agreement passes; when every part has decided without one, it is refused (returned
    if someone asked for changes).
    quorum: ``quorum`` agreements pass; once they can no longer be reached it is refused (or returned).
    """
    agreed = decisions.count(APPROVED)
    open_ = decisions.count(PENDING)
    negative = RETURNED if RETURNED in decisions else REJECTED
    if rule == "all":
        if REJECTED in decisions:
            return REJECTED
        if RETURNED in decisions:
            return RETURNED
        return APPROVED if open_ == 0 else PENDING
    needed = 1 if rule == "any" else int(quorum or len(decisions))
    if agreed >= needed:
        return APPROVED
    if agreed + open_ < needed:
        return negative
    return PENDING


def supervision_state(*, deadline: datetime, closed_at: datetime | None, now: datetime) -> str:
    """督办 standing: "open" (not finished, deadline not passed), "on_time" (finished by the deadline),
    "late" (finished after it, or still open past it)."""
    if closed_at is not None:
        return "on_time" if closed_at <= deadline else "late"
    return "open" if now <= deadline else "late"


def supervision_needs_reminder(*, deadline: datetime, now: datetime, reminded: bool) -> bool:
    return not reminded and deadline - SUPERVISION_REMIND_BEFORE <= now < deadline


def bundle_state(member_states: list[str]) -> str:
    """The combined state of a 一件事 bundle from its members' ticket states.

    done when every member is done; "partly_refused" (部分未批准) as soon as one is refused;
    withdrawn when every member is withdrawn; otherwise in progress.
    """
    if member_states and all(s == "done" for s in member_states):
        return "done"
    if "rejected" in member_states:
        return "partly_refused"
    if member_states and all(s == "withdrawn" for s in member_states):
        return "withdrawn"
    return "in_progress"
