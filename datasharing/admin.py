from django.contrib import admin

from datahub.admin_mixins import ReadOnlyMixin, ScopedAdminMixin
from datahub.roles import Role

from .models import DataAccessRequest, DataCorrection


@admin.register(DataAccessRequest)
class DataAccessRequestAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Requests are filed and decided on the portal; the admin reads those of one's subtree."""

    scope_roles = (Role.DATA_STEWARD, Role.BUREAU_ADMIN)
    unit_field = "ticket__org_unit"
    list_display = ["ticket", "dataset", "application", "row_scope", "valid_from", "valid_to", "grant"]
    list_select_related = ["ticket", "dataset", "application", "grant"]


@admin.register(DataCorrection)
class DataCorrectionAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    """纠错 are filed and answered on the portal; the admin reads those filed in one's subtree."""

    scope_roles = (Role.DATA_STEWARD, Role.BUREAU_ADMIN)
    unit_field = "ticket__org_unit"
    list_display = ["ticket", "dataset", "item", "record", "result"]
    list_select_related = ["ticket", "dataset"]
