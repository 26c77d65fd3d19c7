"""Admin for the asset ledgers and tables, scoped like every other list.

Cards move only through the lifecycle services (pages and API), so here they and their
movements, depreciation and request details are read-only; the reference tables
(classification, configuration standards, capitalisation threshold) are edited by bureau
administrators (their change history is kept).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from datahub.admin_mixins import CatalogAdminMixin, ReadOnlyMixin, ScopedAdminMixin
from datahub.roles import Role

from .models import (
    Asset,
    AssetIssueRecord,
    AssetNumberSequence,
    AssetRequisition,
    CapitalisationThreshold,
    Category,
    ConfigStandard,
    ConfigStandardVersion,
    DepreciationEntry,
    DepreciationRun,
    DisposalRequest,
    Movement,
    PurchaseRequest,
    TransferRequest,
)

READERS = (Role.ASSET_ADMIN, Role.BUREAU_ADMIN, Role.LEADER)
EDITORS = (Role.ASSET_ADMIN, Role.BUREAU_ADMIN)


@admin.register(AssetIssueRecord)
class AssetIssueRecordAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = EDITORS
    list_display = ["issued_at", "org_unit", "recipient", "item_name", "quantity", "issued_by"]
    list_filter = ["category"]
    search_fields = ["item_name", "asset_codes"]
    list_select_related = ["org_unit", "recipient", "issued_by"]


@admin.register(AssetRequisition)
class AssetRequisitionAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: a request's detail changes only through its ticket in the portal."""

    scope_roles = EDITORS
    unit_field = "ticket__org_unit"
    list_display = ["ticket", "item_name", "category", "quantity", "needed_by"]
    list_filter = ["category"]
    search_fields = ["item_name", "purpose"]
    list_select_related = ["ticket"]


@admin.register(DisposalRequest)
class DisposalRequestAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = EDITORS
    unit_field = "ticket__org_unit"
    list_display = ["ticket", "asset", "way", "original_value"]
    list_filter = ["way"]
    search_fields = ["asset__asset_number", "reason"]
    list_select_related = ["ticket", "asset"]


@admin.register(TransferRequest)
class TransferRequestAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    # Listed to the giving unit's side (the ticket's unit); the receiving side reads it on the ticket.
    scope_roles = EDITORS
    unit_field = "ticket__org_unit"
    list_display = ["ticket", "asset", "to_unit"]
    search_fields = ["asset__asset_number", "reason"]
    list_select_related = ["ticket", "asset", "to_unit"]


@admin.register(PurchaseRequest)
class PurchaseRequestAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = EDITORS
    unit_field = "ticket__org_unit"
    list_display = ["ticket", "item_name", "category", "quantity", "unit_price", "early_renewal"]
    search_fields = ["item_name", "reason"]
    list_select_related = ["ticket", "category"]


@admin.register(Asset)
class AssetAdmin(ReadOnlyMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    """Read-only: booking and every move go through the services (each writes a movement)."""

    scope_roles = READERS
    list_display = [
        "asset_number",
        "name",
        "category",
        "org_unit",
        "original_value",
        "accumulated_depreciation",
        "status",
    ]
    list_filter = ["status", "acquisition_way", "funding_source", "depreciates"]
    search_fields = ["asset_number", "name", "spec"]
    list_select_related = ["category", "org_unit"]
    raw_id_fields = ["category", "org_unit", "user_department", "custodian", "location", "lent_to_unit"]


@admin.register(Movement)
class MovementAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = READERS
    unit_field = "asset__org_unit"
    list_display = ["at", "asset", "kind", "actor", "from_status", "to_status", "amount"]
    list_filter = ["kind"]
    search_fields = ["asset__asset_number", "note"]
    list_select_related = ["asset", "actor"]


@admin.register(DepreciationEntry)
class DepreciationEntryAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = READERS
    unit_field = "asset__org_unit"
    list_display = ["month", "asset", "amount", "accumulated"]
    list_filter = ["month"]
    search_fields = ["asset__asset_number"]
    list_select_related = ["asset"]


@admin.register(DepreciationRun)
class DepreciationRunAdmin(CatalogAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["month", "cards", "total", "posted_at"]


@admin.register(AssetNumberSequence)
class AssetNumberSequenceAdmin(CatalogAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["prefix", "last"]


@admin.register(Category)
class CategoryAdmin(CatalogAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "parent", "min_life_months", "depreciates", "special_equipment", "standard_version"]
    list_filter = ["depreciates", "special_equipment", "standard_version"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]

    def has_delete_permission(self, request, obj=None):
        return False  # cards refer to categories; retire a code by editing it


class ConfigStandardInline(admin.TabularInline):
    model = ConfigStandard
    extra = 0
    raw_id_fields = ["category"]


@admin.register(ConfigStandardVersion)
class ConfigStandardVersionAdmin(CatalogAdminMixin, admin.ModelAdmin):
    list_display = ["code", "title", "effective_from"]
    inlines = [ConfigStandardInline]


@admin.register(ConfigStandard)
class ConfigStandardAdmin(CatalogAdminMixin, SimpleHistoryAdmin):
    list_display = ["version", "category", "label", "price_cap", "min_life_months", "quantity_ratio"]
    list_filter = ["version"]
    raw_id_fields = ["category"]


@admin.register(CapitalisationThreshold)
class CapitalisationThresholdAdmin(CatalogAdminMixin, SimpleHistoryAdmin):
    list_display = ["effective_from", "general", "special_equipment", "source"]
