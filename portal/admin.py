from django.contrib import admin

from datahub.admin_mixins import ScopedAdminMixin

from .models import Notification, Ticket, TicketStep, TimelineEntry
from .selectors import OVERSEERS


class StepInline(admin.TabularInline):
    model = TicketStep
    extra = 0
    fields = ["round", "index", "name", "role", "decision", "decided_by", "decided_at", "comment", "fallback_note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0
    fields = ["at", "actor", "action", "from_status", "to_status", "comment", "attachment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: tickets move only through the portal's services."""

    scope_roles = OVERSEERS
    list_display = ["id", "title", "kind", "requester", "org_unit", "status", "due_at", "rating"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "requester__name"]
    list_select_related = ["requester", "org_unit"]
    inlines = [StepInline, TimelineInline]
    readonly_fields = [f.name for f in Ticket._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    # A person's own messages: no role reads other people's in the admin (scope_roles is empty), only superusers.
    scope_roles = ()
    unit_field = "user__org_unit"
    list_display = ["created_at", "user", "message", "read_at", "emailed_at"]
    list_select_related = ["user"]
    search_fields = ["message", "user__name"]

    def has_module_permission(self, request):
        return request.user.is_superuser
