"""Admin for the vehicle ledger and tables, scoped like every other list.

Vehicles and drivers are written through the services (plate, VIN, caps, quota, licence rules); cost
records are added through the service; dispatches, disposals and trip details are read-only here
(they change through the dispatch board and the tickets). Caps and quotas are bureau data.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from datahub.admin_mixins import CatalogAdminMixin, ReadOnlyMixin, ScopedAdminMixin
from datahub.roles import Role

from . import services
from .models import (
    CostRecord,
    Dispatch,
    Disposal,
    Driver,
    PurchaseCap,
    PurchaseCapVersion,
    QuotaChange,
    TripRequest,
    Vehicle,
    VehiclePhoto,
    VehicleQuota,
)
from .selectors import FLEET_EDITORS, FLEET_READERS

BUREAU = (Role.BUREAU_ADMIN,)


class NoDeleteMixin:
    def has_delete_permission(self, request, obj=None):
        return False


class VehicleAdminForm(forms.ModelForm):
    # A new vehicle brings its asset card (booked from these, or the card numbered asset_number).
    purchase_price = forms.DecimalField(label=_("购置价格（元）"), required=False, max_digits=12, decimal_places=2)
    purchase_date = forms.DateField(label=_("购置日期"), required=False)
    asset_number = forms.CharField(label=_("已有资产卡片编号"), required=False, max_length=40)

    class Meta:
        model = Vehicle
        fields = list(services.VEHICLE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # afterwards the card's, changed in the assets app
            for name in services.CARD_FIELDS:
                self.fields.pop(name, None)

    def _post_clean(self):
        super()._post_clean()
        try:
            # The caps need the card's price: a new vehicle is checked whole by register_vehicle on save.
            services.check_vehicle(vehicle=self.instance, new_purchase=False)
        except ValidationError as exc:
            self._update_errors(exc)


@admin.register(Vehicle)
class VehicleAdmin(ScopedAdminMixin, NoDeleteMixin, admin.ModelAdmin):
    scope_roles = FLEET_READERS
    edit_roles = FLEET_EDITORS
    form = VehicleAdminForm
    list_display = ["plate", "category", "org_unit", "brand", "model_name", "energy_type", "asset", "status"]
    list_filter = ["category", "energy_type", "status"]
    search_fields = ["plate", "vin", "brand", "model_name"]
    list_select_related = ["org_unit", "asset"]
    raw_id_fields = ["org_unit"]

    def save_model(self, request, obj, form, change):
        """Through the service: it checks the actor covers the (new) unit, in one transaction."""
        data = {f: form.cleaned_data[f] for f in services.VEHICLE_FIELDS if f in form.cleaned_data}
        if change:
            services.update_vehicle(actor=request.user, vehicle=obj, fields=data)
        else:
            card = {f: form.cleaned_data.get(f) for f in services.CARD_FIELDS}
            obj.pk = services.register_vehicle(actor=request.user, fields={**data, **card}).pk


@admin.register(VehiclePhoto)
class VehiclePhotoAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_roles = FLEET_READERS
    edit_roles = FLEET_EDITORS
    unit_field = "vehicle__org_unit"
    list_display = ["vehicle", "caption", "uploaded_at"]
    list_select_related = ["vehicle"]
    raw_id_fields = ["vehicle"]


@admin.register(Driver)
class DriverAdmin(ScopedAdminMixin, NoDeleteMixin, admin.ModelAdmin):
    scope_roles = FLEET_READERS
    edit_roles = FLEET_EDITORS
    list_display = ["person", "org_unit", "licence_class", "licence_expires", "status"]
    list_filter = ["licence_class", "status"]
    search_fields = ["person__name", "person__username"]
    list_select_related = ["person", "org_unit"]
    raw_id_fields = ["person", "org_unit"]

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in services.DRIVER_FIELDS if f in form.cleaned_data}
        obj.pk = services.save_driver(actor=request.user, fields=data, driver=obj if change else None).pk


@admin.register(CostRecord)
class CostRecordAdmin(ScopedAdminMixin, NoDeleteMixin, admin.ModelAdmin):
    scope_roles = FLEET_READERS
    edit_roles = FLEET_EDITORS
    unit_field = "vehicle__org_unit"
    list_display = ["date", "vehicle", "kind", "amount", "fuel", "quantity", "valid_until"]
    list_filter = ["kind", "fuel"]
    search_fields = ["vehicle__plate", "supplier", "items"]
    list_select_related = ["vehicle"]
    raw_id_fields = ["vehicle"]
    fields = ["vehicle", *services.RECORD_FIELDS]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)  # records are added, not edited

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in services.RECORD_FIELDS if f in form.cleaned_data}
        obj.pk = services.add_record(actor=request.user, vehicle=form.cleaned_data["vehicle"], fields=data).pk


@admin.register(Dispatch)
class DispatchAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    scope_roles = FLEET_READERS
    unit_field = "vehicle__org_unit"
    list_display = ["starts_at", "ends_at", "vehicle", "driver", "ticket", "status", "distance_km"]
    list_filter = ["status"]
    search_fields = ["vehicle__plate"]
    list_select_related = ["vehicle", "driver__person", "ticket"]


@admin.register(Disposal)
class DisposalAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    scope_roles = FLEET_READERS
    unit_field = "vehicle__org_unit"
    list_display = ["date", "vehicle", "method", "proceeds", "document"]
    list_filter = ["method"]
    list_select_related = ["vehicle"]


@admin.register(TripRequest)
class TripRequestAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Read-only: a request's detail changes only through its ticket in the portal."""

    scope_roles = FLEET_READERS
    unit_field = "ticket__org_unit"
    list_display = ["ticket", "starts_at", "ends_at", "destinations", "passengers", "emergency", "out_of_city"]
    list_filter = ["emergency", "out_of_city", "category"]
    list_select_related = ["ticket"]


@admin.register(VehicleQuota)
class VehicleQuotaAdmin(ScopedAdminMixin, NoDeleteMixin, admin.ModelAdmin):
    scope_roles = FLEET_READERS
    edit_roles = BUREAU
    list_display = ["org_unit", "category", "quota", "document"]
    list_filter = ["category"]
    list_select_related = ["org_unit"]
    raw_id_fields = ["org_unit"]

    def save_model(self, request, obj, form, change):
        obj.pk = services.quota_set(
            actor=request.user, unit=obj.org_unit, category=obj.category, quota=obj.quota, document=obj.document
        ).pk


@admin.register(QuotaChange)
class QuotaChangeAdmin(ScopedAdminMixin, NoDeleteMixin, admin.ModelAdmin):
    """Approved changes are recorded through the service (reason and document required); never edited."""

    scope_roles = FLEET_READERS
    edit_roles = BUREAU
    list_display = ["created_at", "org_unit", "category", "delta", "approved", "document"]
    list_select_related = ["org_unit"]
    raw_id_fields = ["org_unit"]
    fields = ["org_unit", "category", "delta", "reason", "document"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.pk = services.quota_change_approve(
            actor=request.user,
            unit=obj.org_unit,
            category=obj.category,
            delta=obj.delta,
            reason=obj.reason,
            document=obj.document,
        ).pk


@admin.register(PurchaseCapVersion)
class PurchaseCapVersionAdmin(CatalogAdminMixin, NoDeleteMixin, admin.ModelAdmin):
    list_display = ["code", "title", "effective_from"]


@admin.register(PurchaseCap)
class PurchaseCapAdmin(CatalogAdminMixin, NoDeleteMixin, admin.ModelAdmin):
    list_display = ["version", "category", "nev_only", "max_price", "max_displacement", "label"]
    list_filter = ["version", "category"]
