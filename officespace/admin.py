from django.contrib import admin

from datahub.admin_mixins import ScopedAdminMixin
from datahub.roles import Role

from .models import RepairRecord, RepairRequest


@admin.register(RepairRecord)
class RepairRecordAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = (Role.SPACE_ADMIN, Role.BUREAU_ADMIN)
    list_display = ["completed_at", "org_unit", "location", "category", "cost", "handled_by"]
    list_filter = ["category"]
    search_fields = ["location", "result", "parts"]
    list_select_related = ["org_unit", "handled_by"]

    def has_add_permission(self, request):
        return False  # written by finishing a repair ticket

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RepairRequest)
class RepairRequestAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: a request's detail changes only through its ticket in the portal."""

    scope_roles = (Role.SPACE_ADMIN, Role.BUREAU_ADMIN)
    unit_field = "ticket__org_unit"
    list_display = ["ticket", "location", "category", "urgent", "estimated_cost"]
    list_filter = ["category", "urgent"]
    search_fields = ["location", "description"]
    list_select_related = ["ticket"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
