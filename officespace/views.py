"""Office-space pages. Reads go through selectors (scoped), writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from datahub import scoping
from datahub.exports import xlsx_response
from datahub.forms import add_service_errors
from datahub.import_views import upload_page
from datahub.pages import PageScope
from datahub.paging import page_of, query_without_page
from datahub.params import as_id

from . import imports, rules, selectors, services
from .forms import BuildingForm, EndOccupancyForm, FloorForm, HandleForm, OccupancyForm, PostEndForm, RoomForm
from .models import Assessment, Building, Floor, Occupancy, Room, RoomCategory

PAGES = PageScope(readers=selectors.SPACE_READERS, subject="办公用房台账")


def _can_edit(request, unit) -> bool:
    return scoping.covers(request.user, unit, roles=services.SPACE_EDITORS)


def _service_error(request, exc) -> None:
    messages.error(request, "；".join(exc.messages if isinstance(exc, ValidationError) else [str(exc)]))


@login_required
def home(request):
    PAGES.require_reader(request)
    stats = selectors.statistics(request.user)
    _, total = selectors.unit_report(request.user)
    return render(request, "officespace/home.html", {"stats": stats, "total": total})


# --- Buildings ---------------------------------------------------------------------------------


@login_required
def building_list(request):
    PAGES.require_reader(request)
    unit = PAGES.within(request)
    qs = selectors.buildings_for(
        request.user,
        search=request.GET.get("q", "").strip(),
        unit=unit,
        title_status=request.GET.get("title", ""),
    )
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                b.code,
                b.name,
                b.address,
                b.org_unit.name,
                b.get_title_status_display(),
                b.title_holder,
                b.title_reason,
                b.certificate_no,
                b.year_built,
                b.get_structure_display(),
                b.building_area,
                b.use_area,
                "在用" if b.is_active else "停用",
            )
            for b in qs.iterator(chunk_size=2000)
        )
        headers = [
            "楼宇编码",
            "名称",
            "地址",
            "使用单位",
            "权属",
            "权利人",
            "备案原因",
            "不动产权证号",
            "建成年份",
            "结构",
        ]
        return xlsx_response("楼宇台账.xlsx", [*headers, "总建筑面积", "总使用面积", "状态"], rows)
    return render(
        request,
        "officespace/building_list.html",
        {
            "page": page_of(request, qs),
            "units": PAGES.units(request),
            "unit": unit,
            "titles": Building.Title.choices,
            "query": query_without_page(request),
            "can_add": scoping.holds_any(request.user, services.SPACE_EDITORS),
        },
    )


def _building_or_404(request, pk) -> Building:
    return get_object_or_404(selectors.buildings_for(request.user), pk=pk)


@login_required
def building_detail(request, pk):
    building = _building_or_404(request, pk)
    rooms = selectors.rooms_for(request.user, building=building, active=None)
    can_edit = _can_edit(request, building.org_unit)
    floor_form = FloorForm(request.POST or None) if can_edit else None
    if request.method == "POST" and can_edit and floor_form.is_valid():
        try:
            services.create_floor(actor=request.user, building=building, **floor_form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(floor_form, exc)
        else:
            messages.success(request, "已新增楼层。")
            return redirect("officespace:building-detail", pk=building.pk)
    return render(
        request,
        "officespace/building_detail.html",
        {
            "building": building,
            "floors": building.floors.all(),
            "page": page_of(request, rooms),
            "query": query_without_page(request),
            "can_edit": can_edit,
            "floor_form": floor_form,
            "history": building.history.select_related("history_user")[:10],
        },
    )


@login_required
def building_form(request, pk=None):
    building = _building_or_404(request, pk) if pk else None
    if building is not None and not _can_edit(request, building.org_unit):
        raise PermissionDenied("您没有管理该楼宇的权限。")
    if building is None and not scoping.holds_any(request.user, services.SPACE_EDITORS):
        raise PermissionDenied("您没有新增楼宇的权限。")
    form = BuildingForm(request.POST or None, instance=building, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if building is None:
                building = services.create_building(actor=request.user, **form.cleaned_data)
            else:
                services.update_building(actor=request.user, building=building, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, "楼宇信息已保存。")
            return redirect("officespace:building-detail", pk=building.pk)
    return render(request, "officespace/form.html", {"form": form, "title": "楼宇", "object": building})


# --- Rooms -------------------------------------------------------------------------------------


@login_required
def room_list(request):
    PAGES.require_reader(request)
    unit = PAGES.within(request)
    vacant = {"1": True, "0": False}.get(request.GET.get("vacant", ""))
    qs = selectors.rooms_for(
        request.user,
        search=request.GET.get("q", "").strip(),
        unit=unit,
        category=request.GET.get("category", ""),
        vacant=vacant,
    )
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                r.building.name,
                r.floor.number,
                r.number,
                r.get_category_display(),
                r.get_subtype_display() if r.subtype else "",
                r.use_area,
                r.org_unit.name,
                r.occupants,
                r.note,
            )
            for r in qs.iterator(chunk_size=2000)
        )
        headers = ["楼宇", "楼层", "房间号", "用房类型", "细分用途", "使用面积", "分配单位", "在用人数", "备注"]
        return xlsx_response("房间台账.xlsx", headers, rows)
    return render(
        request,
        "officespace/room_list.html",
        {
            "page": page_of(request, qs),
            "units": PAGES.units(request),
            "unit": unit,
            "categories": RoomCategory.choices,
            "query": query_without_page(request),
            "can_import": scoping.holds_any(request.user, services.SPACE_EDITORS),
        },
    )


def _room_or_404(request, pk) -> Room:
    return get_object_or_404(selectors.rooms_for(request.user, active=None), pk=pk)


@login_required
def room_detail(request, pk):
    room = _room_or_404(request, pk)
    can_edit = _can_edit(request, room.org_unit)
    return render(
        request,
        "officespace/room_detail.html",
        {
            "room": room,
            "current": selectors.current_occupancies(room),
            "history": selectors.occupancy_history(room)[:50],
            "repairs": selectors.repair_history(room)[:50],
            "can_edit": can_edit,
            "seat_form": OccupancyForm(actor=request.user) if can_edit else None,
            "end_form": EndOccupancyForm() if can_edit else None,
            "post_end_form": PostEndForm() if can_edit else None,
        },
    )


@login_required
def room_form(request, pk=None):
    room = _room_or_404(request, pk) if pk else None
    floor = None
    if room is None:
        pk = as_id(request.GET.get("floor"))
        if not pk:
            raise Http404("请从楼层页面新增房间。")
        floor = get_object_or_404(Floor.objects.select_related("building__org_unit"), pk=pk)
        if not _can_edit(request, floor.building.org_unit):
            raise PermissionDenied("您没有管理该楼宇的权限。")
    elif not _can_edit(request, room.org_unit):
        raise PermissionDenied("您没有管理该房间的权限。")
    initial = {"org_unit": floor.building.org_unit_id} if floor else None
    form = RoomForm(request.POST or None, instance=room, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if room is None:
                room = services.create_room(actor=request.user, floor=floor, **form.cleaned_data)
            else:
                services.update_room(actor=request.user, room=room, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, "房间信息已保存。")
            return redirect("officespace:room-detail", pk=room.pk)
    return render(request, "officespace/form.html", {"form": form, "title": "房间", "object": room, "floor": floor})


@login_required
def room_seat(request, pk):
    room = _room_or_404(request, pk)
    if request.method != "POST":
        return redirect("officespace:room-detail", pk=room.pk)
    form = OccupancyForm(request.POST, actor=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
        return redirect("officespace:room-detail", pk=room.pk)
    try:
        services.assign_occupancy(actor=request.user, room=room, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        _service_error(request, exc)
    else:
        messages.success(request, "已安排办公室，超标准核查已更新。")
    return redirect("officespace:room-detail", pk=room.pk)


def _occupancy_or_404(request, pk) -> Occupancy:
    return get_object_or_404(selectors.occupancies_for(request.user, current=None), pk=pk)


@login_required
def occupancy_end(request, pk):
    occupancy = _occupancy_or_404(request, pk)
    if request.method == "POST":
        form = EndOccupancyForm(request.POST)
        if form.is_valid():
            try:
                services.end_occupancy(actor=request.user, occupancy=occupancy, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                _service_error(request, exc)
            else:
                messages.success(request, "已结束使用（收回/调整）。")
        else:
            messages.error(request, "请填写结束日期。")
    return redirect("officespace:room-detail", pk=occupancy.room_id)


@login_required
def occupancy_post_end(request, pk):
    occupancy = _occupancy_or_404(request, pk)
    if request.method == "POST":
        form = PostEndForm(request.POST)
        if form.is_valid():
            try:
                services.record_post_end(actor=request.user, occupancy=occupancy, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                _service_error(request, exc)
            else:
                messages.success(request, "已登记离岗，到期未腾退将提示。")
        else:
            messages.error(request, "请填写日期和原因。")
    return redirect("officespace:room-detail", pk=occupancy.room_id)


@login_required
def room_import(request):
    return upload_page(request, imports.RoomImporter.kind, "officespace/room_import.html")


# --- Over-standard report --------------------------------------------------------------------------


@login_required
def over_standard(request):
    PAGES.require_reader(request)
    unit = PAGES.within(request)
    leaders = {"1": True, "0": False}.get(request.GET.get("leaders", ""))
    qs = selectors.assessments_for(
        request.user,
        unit=unit,
        problems_only=request.GET.get("all") != "1",
        status=request.GET.get("status", ""),
        flag=request.GET.get("flag", ""),
        leaders=leaders,
        search=request.GET.get("q", "").strip(),
    )
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                a.person.name,
                a.org_unit.name,
                a.get_grade_display(),
                "领导" if a.is_leader else "工作人员",
                str(a.room),
                a.occupants,
                a.standard,
                a.share,
                a.excess,
                a.get_flag_display() if a.flag else "",
                a.return_due,
                a.get_status_display(),
                a.get_remedy_display() if a.remedy else "",
                a.reason,
            )
            for a in qs.iterator(chunk_size=2000)
        )
        headers = ["姓名", "单位", "标准层次", "类别", "房间", "同室人数", "标准面积", "实际分摊面积", "超标面积"]
        return xlsx_response("超标准占用.xlsx", [*headers, "提示", "应腾退日期", "整改状态", "整改方式", "说明"], rows)
    return render(
        request,
        "officespace/over_standard.html",
        {
            "page": page_of(request, qs),
            "units": PAGES.units(request),
            "unit": unit,
            "statuses": Assessment.Status.choices,
            "flags": [("over", "超标准"), *Assessment.Flag.choices[1:]],
            "query": query_without_page(request),
        },
    )


@login_required
def unit_report(request):
    PAGES.require_reader(request)
    unit = PAGES.within(request)
    rows, total = selectors.unit_report(request.user, within=unit)
    if request.GET.get("export") == "xlsx":
        headers = ["单位", "人数", "核定面积", "实际面积", "超标面积", "超标比例%", "超标人数"]
        headers += ["领导超标人数", "领导超标面积", "工作人员超标人数", "工作人员超标面积"]
        data = (
            (
                r["org_unit__name"],
                r["people"],
                r["approved_area"],
                r["actual_area"],
                r["excess_area"],
                r["excess_ratio"],
                r["over_people"],
                r["leader_over"],
                r["leader_excess"],
                r["staff_over"],
                r["staff_excess"],
            )
            for r in rows
        )
        return xlsx_response("超标准占用汇总.xlsx", headers, data)
    return render(
        request,
        "officespace/unit_report.html",
        {
            "rows": rows,
            "total": total,
            "units": PAGES.units(request),
            "unit": unit,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def assessment_handle(request, pk):
    assessment = get_object_or_404(selectors.assessments_for(request.user, problems_only=False), pk=pk)
    form = HandleForm(
        request.POST or None,
        request.FILES or None,
        initial={"status": assessment.status, "remedy": assessment.remedy, "reason": assessment.reason},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.handle_assessment(actor=request.user, assessment=assessment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "整改情况已保存。")
            return redirect("officespace:over-standard")
    return render(request, "officespace/assessment_handle.html", {"a": assessment, "form": form})


# --- Disclosure, filing, statistics, standards -----------------------------------------------------


def _disclosure(request, *, leaders_only: bool):
    roles = selectors.DISCLOSURE_READERS
    unit = PAGES.within(request, roles=roles)
    if unit is None:
        unit = request.user.org_unit
    if unit is None or not scoping.covers(request.user, unit, roles=roles):
        raise PermissionDenied("请选择您有权查看的单位。")
    qs = (selectors.leader_filing_list if leaders_only else selectors.disclosure_list)(request.user, unit)
    title = "领导干部办公用房备案表" if leaders_only else "办公用房使用情况公示"
    year = request.GET.get("year") or str(timezone.localdate().year)
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                a.org_unit.name,
                a.person.name,
                a.person.job_title,
                a.get_grade_display(),
                str(a.room),
                "主办公室" if a.is_main else "第二办公室",
                a.occupants,
                a.room.use_area,
                a.share,
                a.standard,
                a.excess,
            )
            for a in qs.iterator(chunk_size=2000)
        )
        headers = ["单位", "姓名", "职务", "标准层次", "房间", "类别", "同室人数", "房间面积", "分摊面积"]
        return xlsx_response(f"{unit.name}{year}年{title}.xlsx", [*headers, "标准面积", "超标面积"], rows)
    return render(
        request,
        "officespace/disclosure.html",
        {
            "page": page_of(request, qs),
            "unit": unit,
            "units": PAGES.units(request, roles=roles),
            "title": title,
            "year": year,
            "leaders_only": leaders_only,
            "query": query_without_page(request),
        },
    )


@login_required
def disclosure(request):
    return _disclosure(request, leaders_only=False)


@login_required
def leader_filing(request):
    return _disclosure(request, leaders_only=True)


@login_required
def statistics(request):
    PAGES.require_reader(request)
    unit = PAGES.within(request)
    return render(
        request,
        "officespace/statistics.html",
        {
            "stats": selectors.statistics(request.user, within=unit),
            "categories": RoomCategory.choices,
            "units": PAGES.units(request),
            "unit": unit,
        },
    )


@login_required
def standards(request):
    PAGES.require_reader(request)
    version = selectors.current_version()
    return render(
        request,
        "officespace/standards.html",
        {
            "version": version,
            "table": selectors.standards_table(version),
            "classes": rules.AdminClass.choices,
            "mapping": selectors.rank_mapping_rows(),
            "can_edit": scoping.holds_any(request.user, services.STANDARD_EDITORS),
        },
    )
