"""Admin for the 公物仓, scoped like every other list. Listings change only through the services
(the card's status must follow), so the admin edits the descriptive fields through
``services.update_listing``; the request details and the reuse ledger are read-only here."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from datahub.admin_mixins import ReadOnlyMixin, ScopedAdminMixin

from . import services
from .models import PoolListing, PoolRequest, Reuse
from .selectors import POOL_EDITORS, POOL_MANAGERS


class ListingAdminForm(forms.ModelForm):
    actor = None  # set by PoolListingAdmin.get_form: the store rules depend on who edits

    class Meta:
        model = PoolListing
        fields = list(services.LISTING_FIELDS)

    def clean(self):
        data = super().clean()
        errors = services.check_store(
            mode=data.get("mode"),
            store_room=data.get("store_room"),
            store_text=data.get("store_text"),
            actor=self.actor,
        )
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(PoolListing)
class PoolListingAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_roles = POOL_MANAGERS
    edit_roles = POOL_EDITORS
    form = ListingAdminForm
    list_display = ["pk", "asset", "org_unit", "mode", "condition", "status", "published_at"]
    list_filter = ["status", "mode", "condition"]
    search_fields = ["asset__asset_number", "asset__name", "description"]
    list_select_related = ["asset", "org_unit"]
    raw_id_fields = ["store_room"]

    def has_add_permission(self, request):
        return False  # published from the pool pages (the card's status changes with it)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        # Through the service (it locks the row and re-checks who may change it).
        services.update_listing(
            actor=request.user, listing=obj, **{f: form.cleaned_data.get(f) for f in services.LISTING_FIELDS}
        )


@admin.register(PoolRequest)
class PoolRequestAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    scope_roles = POOL_MANAGERS
    unit_field = "ticket__org_unit"
    list_display = ["ticket", "listing", "way", "return_date"]
    list_filter = ["way"]
    list_select_related = ["ticket", "listing__asset"]


@admin.register(Reuse)
class ReuseAdmin(ScopedAdminMixin, ReadOnlyMixin, SimpleHistoryAdmin):
    scope_roles = POOL_MANAGERS
    list_display = ["listing", "way", "from_unit", "org_unit", "original_value", "done_at", "due_date", "returned_at"]
    list_filter = ["way"]
    list_select_related = ["listing__asset", "from_unit", "org_unit"]
