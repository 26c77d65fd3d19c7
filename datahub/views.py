"""Pages of the org directory and the home page. Reads go through selectors, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import exporters, jobs, personal_data, scoping, selectors, services
from .exports import export_response
from .forms import OrgUnitForm, PersonForm, RoleGrantForm, add_service_errors
from .models import AuditEntry, ExportJob, OrgUnit, User
from .navigation import sections_for
from .paging import page_of, query_without_page
from .params import as_id
from .roles import AUDIT_READERS, DIRECTORY_EDITORS
from .rules import PostLevel, Rank


@login_required
def home(request):
    check, findings = selectors.latest_directory_findings(request.user)
    return render(
        request,
        "datahub/home.html",
        {
            "totals": selectors.directory_totals(request.user),
            "sections": [(s, s.count(request.user) if s.count else None) for s in sections_for(request.user)],
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
        raise Http404("机构不存在。")
    return get_object_or_404(selectors.org_units_for(request.user), pk=pk)


@login_required
def unit_list(request):
    within = _visible_unit_or_404(request, request.GET["within"]) if request.GET.get("within") else None
    if request.GET.get("export") == "xlsx":
        return export_response(request, "units")
    qs = exporters.units_queryset(request.user, request.GET)
    page = page_of(request, qs)
    selectors.attach_headcounts(page.object_list)
    min_depth = min((u.depth for u in page), default=1)
    for unit in page:
        unit.indent = unit.depth - min_depth
    return render(
        request,
        "datahub/unit_list.html",
        {
            "page": page,
            "levels": OrgUnit.Level.choices,
            "kinds": OrgUnit.Kind.choices,
            "within": within,
            "query": query_without_page(request),
            "can_edit": scoping.holds_any(request.user, DIRECTORY_EDITORS),
        },
    )


@login_required
def unit_detail(request, pk):
    unit = _visible_unit_or_404(request, pk)
    children = list(OrgUnit.objects.get_children(unit))
    selectors.attach_headcounts(children)
    members = selectors.people_for(request.user).filter(org_unit=unit)
    view = personal_data.PersonView(request.user)
    shown_members = list(members[:200])
    _shown(request, shown_members, view)
    return render(
        request,
        "datahub/unit_detail.html",
        {
            "unit": unit,
            "ancestors": OrgUnit.objects.get_ancestors(unit),
            "children": children,
            "members": shown_members,
            "member_count": members.count(),
            "show_phone": "phone" in view.columns,
            "history": selectors.history_with_changes(unit),
            "can_edit": scoping.covers(request.user, unit, roles=DIRECTORY_EDITORS),
        },
    )


@login_required
def unit_create(request):
    parent = None
    if request.GET.get("parent"):
        parent = _visible_unit_or_404(request, request.GET["parent"])
    if parent is None and not request.user.is_superuser:
        raise PermissionDenied("请从上级机构页面新增下级机构。")
    if parent is not None and not scoping.covers(request.user, parent, roles=DIRECTORY_EDITORS):
        raise PermissionDenied("您没有管理该机构的权限。")
    form = OrgUnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not (k == "region_code" and not v)}
        try:
            unit = services.create_org_unit(actor=request.user, parent=parent, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已新增机构“{unit.name}”。")
            return redirect("unit-detail", pk=unit.pk)
    return render(request, "datahub/unit_form.html", {"form": form, "parent": parent})


@login_required
def unit_update(request, pk):
    unit = _visible_unit_or_404(request, pk)
    if not scoping.covers(request.user, unit, roles=DIRECTORY_EDITORS):
        raise PermissionDenied("您没有管理该机构的权限。")
    form = OrgUnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_org_unit(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "机构信息已保存。")
            return redirect("unit-detail", pk=unit.pk)
    return render(request, "datahub/unit_form.html", {"form": form, "unit": unit})


@login_required
def person_list(request):
    within = _visible_unit_or_404(request, request.GET["within"]) if request.GET.get("within") else None
    if request.GET.get("export") == "xlsx":
        return export_response(request, "people")
    qs = exporters.people_queryset(request.user, request.GET)
    page = page_of(request, qs)
    view = personal_data.PersonView(request.user)
    _shown(request, page.object_list, view)
    return render(
        request,
        "datahub/person_list.html",
        {
            "page": page,
            "show_phone": "phone" in view.columns,
            "within": within,
            "post_levels": PostLevel.choices,
            "ranks": Rank.choices,
            "query": query_without_page(request),
            "can_edit": scoping.holds_any(request.user, DIRECTORY_EDITORS),
        },
    )


def _visible_person_or_404(request, pk) -> User:
    if str(request.user.pk) == str(pk):
        return request.user
    return get_object_or_404(selectors.people_for(request.user, active=None), pk=pk)


@login_required
def person_detail(request, pk):
    person = _visible_person_or_404(request, pk)
    can_edit = scoping.covers(request.user, person.org_unit, roles=DIRECTORY_EDITORS)
    view = personal_data.PersonView(request.user)
    _shown(request, [person], view)
    return render(
        request,
        "datahub/person_detail.html",
        {
            "person": person,
            "fields": view.fields_for(person),
            "grants": selectors.role_grants_of(person),
            "grant_form": RoleGrantForm(actor=request.user) if can_edit else None,
            "history": selectors.history_with_changes(person),
            "can_edit": can_edit,
        },
    )


@login_required
def person_create(request):
    if not scoping.holds_any(request.user, DIRECTORY_EDITORS):
        raise PermissionDenied("您没有新增人员的权限。")
    form = PersonForm(request.POST or None, actor=request.user, initial={"org_unit": request.GET.get("unit")})
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_user(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, f"已新增人员“{person.name}”。")
            return redirect("person-detail", pk=person.pk)
    return render(request, "datahub/person_form.html", {"form": form})


@login_required
def person_update(request, pk):
    person = _visible_person_or_404(request, pk)
    if not scoping.covers(request.user, person.org_unit, roles=DIRECTORY_EDITORS):
        raise PermissionDenied("您没有管理该人员的权限。")
    form = PersonForm(request.POST or None, instance=person, actor=request.user)
    if request.method == "GET":  # the form shows the full values the editor may see: an audited read
        view = personal_data.PersonView(request.user)
        view.reveal(person, [f for f in personal_data.MASKED_FIELDS if f in form.fields and getattr(person, f)])
        services.record_personal_data_reads(actor=request.user, revealed=view.revealed, surface="page", request=request)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        password = data.pop("password") or None
        try:
            services.update_user(actor=request.user, user=person, password=password, **data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, "人员信息已保存。")
            return redirect("person-detail", pk=person.pk)
    return render(request, "datahub/person_form.html", {"form": form, "person": person})


@login_required
@require_POST
def person_roles(request, pk):
    person = _visible_person_or_404(request, pk)
    form = RoleGrantForm(request.POST, actor=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
        return redirect("person-detail", pk=person.pk)
    action = services.revoke_role if request.POST.get("action") == "revoke" else services.grant_role
    try:
        action(actor=request.user, user=person, role=form.cleaned_data["role"], unit=form.cleaned_data["unit"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "角色授权已更新。")
    return redirect("person-detail", pk=person.pk)


@login_required
def export_job(request, pk):
    """Progress of a background export; the page refreshes itself until the file is ready."""
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    return render(request, "datahub/export_job.html", {"job": job})


@login_required
@require_POST
def export_retry(request, pk):
    """The owner queues a failed export again (a worker died, or writing the file failed)."""
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    try:
        jobs.retry(user=request.user, job_id=job.pk)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已重新排队导出。")
    return redirect("export-job", pk=job.pk)


@login_required
def export_download(request, pk):
    job = get_object_or_404(ExportJob, pk=pk, user=request.user, status=ExportJob.Status.DONE)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


@login_required
def audit_log(request):
    """The audit trail for auditors (and superusers): search, filters, pagination, Excel export, scoped."""
    if not scoping.holds_any(request.user, AUDIT_READERS):
        raise PermissionDenied("只有审计员可以查看审计日志。")
    if request.GET.get("export") == "xlsx":
        return export_response(request, "audit")
    return render(
        request,
        "datahub/audit_log.html",
        {
            "page": page_of(request, exporters.audit_queryset(request.user, request.GET)),
            "kinds": AuditEntry.Kind.choices,
            "query": query_without_page(request),
        },
    )
