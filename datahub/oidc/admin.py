"""Registered systems and their tokens in the admin, scoped to the units one manages systems for.

django-oauth-toolkit's own admin pages would list every client and token of the platform to any staff
member with the model permission; they are replaced by these (registration and secrets go through the
pages at /directory/systems/, which call the services and write the audit trail).
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

from ..admin_mixins import ReadOnlyMixin, ScopedAdminMixin
from . import rules, services
from .models import RegisteredSystem

for _model in (
    get_application_model(),
    get_access_token_model(),
    get_refresh_token_model(),
    get_grant_model(),
    get_id_token_model(),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
try:
    from oauth2_provider.models import get_device_grant_model

    if admin.site.is_registered(get_device_grant_model()):
        admin.site.unregister(get_device_grant_model())
except ImportError:  # pragma: no cover - older toolkit
    pass


@admin.register(RegisteredSystem)
class RegisteredSystemAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = rules.SYSTEM_MANAGERS
    list_display = ["name", "org_unit", "kind", "status", "client_id", "contact_name", "created_at"]
    list_select_related = ["org_unit", "application"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "application__client_id", "contact_name"]
    readonly_fields = [
        "name",
        "org_unit",
        "kind",
        "scopes",
        "status",
        "contact_name",
        "contact_email",
        "description",
        "created_at",
        "secret_rotated_at",
        "suspended_at",
        "suspend_reason",
    ]
    fields = readonly_fields

    @admin.display(description=_("客户端标识"))
    def client_id(self, obj):
        return obj.application.client_id


@admin.register(get_access_token_model())
class SystemAccessTokenAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Live access tokens of the systems one manages: who, which system, which scopes, until when; revoking
    is the only change (it also ends the refresh token issued with it)."""

    scope_roles = rules.SYSTEM_MANAGERS
    unit_field = "application__registration__org_unit"
    list_display = ["id", "application", "user", "scope", "created", "expires"]
    list_select_related = ["application", "user"]
    search_fields = ["application__name", "user__username", "user__name"]
    fields = ["application", "user", "scope", "created", "expires"]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.action(description=_("吊销所选访问令牌"))
    def revoke(self, request, queryset):
        count = services.tokens_revoke(actor=request.user, tokens=queryset, request=request)
        self.message_user(request, _("已吊销 %(count)s 个访问令牌。") % {"count": count}, messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
