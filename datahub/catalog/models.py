"""Catalog entries (信息资源), their information items and versions, grants, and the access trail.

Imported by datahub/models.py, so the tables belong to the datahub app.
"""

import functools
import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..keyed import Rendered, key_field, values_field
from ..rules import AppendOnlyError
from . import rules
from .rules import EntryStatus, Format, OpenAttr, RowScope, ShareType, UpdateCycle


def validate_code(value: str) -> None:
    problem = rules.code_problem(value)
    if problem:
        raise ValidationError(problem)


class Dataset(models.Model):
    """One catalog entry. ``declaration_key`` is set for the datasets a domain declares (published and
    versioned by datahub.catalog.services.catalog_sync); external datasets registered by a steward leave it empty."""

    code = models.CharField(_("代码"), max_length=32, unique=True, validators=[validate_code])
    name = models.CharField(_("名称"), max_length=100)
    provider = models.ForeignKey(
        "datahub.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("提供方")
    )
    summary = models.CharField(_("摘要"), max_length=1000)
    format = models.CharField(_("格式"), max_length=8, choices=Format.choices, default=Format.API)
    share_type = models.CharField(_("共享类型"), max_length=16, choices=ShareType.choices, db_index=True)
    share_condition = models.CharField(_("共享条件"), max_length=500, blank=True)
    share_method = models.CharField(_("共享方式"), max_length=100, default="接口调用")
    legal_basis = models.CharField(_("不予共享依据"), max_length=500, blank=True)
    open_attr = models.CharField(_("开放属性"), max_length=16, choices=OpenAttr.choices, default=OpenAttr.CLOSED)
    update_cycle = models.CharField(_("更新周期"), max_length=16, choices=UpdateCycle.choices)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    related_codes = models.CharField(_("关联资源代码"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    version = models.PositiveIntegerField(_("版本"), default=1)
    declaration_key = models.CharField(_("声明标识"), max_length=60, null=True, blank=True, unique=True, editable=False)
    external_url = models.CharField(_("在线资源地址"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("信息资源")
        verbose_name_plural = _("信息资源目录")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(share_type="not_shared") | ~models.Q(legal_basis=""),
                name="dataset_not_shared_cites_basis",
                violation_error_message=_("不予共享的资源必须填写法律法规或政策依据。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def category(self) -> str:
        return rules.code_category(self.code)

    @property
    def is_declared(self) -> bool:
        return bool(self.declaration_key)


class DatasetItem(models.Model):
    """信息项: one field a consumer may be granted."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="items", verbose_name=_("信息资源"))
    name = models.CharField(_("信息项标识"), max_length=60)
    label = models.CharField(_("信息项名称"), max_length=100)
    data_type = models.CharField(_("数据类型"), max_length=8)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    personal = models.BooleanField(_("个人信息"), default=False)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("信息项")
        verbose_name_plural = _("信息项")
        ordering = ["dataset", "position"]
        constraints = [models.UniqueConstraint(fields=["dataset", "name"], name="datasetitem_unique_name")]

    def __str__(self) -> str:
        return f"{self.label}（{self.name}）"


class DatasetVersion(models.Model):
    """What an entry's items were at each version: a declared field added or removed is never silent."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="versions", verbose_name=_("信息资源"))
    version = models.PositiveIntegerField(_("版本"))
    items = models.JSONField(_("信息项"), default=list)
    note = models.CharField(_("变更说明"), max_length=500, blank=True)
    # The note as its message and values (datahub.keyed), read in the reader's language.
    note_key = key_field()
    note_values = values_field()
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("目录版本")
        verbose_name_plural = _("目录版本")
        ordering = ["dataset", "-version"]
        constraints = [models.UniqueConstraint(fields=["dataset", "version"], name="datasetversion_unique")]

    shown_note = Rendered("note")

    def __str__(self) -> str:
        return f"{self.dataset_id} v{self.version}"


class Grant(models.Model):
    """A consumer's right to an entry: which items, which rows, for how long, approved by whom.

    The consumer is a person or a registered system (an OAuth2 application); ``consumer_unit`` is the
    unit it acts for (row scope "own", and the unit that scopes who sees the grant)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="grants", verbose_name=_("信息资源"))
    consumer_unit = models.ForeignKey(
        "datahub.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("使用单位")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="data_grants",
        verbose_name=_("使用人"),
    )
    application = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="data_grants",
        verbose_name=_("使用系统"),
    )
    items = models.JSONField(_("授权信息项"), default=list)
    personal_in_full = models.BooleanField(_("个人信息不脱敏"), default=False)
    row_scope = models.CharField(_("数据范围"), max_length=8, choices=RowScope.choices, default=RowScope.OWN)
    row_unit = models.ForeignKey(
        "datahub.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("指定机构")
    )
    purpose = models.CharField(_("用途"), max_length=500, blank=True)
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批准人"),
    )
    ticket_id = models.PositiveIntegerField(_("申请单号"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("撤销人"),
    )
    revoke_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("共享授权")
        verbose_name_plural = _("共享授权")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["dataset", "application"], name="grant_dataset_app"),
            models.Index(fields=["dataset", "user"], name="grant_dataset_user"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(user__isnull=True) & models.Q(application__isnull=False))
                | (models.Q(user__isnull=False) & models.Q(application__isnull=True)),
                name="grant_one_consumer",
                violation_error_message=_("授权对象必须是一个人员或一个系统。"),
            ),
            models.CheckConstraint(
                condition=~models.Q(row_scope="unit") | models.Q(row_unit__isnull=False),
                name="grant_named_subtree_has_unit",
                violation_error_message=_("数据范围为指定机构时必须选择机构。"),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")),
                name="grant_period_ordered",
                violation_error_message=_("有效期截止日不能早于起始日。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset.code} → {self.consumer_label}"

    @property
    def consumer_label(self) -> str:
        if self.application_id:
            return _("系统：%(name)s") % {"name": self.application.name}
        return _("人员：%(value)s") % {"value": self.user.name or self.user.username}

    def is_live(self, today=None) -> bool:
        return rules.grant_live(
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            revoked=self.revoked_at is not None,
            today=today or timezone.localdate(),
        )


class TrailQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("调用日志只能追加，不能修改。")

    def delete(self):
        raise AppendOnlyError("调用日志只能追加，不能删除。")


class TrailHead(models.Model):
    """The chain's head (one row): writers lock it, so two calls never chain to the same predecessor."""

    seq = models.PositiveBigIntegerField(_("最新序号"), default=0)
    hash = models.CharField(_("最新摘要"), max_length=64, default="0" * 64)
    # The hash the latest row chained to: the one-statement append (services.trail_append on PostgreSQL) moves
    # the head and reads the new row's link from it, the head's row lock ordering concurrent calls.
    prev_hash = models.CharField(_("前一条摘要"), max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("调用日志链头")
        verbose_name_plural = _("调用日志链头")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


# A trail row names its caller in Chinese as the call wrote it: the label is chained into the row's hash, so it is
# never rewritten. A reader of another language sees it through shown_caller.
CALLER_SYSTEM, CALLER_PERSON, CALLER_ANONYMOUS = "系统：", "人员：", "匿名"


def shown_caller(label: str) -> str:
    """A trail row's caller label in the reader's language (系统：X / "System: X")."""
    if label.startswith(CALLER_SYSTEM):
        return _("系统：%(name)s") % {"name": label.removeprefix(CALLER_SYSTEM)}
    if label.startswith(CALLER_PERSON):
        return _("人员：%(value)s") % {"value": label.removeprefix(CALLER_PERSON)}
    if label == CALLER_ANONYMOUS:
        return str(_("匿名"))
    return label


class TrailRecord(models.Model):
    """One exchange call or catalog export (调用日志). Each row's ``hash`` is SHA-256 over its canonical content
    and the previous row's hash, so editing or deleting a row breaks the chain at that row (verify_trail)."""

    class Kind(models.TextChoices):
        CALL = "call", _("接口调用")
        EXPORT = "export", _("目录导出")

    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices, default=Kind.CALL)
    caller_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("调用人"),
    )
    caller_app_id = models.BigIntegerField(_("调用系统编号"), null=True, blank=True)
    caller_label = models.CharField(_("调用方"), max_length=200)
    caller_unit = models.ForeignKey(
        "datahub.OrgUnit",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("调用方单位"),
    )
    dataset = models.ForeignKey(
        Dataset,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("信息资源"),
    )
    dataset_code = models.CharField(_("资源代码"), max_length=64, blank=True)
    items = models.CharField(_("信息项"), max_length=1000, blank=True)
    row_scope = models.CharField(_("数据范围"), max_length=100, blank=True)
    filter = models.CharField(_("查询条件"), max_length=500, blank=True)
    rows = models.PositiveIntegerField(_("返回行数"), default=0)
    bytes = models.PositiveBigIntegerField(_("字节数"), default=0)
    status = models.PositiveSmallIntegerField(_("状态码"))
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)
    prev_hash = models.CharField(_("前一条摘要"), max_length=64)
    hash = models.CharField(_("本条摘要"), max_length=64)

    objects = TrailQuerySet.as_manager()

    # The fields the hash covers, in this order (everything but the hashes themselves and the row id).
    CHAINED = (
        "seq",
        "at",
        "kind",
        "caller_user_id",
        "caller_app_id",
        "caller_label",
        "caller_unit_id",
        "dataset_id",
        "dataset_code",
        "items",
        "row_scope",
        "filter",
        "rows",
        "bytes",
        "status",
        "duration_ms",
    )

    class Meta:
        verbose_name = _("调用日志")
        verbose_name_plural = _("调用日志")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["dataset", "at"], name="trail_dataset_at"),
            models.Index(fields=["caller_user", "at"], name="trail_user_at"),
            models.Index(fields=["caller_app_id", "at"], name="trail_app_at"),
            models.Index(fields=["caller_unit", "at"], name="trail_unit_at"),
            models.Index(fields=["at"], name="trail_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.at:%Y-%m-%d %H:%M:%S} {self.caller_label} {self.dataset_code}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("调用日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("调用日志只能追加，不能删除。")

    @property
    def shown_caller_label(self) -> str:
        return shown_caller(self.caller_label)


def chain_hash(prev_hash: str, values: dict) -> str:
    """SHA-256 over the previous hash and the row's canonical content (sorted keys, UTC times, compact JSON)."""
    canonical = {}
    for name in TrailRecord.CHAINED:
        value = values[name]
        if hasattr(value, "isoformat"):
            value = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        canonical[name] = value
    body = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


# The same canonical content and digest as chain_hash, computed by PostgreSQL over a whole table scan (verify_trail's
# fast path). Keys in sorted order, compact separators, strings escaped by to_json (as json.dumps with
# ensure_ascii=False: quotes, backslashes and control characters only), times in UTC with microseconds.
_TEXT = {"caller_label", "dataset_code", "items", "kind", "row_scope", "filter"}


def _sql_value(name: str) -> str:
    if name == "at":
        return """'"' || to_char("at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '"'"""
    if name in _TEXT:
        return f'to_json("{name}")::text'
    return f"""COALESCE("{name}"::text, 'null')"""


def chain_hash_sql() -> str:
    """SQL for one row's digest as chain_hash computes it, from the row's own ``prev_hash``."""
    parts = [f"""'"{name}":' || {_sql_value(name)}""" for name in sorted(TrailRecord.CHAINED)]
    body = "'{' || " + " || ',' || ".join(parts) + " || '}'"
    return f"""encode(sha256(convert_to("prev_hash" || E'\\n' || {body}, 'UTF8')), 'hex')"""


# The SQL type of each chained column as a parameter of the one-statement append (seq comes from the head).
_PARAM_TYPES = {
    "at": "timestamptz",
    "kind": "text",
    "caller_user_id": "bigint",
    "caller_app_id": "bigint",
    "caller_label": "text",
    "caller_unit_id": "bigint",
    "dataset_id": "bigint",
    "dataset_code": "text",
    "items": "text",
    "row_scope": "text",
    "filter": "text",
    "rows": "integer",
    "bytes": "bigint",
    "status": "integer",
    "duration_ms": "integer",
}
APPEND_COLUMNS = tuple(name for name in TrailRecord.CHAINED if name != "seq")


def _append_ctes(values_sql: str) -> str:
    """The CTEs that append one trail row whose chained columns (all but seq) are the one row of ``values_sql``:
    ``head`` moves the head (seq + 1, the new digest, the old digest as the link) under the head's row lock,
    ``appended`` inserts the row with the digest chain_hash would compute."""
    head, trail = TrailHead._meta.db_table, TrailRecord._meta.db_table
    columns = ", ".join(f'"{name}"' for name in APPEND_COLUMNS)
    picked = ", ".join(f'v."{name}"' for name in APPEND_COLUMNS)
    return f"""
        v AS ({values_sql}),
        head AS (
            UPDATE "{head}" AS h
            SET "prev_hash" = h."hash", "seq" = h."seq" + 1,
                "hash" = (SELECT {chain_hash_sql()}
                          FROM (SELECT h."seq" + 1 AS "seq", h."hash" AS "prev_hash", v.* FROM v) AS r)
            WHERE h."id" = 1
            RETURNING h."seq", h."prev_hash", h."hash"
        ),
        appended AS (
            INSERT INTO "{trail}" ("seq", {columns}, "prev_hash", "hash")
            SELECT head."seq", {picked}, head."prev_hash", head."hash" FROM head CROSS JOIN v
            RETURNING "id", "seq", "prev_hash", "hash"
        )
    """


@functools.cache
def append_sql() -> str:
    """One PostgreSQL statement that appends a trail row (its parameters: APPEND_COLUMNS' values, in order).
    One round trip and its own transaction, where the application's path needs five (begin, lock, insert, head
    update, commit). No row when there is no head yet."""
    params = ", ".join(f'%s::{_PARAM_TYPES[name]} AS "{name}"' for name in APPEND_COLUMNS)
    return f"WITH {_append_ctes(f'SELECT {params}')} SELECT * FROM appended"


@functools.cache
def append_flag_sql() -> str:
    """As append_sql, answering one row whatever happens: whether the row was appended (not when there is no head
    yet). One row is what a pipelined statement reads back (catalog.pipelined)."""
    params = ", ".join(f'%s::{_PARAM_TYPES[name]} AS "{name}"' for name in APPEND_COLUMNS)
    return f"WITH {_append_ctes(f'SELECT {params}')} SELECT EXISTS (SELECT 1 FROM appended)"


# The trail columns an exchange page's own statement takes from the page it reads.
PAGE_COMPUTED = ("rows", "bytes", "duration_ms")


@functools.lru_cache(maxsize=256)
def append_with_page_sql(page_sql: str, size: int) -> str:
    """One PostgreSQL statement that reads an exchange page (``page_sql``: one row of ``n`` rows found, the
    ``last`` key of the page, the rows' JSON ``body``; ``size`` rows a page) and appends the call's trail row
    with what the page holds: rows returned, bytes of the response, duration. The row chains exactly as
    append_sql's. Parameters: the page's; APPEND_COLUMNS' values but PAGE_COMPUTED, in order; the response's
    bytes besides the rows and the cursor; the JSON length of a next-page cursor by the digits of its key
    (an integer array); the milliseconds the call took before the statement. Returns n, last, body and whether
    the row was appended (not when there is no head yet)."""
    size = int(size)
    fixed = [f'%s::{_PARAM_TYPES[name]} AS "{name}"' for name in APPEND_COLUMNS if name not in PAGE_COMPUTED]
    computed = [
        f'LEAST(p.n, {size})::integer AS "rows"',
        f"(%s::bigint + COALESCE(octet_length(convert_to(p.body, 'UTF8')), 0)"
        f' + CASE WHEN p.n > {size} THEN (%s::integer[])[length(p.last::text)] ELSE 4 END)::bigint AS "bytes"',
        "(%s::integer + (1000 * extract(epoch FROM clock_timestamp() - statement_timestamp()))::integer)"
        ' AS "duration_ms"',
    ]
    values = "SELECT " + ", ".join(fixed + computed) + " FROM p"
    return (
        f"WITH p AS ({page_sql}), {_append_ctes(values)}"
        " SELECT p.n, p.last, p.body, EXISTS (SELECT 1 FROM appended) FROM p"
    )
