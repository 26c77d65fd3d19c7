"""Unified identity: the org directory (a tree of units), people, and role grants.

OrgUnit is a materialised-path tree (django-treebeard): "this unit and everything below
it" is a single indexed ``path LIKE 'xxxx%'`` query, which is what every scoped list uses.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from . import idnumbers

# The data hub's catalog (datahub/catalog/) and unified identity (datahub/oidc/: registered systems, subject
# identifiers) keep their tables in their own modules; importing them here makes them datahub's models.
from .catalog.models import Dataset, DatasetItem, DatasetVersion, Grant, TrailHead, TrailRecord  # noqa: F401
from .oidc.models import Consent, RegisteredSystem, Subject  # noqa: F401
from .roles import Role, permission_codename
from .rules import AppendOnlyError, PostLevel, Rank


class OrgUnit(MP_Node):
    class Level(models.TextChoices):
        REGION = "region", _("行政区域")
        INSTITUTION = "institution", _("机关/单位")
        DEPARTMENT = "department", _("内设机构")

    class Kind(models.TextChoices):
        PARTY_GOVERNMENT = "party_gov", _("党政机关")
        PUBLIC_INSTITUTION = "public_inst", _("事业单位")
        OTHER = "other", _("其他公共机构")

    code = models.CharField(
        _("机构编码"), max_length=32, unique=True, help_text=_("本平台内的唯一编码，导入与对接时使用。")
    )
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("机构类型"), max_length=16, choices=Kind.choices, blank=True)
    uscc = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        validators=[idnumbers.validate_uscc],
    )
    region_code = models.CharField(_("行政区划代码"), max_length=6, validators=[idnumbers.validate_region_code])
    staffing_quota = models.PositiveIntegerField(_("编制数"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["numchild"])

    class Meta:
        verbose_name = _("组织机构")
        verbose_name_plural = _("组织机构")
        ordering = ["path"]
        permissions = [(permission_codename(r.value), f"角色：{r.label}") for r in Role]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(level="institution") | ~models.Q(kind=""),
                name="orgunit_institution_has_kind",
                violation_error_message=_("机关/单位必须填写机构类型。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrgUnitUserPermission(UserObjectPermissionBase):
    """Direct-FK guardian table for grants on OrgUnit (indexed join, kept in history)."""

    content_object = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, verbose_name=_("组织机构"))
    history = HistoricalRecords()

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")


class OrgUnitGroupPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(OrgUnit, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("用户组授权")
        verbose_name_plural = _("用户组授权")


class User(AbstractUser):
    name = models.CharField(_("姓名"), max_length=50)
    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("所在单位/部门"),
    )
    post_level = models.CharField(
        _("职务级别"), max_length=3, choices=PostLevel.choices, default=PostLevel.UNDETERMINED
    )
    rank = models.CharField(_("职级"), max_length=24, choices=Rank.choices, blank=True)
    is_main_post = models.BooleanField(_("主职"), default=True, help_text=_("兼职人员不占本单位办公用房标准。"))
    job_title = models.CharField(_("职务名称"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=24, blank=True, validators=[idnumbers.validate_phone])
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True, validators=[idnumbers.validate_id_number])
    staffing_seats = models.PositiveSmallIntegerField(
        _("占编"), default=1, validators=[MinValueValidator(0)], help_text=_("在编在岗为1，编外或兼职为0。")
    )
    # The language the person reads the platform in, saved by the header's language menu: their e-mails and
    # anything written for them away from a request (a job's messages) use it too (issue #19). Blank until they
    # choose one, so that signing in keeps the language this browser already reads in (the platform's default
    # for e-mails).
    language = models.CharField(_("界面语言"), max_length=10, choices=settings.LANGUAGES, blank=True, default="")

    # The language is a preference, not a fact of the directory: its changes are not kept as history.
    history = HistoricalRecords(excluded_fields=["password", "last_login", "language"])

    REQUIRED_FIELDS = ["email", "name"]

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["org_unit__path", "username"]
        permissions = [("view_full_id_number", "查看完整身份证号"), ("view_full_phone", "查看完整联系电话")]

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name or self.username

    def get_short_name(self) -> str:
        return self.name or self.username

    @property
    def id_number_masked(self) -> str:
        return idnumbers.mask_id_number(self.id_number)


class SidePost(models.Model):
    """A 兼职 post a person holds besides their main one (the unit it is held in, its title, from when to
    when). The directory holds it, so a second office is approved for a post the directory knows and ends
    when the directory ends the post (signals.side_post_ended), never by retyping it in another app."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="side_posts", verbose_name=_("人员"))
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="side_posts", verbose_name=_("兼职单位/部门")
    )
    title = models.CharField(_("兼职岗位"), max_length=200)
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("兼职岗位")
        verbose_name_plural = _("兼职岗位")
        ordering = ["person_id", "started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.org_unit.name} {self.title}"


class DirectoryCheck(models.Model):
    """One run of the directory consistency check (see services.run_directory_check)."""

    ran_at = models.DateTimeField(_("检查时间"), auto_now_add=True)
    units_checked = models.PositiveIntegerField(_("检查机构数"), default=0)
    findings = models.JSONField(_("发现的问题"), default=list)

    class Meta:
        verbose_name = _("组织机构一致性检查")
        verbose_name_plural = _("组织机构一致性检查")
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return _("%(ran_at)s · %(count)s 项") % {"ran_at": f"{self.ran_at:%Y-%m-%d %H:%M}", "count": len(self.findings)}


def job_language() -> str:
    """The language of whoever starts a job (the request's), so its worker writes its messages in it."""
    language = translation.get_language()
    # One of the platform's languages, so the reaper (which fails each language's jobs in it) sees every job.
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class BackgroundJob(models.Model):
    """What every background job (export or import) shares: its owner's failure message and its liveness.

    ``datahub.jobs`` claims, heartbeats, finishes, fails, reaps and retries any subclass the same way; a
    subclass names the statuses in which a worker holds it (``ACTIVE``) and the one a claim starts in."""

    error = models.CharField(_("错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # Liveness (datahub.jobs): a worker can die at any moment, so the job says who runs it and when it
    # last made progress; the reaper fails a job whose heartbeat stopped, and its owner can retry it.
    attempt = models.PositiveIntegerField(_("第几次执行"), default=1)
    runs = models.PositiveSmallIntegerField(_("本次执行的启动次数"), default=0)
    run_token = models.CharField(_("执行标记"), max_length=32, blank=True)
    queued_at = models.DateTimeField(_("排队时间"), default=timezone.now)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    # The worker runs the job in its owner's language (datahub.jobs.speaking): the progress step, the
    # row errors, the summary and a failure read as the owner reads the rest of the platform.
    language = models.CharField(_("语言"), max_length=10, default=job_language)

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"

    class Meta:
        abstract = True


class ExportJob(BackgroundJob):
    """A large Excel export running in the background (Celery), with its progress and its file."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    ACTIVE = (Status.RUNNING,)
    STARTED = Status.RUNNING
    NOUN = _("导出")
    RESTART = {"rows_done": 0}  # what a new run starts again from

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("导出人"))
    kind = models.CharField(_("导出内容"), max_length=50)
    params = models.JSONField(_("筛选条件"), default=dict)
    filename = models.CharField(_("文件名"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已完成行数"), default=0)
    file = models.FileField(_("文件"), upload_to="exports/", blank=True)
    # Where the export was asked from, for the audit of the personal data it writes.
    client_ip = models.GenericIPAddressField(_("请求 IP"), null=True, blank=True)
    client_agent = models.CharField(_("浏览器标识"), max_length=500, blank=True)
    client_path = models.CharField(_("请求地址"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(100 * self.rows_done / max(self.rows_total, 1))


class ImportJob(BackgroundJob):
    """An uploaded sheet checked and written in the background (datahub.imports), with its progress,
    its row errors (the first ``MAX_ERRORS``, and how many there were) and the summary of what it wrote."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        VALIDATING = "validating", _("校验中")
        WRITING = "writing", _("写入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    ACTIVE = (Status.VALIDATING, Status.WRITING)
    STARTED = Status.VALIDATING
    NOUN = _("导入")
    MAX_ERRORS = 200
    RESTART = {"rows_checked": 0, "rows_written": 0, "row_errors": [], "error_count": 0, "result": {}}

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("导入人"))
    kind = models.CharField(_("导入内容"), max_length=50)
    params = models.JSONField(_("导入对象"), default=dict, blank=True)
    filename = models.CharField(_("上传的文件名"), max_length=200)
    # Kept under a random name in MEDIA_ROOT/imports/, which is never served: only the job reads it.
    file = models.FileField(_("上传的文件"), upload_to="imports/", blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(_("数据行数"), default=0)
    rows_checked = models.PositiveIntegerField(_("已校验行数"), default=0)
    rows_written = models.PositiveIntegerField(_("已写入行数"), default=0)
    row_errors = models.JSONField(_("行错误"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("错误条数"), default=0)
    result = models.JSONField(_("导入结果"), default=dict, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="importjob_user_recent")]

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        done = self.rows_checked + self.rows_written
        return int(100 * done / max(2 * self.rows_total, 1))

    @property
    def messages(self) -> list[str]:
        """Each row error as one sentence, "第N行“列”：原因" (a file-level error has no row)."""
        out = []
        for e in self.row_errors:
            if e.get("text"):
                out.append(e["text"])
            elif e.get("row"):
                out.append(
                    _("第%(row)s行“%(column)s”：%(message)s")
                    % {"row": e["row"], "column": e["column"], "message": e["message"]}
                    if e.get("column")
                    else _("第%(row)s行：%(message)s") % {"row": e["row"], "message": e["message"]}
                )
            else:
                out.append(e["message"])
        return out

    @property
    def errors_left_out(self) -> int:
        return max(0, self.error_count - len(self.row_errors))


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能修改。")

    def delete(self):
        raise AppendOnlyError("审计日志只能追加，不能删除；过期记录由保留期清理任务删除。")

    def purge_before(self, cutoff):
        """The one way rows leave the trail: the retention task (services.purge_expired_audit) calls this."""
        return models.QuerySet.delete(self.filter(at__lt=cutoff))


class AuditEntry(models.Model):
    """One audited event: an unmasked read or export of a person's 身份证号/phone, or a failed sign-in.

    Append-only: rows are never updated or deleted by the application (see AuditQuerySet); they leave the
    trail only when older than the retention period (settings.AUDIT_RETENTION_DAYS, never under 183 days).
    Actor and subject are kept as plain ids plus a copy of their names and units, without a database
    constraint, so the entry stays readable and intact whatever happens to the person later.
    """

    class Kind(models.TextChoices):
        READ = "read", _("查看个人信息")
        EXPORT = "export", _("导出个人信息")
        SIGN_IN_FAILED = "sign_in_failed", _("登录失败")
        # Unified identity (datahub/oidc): tokens issued to and revoked from systems, and registrations.
        TOKEN_ISSUED = "token_issued", _("签发访问令牌")
        TOKEN_REVOKED = "token_revoked", _("吊销访问令牌")
        SYSTEM_REGISTERED = "sys_registered", _("登记接入系统")
        SYSTEM_CHANGED = "sys_changed", _("修改接入系统")
        SYSTEM_SECRET = "sys_secret", _("更换系统密钥")
        SYSTEM_SUSPENDED = "sys_suspended", _("停用接入系统")
        SYSTEM_RESUMED = "sys_resumed", _("恢复接入系统")
        CONSENT_GRANTED = "consent_granted", _("同意系统授权")
        CONSENT_REVOKED = "consent_revoked", _("撤销系统授权")

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("事件"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_username = models.CharField(_("操作人用户名"), max_length=150, blank=True)
    actor_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人单位"),
    )
    subject = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("被查看人"),
    )
    subject_name = models.CharField(_("被查看人姓名"), max_length=50, blank=True)
    subject_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("被查看人单位"),
    )
    fields = models.CharField(_("字段"), max_length=64, blank=True, help_text=_("id_number、phone，逗号分隔"))
    surface = models.CharField(_("途径"), max_length=16, blank=True, help_text="page、api、export、admin、sign_in")
    path = models.CharField(_("请求地址"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器标识"), max_length=500, blank=True)
    detail = models.CharField(
        _("说明"), max_length=300, blank=True, help_text=_("如接入系统名称与客户端标识、授权范围")
    )

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["subject", "at"], name="audit_subject_at"),
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
            models.Index(fields=["kind", "at"], name="audit_kind_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.get_kind_display()} {self.subject_name}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能删除。")

    @property
    def field_labels(self) -> str:
        labels = {"id_number": "身份证号", "phone": "联系电话"}
        return "、".join(labels.get(f, f) for f in self.fields.split(",") if f)


class ApiToken(models.Model):
    """A person's API credential. Only its digest is kept (datahub.tokens); the token is shown once.

    It ends at ``expires_at`` or when revoked, whichever comes first; a new sign-in issues a new one.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户"))
    digest = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("令牌前缀"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("到期时间"), db_index=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("吊销人")
    )

    class Meta:
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class PasswordRecord(models.Model):
    """One password a person has had (its hash, never the password), for the reuse and age rules."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_records", verbose_name=_("用户"))
    password = models.CharField(_("密码摘要"), max_length=128, editable=False)
    changed_at = models.DateTimeField(_("设置时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["user", "-changed_at"], name="password_record_latest")]

    def __str__(self) -> str:
        return f"{self.user} · {self.changed_at:%Y-%m-%d}"
