from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import scoping, selectors, services
from .admin_mixins import AppendOnlyAdminMixin, CatalogAdminMixin, ScopedAdminMixin
from .auth import services as auth_services
from .models import ApiToken, AuditEntry, DirectoryCheck, OrgUnit, OrgUnitUserPermission, User
from .roles import DIRECTORY_EDITORS, DIRECTORY_READERS, PEOPLE_READERS


class OrgUnitAdminForm(ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["code", "name", "level", "kind", "uscc", "region_code", "staffing_quota", "is_active"]

    def _post_clean(self):
        super()._post_clean()
        if self.instance.pk:
            try:
                services.check_org_unit_shape(unit=self.instance, parent=OrgUnit.objects.get_parent(self.instance))
            except ValidationError as exc:
                self._update_errors(exc)


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = OrgUnitAdminForm
    scope_roles = DIRECTORY_READERS
    edit_roles = DIRECTORY_EDITORS
    unit_field = ""
    list_display = ["name", "code", "level", "kind", "uscc", "region_code", "staffing_quota", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["name", "code", "uscc"]
    ordering = ["path"]

    def has_add_permission(self, request):
        # A new unit needs its place in the tree: add it from its parent's page in the directory.
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            # Compared with the stored row, not the form's initial values: a revert from the history form
            # starts from the old version, so its "unchanged" fields are exactly what must be written back.
            current = OrgUnit.objects.get(pk=obj.pk)
            changed = {f: v for f, v in form.cleaned_data.items() if getattr(current, f) != v}
            services.update_org_unit(actor=request.user, unit=current, **changed)
        else:
            services.create_org_unit(actor=request.user, parent=None, **form.cleaned_data)


@admin.register(User)
class UserAdmin(ScopedAdminMixin, SimpleHistoryAdmin, DjangoUserAdmin):
    scope_roles = PEOPLE_READERS
    edit_roles = DIRECTORY_EDITORS
    personal_fields = ("email", "phone", "id_number")
    list_display = ["username", "name", "org_unit", "post_level", "rank", "is_main_post", "is_active"]
    list_filter = ["post_level", "rank", "is_main_post", "is_active", "is_staff"]
    search_fields = ["username", "name", "job_title", "phone"]
    list_select_related = ["org_unit"]
    ordering = ["username"]
    autocomplete_fields = ["org_unit"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("name", "email", "phone", "id_number")}),
        (_("任职"), {"fields": ("org_unit", "post_level", "rank", "is_main_post", "job_title", "staffing_seats")}),
        (_("偏好"), {"fields": ("language",)}),
        (_("状态"), {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "org_unit", "password1", "password2")}),
    )
    readonly_fields = ["is_staff", "last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("is_superuser")
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "org_unit" in form.base_fields:
            form.base_fields["org_unit"].queryset = scoping.visible_units(request.user, roles=DIRECTORY_EDITORS)
        return form

    def has_add_permission(self, request):
        return super().has_add_permission(request) and scoping.holds_any(request.user, DIRECTORY_EDITORS)


@admin.register(OrgUnitUserPermission)
class RoleGrantAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Read-only here: grants are made on a person's page, which keeps groups and is_staff in step."""

    scope_roles = DIRECTORY_EDITORS
    unit_field = "content_object"
    list_display = ["user", "permission", "content_object"]
    list_select_related = ["user", "permission", "content_object"]
    search_fields = ["user__username", "user__name", "content_object__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DirectoryCheck)
class DirectoryCheckAdmin(CatalogAdminMixin, admin.ModelAdmin):
    list_display = ["ran_at", "units_checked", "finding_count"]
    readonly_fields = ["ran_at", "units_checked", "findings"]

    @admin.display(description=_("问题数"))
    def finding_count(self, obj):
        return len(obj.findings)

    # Findings span every unit, so the raw runs are for superusers; bureau administrators
    # see the findings of their own subtree on the home page.
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail: auditors read the entries of their subtree; nobody adds, changes or deletes one here."""

    list_display = ["at", "kind", "actor_username", "subject_name", "fields", "surface", "ip"]
    list_filter = ["kind", "surface"]
    search_fields = ["actor_username", "subject_name", "ip"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def get_queryset(self, request):
        return selectors.audit_entries_for(request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Tokens of the people in one's subtree: who holds one, until when; revoke is the only change."""

    scope_roles = DIRECTORY_EDITORS
    unit_field = "user__org_unit"
    list_display = ["prefix", "user", "created_at", "expires_at", "last_used_at", "revoked_at", "revoked_by"]
    list_select_related = ["user", "revoked_by"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["user__username", "user__name", "prefix"]
    readonly_fields = list_display
    fields = list_display
    actions = ["revoke"]

    @admin.action(description=_("吊销所选API令牌"))
    def revoke(self, request, queryset):
        revoked = 0
        for api_token in queryset.select_related("user__org_unit"):
            revoked += auth_services.revoke_api_token(actor=request.user, api_token=api_token)
        self.message_user(
            request, _("已吊销 %(revoked)s 个令牌（已过期或已吊销的不计）。") % {"revoked": revoked}, messages.SUCCESS
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from .catalog import admin as catalog_admin  # noqa: E402,F401  (registers the catalog's admin pages)
from .oidc import admin as _oidc_admin  # noqa: E402,F401  (registered systems; replaces the toolkit's pages)
