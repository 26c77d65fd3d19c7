"""Every write of the workflow engine, one module per concern; import from here.

Public functions are keyword-only and run in one transaction; a refused action raises
ValidationError / PermissionDenied and leaves the database as it was."""

from .assist import assist_ask, assist_complete, assist_decline, assist_withdraw
from .bundles import bundle_file, bundle_file_for_leaver, bundle_withdraw
from .supervision import supervision_open, supervision_sweep
from .tickets import (
    add_comment,
    complete,
    decide,
    escalate_overdue,
    file_request,
    hand_on,
    mark_read,
    notify,
    rate,
    start_handling,
    submit_ticket,
    update_draft,
    withdraw,
)

__all__ = [
    "add_comment",
    "assist_ask",
    "assist_complete",
    "assist_decline",
    "assist_withdraw",
    "bundle_file",
    "bundle_file_for_leaver",
    "bundle_withdraw",
    "complete",
    "decide",
    "escalate_overdue",
    "file_request",
    "hand_on",
    "mark_read",
    "notify",
    "rate",
    "start_handling",
    "submit_ticket",
    "supervision_open",
    "supervision_sweep",
    "update_draft",
    "withdraw",
]
