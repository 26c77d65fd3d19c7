"""A URLconf of pages built only from datahub's generic views, over the directory's own rows, so the tests
of the generic views depend on no domain app."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse

from config.urls import urlpatterns as platform_urls
from datahub import scoping, selectors, services
from datahub.forms import OrgUnitForm
from datahub.generic_views import Column, Date, Flag, Id, Int, ObjectActionView, ObjectFormView, ObjectListView, Search
from datahub.pages import PageScope
from datahub.roles import DIRECTORY_EDITORS, DIRECTORY_READERS, PEOPLE_READERS

PAGES = PageScope(readers=PEOPLE_READERS, subject="人员名录")


class PeopleList(ObjectListView):
    pages = PAGES
    template_name = "generic_test/list.html"
    unit_filter = True
    page_size = 2
    filters = {
        "q": Search(),
        "since": Date(),
        "year": Int(1900, 2100),
        "manager": Id(),
        "inactive": Flag(),
    }
    export_filename = "人员.xlsx"
    export_columns = (Column("用户名", "username"), Column("姓名", "name"), Column("单位", "org_unit.name"))

    def get_queryset(self):
        f = self.filter_values
        return selectors.people_for(
            self.request.user, search=f["q"], unit=self.unit, active=None if f["inactive"] else True
        ).order_by("username")


class UnitEdit(ObjectFormView):
    form_class = OrgUnitForm
    title = "机构"
    success_message = "机构信息已保存。"

    def get_scoped_queryset(self):
        return scoping.visible_units(self.request.user, roles=DIRECTORY_READERS)

    def check_permission(self, unit):
        if not scoping.covers(self.request.user, unit, roles=DIRECTORY_EDITORS):
            raise PermissionDenied("您没有管理该机构的权限。")

    def perform(self, form, unit):
        return services.update_org_unit(actor=self.request.user, unit=unit, **form.cleaned_data)

    def get_success_url(self, unit):
        return reverse("unit-edit", args=[unit.pk])

    def get_context_data(self, form):
        return {"cancel_url": "/"}


class UnitRename(ObjectActionView):
    success_message = "已改名。"

    def get_scoped_queryset(self):
        return scoping.visible_units(self.request.user, roles=DIRECTORY_READERS)

    def perform(self, unit, data):
        fields = {f: getattr(unit, f) for f in OrgUnitForm.Meta.fields}
        services.update_org_unit(actor=self.request.user, unit=unit, **{**fields, "name": self.request.POST["name"]})

    def get_success_url(self, unit):
        return reverse("unit-edit", args=[unit.pk])


urlpatterns = [
    path("people/", PeopleList.as_view(), name="people"),
    path("units/<id:pk>/", UnitEdit.as_view(), name="unit-edit"),
    path("units/<id:pk>/rename/", UnitRename.as_view(), name="unit-rename"),
    # The platform's own pages (sign-in, the export job pages) after them.
    *platform_urls,
]
