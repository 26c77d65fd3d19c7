"""Admin for every monitoring model, scoped like the pages (by the vehicle's or the fence's unit).

Tokens are issued on the terminal pages (shown once); here an action rotates them. Positions
and alerts are read-only records (alerts are acknowledged on the alert page, with a comment).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from datahub import scoping
from datahub.admin_mixins import CatalogAdminMixin, ReadOnlyMixin, ScopedAdminMixin

from . import selectors, services
from .models import Alert, AlertRule, CalendarDay, Geofence, Position, Terminal


@admin.register(Terminal)
class TerminalAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_roles = selectors.MONITOR_READERS
    edit_roles = selectors.MONITOR_EDITORS
    unit_field = "vehicle__org_unit"
    list_display = ["serial", "vehicle", "model_name", "token_prefix", "is_active", "last_seen_at"]
    list_filter = ["is_active"]
    search_fields = ["serial", "vehicle__plate"]
    list_select_related = ["vehicle"]
    fields = ["serial", "model_name", "is_active", "vehicle", "token_prefix", "token_rotated_at", "last_seen_at"]
    readonly_fields = ["vehicle", "token_prefix", "token_rotated_at", "last_seen_at"]
    actions = ["rotate"]

    def has_add_permission(self, request):
        return False  # registered on the terminal page, which shows the token once

    @admin.action(description=_("更换令牌（新令牌只显示一次）"))
    def rotate(self, request, queryset):
        for terminal in queryset.select_related("vehicle__org_unit"):
            try:
                token = services.rotate_token(actor=request.user, terminal=terminal)
            except PermissionDenied as exc:
                self.message_user(request, f"{terminal.serial}：{exc}", messages.ERROR)
                continue
            self.message_user(
                request,
                _("%(serial)s 的新令牌（只显示这一次）：%(token)s") % {"serial": terminal.serial, "token": token},
                messages.WARNING,
            )


@admin.register(Position)
class PositionAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = selectors.MONITOR_READERS
    unit_field = "vehicle__org_unit"
    list_display = ["vehicle", "time", "lat", "lon", "speed", "ignition"]
    list_select_related = ["vehicle"]
    search_fields = ["vehicle__plate"]
    date_hierarchy = "time"
    show_full_result_count = False  # counting millions of points on every page is not worth it


@admin.register(CalendarDay)
class CalendarDayAdmin(CatalogAdminMixin, SimpleHistoryAdmin):
    list_display = ["date", "kind", "name", "work_start", "work_end"]
    list_filter = ["kind"]
    date_hierarchy = "date"

    def _editor(self, request):
        return scoping.holds_any(request.user, selectors.CALENDAR_EDITORS)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self._editor(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editor(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editor(request)


@admin.register(Geofence)
class GeofenceAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_roles = selectors.MONITOR_READERS
    edit_roles = selectors.MONITOR_EDITORS
    list_display = ["name", "org_unit", "is_active", "updated_at"]
    list_select_related = ["org_unit"]
    search_fields = ["name", "org_unit__name"]
    autocomplete_fields = ["org_unit"]


@admin.register(AlertRule)
class AlertRuleAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_roles = selectors.MONITOR_READERS
    edit_roles = selectors.MONITOR_EDITORS
    list_display = ["kind", "org_unit", "enabled", "threshold", "gap_minutes"]
    list_filter = ["kind", "enabled"]
    list_select_related = ["org_unit"]
    autocomplete_fields = ["org_unit"]

    def get_queryset(self, request):
        # Global rules (no unit) apply to everybody, so readers see them too; only superusers change them.
        return selectors.rules_for(request.user)

    def _may_edit(self, request, obj) -> bool:
        if obj is not None and obj.org_unit_id is None:
            return request.user.is_superuser
        return super()._may_edit(request, obj)


@admin.register(Alert)
class AlertAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = selectors.MONITOR_READERS
    unit_field = "vehicle__org_unit"
    list_display = ["vehicle", "kind", "started_at", "ended_at", "point_count", "status", "acknowledged_by"]
    list_filter = ["kind", "status"]
    list_select_related = ["vehicle", "acknowledged_by"]
    search_fields = ["vehicle__plate"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
