from django.contrib import admin

from datahub.admin_mixins import ScopedAdminMixin
from datahub.roles import Role

from .models import AssetIssueRecord, AssetRequisition


@admin.register(AssetIssueRecord)
class AssetIssueRecordAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = (Role.ASSET_ADMIN, Role.BUREAU_ADMIN)
    list_display = ["issued_at", "org_unit", "recipient", "item_name", "quantity", "issued_by"]
    list_filter = ["category"]
    search_fields = ["item_name", "asset_codes"]
    list_select_related = ["org_unit", "recipient", "issued_by"]

    def has_add_permission(self, request):
        return False  # written by finishing a requisition ticket

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AssetRequisition)
class AssetRequisitionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: a request's detail changes only through its ticket in the portal."""

    scope_roles = (Role.ASSET_ADMIN, Role.BUREAU_ADMIN)
    unit_field = "ticket__org_unit"
    list_display = ["ticket", "item_name", "category", "quantity", "needed_by"]
    list_filter = ["category"]
    search_fields = ["item_name", "purpose"]
    list_select_related = ["ticket"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
