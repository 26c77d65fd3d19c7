"""Pages of the org directory and the home page. Reads go through selectors, writes through services; lists,
forms and buttons are the generic views (datahub.generic_views)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import jobs, personal_data, scoping, selectors, services
from .exporters import audit_queryset, people_queryset, units_queryset
from .forms import OrgUnitForm, PersonForm, RoleGrantForm, SidePostEndForm, SidePostForm
from .generic_views import ObjectActionView, ObjectDetailView, ObjectFormView, ObjectListView
from .home import directory_totals
from .keyed import joined
from .models import AuditEntry, OrgUnit
from .navigation import count_once, counting, home_panels_for, section_counts
from .pages import UNIT_SEARCH_PARAM, unit_filter_scope
from .pages import unit_options as unit_options_for
from .params import as_id
from .roles import AUDIT_READERS, DIRECTORY_EDITORS, Role
from .rules import PostLevel, Rank

# Who is shown the directory's totals on the home page.
DIRECTORY_KEEPERS = (Role.BUREAU_ADMIN, Role.DATA_STEWARD, Role.AUDITOR)


@login_required
def home(request):
    """ "What do I need to do": the panels the apps register for the user's roles (my requests, the inbox,
    the leaders' entry), a domain administrator's queue and ledger health, then the sections. The directory
    totals are for those who keep the directory, not for every civil servant."""
    check, findings = selectors.latest_directory_findings(request.user)
    keeps_directory = scoping.holds_any(request.user, DIRECTORY_KEEPERS)
    with counting(request.user):  # a count on a card, a work line and a panel is asked once
        panels = home_panels_for(request.user)
        sections = section_counts(request.user)
        totals = count_once("datahub.directory_totals", directory_totals)(request.user) if keeps_directory else None
    return render(
        request,
        "datahub/home.html",
        {
            "panels": panels,
            "totals": totals,
            "sections": sections,
            "check": check,
            "findings": findings,
        },
    )


def _shown(request, people, view: personal_data.PersonView) -> None:
    """Attach what the viewer may see of each person's e-mail, phone and 身份证号, and audit the unmasked ones."""
    for person in people:
        person.shown = view.shown(person)
    services.record_personal_data_reads(actor=request.user, revealed=view.revealed, surface="page", request=request)


def _visible_unit_or_404(request, pk) -> OrgUnit:
    if not as_id(pk):  # ?within=abc is a unit that does not exist, not a server error
        raise Http404(_("机构不存在。"))
    return get_object_or_404(selectors.org_units_for(request.user), pk=pk)


class _DirectoryList(ObjectListView):
    """The directory's lists: ``?within=<id>`` narrows to a unit's subtree (404 outside the user's scope);
    the filters are read by the exporters' querysets, which the Excel export shares."""

    def prepare(self):
        super().prepare()
        within = self.request.GET.get("within")
        self.within = _visible_unit_or_404(self.request, within) if within else None

    def get_context_data(self, **kwargs):
        return {"within": self.within, "can_edit": scoping.holds_any(self.request.user, DIRECTORY_EDITORS)}


class UnitList(_DirectoryList):
    template_name = "datahub/unit_list.html"
    export_kind = "units"  # datahub.exporters

    def get_queryset(self):
        return units_queryset(self.request.user, self.request.GET)

    def on_page(self, page):
        selectors.attach_headcounts(page.object_list)
        min_depth = min((u.depth for u in page), default=1)
        for unit in page:
            unit.indent = unit.depth - min_depth

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(), "levels": OrgUnit.Level.choices, "kinds": OrgUnit.Kind.choices}


class PersonList(_DirectoryList):
    template_name = "datahub/person_list.html"
    export_kind = "people"  # datahub.exporters

    def get_queryset(self):
        # The unit column names a department with its agency (财政厅 › 办公室), read in the same query.
        return selectors.with_unit_parent_name(people_queryset(self.request.user, self.request.GET))

    def on_page(self, page):
        self.person_view = personal_data.PersonView(self.request.user)
        _shown(self.request, page.object_list, self.person_view)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(),
            "show_phone": "phone" in self.person_view.columns,
            "post_levels": PostLevel.choices,
            "ranks": Rank.choices,
        }


class AuditLog(ObjectListView):
    """The audit trail for auditors (and superusers): search, filters, pagination, Excel export, scoped."""

    template_name = "datahub/audit_log.html"
    export_kind = "audit"  # datahub.exporters

    def prepare(self):
        if not scoping.holds_any(self.request.user, AUDIT_READERS):
            raise PermissionDenied(_("只有审计员可以查看审计日志。"))
        super().prepare()

    def get_queryset(self):
        return audit_queryset(self.request.user, self.request.GET)

    def get_context_data(self, **kwargs):
        return {"kinds": AuditEntry.Kind.choices}


# --- Units -------------------------------------------------------------------------------------------


class _OnUnit:
    def get_scoped_queryset(self):
        return selectors.org_units_for(self.request.user)


class UnitDetail(_OnUnit, ObjectDetailView):
    template_name = "datahub/unit_detail.html"
    context_object_name = "unit"

    def get_context_data(self, **kwargs):
        unit, user = self.object, self.request.user
        ancestors, children = selectors.unit_neighbours(user, unit)
        members, member_count = selectors.unit_members(user, unit)
        view = personal_data.PersonView(user)
        _shown(self.request, members, view)
        return {
            "ancestors": ancestors,
            "children": children,
            "members": members,
            "member_count": member_count,
            "show_phone": "phone" in view.columns,
            "history": selectors.history_with_changes(unit),
            "can_edit": scoping.covers(user, unit, roles=DIRECTORY_EDITORS),
        }


class UnitCreate(ObjectFormView):
    """A new unit under ``?parent=<id>`` (only a superuser adds a root)."""

    form_class = OrgUnitForm
    title = _("新增机构")

    def check_permission(self, obj):
        parent_id = self.request.GET.get("parent")
        self.parent = _visible_unit_or_404(self.request, parent_id) if parent_id else None
        if self.parent is None and not self.request.user.is_superuser:
            raise PermissionDenied(_("请从上级机构页面新增下级机构。"))
        if self.parent is not None and not scoping.covers(self.request.user, self.parent, roles=DIRECTORY_EDITORS):
            raise PermissionDenied(_("您没有管理该机构的权限。"))

    def perform(self, form, obj):
        # An empty 区划代码 is inherited from the parent, so it is not passed on.
        data = {k: v for k, v in form.cleaned_data.items() if not (k == "region_code" and not v)}
        return services.create_org_unit(actor=self.request.user, parent=self.parent, **data)

    def get_success_message(self, unit):
        return _("已新增机构“%(name)s”。") % {"name": unit.name}

    def get_success_url(self, unit):
        return reverse("unit-detail", args=[unit.pk])

    def get_context_data(self, form):
        if self.parent is None:
            return {"cancel_url": reverse("unit-list")}
        return {
            "cancel_url": reverse("unit-detail", args=[self.parent.pk]),
            "heading_note": _("上级：%(name)s") % {"name": self.parent.name},
        }


class UnitUpdate(_OnUnit, ObjectFormView):
    form_class = OrgUnitForm
    title = _("编辑机构")
    success_message = _("机构信息已保存。")

    def check_permission(self, unit):
        if not scoping.covers(self.request.user, unit, roles=DIRECTORY_EDITORS):
            raise PermissionDenied(_("您没有管理该机构的权限。"))

    def perform(self, form, unit):
        services.update_org_unit(actor=self.request.user, unit=unit, **form.cleaned_data)
        return unit

    def get_success_url(self, unit):
        return reverse("unit-detail", args=[unit.pk])

    def get_context_data(self, form):
        return {
            "heading": _("编辑机构：%(name)s") % {"name": self.object.name},
            "cancel_url": reverse("unit-detail", args=[self.object.pk]),
        }


# --- People ------------------------------------------------------------------------------------------


class _OnPerson:
    """One person the user may see (themselves included, inactive people too); 404 otherwise."""

    def get_object(self):
        person = selectors.person_for(self.request.user, self.kwargs["pk"])
        if person is None:
            raise Http404(_("找不到该人员，或其不在您的管理范围内。"))
        return person


class PersonDetail(_OnPerson, ObjectDetailView):
    template_name = "datahub/person_detail.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        person, user = self.object, self.request.user
        can_edit = scoping.covers(user, person.org_unit, roles=DIRECTORY_EDITORS)
        view = personal_data.PersonView(user)
        _shown(self.request, [person], view)
        return {
            "fields": view.fields_for(person),
            "grants": selectors.role_grants_of(person),
            "grant_form": RoleGrantForm(actor=user) if can_edit else None,
            "side_posts": selectors.side_posts_of(person),
            "side_post_form": SidePostForm() if can_edit and person.is_active else None,
            "history": selectors.history_with_changes(person),
            "can_edit": can_edit,
        }


class PersonCreate(ObjectFormView):
    form_class = PersonForm
    form_takes_actor = True
    title = _("新增人员")

    def check_permission(self, obj):
        if not scoping.holds_any(self.request.user, DIRECTORY_EDITORS):
            raise PermissionDenied(_("您没有新增人员的权限。"))

    def get_initial(self):
        return {"org_unit": self.request.GET.get("unit")}

    def perform(self, form, obj):
        return services.create_user(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, person):
        return _("已新增人员“%(name)s”。") % {"name": person.name}

    def get_success_url(self, person):
        return reverse("person-detail", args=[person.pk])

    def get_context_data(self, form):
        return {"cancel_url": reverse("person-list")}


class PersonUpdate(_OnPerson, ObjectFormView):
    form_class = PersonForm
    form_takes_actor = True
    title = _("编辑人员")
    success_message = _("人员信息已保存。")

    def check_permission(self, person):
        if not scoping.covers(self.request.user, person.org_unit, roles=DIRECTORY_EDITORS):
            raise PermissionDenied(_("您没有管理该人员的权限。"))

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        # The form shows the full values the editor may see: an audited read.
        view = personal_data.PersonView(request.user)
        person = self.object
        view.reveal(person, [f for f in personal_data.MASKED_FIELDS if f in form.fields and getattr(person, f)])
        services.record_personal_data_reads(actor=request.user, revealed=view.revealed, surface="page", request=request)
        return self._page(form)

    def perform(self, form, person):
        data = dict(form.cleaned_data)
        password = data.pop("password") or None
        services.update_user(actor=self.request.user, user=person, password=password, **data)
        return person

    def get_success_url(self, person):
        return reverse("person-detail", args=[person.pk])

    def get_context_data(self, form):
        return {
            "heading": _("编辑人员：%(name)s") % {"name": self.object.name},
            "cancel_url": reverse("person-detail", args=[self.object.pk]),
        }


class PersonRoles(_OnPerson, ObjectActionView):
    """Grant (or, with ``action=revoke``, revoke) a role on a unit, from the person's page."""

    form_class = RoleGrantForm
    success_message = _("角色授权已更新。")

    def get_form(self):
        return RoleGrantForm(self.request.POST, actor=self.request.user)

    def perform(self, person, data):
        action = services.revoke_role if self.request.POST.get("action") == "revoke" else services.grant_role
        action(actor=self.request.user, user=person, role=data["role"], unit=data["unit"])

    def get_success_url(self, person):
        return reverse("person-detail", args=[person.pk])


class PersonSidePosts(_OnPerson, ObjectActionView):
    """登记 (or, with ``action=end``, 结束) a 兼职 post from the person's page: a directory change, which office
    space follows (the second office approved for an ended post falls due)."""

    success_message = _("兼职岗位已更新。")

    def _ending(self) -> bool:
        return self.request.POST.get("action") == "end"

    def get_form(self):
        if self._ending():
            return SidePostEndForm(self.request.POST, posts=selectors.side_posts_of(self.object, active_only=True))
        return SidePostForm(self.request.POST)

    form_class = SidePostForm  # the view has a form; get_form picks which

    def perform(self, person, data):
        if self._ending():
            services.end_side_post(actor=self.request.user, post=data["post"], ended_on=data["ended_on"])
        else:
            services.add_side_post(actor=self.request.user, person=person, **data)

    def get_success_url(self, person):
        return reverse("person-detail", args=[person.pk])


# --- Export jobs -------------------------------------------------------------------------------------


@login_required
def export_job(request, pk):
    """Progress of a background export; the page refreshes itself until the file is ready."""
    job = get_object_or_404(selectors.export_jobs_of(request.user), pk=pk)
    return render(request, "datahub/export_job.html", {"job": job})


@login_required
@require_POST
def export_retry(request, pk):
    """The owner queues a failed export again (a worker died, or writing the file failed)."""
    job = get_object_or_404(selectors.export_jobs_of(request.user), pk=pk)
    try:
        jobs.retry(user=request.user, job_id=job.pk)
    except ValidationError as exc:
        messages.error(request, joined(exc.messages))
    else:
        messages.success(request, _("已重新排队导出。"))
    return redirect("export-job", pk=job.pk)


@login_required
def export_download(request, pk):
    job = get_object_or_404(selectors.export_jobs_of(request.user, done=True), pk=pk)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


@login_required
def unit_options(request):
    """The options of a list's unit filter as its search box is typed in (HTMX): the units the token's
    roles let this user see, at its levels, matching ``?unit_q=``. A token not signed here lists nothing."""
    scope = unit_filter_scope(request.GET.get("scope", ""))
    roles, levels = scope or ((), ())
    query = request.GET.get(UNIT_SEARCH_PARAM, "").strip()[:50]
    units = unit_options_for(request.user, roles=roles, levels=levels, query=query) if scope else []
    return render(request, "datahub/unit_options.html", {"units": units})
