from django.contrib import admin

from datahub.admin_mixins import ScopedAdminMixin
from datahub.roles import Role

from .models import RepairRecord


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
