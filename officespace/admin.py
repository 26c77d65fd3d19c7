"""Admin for the office-space ledgers and tables, scoped like every other list.

Buildings and rooms are written through the services (so the area rules and the
over-standard check apply); the standards and the rank mapping are edited by bureau
administrators; check results and request details are read-only here.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from datahub.admin_mixins import CatalogAdminMixin, ReadOnlyMixin, ScopedAdminMixin
from datahub.roles import Role

from . import services
from .models import (
    AdjustmentRecord,
    AdjustmentRequest,
    AreaStandard,
    Assessment,
    Building,
    Floor,
    Occupancy,
    RankMapping,
    RepairRecord,
    RepairRequest,
    Room,
    StandardVersion,
    UnitClass,
    UnitRollup,
)

SPACE = (Role.SPACE_ADMIN, Role.BUREAU_ADMIN)
READERS = (Role.SPACE_ADMIN, Role.BUREAU_ADMIN, Role.LEADER)


class BuildingAdminForm(forms.ModelForm):
    class Meta:
        model = Building
        fields = list(services.BUILDING_FIELDS)

    def _post_clean(self):
        super()._post_clean()
        try:
            services.check_building(building=self.instance)
        except ValidationError as exc:
            self._update_errors(exc)


@admin.register(Building)
class BuildingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = READERS
    edit_roles = SPACE
    list_display = ["code", "name", "org_unit", "title_status", "building_area", "use_area", "is_active"]
    list_filter = ["title_status", "structure", "is_active"]
    search_fields = ["code", "name", "address"]
    list_select_related = ["org_unit"]
    raw_id_fields = ["org_unit"]
    form = BuildingAdminForm

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Through the service: it checks the actor covers the (new) unit, in one transaction."""
        data = {f: form.cleaned_data[f] for f in services.BUILDING_FIELDS if f in form.cleaned_data}
        if change:
            services.update_building(actor=request.user, building=obj, **data)
        else:
            obj.pk = services.create_building(actor=request.user, **data).pk


@admin.register(Room)
class RoomAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Read-only here: rooms are added and changed on the building and room pages (area checks, the check)."""

    scope_roles = READERS
    edit_roles = SPACE
    list_display = ["building", "floor", "number", "category", "subtype", "use_area", "org_unit", "is_active"]
    list_filter = ["category", "subtype", "is_active"]
    search_fields = ["number", "building__name"]
    list_select_related = ["building", "floor", "org_unit"]


@admin.register(Floor)
class FloorAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    scope_roles = READERS
    unit_field = "building__org_unit"
    list_display = ["building", "number", "use_area"]
    list_select_related = ["building"]


@admin.register(Occupancy)
class OccupancyAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    scope_roles = READERS
    unit_field = "room__org_unit"
    list_display = ["person", "room", "is_main", "start_date", "end_date", "post_ended_on"]
    list_filter = ["is_main"]
    search_fields = ["person__name", "room__number"]
    list_select_related = ["person", "room__building"]


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    scope_roles = READERS
    list_display = ["person", "org_unit", "room", "standard", "share", "excess", "flag", "status", "is_current"]
    list_filter = ["is_over", "is_leader", "status", "flag", "is_current"]
    search_fields = ["person__name", "room__number"]
    list_select_related = ["person", "org_unit", "room__building"]


class BureauOnlyMixin:
    """Standards are province-wide data: bureau administrators (model permission) edit them, others read."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StandardVersion)
class StandardVersionAdmin(CatalogAdminMixin, admin.ModelAdmin):
    list_display = ["code", "title", "effective_from"]


@admin.register(AreaStandard)
class AreaStandardAdmin(CatalogAdminMixin, BureauOnlyMixin, admin.ModelAdmin):
    list_display = ["version", "admin_class", "grade", "label", "area"]
    list_filter = ["version", "admin_class"]
    list_editable = ["area"]
    readonly_fields = ["version", "admin_class", "grade"]

    def save_model(self, request, obj, form, change):
        services.area_standard_update(actor=request.user, row=obj, area=obj.area, label=obj.label)


@admin.register(RankMapping)
class RankMappingAdmin(CatalogAdminMixin, BureauOnlyMixin, admin.ModelAdmin):
    list_display = ["source", "code", "grade"]
    list_filter = ["source"]
    list_editable = ["grade"]
    readonly_fields = ["source", "code"]

    def save_model(self, request, obj, form, change):
        services.rank_mapping_update(actor=request.user, mapping=obj, grade=obj.grade)


@admin.register(UnitClass)
class UnitClassAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = (Role.BUREAU_ADMIN,)
    list_display = ["org_unit", "admin_class"]
    raw_id_fields = ["org_unit"]
    list_select_related = ["org_unit"]

    def save_model(self, request, obj, form, change):
        obj.pk = services.unit_class_set(actor=request.user, unit=obj.org_unit, admin_class=obj.admin_class).pk


@admin.register(RepairRecord)
class RepairRecordAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = SPACE
    list_display = ["completed_at", "org_unit", "location", "room", "is_major", "category", "cost", "handled_by"]
    list_filter = ["category", "is_major"]
    search_fields = ["location", "result", "parts"]
    list_select_related = ["org_unit", "handled_by", "room__building"]

    def has_add_permission(self, request):
        return False  # written by finishing a repair ticket

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RepairRequest)
class RepairRequestAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: a request's detail changes only through its ticket in the portal."""

    scope_roles = SPACE
    unit_field = "ticket__org_unit"
    list_display = ["ticket", "location", "category", "urgent", "is_major", "estimated_cost"]
    list_filter = ["category", "urgent", "is_major"]
    search_fields = ["location", "description"]
    list_select_related = ["ticket"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AdjustmentRequest)
class AdjustmentRequestAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    scope_roles = SPACE
    unit_field = "ticket__org_unit"
    list_display = ["ticket", "purpose", "requested_area", "headcount"]
    list_filter = ["purpose"]
    list_select_related = ["ticket"]


@admin.register(AdjustmentRecord)
class AdjustmentRecordAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    scope_roles = SPACE
    list_display = ["completed_at", "org_unit", "purpose", "supply", "room", "area", "handled_by"]
    list_filter = ["purpose", "supply"]
    list_select_related = ["org_unit", "room__building", "handled_by"]


@admin.register(UnitRollup)
class UnitRollupAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    scope_roles = READERS
    list_display = ["org_unit", "people", "approved_area", "actual_area", "excess_area", "over_people", "refreshed_at"]
    list_select_related = ["org_unit"]
