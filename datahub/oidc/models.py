"""A department's system registered with the platform, and the stable subject identifier of a person.

The protocol rows (client id, hashed secret, redirect URIs, grant type, tokens) stay in django-oauth-toolkit's
own tables; ``RegisteredSystem`` adds, one-to-one, what the bureau manages about the system.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .rules import SystemKind


class RegisteredSystem(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("启用")
        SUSPENDED = "suspended", _("已停用")

    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.PROTECT,
        related_name="registration",
        verbose_name=_("OAuth2 客户端"),
    )
    org_unit = models.ForeignKey(
        "datahub.OrgUnit", on_delete=models.PROTECT, related_name="registered_systems", verbose_name=_("所属单位")
    )
    name = models.CharField(_("系统名称"), max_length=100)
    kind = models.CharField(_("接入方式"), max_length=16, choices=SystemKind.choices)
    scopes = models.JSONField(_("可申请的授权范围"), default=list)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=24, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    description = models.CharField(_("用途说明"), max_length=500, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    secret_rotated_at = models.DateTimeField(_("密钥更换时间"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    suspend_reason = models.CharField(_("停用原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("接入系统")
        verbose_name_plural = _("接入系统")
        ordering = ["org_unit__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "name"], name="registered_system_unique_name_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Subject(models.Model):
    """The ``sub`` a person has towards every system: random, never reused, independent of the database id
    (so a restore, a merge of directories or a renumbering never hands one person's history to another)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_subject", verbose_name=_("人员")
    )
    sub = models.UUIDField(_("唯一标识"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("统一身份标识")
        verbose_name_plural = _("统一身份标识")

    def __str__(self) -> str:
        return str(self.sub)


class Consent(models.Model):
    """What a person agreed a system may receive: asked once, then not again for the same or fewer scopes.

    DOT on its own remembers a consent only while the person holds a live access token for the system; this
    row outlives the tokens, widens when the person agrees to more, and goes when the person revokes it
    (账号安全 → 已授权的接入系统), together with the system's tokens for that person.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_consents", verbose_name=_("人员")
    )
    system = models.ForeignKey(
        RegisteredSystem, on_delete=models.CASCADE, related_name="consents", verbose_name=_("接入系统")
    )
    scopes = models.JSONField(_("已同意的授权范围"), default=list)
    granted_at = models.DateTimeField(_("首次授权时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("最近授权时间"), default=timezone.now)

    class Meta:
        verbose_name = _("授权记录")
        verbose_name_plural = _("授权记录")
        ordering = ["-updated_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "system"], name="oidc_consent_one_per_person_system")]

    def __str__(self) -> str:
        return f"{self.user} → {self.system}"
