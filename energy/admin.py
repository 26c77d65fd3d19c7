"""Admin for every energy model, scoped like every other list.

Coefficient tables are province-wide data edited by bureau administrators; a version already
used by figures is frozen (edits refused, "copy as new version" action instead). Records and
profiles are written through the services (locks, derived fuel, officespace areas apply);
submissions and anomalies are read-only here (the portal's engine carries the report workflow).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from datahub.admin_mixins import CatalogAdminMixin, ReadOnlyMixin, ScopedAdminMixin
from datahub.keyed import joined

from . import services
from .models import (
    Anomaly,
    Coefficient,
    CoefficientVersion,
    ConsumptionRecord,
    GridFactor,
    InstitutionProfile,
    ProfileCorrection,
    Quota,
    ReportingPeriod,
    Submission,
    Target,
)
from .selectors import ENERGY_READERS

EDITORS = services.ENERGY_EDITORS


class FrozenWhenUsedForm(forms.ModelForm):
    """A coefficient row of a version used by figures cannot change (figures stay reproducible)."""

    def clean(self):
        data = super().clean()
        version = data.get("version") or getattr(self.instance, "version", None)
        if version is not None:
            services.check_version_editable(version=version)
        return data


class CoefficientInline(admin.TabularInline):
    model = Coefficient
    form = FrozenWhenUsedForm
    extra = 0


class GridFactorInline(admin.TabularInline):
    model = GridFactor
    form = FrozenWhenUsedForm
    extra = 0


@admin.register(CoefficientVersion)
class CoefficientVersionAdmin(CatalogAdminMixin, admin.ModelAdmin):
    list_display = ["name", "standard", "year", "is_current", "created_at"]
    list_filter = ["is_current"]
    readonly_fields = ["is_current"]
    inlines = [CoefficientInline, GridFactorInline]
    actions = ["make_current", "copy_as_new"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("设为当前使用版本（已有数据不变）"))
    def make_current(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("请只选择一个版本。"), messages.ERROR)
            return
        try:
            services.coefficient_version_make_current(actor=request.user, version=queryset.get())
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, _("已设为当前版本；已发布和已录入的数据仍按原版本，重新折算需显式执行。"))

    @admin.action(description=_("复制为新版本（可修改系数）"))
    def copy_as_new(self, request, queryset):
        for version in queryset:
            try:
                new = services.coefficient_version_copy(
                    actor=request.user, version=version, name=f"{version.name}（副本）"
                )
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, joined(getattr(exc, "messages", [str(exc)])), messages.ERROR)
            else:
                self.message_user(request, _("已复制为“%(new)s”。") % {"new": new})


@admin.register(Coefficient)
class CoefficientAdmin(CatalogAdminMixin, admin.ModelAdmin):
    form = FrozenWhenUsedForm
    list_display = ["version", "energy_type", "kgce_per_unit", "kgco2_per_unit", "density"]
    list_filter = ["version", "energy_type"]
    list_select_related = ["version"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GridFactor)
class GridFactorAdmin(CatalogAdminMixin, admin.ModelAdmin):
    form = FrozenWhenUsedForm
    list_display = ["version", "year", "region", "kgco2_per_kwh"]
    list_filter = ["version", "year", "region"]
    list_select_related = ["version"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Quota)
class QuotaAdmin(CatalogAdminMixin, admin.ModelAdmin):
    list_display = ["category", "climate_zone", "indicator", "cap", "base", "guide", "source"]
    list_filter = ["category", "climate_zone", "indicator"]


@admin.register(Target)
class TargetAdmin(CatalogAdminMixin, admin.ModelAdmin):
    list_display = ["indicator", "reduction_pct", "baseline_year", "target_year", "source"]

    def has_delete_permission(self, request, obj=None):
        return False


class ProfileAdminForm(forms.ModelForm):
    class Meta:
        model = InstitutionProfile
        # The rest is derived (directory, office space) or a recorded correction: never typed.
        fields = ["org_unit", "year", "heated_area"]


@admin.register(InstitutionProfile)
class InstitutionProfileAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = ENERGY_READERS
    edit_roles = EDITORS
    form = ProfileAdminForm
    list_display = [
        "org_unit",
        "year",
        "category",
        "climate_zone",
        "building_area",
        "area_from_officespace",
        "energy_users",
    ]
    list_filter = ["year", "category", "climate_zone"]
    search_fields = ["org_unit__name", "org_unit__code"]
    list_select_related = ["org_unit"]
    raw_id_fields = ["org_unit"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Through the service: officespace area and directory headcount defaults, scope check."""
        data = {k: form.cleaned_data.get(k) for k in ProfileAdminForm.Meta.fields}
        obj.pk = services.save_profile(actor=request.user, **data).pk


@admin.register(ProfileCorrection)
class ProfileCorrectionAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Read-only: corrections are recorded on the institution's page (reason and document required)."""

    scope_roles = ENERGY_READERS
    list_display = ["org_unit", "year", "field", "derived_value", "value", "created_by", "created_at"]
    list_filter = ["year", "field"]
    list_select_related = ["org_unit", "created_by"]


@admin.register(ConsumptionRecord)
class ConsumptionRecordAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Read-only: records are entered on the month sheet, by import or the API (locks, derived fuel)."""

    scope_roles = ENERGY_READERS
    list_display = [
        "org_unit",
        "year",
        "month",
        "energy_type",
        "quantity",
        "unit",
        "cost",
        "collection",
        "source",
        "kgce",
        "kgco2",
        "coefficient_version",
    ]
    list_filter = ["year", "energy_type", "source", "collection", "coefficient_version"]
    search_fields = ["org_unit__name", "org_unit__code"]
    list_select_related = ["org_unit", "coefficient_version"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(CatalogAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "year", "quarter", "due_date"]
    list_filter = ["year"]


@admin.register(Submission)
class SubmissionAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Read-only: the status and timeline are the portal ticket's (统一待办)."""

    scope_roles = ENERGY_READERS
    list_display = ["org_unit", "period", "version", "ticket", "superseded", "acknowledged"]
    list_filter = ["period", "superseded"]
    search_fields = ["org_unit__name"]
    list_select_related = ["org_unit", "period", "ticket"]


@admin.register(Anomaly)
class AnomalyAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    scope_roles = ENERGY_READERS
    list_display = [
        "org_unit",
        "year",
        "month",
        "energy_type",
        "value",
        "robust_z",
        "same_month_change_pct",
        "reason",
        "is_resolved",
    ]
    list_filter = ["year", "energy_type", "is_resolved"]
    list_select_related = ["org_unit"]
