"""The common rows of every service request: ticket, its approval steps, an append-only
timeline, notifications. A domain's own fields live in its detail model (see registry.py)."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from datahub import uploads
from datahub.keyed import Keyed, Rendered, as_value, choice, key_field, message, values_field
from datahub.models import OrgUnit
from datahub.roles import Role
from datahub.uploads import extension_validator

from .workflow import Action, Status

ATTACHMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "txt"]
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def attachment_path(entry, filename: str) -> str:
    """Files are stored under a random name: the original name is not a way in (they are served by a view)."""
    return f"portal/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def validate_attachment_size(file) -> None:
    if file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("附件不能超过10MB（当前 %(mb).1f MB）。"), params={"mb": file.size / 1024 / 1024})


def validate_attachment_content(file) -> None:
    """The bytes must be what the extension claims: an .exe renamed .pdf is refused, not served as PDF."""
    uploads.check_content(file, file.name, max_bytes=ATTACHMENT_MAX_BYTES)


class Ticket(models.Model):
    kind = models.CharField(_("申请类型"), max_length=40, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    # A generated title as its message and values, read in the reader's language (datahub.keyed).
    title_key = key_field()
    title_values = values_field()
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("申请人")
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("申请单位"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    round = models.PositiveSmallIntegerField(_("提交轮次"), default=0)
    current_step = models.ForeignKey(
        "TicketStep", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("当前步骤")
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_tickets",
        verbose_name=_("办理人"),
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("办结时限"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("超时提醒时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("评价"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    bundle = models.ForeignKey(
        "Bundle", on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("所属一件事")
    )
    bundle_member = models.CharField(_("一件事中的事项"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("服务申请")
        verbose_name_plural = _("服务申请")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requester", "-created_at"]),
            models.Index(fields=["status", "due_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="ticket_rating_1_to_5",
            )
        ]

    shown_title = Rendered("title")

    def __str__(self) -> str:
        return f"#{self.pk} {self.shown_title}"

    @property
    def title_message(self):
        """The title as a value for another message (a notification's): its message when generated."""
        return as_value(self.title, self.title_key, self.title_values)

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_at and self.closed_at is None and self.due_at < timezone.now())


class TicketStep(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("同意")
        REJECTED = "rejected", _("不同意")
        RETURNED = "returned", _("退回修改")
        CANCELLED = "cancelled", _("已取消")

    class Rule(models.TextChoices):
        SINGLE = "single", _("一人审批")
        ALL = "all", _("会签（全部同意）")
        ANY = "any", _("会签（一方同意即可）")
        QUORUM = "quorum", _("会签（达到法定人数）")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="steps", verbose_name=_("申请"))
    round = models.PositiveSmallIntegerField(_("提交轮次"))
    index = models.PositiveSmallIntegerField(_("步骤序号"))
    name = models.CharField(_("步骤"), max_length=100)
    rule = models.CharField(_("决定方式"), max_length=8, choices=Rule.choices, default=Rule.SINGLE)
    quorum = models.PositiveSmallIntegerField(_("同意方数下限"), null=True, blank=True)
    role = models.CharField(_("审批角色"), max_length=32)
    assigned_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审批范围")
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="assigned_steps", verbose_name=_("审批人")
    )
    fallback_note = models.CharField(_("无人担任时的说明"), max_length=200, blank=True)
    fallback_note_key = key_field()
    fallback_note_values = values_field()
    decision = models.CharField(
        _("结果"), max_length=16, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    comment = models.CharField(_("意见"), max_length=1000, blank=True)
    # A remark the system wrote (a countersign's result), as its message and values (datahub.keyed).
    comment_key = key_field()
    comment_values = values_field()

    class Meta:
        verbose_name = _("审批步骤")
        verbose_name_plural = _("审批步骤")
        ordering = ["ticket", "round", "index"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "round", "index"], name="ticketstep_unique_position"),
        ]

    shown_comment = Rendered("comment")
    shown_fallback_note = Rendered("fallback_note")

    def __str__(self) -> str:
        return f"{self.ticket_id}-{self.round}.{self.index} {self.name}"

    @property
    def comment_message(self):
        """The remark as a message to write on the timeline: its message when the system wrote it."""
        return message(self.comment, self.comment_key, self.comment_values)

    @property
    def is_countersign(self) -> bool:
        return self.rule != self.Rule.SINGLE


class StepPart(models.Model):
    """One signer's part of a countersign step (会签): its own assignees, decision, signer and comment.
    The step's decision follows from its parts by the step's rule (portal.rules.countersign_result)."""

    step = models.ForeignKey(TicketStep, on_delete=models.CASCADE, related_name="parts", verbose_name=_("审批步骤"))
    index = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("会签方"), max_length=100)
    role = models.CharField(_("会签角色"), max_length=32)
    assigned_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("会签单位")
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="assigned_parts", verbose_name=_("会签人")
    )
    fallback_note = models.CharField(_("无人担任时的说明"), max_length=200, blank=True)
    decision = models.CharField(
        _("结果"),
        max_length=16,
        choices=TicketStep.Decision.choices,
        default=TicketStep.Decision.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("会签时间"), null=True, blank=True)
    comment = models.CharField(_("意见"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("会签意见")
        verbose_name_plural = _("会签意见")
        ordering = ["step", "index"]
        constraints = [models.UniqueConstraint(fields=["step", "index"], name="steppart_unique_position")]

    def __str__(self) -> str:
        return f"{self.step} · {self.name}"


class TimelineEntry(models.Model):
    """Append-only: once written, an entry is never changed or removed."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("申请"))
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Status.choices, blank=True)
    comment = models.CharField(_("说明"), max_length=1000, blank=True)
    # A remark the system wrote, as its message and values (datahub.keyed); a person's remark has no key.
    comment_key = key_field()
    comment_values = values_field()
    attachment_name = models.CharField(_("附件原名"), max_length=200, blank=True)
    attachment = models.FileField(
        _("附件"),
        upload_to=attachment_path,
        blank=True,
        validators=[
            extension_validator(ATTACHMENT_EXTENSIONS),
            validate_attachment_size,
            validate_attachment_content,
        ],
    )

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]

    shown_comment = Rendered("comment")

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("办理记录只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("办理记录只能追加，不能删除。"))


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("接收人")
    )
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications")
    # One notification per (user, key): creating it twice is a no-op, so tasks may rerun.
    key = models.CharField(_("去重键"), max_length=120)
    message = models.CharField(_("内容"), max_length=300)
    message_key = key_field()
    message_values = values_field()
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["emailed_at"])]

    shown_message = Rendered("message")

    def __str__(self) -> str:
        return self.shown_message


class RequestDetail(models.Model):
    """Base of every domain's request detail: one row per ticket, holding the domain's own fields."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="+", verbose_name=_("申请"))

    class Meta:
        abstract = True

    def summary(self) -> str:
        """The ticket title the requester sees in lists."""
        raise NotImplementedError


class AssistPart(models.Model):
    """协办: a part of an approved ticket that the lead handler asks another unit to do.

    Handled by the holders of ``role`` over ``unit``; its outcome (or the reason it was declined or
    withdrawn) goes on the ticket's timeline. The lead handler closes the ticket only when no part
    is still open.
    """

    class State(models.TextChoices):
        OPEN = "open", _("协办中")
        DONE = "done", _("已完成")
        DECLINED = "declined", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="assists", verbose_name=_("申请"))
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("协办单位"))
    role = models.CharField(_("协办角色"), max_length=32)
    description = models.CharField(_("协办内容"), max_length=500)
    due_at = models.DateTimeField(_("协办时限"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.OPEN, db_index=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("主办人")
    )
    asked_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("协办人"),
    )
    handled_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    outcome = models.CharField(_("协办结果或理由"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("协办事项")
        verbose_name_plural = _("协办事项")
        ordering = ["ticket", "pk"]
        indexes = [models.Index(fields=["state", "due_at"])]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.unit} {self.description[:20]}"

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.values else self.role


class Supervision(models.Model):
    """督办: a leader or bureau administrator watches a ticket until a deadline.

    The supervised are reminded before the deadline (reminded_at, once); past it with the ticket
    still open, the supervisor is told (escalated_at, once)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("申请"))
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisions", verbose_name=_("督办人")
    )
    note = models.CharField(_("督办事项"), max_length=500)
    deadline = models.DateTimeField(_("督办时限"), db_index=True)
    supervised = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="supervised", verbose_name=_("被督办人"))
    created_at = models.DateTimeField(_("督办时间"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("逾期上报时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return _("督办 #%(ticket_id)s") % {"ticket_id": self.ticket_id}


class Bundle(models.Model):
    """一件事: one application that files several request kinds (its members) and follows them as one."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("办理中")
        DONE = "done", _("已办结")
        PARTLY_REFUSED = "partly_refused", _("部分未批准")
        WITHDRAWN = "withdrawn", _("已撤回")

    kind = models.CharField(_("一件事类型"), max_length=40, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    # The generated title as its message and values, read in the reader's language (datahub.keyed).
    title_key = key_field()
    title_values = values_field()
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bundles", verbose_name=_("申请人")
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="bundles", verbose_name=_("申请单位"))
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.IN_PROGRESS, db_index=True)
    data = models.JSONField(_("填报内容"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("一件事")
        verbose_name_plural = _("一件事")
        ordering = ["-created_at"]

    shown_title = Rendered("title")

    def __str__(self) -> str:
        return _("一件事 #%(pk)s %(title)s") % {"pk": self.pk, "title": self.shown_title}

    @property
    def title_message(self):
        """The title as a value for another message (a notification's): its message when generated."""
        return as_value(self.title, self.title_key, self.title_values)


class AccountRequest(RequestDetail):
    """账号与角色: open a colleague's platform account with roles, or close it on their last day.
    Filed by the 入职/离岗 bundles; handled by the bureau administrator over the person's unit."""

    class Action(models.TextChoices):
        OPEN = "open", _("开通账号")
        CLOSE = "close", _("注销账号")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("人员")
    )
    action = models.CharField(_("事项"), max_length=8, choices=Action.choices)
    roles = models.CharField(_("需要的角色"), max_length=200, blank=True)
    effective_on = models.DateField(_("生效日期"))
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("账号与角色申请")
        verbose_name_plural = _("账号与角色申请")

    def __str__(self) -> str:
        return str(self.summary())

    def summary(self) -> Keyed:
        return Keyed(
            gettext_noop("%(action)s：%(person)s（%(day)s）"),
            {"action": choice(self, "action"), "person": self.person.name, "day": f"{self.effective_on:%Y-%m-%d}"},
        )


class HandoverRequest(RequestDetail):
    """离岗交接: what a leaving colleague holds in one ledger (office, asset cards, duties), to be handed back
    by a due date. The list is derived from the ledgers when the 离岗 bundle is filed."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("人员")
    )
    holdings = models.TextField(_("持有事项"), max_length=4000)
    due_on = models.DateField(_("交回期限"))

    class Meta:
        verbose_name = _("离岗交接")
        verbose_name_plural = _("离岗交接")

    def __str__(self) -> str:
        return str(self.summary())

    def summary(self) -> Keyed:
        return Keyed(
            gettext_noop("离岗交接：%(person)s（%(day)s前）"),
            {"person": self.person.name, "day": f"{self.due_on:%Y-%m-%d}"},
        )
