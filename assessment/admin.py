"""Admin for the assessment module, scoped like every other list.

Frameworks and their indicators (weights, directions, ranges) are edited by bureau
administrators; values are written through the services (pages, API, import), so they are
read-only here, as are scores and stored analyses.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from datahub.admin_mixins import CatalogAdminMixin, ReadOnlyMixin, ScopedAdminMixin

from . import selectors, services
from .models import Analysis, Framework, Indicator, IndicatorValue, Round, Score, StudyCase


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = [
        "order",
        "code",
        "name",
        "dimension",
        "direction",
        "weight",
        "measurement",
        "source",
        "unit",
        "min_value",
        "max_value",
        "definition",
    ]

    def get_readonly_fields(self, request, obj=None):
        # A version that rounds use is frozen: copy it as a new version to change it.
        if obj is not None and obj.rounds.exists():
            return self.fields
        return ()

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj is not None and obj.rounds.exists())

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Framework)
class FrameworkAdmin(CatalogAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "version", "is_active", "created_at"]
    list_filter = ["is_active"]
    inlines = [IndicatorInline]
    actions = ["copy_as_new_version"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("复制为新版本（用于调整权重等）"))
    def copy_as_new_version(self, request, queryset):
        for framework in queryset:
            try:
                copy = services.framework_new_version(actor=request.user, framework=framework)
            except PermissionDenied as exc:
                self.message_user(request, str(exc), level=messages.ERROR)
                return
            self.message_user(request, _("已创建 %(copy)s。") % {"copy": copy})


@admin.register(Round)
class RoundAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = selectors.READERS
    edit_roles = selectors.MANAGERS
    list_display = ["name", "year", "org_unit", "external", "case_level", "framework", "is_demo", "scored_at"]
    list_filter = ["year", "is_demo", "case_level"]
    list_select_related = ["org_unit", "framework"]
    raw_id_fields = ["org_unit"]
    readonly_fields = ["scored_at"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = selectors.READERS
    list_display = ["case", "round", "indicator", "value", "origin", "evidence_name", "updated_at"]
    list_filter = ["origin", "round"]
    search_fields = ["org_unit__name", "study_case__name", "indicator__name"]
    list_select_related = ["org_unit", "study_case", "round", "indicator"]
    exclude = ["evidence"]  # served through the scoped evidence view, never a media link

    def get_queryset(self, request):
        # A study case's rows are scoped by the round's scope unit.
        return selectors.case_rows_for(request.user, admin.ModelAdmin.get_queryset(self, request))


@admin.register(Score)
class ScoreAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = selectors.READERS
    list_display = ["case", "round", "index", "level_name", "weakest", "rank"]
    list_filter = ["round", "level", "weakest"]
    search_fields = ["org_unit__name", "study_case__name"]
    list_select_related = ["org_unit", "study_case", "round"]

    def get_queryset(self, request):
        return selectors.case_rows_for(request.user, admin.ModelAdmin.get_queryset(self, request))


@admin.register(StudyCase)
class StudyCaseAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """External cases of a study, kept apart from the org directory; scoped by their owner."""

    scope_roles = selectors.READERS
    edit_roles = selectors.MANAGERS
    unit_field = "owner"
    list_display = ["code", "name", "region_code", "owner"]
    search_fields = ["code", "name"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Analysis)
class AnalysisAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = selectors.ANALYSTS
    unit_field = "round__org_unit"
    list_display = ["name", "round", "outcome", "created_by", "created_at"]
    list_select_related = ["round", "created_by"]
    exclude = ["result"]
