"""Admin-site rules shared by every app's admin classes.

Every ModelAdmin of the platform is either ``ScopedAdminMixin`` (rows that belong to a unit: a non-superuser
sees and changes only rows in their subtree) or ``CatalogAdminMixin`` (reference data shared by every unit —
code lists, standards, calendars — where the model permissions alone decide). Both carry the rules of
``_ObjectPagesMixin``, which close what django-simple-history's pages leave open (``ReadOnlyMixin`` on top
makes a list read-only; ``AppendOnlyAdminMixin`` is that for audit trails):

- an object is readable only if the change list would list it: its change, delete, history and history-form
  pages answer 404 otherwise (simple_history looks the object up in the history table, unscoped);
- reverting from the history form (a POST) needs the change permission on the current object *and* on the
  version being restored (simple_history lets a view-only user revert);
- personal data (``personal_fields``) is masked in the change form, the history diffs and the history form
  unless the viewer holds the full-view permission, and every unmasked display is audited.
"""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from . import personal_data, scoping, services
from .params import as_id


class _ObjectPagesMixin:
    # Model fields holding personal data (see datahub.personal_data.MASKED_FIELDS).
    personal_fields: tuple[str, ...] = ()

    # --- object-level access -----------------------------------------------------------
    def _scoped_object(self, request, object_id):
        """The object if the change list would show it to this user, else 404."""
        pk_field = self.model._meta.pk
        raw = unquote(str(object_id))
        if isinstance(pk_field.target_field if pk_field.is_relation else pk_field, models.IntegerField):
            pk = as_id(raw)  # "abc" or a number past the column's range is an object that does not exist
        else:
            try:
                pk = pk_field.to_python(raw)
            except ValidationError:
                pk = None
        if not pk:
            raise Http404(_("对象不存在。"))
        obj = self.get_queryset(request).filter(pk=pk).first()
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404(_("对象不存在或不在您的授权范围内。"))
        return obj

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is not None:
            obj = self._scoped_object(request, object_id)
            self._audit_form_read(request, obj)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._scoped_object(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        obj = self._scoped_object(request, object_id)
        request._admin_person_view = personal_data.PersonView(request.user)
        response = super().history_view(request, object_id, extra_context)
        self._flush_audit(request, request._admin_person_view, obj)
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self._scoped_object(request, object_id)
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        version = as_id(version_id)
        record = history.filter(**{self.model._meta.pk.attname: current.pk, "history_id": version}).first()
        if record is None:
            raise Http404(_("该历史版本不存在。"))
        if request.method == "POST" and not (
            self.has_change_permission(request, current) and self.has_change_permission(request, record.instance)
        ):
            raise PermissionDenied(_("恢复历史版本需要对该对象的修改权限。"))
        self._audit_form_read(request, record.instance)
        return super().history_form_view(request, object_id, version, extra_context)

    def revert_disabled(self, request, obj=None):
        return not self.has_change_permission(request, obj)

    # --- personal data -------------------------------------------------------------------
    def _stand_ins(self, request, obj) -> dict[str, str | None]:
        """personal field → what the form shows instead: a masked read-only stand-in, or None (withheld)."""
        if not self.personal_fields or obj is None:
            return {}
        view = personal_data.PersonView(request.user)
        allowed = view.fields_for(obj)
        return {
            f: (f"masked_{f}" if f in allowed else None)
            for f in self.personal_fields
            if f not in allowed or (f in personal_data.MASKED_FIELDS and not view.unmasks(f, obj))
        }

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        stand_ins = self._stand_ins(request, obj)
        if not stand_ins:
            return fieldsets
        shown = []
        for name, opts in fieldsets:
            fields = tuple(stand_ins.get(f, f) for f in opts["fields"] if stand_ins.get(f, f))
            if fields:
                shown.append((name, {**opts, "fields": fields}))
        return shown

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + [f for f in self._stand_ins(request, obj).values() if f and f not in fields]

    @admin.display(description=_("身份证号"))
    def masked_id_number(self, obj):
        return personal_data.mask("id_number", obj.id_number)

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj):
        return personal_data.mask("phone", obj.phone)

    def get_search_fields(self, request):
        # Searching by a number you may not see would reveal it one digit at a time.
        fields = list(super().get_search_fields(request))
        view = personal_data.PersonView(request.user)
        return [f for f in fields if f not in personal_data.MASKED_FIELDS or view.unmasks(f)]

    def _audit_form_read(self, request, obj) -> None:
        if not self.personal_fields or request.method != "GET":
            return
        view = personal_data.PersonView(request.user)
        allowed = view.fields_for(obj)
        view.reveal(obj, [f for f in self.personal_fields if f in allowed and view.unmasks(f) and getattr(obj, f)])
        self._flush_audit(request, view, obj)

    def _flush_audit(self, request, view, obj) -> None:
        if view.revealed:
            services.record_personal_data_reads(
                actor=request.user, revealed=view.revealed, surface="admin", request=request
            )

    def get_historical_record_context_helper(self, request, historical_record):
        helper = super().get_historical_record_context_helper(request, historical_record)
        if not self.personal_fields:
            return helper
        admin, view = self, getattr(request, "_admin_person_view", None) or personal_data.PersonView(request.user)

        class MaskingHelper(type(helper)):
            def prepare_delta_change_value(self, change, value):
                value = super().prepare_delta_change_value(change, value)
                if change.field not in admin.personal_fields or not value:
                    return value
                person = self.record.instance
                allowed = view.fields_for(person)
                if change.field not in allowed:
                    return _("（无权查看）")
                if not view.unmasks(change.field, person):
                    return personal_data.mask(change.field, value)
                view.reveal(person, [change.field])
                return value

        return MaskingHelper(self.model, historical_record)


class ScopedAdminMixin(_ObjectPagesMixin):
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


class CatalogAdminMixin(_ObjectPagesMixin):
    """Reference data shared by every unit (no unit to scope by): model permissions decide who reads and
    changes it; the object pages still follow the rules above (revert needs the change permission)."""


class ReadOnlyMixin:
    """Rows that only a service writes (requests, ledgers, computed results): the admin shows them to everybody
    who may read them, superusers included, but adds, changes and deletes nothing — going round the service
    would skip its rules and its audit trail. Combine with ``ScopedAdminMixin`` or ``CatalogAdminMixin``."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AppendOnlyAdminMixin(ReadOnlyMixin, _ObjectPagesMixin):
    """An audit trail in the admin: read-only for everybody, superusers included, and no bulk actions either."""

    def get_actions(self, request):
        return {}
