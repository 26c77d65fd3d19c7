"""Admin for 清查盘点: read-only (counting and closing go through the pages, API and services,
because closing writes the cards), scoped to the stocktake's unit."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from datahub.admin_mixins import ReadOnlyMixin, ScopedAdminMixin

from .models import BookLine, Count, Stocktake
from .selectors import STOCKTAKE_READERS


@admin.register(Stocktake)
class StocktakeAdmin(ScopedAdminMixin, ReadOnlyMixin, SimpleHistoryAdmin):
    scope_roles = STOCKTAKE_READERS
    list_display = ["title", "org_unit", "scope_kind", "status", "opened_by", "opened_at", "closed_at"]
    list_filter = ["status", "scope_kind"]
    search_fields = ["title"]
    list_select_related = ["org_unit", "opened_by"]


@admin.register(BookLine)
class BookLineAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    scope_roles = STOCKTAKE_READERS
    unit_field = "stocktake__org_unit"
    list_display = ["asset_number", "name", "stocktake", "book_room", "book_custodian", "outcome", "adjustment"]
    list_filter = ["outcome"]
    search_fields = ["asset_number", "name"]
    list_select_related = ["stocktake", "book_room__building", "book_custodian"]


@admin.register(Count)
class CountAdmin(ScopedAdminMixin, ReadOnlyMixin, SimpleHistoryAdmin):
    scope_roles = STOCKTAKE_READERS
    unit_field = "stocktake__org_unit"
    list_display = ["code", "stocktake", "observed_room", "observed_custodian", "source", "counted_by", "counted_at"]
    list_filter = ["source"]
    search_fields = ["code", "surplus_name"]
    list_select_related = ["stocktake", "observed_room__building", "observed_custodian", "counted_by"]
