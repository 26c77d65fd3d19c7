"""The ticket states and the one table of allowed moves.

Every status change in the platform goes through ``move()``; a move that the table does
not allow is refused with a message that names the current state, and nothing changes.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy


class Status(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    SUBMITTED = "submitted", gettext_lazy("已提交")
    IN_REVIEW = "in_review", gettext_lazy("审批中")
    RETURNED = "returned", gettext_lazy("退回修改")
    APPROVED = "approved", gettext_lazy("已批准，待办理")
    IN_PROGRESS = "in_progress", gettext_lazy("办理中")
    DONE = "done", gettext_lazy("已办结")
    REJECTED = "rejected", gettext_lazy("未批准")
    WITHDRAWN = "withdrawn", gettext_lazy("已撤回")


class Action(models.TextChoices):
    CREATE = "create", gettext_lazy("创建")
    SUBMIT = "submit", gettext_lazy("提交申请")
    START_REVIEW = "start_review", gettext_lazy("进入审批")
    APPROVE_STEP = "approve_step", gettext_lazy("同意（转下一步）")
    APPROVE = "approve", gettext_lazy("同意")
    REJECT = "reject", gettext_lazy("不同意")
    RETURN = "return", gettext_lazy("退回修改")
    HAND_ON = "hand_on", gettext_lazy("转交")
    WITHDRAW = "withdraw", gettext_lazy("撤回")
    START = "start", gettext_lazy("开始办理")
    COMPLETE = "complete", gettext_lazy("办结")
    CLOSE_ON_APPROVAL = "close_on_approval", gettext_lazy("审核通过即办结")
    RATE = "rate", gettext_lazy("评价")
    COMMENT = "comment", gettext_lazy("留言")
    OVERDUE = "overdue", gettext_lazy("超时提醒")
    COUNTERSIGN = "countersign", gettext_lazy("会签")
    ASSIST_ASK = "assist_ask", gettext_lazy("发起协办")
    ASSIST_DONE = "assist_done", gettext_lazy("协办完成")
    ASSIST_DECLINE = "assist_decline", gettext_lazy("协办退回")
    ASSIST_WITHDRAW = "assist_withdraw", gettext_lazy("撤回协办")
    SUPERVISE = "supervise", gettext_lazy("督办")
    SUPERVISE_LATE = "supervise_late", gettext_lazy("督办逾期")


S = Status
# action → (states it may start from, state it leads to). None as target: the state stays.
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    Action.SUBMIT: (frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED),
    Action.START_REVIEW: (frozenset({S.SUBMITTED}), S.IN_REVIEW),
    Action.APPROVE_STEP: (frozenset({S.IN_REVIEW}), S.IN_REVIEW),
    Action.APPROVE: (frozenset({S.IN_REVIEW, S.SUBMITTED}), S.APPROVED),
    Action.REJECT: (frozenset({S.IN_REVIEW}), S.REJECTED),
    Action.RETURN: (frozenset({S.IN_REVIEW}), S.RETURNED),
    Action.HAND_ON: (frozenset({S.IN_REVIEW}), S.IN_REVIEW),
    Action.WITHDRAW: (frozenset({S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.RETURNED}), S.WITHDRAWN),
    Action.START: (frozenset({S.APPROVED}), S.IN_PROGRESS),
    Action.COMPLETE: (frozenset({S.IN_PROGRESS}), S.DONE),
    Action.CLOSE_ON_APPROVAL: (frozenset({S.APPROVED}), S.DONE),
    Action.RATE: (frozenset({S.DONE}), None),
    Action.COMMENT: (frozenset(Status.values), None),
    Action.OVERDUE: (frozenset({S.SUBMITTED, S.IN_REVIEW, S.APPROVED, S.IN_PROGRESS}), None),
    Action.COUNTERSIGN: (frozenset({S.IN_REVIEW}), None),
    # 协办 parts are asked for and answered while the lead handler holds the ticket.
    Action.ASSIST_ASK: (frozenset({S.IN_PROGRESS}), None),
    Action.ASSIST_DONE: (frozenset({S.IN_PROGRESS}), None),
    Action.ASSIST_DECLINE: (frozenset({S.IN_PROGRESS}), None),
    Action.ASSIST_WITHDRAW: (frozenset({S.IN_PROGRESS}), None),
    Action.SUPERVISE: (frozenset({S.SUBMITTED, S.IN_REVIEW, S.APPROVED, S.IN_PROGRESS}), None),
    Action.SUPERVISE_LATE: (frozenset({S.SUBMITTED, S.IN_REVIEW, S.APPROVED, S.IN_PROGRESS}), None),
}

OPEN_STATES = frozenset({S.SUBMITTED, S.IN_REVIEW, S.APPROVED, S.IN_PROGRESS})
CLOSED_STATES = frozenset({S.DONE, S.REJECTED, S.WITHDRAWN})


def allowed(action: str, status: str) -> bool:
    sources, _ = TRANSITIONS[action]
    return status in sources


def move(ticket, action: str) -> tuple[str, str]:
    """Apply ``action`` to ``ticket.status`` in memory; return (from, to). The caller saves."""
    if action not in TRANSITIONS:
        raise ValidationError(gettext_lazy("未知的操作：%(action)s") % {"action": action})
    sources, target = TRANSITIONS[action]
    current = ticket.status
    if current not in sources:
        raise ValidationError(
            gettext_lazy("当前状态为“%(state)s”，不能执行“%(action)s”。"),
            code="illegal_transition",
            params={"state": Status(current).label, "action": Action(action).label},
        )
    ticket.status = target or current
    return current, ticket.status
