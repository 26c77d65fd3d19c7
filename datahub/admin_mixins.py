"""Admin-site scoping shared by every app: non-superusers see and change only rows in their subtree."""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path

from . import scoping


class ScopedAdminMixin:
    scope_roles: tuple[str, ...] = ()
    edit_roles: tuple[str, ...] | None = None
    unit_field = "org_unit"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return scoping.scope(qs, request.user, roles=self.scope_roles, unit_field=self.unit_field)

    def get_list_filter(self, request):
        # A plain related filter lists every row of the related table (another unit's rounds,
        # buildings, vehicles…); only the rows that the scoped list points at may be offered.
        return [self._scoped_filter(f) for f in super().get_list_filter(request)]

    def _scoped_filter(self, entry):
        if isinstance(entry, str) and get_fields_from_path(self.model, entry)[-1].is_relation:
            return (entry, admin.RelatedOnlyFieldListFilter)
        return entry

    def unit_of(self, obj):
        if not self.unit_field:
            return obj
        unit = obj
        for part in self.unit_field.split("__"):
            unit = getattr(unit, part, None)
        return unit

    def _may_edit(self, request, obj) -> bool:
        return obj is None or scoping.covers(request.user, self.unit_of(obj), roles=self.edit_roles or self.scope_roles)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)
