"""The catalog in the admin: entries are shared reference data (model permissions decide); grants are scoped by
the consumer's unit and written only by services; the trail is append-only for everybody."""

from django.contrib import admin

from ..admin_mixins import AppendOnlyAdminMixin, CatalogAdminMixin, ReadOnlyMixin, ScopedAdminMixin
from ..roles import Role
from .models import Dataset, DatasetItem, Grant, TrailRecord
from .selectors import TRAIL_READERS, trail_for


class DatasetItemInline(admin.TabularInline):
    model = DatasetItem
    extra = 0
    fields = ["position", "name", "label", "data_type", "personal", "description"]


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyMixin, CatalogAdminMixin, admin.ModelAdmin):
    """Declared entries follow their declaration and external ones are registered on the catalog page (the
    service checks the codes and the share rules), so the admin only reads them."""

    list_display = ["code", "name", "provider", "format", "share_type", "update_cycle", "status", "version"]
    list_filter = ["share_type", "format", "status", "update_cycle"]
    search_fields = ["code", "name", "summary"]
    list_select_related = ["provider"]
    inlines = [DatasetItemInline]


@admin.register(Grant)
class GrantAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = (Role.DATA_STEWARD, Role.BUREAU_ADMIN)
    unit_field = "consumer_unit"
    list_display = [
        "dataset",
        "consumer_unit",
        "user",
        "application",
        "row_scope",
        "valid_from",
        "valid_to",
        "revoked_at",
    ]
    list_select_related = ["dataset", "consumer_unit", "user", "application"]
    list_filter = ["row_scope", "valid_to", "revoked_at"]
    search_fields = ["dataset__code", "dataset__name"]


@admin.register(TrailRecord)
class TrailRecordAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    """Auditors, stewards and bureau administrators read the calls of their subtree; nobody edits one."""

    scope_roles = TRAIL_READERS
    list_display = ["seq", "at", "kind", "caller_label", "dataset_code", "rows", "bytes", "status", "duration_ms"]
    list_filter = ["kind", "status"]
    search_fields = ["dataset_code", "caller_label"]
    readonly_fields = [f.name for f in TrailRecord._meta.fields]

    def get_queryset(self, request):
        return trail_for(request.user)
