"""portal 0001–0009 squashed: what a fresh database runs instead of the chain (kept beside it for
databases that ran it; delete the old files once every deployment has). The model state after the chain, one
CreateModel per model with its final fields in column order (a relation closing a cycle added after, as the
chain did); the state equals the chain's (tests/test_migrations_squashed.py).
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import portal.models


class Migration(migrations.Migration):
    replaces = [
        ("portal", "0001_initial"),
        ("portal", "0002_attachment_name"),
        ("portal", "0003_attachment_content_check"),
        ("portal", "0004_collaboration"),
        ("portal", "0005_account_handover"),
        ("portal", "0006_close_on_approval_action"),
        ("portal", "0007_attachment_refusal_in_chinese"),
        ("portal", "0008_keyed_messages"),
        ("portal", "0009_bundle_title_and_step_texts_keyed"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("datahub", "0007_start_password_clocks"),
    ]

    operations = [
        migrations.CreateModel(
            name="Bundle",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(db_index=True, max_length=40, verbose_name="一件事类型")),
                ("title", models.CharField(max_length=200, verbose_name="标题")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("in_progress", "办理中"),
                            ("done", "已办结"),
                            ("partly_refused", "部分未批准"),
                            ("withdrawn", "已撤回"),
                        ],
                        db_index=True,
                        default="in_progress",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("data", models.JSONField(blank=True, default=dict, verbose_name="填报内容")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="结束时间")),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bundles",
                        to="datahub.orgunit",
                        verbose_name="申请单位",
                    ),
                ),
                (
                    "requester",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bundles",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="申请人",
                    ),
                ),
                (
                    "title_key",
                    models.CharField(blank=True, default="", editable=False, max_length=300, verbose_name="消息原文"),
                ),
                ("title_values", models.JSONField(blank=True, default=dict, editable=False, verbose_name="消息参数")),
            ],
            options={
                "verbose_name": "一件事",
                "verbose_name_plural": "一件事",
                "ordering": ["-created_at"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="Ticket",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(db_index=True, max_length=40, verbose_name="申请类型")),
                ("title", models.CharField(max_length=200, verbose_name="标题")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "草稿"),
                            ("submitted", "已提交"),
                            ("in_review", "审批中"),
                            ("returned", "退回修改"),
                            ("approved", "已批准，待办理"),
                            ("in_progress", "办理中"),
                            ("done", "已办结"),
                            ("rejected", "未批准"),
                            ("withdrawn", "已撤回"),
                        ],
                        db_index=True,
                        default="draft",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("round", models.PositiveSmallIntegerField(default=0, verbose_name="提交轮次")),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="提交时间")),
                ("due_at", models.DateTimeField(blank=True, db_index=True, null=True, verbose_name="办结时限")),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="结束时间")),
                ("overdue_notified_at", models.DateTimeField(blank=True, null=True, verbose_name="超时提醒时间")),
                (
                    "rating",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(5),
                        ],
                        verbose_name="评价",
                    ),
                ),
                ("rating_comment", models.CharField(blank=True, max_length=500, verbose_name="评价意见")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "handler",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="handled_tickets",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="办理人",
                    ),
                ),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tickets",
                        to="datahub.orgunit",
                        verbose_name="申请单位",
                    ),
                ),
                (
                    "requester",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tickets",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="申请人",
                    ),
                ),
            ],
            options={
                "verbose_name": "服务申请",
                "verbose_name_plural": "服务申请",
                "ordering": ["-created_at"],
            },
        ),
        migrations.CreateModel(
            name="TicketStep",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("round", models.PositiveSmallIntegerField(verbose_name="提交轮次")),
                ("index", models.PositiveSmallIntegerField(verbose_name="步骤序号")),
                ("name", models.CharField(max_length=100, verbose_name="步骤")),
                ("role", models.CharField(max_length=32, verbose_name="审批角色")),
                ("fallback_note", models.CharField(blank=True, max_length=200, verbose_name="无人担任时的说明")),
                (
                    "decision",
                    models.CharField(
                        choices=[
                            ("pending", "待审批"),
                            ("approved", "同意"),
                            ("rejected", "不同意"),
                            ("returned", "退回修改"),
                            ("cancelled", "已取消"),
                        ],
                        db_index=True,
                        default="pending",
                        max_length=16,
                        verbose_name="结果",
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="审批时间")),
                ("comment", models.CharField(blank=True, max_length=1000, verbose_name="意见")),
                (
                    "assigned_unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="审批范围",
                    ),
                ),
                (
                    "assignees",
                    models.ManyToManyField(
                        related_name="assigned_steps", to=settings.AUTH_USER_MODEL, verbose_name="审批人"
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "ticket",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="steps",
                        to="portal.ticket",
                        verbose_name="申请",
                    ),
                ),
                ("quorum", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="同意方数下限")),
                (
                    "rule",
                    models.CharField(
                        choices=[
                            ("single", "一人审批"),
                            ("all", "会签（全部同意）"),
                            ("any", "会签（一方同意即可）"),
                            ("quorum", "会签（达到法定人数）"),
                        ],
                        default="single",
                        max_length=8,
                        verbose_name="决定方式",
                    ),
                ),
                (
                    "comment_key",
                    models.CharField(blank=True, default="", editable=False, max_length=300, verbose_name="消息原文"),
                ),
                ("comment_values", models.JSONField(blank=True, default=dict, editable=False, verbose_name="消息参数")),
                (
                    "fallback_note_key",
                    models.CharField(blank=True, default="", editable=False, max_length=300, verbose_name="消息原文"),
                ),
                (
                    "fallback_note_values",
                    models.JSONField(blank=True, default=dict, editable=False, verbose_name="消息参数"),
                ),
            ],
            options={
                "verbose_name": "审批步骤",
                "verbose_name_plural": "审批步骤",
                "ordering": ["ticket", "round", "index"],
                "indexes": [],
                "constraints": [
                    models.UniqueConstraint(fields=("ticket", "round", "index"), name="ticketstep_unique_position")
                ],
            },
        ),
        migrations.CreateModel(
            name="TimelineEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="时间")),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("create", "创建"),
                            ("submit", "提交申请"),
                            ("start_review", "进入审批"),
                            ("approve_step", "同意（转下一步）"),
                            ("approve", "同意"),
                            ("reject", "不同意"),
                            ("return", "退回修改"),
                            ("hand_on", "转交"),
                            ("withdraw", "撤回"),
                            ("start", "开始办理"),
                            ("complete", "办结"),
                            ("close_on_approval", "审核通过即办结"),
                            ("rate", "评价"),
                            ("comment", "留言"),
                            ("overdue", "超时提醒"),
                            ("countersign", "会签"),
                            ("assist_ask", "发起协办"),
                            ("assist_done", "协办完成"),
                            ("assist_decline", "协办退回"),
                            ("assist_withdraw", "撤回协办"),
                            ("supervise", "督办"),
                            ("supervise_late", "督办逾期"),
                        ],
                        max_length=20,
                        verbose_name="操作",
                    ),
                ),
                (
                    "from_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("draft", "草稿"),
                            ("submitted", "已提交"),
                            ("in_review", "审批中"),
                            ("returned", "退回修改"),
                            ("approved", "已批准，待办理"),
                            ("in_progress", "办理中"),
                            ("done", "已办结"),
                            ("rejected", "未批准"),
                            ("withdrawn", "已撤回"),
                        ],
                        max_length=16,
                        verbose_name="原状态",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("draft", "草稿"),
                            ("submitted", "已提交"),
                            ("in_review", "审批中"),
                            ("returned", "退回修改"),
                            ("approved", "已批准，待办理"),
                            ("in_progress", "办理中"),
                            ("done", "已办结"),
                            ("rejected", "未批准"),
                            ("withdrawn", "已撤回"),
                        ],
                        max_length=16,
                        verbose_name="新状态",
                    ),
                ),
                ("comment", models.CharField(blank=True, max_length=1000, verbose_name="说明")),
                (
                    "attachment",
                    models.FileField(
                        blank=True,
                        upload_to=portal.models.attachment_path,
                        validators=[
                            django.core.validators.FileExtensionValidator(
                                ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "txt"],
                                message="不能上传“.%(extension)s”格式的文件；可以上传的格式：%(allowed_extensions)s。",
                            ),
                            portal.models.validate_attachment_size,
                            portal.models.validate_attachment_content,
                        ],
                        verbose_name="附件",
                    ),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
                (
                    "ticket",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="timeline",
                        to="portal.ticket",
                        verbose_name="申请",
                    ),
                ),
                ("attachment_name", models.CharField(blank=True, max_length=200, verbose_name="附件原名")),
                (
                    "comment_key",
                    models.CharField(blank=True, default="", editable=False, max_length=300, verbose_name="消息原文"),
                ),
                ("comment_values", models.JSONField(blank=True, default=dict, editable=False, verbose_name="消息参数")),
            ],
            options={
                "verbose_name": "办理记录",
                "verbose_name_plural": "办理记录",
                "ordering": ["at", "pk"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="Notification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=120, verbose_name="去重键")),
                ("message", models.CharField(max_length=300, verbose_name="内容")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="时间")),
                ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="已读时间")),
                ("emailed_at", models.DateTimeField(blank=True, null=True, verbose_name="邮件发送时间")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="接收人",
                    ),
                ),
                (
                    "ticket",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to="portal.ticket",
                    ),
                ),
                (
                    "message_key",
                    models.CharField(blank=True, default="", editable=False, max_length=300, verbose_name="消息原文"),
                ),
                ("message_values", models.JSONField(blank=True, default=dict, editable=False, verbose_name="消息参数")),
            ],
            options={
                "verbose_name": "通知",
                "verbose_name_plural": "通知",
                "ordering": ["-created_at"],
                "indexes": [
                    models.Index(fields=["user", "read_at"], name="portal_noti_user_id_d5ad53_idx"),
                    models.Index(fields=["emailed_at"], name="portal_noti_emailed_f51891_idx"),
                ],
                "constraints": [models.UniqueConstraint(fields=("user", "key"), name="notification_once_per_key")],
            },
        ),
        migrations.CreateModel(
            name="Supervision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("note", models.CharField(max_length=500, verbose_name="督办事项")),
                ("deadline", models.DateTimeField(db_index=True, verbose_name="督办时限")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="督办时间")),
                ("reminded_at", models.DateTimeField(blank=True, null=True, verbose_name="提醒时间")),
                ("escalated_at", models.DateTimeField(blank=True, null=True, verbose_name="逾期上报时间")),
                (
                    "supervised",
                    models.ManyToManyField(
                        related_name="supervised", to=settings.AUTH_USER_MODEL, verbose_name="被督办人"
                    ),
                ),
                (
                    "supervisor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="supervisions",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="督办人",
                    ),
                ),
                (
                    "ticket",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="supervisions",
                        to="portal.ticket",
                        verbose_name="申请",
                    ),
                ),
            ],
            options={
                "verbose_name": "督办",
                "verbose_name_plural": "督办",
                "ordering": ["deadline", "pk"],
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="AssistPart",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("role", models.CharField(max_length=32, verbose_name="协办角色")),
                ("description", models.CharField(max_length=500, verbose_name="协办内容")),
                ("due_at", models.DateTimeField(verbose_name="协办时限")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("open", "协办中"),
                            ("done", "已完成"),
                            ("declined", "已退回"),
                            ("withdrawn", "已撤回"),
                        ],
                        db_index=True,
                        default="open",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("asked_at", models.DateTimeField(auto_now_add=True, verbose_name="发起时间")),
                ("handled_at", models.DateTimeField(blank=True, null=True, verbose_name="办理时间")),
                ("outcome", models.CharField(blank=True, max_length=1000, verbose_name="协办结果或理由")),
                (
                    "asked_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="主办人",
                    ),
                ),
                (
                    "handled_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="协办人",
                    ),
                ),
                (
                    "ticket",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assists",
                        to="portal.ticket",
                        verbose_name="申请",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="协办单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "协办事项",
                "verbose_name_plural": "协办事项",
                "ordering": ["ticket", "pk"],
                "indexes": [models.Index(fields=["state", "due_at"], name="portal_assi_state_4c9b72_idx")],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="StepPart",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("index", models.PositiveSmallIntegerField(verbose_name="序号")),
                ("name", models.CharField(max_length=100, verbose_name="会签方")),
                ("role", models.CharField(max_length=32, verbose_name="会签角色")),
                ("fallback_note", models.CharField(blank=True, max_length=200, verbose_name="无人担任时的说明")),
                (
                    "decision",
                    models.CharField(
                        choices=[
                            ("pending", "待审批"),
                            ("approved", "同意"),
                            ("rejected", "不同意"),
                            ("returned", "退回修改"),
                            ("cancelled", "已取消"),
                        ],
                        db_index=True,
                        default="pending",
                        max_length=16,
                        verbose_name="结果",
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="会签时间")),
                ("comment", models.CharField(blank=True, max_length=1000, verbose_name="意见")),
                (
                    "assigned_unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="datahub.orgunit",
                        verbose_name="会签单位",
                    ),
                ),
                (
                    "assignees",
                    models.ManyToManyField(
                        related_name="assigned_parts", to=settings.AUTH_USER_MODEL, verbose_name="会签人"
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "step",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="parts",
                        to="portal.ticketstep",
                        verbose_name="审批步骤",
                    ),
                ),
            ],
            options={
                "verbose_name": "会签意见",
                "verbose_name_plural": "会签意见",
                "ordering": ["step", "index"],
                "constraints": [models.UniqueConstraint(fields=("step", "index"), name="steppart_unique_position")],
                "indexes": [],
            },
        ),
        migrations.CreateModel(
            name="AccountRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "action",
                    models.CharField(
                        choices=[("open", "开通账号"), ("close", "注销账号")], max_length=8, verbose_name="事项"
                    ),
                ),
                ("roles", models.CharField(blank=True, max_length=200, verbose_name="需要的角色")),
                ("effective_on", models.DateField(verbose_name="生效日期")),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="说明")),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="人员",
                    ),
                ),
                (
                    "ticket",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="portal.ticket",
                        verbose_name="申请",
                    ),
                ),
            ],
            options={
                "verbose_name": "账号与角色申请",
                "verbose_name_plural": "账号与角色申请",
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.CreateModel(
            name="HandoverRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("holdings", models.TextField(max_length=4000, verbose_name="持有事项")),
                ("due_on", models.DateField(verbose_name="交回期限")),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="人员",
                    ),
                ),
                (
                    "ticket",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="portal.ticket",
                        verbose_name="申请",
                    ),
                ),
            ],
            options={
                "verbose_name": "离岗交接",
                "verbose_name_plural": "离岗交接",
                "indexes": [],
                "constraints": [],
            },
        ),
        migrations.AddField(
            model_name="ticket",
            name="current_step",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="portal.ticketstep",
                verbose_name="当前步骤",
            ),
        ),
        migrations.AddField(
            model_name="ticket",
            name="bundle_member",
            field=models.CharField(blank=True, max_length=40, verbose_name="一件事中的事项"),
        ),
        migrations.AddField(
            model_name="ticket",
            name="bundle",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="members",
                to="portal.bundle",
                verbose_name="所属一件事",
            ),
        ),
        migrations.AddField(
            model_name="ticket",
            name="title_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=300, verbose_name="消息原文"),
        ),
        migrations.AddField(
            model_name="ticket",
            name="title_values",
            field=models.JSONField(blank=True, default=dict, editable=False, verbose_name="消息参数"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["requester", "-created_at"], name="portal_tick_request_c24462_idx"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["status", "due_at"], name="portal_tick_status_b68d54_idx"),
        ),
        migrations.AddConstraint(
            model_name="ticket",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("rating__isnull", True), models.Q(("rating__gte", 1), ("rating__lte", 5)), _connector="OR"
                ),
                name="ticket_rating_1_to_5",
            ),
        ),
    ]
