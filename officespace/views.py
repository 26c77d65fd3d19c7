"""Office-space pages. Reads go through selectors (scoped), writes through services; the lists, forms and
buttons are datahub.generic_views classes."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from datahub import formatting, scoping
from datahub.forms import add_service_errors
from datahub.generic_views import (
    Choice,
    Column,
    Flag,
    ObjectActionView,
    ObjectFormView,
    ObjectListView,
    Search,
    Text,
)
from datahub.generic_views import (
    Date as DateFilter,
)
from datahub.import_views import upload_page
from datahub.pages import PageScope
from datahub.paging import page_of, query_without_page
from datahub.params import as_id
from datahub.selectors import with_unit_parent_name

from . import imports, rules, selectors, services
from .forms import BuildingForm, EndOccupancyForm, FloorForm, HandleForm, OccupancyForm, RoomForm
from .models import Assessment, Building, Room, RoomCategory, RoomSubtype
from .selectors import meetings as meeting_selectors
from .selectors import repairs

PAGES = PageScope(readers=selectors.SPACE_READERS, subject=_("办公用房台账"))
YES_NO = {"1": True, "0": False}


def _can_edit(request, unit) -> bool:
    return scoping.covers(request.user, unit, roles=services.SPACE_EDITORS)


@login_required
def home(request):
    PAGES.require_reader(request)
    stats = selectors.statistics(request.user)
    _, total = selectors.unit_report(request.user)
    return render(request, "officespace/home.html", {"stats": stats, "total": total})


# --- Buildings ---------------------------------------------------------------------------------


class BuildingList(ObjectListView):
    pages = PAGES
    template_name = "officespace/building_list.html"
    filters = {"q": Search(), "title": Text()}
    unit_filter = True
    adders = services.SPACE_EDITORS
    export_filename = "楼宇台账.xlsx"
    export_columns = (
        Column(_("楼宇编码"), "code"),
        Column(_("名称"), "name"),
        Column(_("地址"), "address"),
        Column(_("使用单位"), "org_unit.name"),
        Column(_("权属"), "get_title_status_display"),
        Column(_("权利人"), "title_holder"),
        Column(_("备案原因"), "title_reason"),
        Column(_("不动产权证号"), "certificate_no"),
        Column(_("建成年份"), "year_built"),
        Column(_("结构"), "get_structure_display"),
        Column(_("总建筑面积"), "building_area"),
        Column(_("总使用面积"), "use_area"),
        Column(_("状态"), lambda b: _("在用") if b.is_active else _("停用")),
    )

    def get_queryset(self):
        f = self.filter_values
        return selectors.buildings_for(self.request.user, search=f["q"], unit=self.unit, title_status=f["title"])

    def get_context_data(self, **kwargs):
        return {"titles": Building.Title.choices}


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
            messages.success(request, gettext_lazy("已新增楼层。"))
            return redirect("officespace:building-detail", pk=building.pk)
    return render(
        request,
        "officespace/building_detail.html",
        {
            "building": building,
            "floors": selectors.floors_of(building),
            "page": page_of(request, rooms),
            "query": query_without_page(request),
            "can_edit": can_edit,
            "floor_form": floor_form,
            "history": selectors.recent_changes(building),
        },
    )


class _SpaceForm(ObjectFormView):
    form_takes_actor = True
    # What the form edits, in the heading (楼宇 / 房间).
    noun = ""

    def get_context_data(self, form):
        home = reverse("officespace:home")
        heading = (
            _("编辑%(noun)s：%(name)s") % {"noun": self.noun, "name": self.object}
            if self.object is not None
            else _("新增%(noun)s") % {"noun": self.noun}
        )
        return {"cancel_url": home, "heading": heading, "breadcrumbs": [(_("办公用房"), home)]}


class BuildingFormView(_SpaceForm):
    form_class = BuildingForm
    title = noun = _("楼宇")
    success_message = _("楼宇信息已保存。")

    def get_scoped_queryset(self):
        return selectors.buildings_for(self.request.user)

    def check_permission(self, building):
        if building is not None and not _can_edit(self.request, building.org_unit):
            raise PermissionDenied(_("您没有管理该楼宇的权限。"))
        if building is None and not scoping.holds_any(self.request.user, services.SPACE_EDITORS):
            raise PermissionDenied(_("您没有新增楼宇的权限。"))

    def perform(self, form, building):
        if building is None:
            return services.create_building(actor=self.request.user, **form.cleaned_data)
        services.update_building(actor=self.request.user, building=building, **form.cleaned_data)
        return building

    def get_success_url(self, building):
        return reverse("officespace:building-detail", args=[building.pk])


# --- Rooms -------------------------------------------------------------------------------------


class RoomList(ObjectListView):
    pages = PAGES
    template_name = "officespace/room_list.html"
    filters = {"q": Search(), "category": Text(), "vacant": Choice(YES_NO)}
    unit_filter = True
    export_filename = "房间台账.xlsx"
    export_columns = (
        Column(_("楼宇"), "building.name"),
        Column(_("楼层"), "floor.number"),
        Column(_("房间号"), "number"),
        Column(_("用房类型"), "get_category_display"),
        Column(_("细分用途"), lambda r: r.get_subtype_display() if r.subtype else ""),
        Column(_("使用面积"), "use_area"),
        Column(_("分配单位"), "org_unit.name"),
        Column(_("在用人数"), "occupants"),
        Column(_("备注"), "note"),
    )

    def get_queryset(self):
        f = self.filter_values
        return selectors.rooms_for(
            self.request.user,
            search=f["q"],
            unit=self.unit,
            category=f["category"],
            vacant=YES_NO.get(f["vacant"]),
        )

    def get_context_data(self, **kwargs):
        return {
            "categories": RoomCategory.choices,
            "can_import": scoping.holds_any(self.request.user, services.SPACE_EDITORS),
        }


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
            "history": selectors.occupancy_history(room, limit=50),
            "repairs": selectors.repair_history(room, limit=50),
            # A 会议室 shows its coming bookings (the space administrator's view of the booking ledger).
            "bookings": meeting_selectors.room_bookings(room, limit=50)
            if room.subtype == RoomSubtype.MEETING
            else None,
            "can_edit": can_edit,
            "seat_form": OccupancyForm(actor=request.user) if can_edit else None,
            "end_form": EndOccupancyForm() if can_edit else None,
        },
    )


class RoomFormView(_SpaceForm):
    """A new room is added from its floor's page (``?floor=<id>``)."""

    form_class = RoomForm
    title = noun = _("房间")
    success_message = _("房间信息已保存。")

    def get_scoped_queryset(self):
        return selectors.rooms_for(self.request.user, active=None)

    def check_permission(self, room):
        self.floor = None
        if room is None:
            pk = as_id(self.request.GET.get("floor"))
            self.floor = selectors.floor_of(pk) if pk else None
            if self.floor is None:
                raise Http404(_("请从楼层页面新增房间。"))
            if not _can_edit(self.request, self.floor.building.org_unit):
                raise PermissionDenied(_("您没有管理该楼宇的权限。"))
        elif not _can_edit(self.request, room.org_unit):
            raise PermissionDenied(_("您没有管理该房间的权限。"))

    def get_initial(self):
        return {"org_unit": self.floor.building.org_unit_id} if self.floor else {}

    def perform(self, form, room):
        if room is None:
            return services.create_room(actor=self.request.user, floor=self.floor, **form.cleaned_data)
        services.update_room(actor=self.request.user, room=room, **form.cleaned_data)
        return room

    def get_success_url(self, room):
        return reverse("officespace:room-detail", args=[room.pk])

    def get_context_data(self, form):
        return {**super().get_context_data(form), "heading_note": self.floor}


class RoomSeat(ObjectActionView):
    success_message = _("已安排办公室，超标准核查已更新。")

    def get_scoped_queryset(self):
        return selectors.rooms_for(self.request.user, active=None)

    def post(self, request, *args, **kwargs):
        # The seat form offers only the people the actor may seat.
        self.form_class = partial(OccupancyForm, actor=request.user)
        return super().post(request, *args, **kwargs)

    def perform(self, room, data):
        services.assign_occupancy(actor=self.request.user, room=room, **data)

    def get_success_url(self, room):
        return reverse("officespace:room-detail", args=[room.pk])


class _OnOccupancy(ObjectActionView):
    def get_scoped_queryset(self):
        return selectors.occupancies_for(self.request.user, current=None)

    def get_success_url(self, occupancy):
        return reverse("officespace:room-detail", args=[occupancy.room_id])


class OccupancyEnd(_OnOccupancy):
    form_class = EndOccupancyForm
    invalid_message = _("请填写结束日期。")
    success_message = _("已结束使用（收回/调整）。")

    def perform(self, occupancy, data):
        services.end_occupancy(actor=self.request.user, occupancy=occupancy, **data)


@login_required
def room_import(request):
    return upload_page(request, imports.RoomImporter.kind, "officespace/room_import.html")


# --- Over-standard report --------------------------------------------------------------------------


class TakeBack(ObjectListView):
    """待收回办公室: offices whose user left (the directory's deactivation or move, or a side post ended), with
    the date each is due back (1 month for a leaver, 2 for a second office)."""

    pages = PAGES
    template_name = "officespace/take_back.html"
    filters = {}
    unit_filter = True
    export_filename = "待收回办公室.xlsx"
    export_columns = (
        Column(_("使用人"), "person.name"),
        Column(_("现所在单位"), lambda o: o.person.org_unit.name if o.person.org_unit_id else ""),
        Column(_("在职"), lambda o: _("是") if o.person.is_active else _("否")),
        Column(_("房间"), lambda o: str(o.room)),
        Column(_("离岗原因"), "get_post_end_reason_display"),
        Column(_("离岗日期"), "post_ended_on"),
        Column(_("应腾退日期"), lambda o: rules.take_back_due(o.post_ended_on, is_main=o.is_main)),
    )

    def get_queryset(self):
        return selectors.offices_to_take_back(self.request.user, unit=self.unit)

    def on_page(self, page):
        today = timezone.localdate()
        for o in page:
            o.due = rules.take_back_due(o.post_ended_on, is_main=o.is_main)
            o.overdue = o.due < today


class Repairs(ObjectListView):
    """维修台账: the repair requests of the units the reader oversees, open or finished, with what each cost
    (the command center's repair figures open it filtered to their unit and period)."""

    pages = PAGES
    template_name = "officespace/repairs.html"
    filters = {
        "q": Search(),
        "status": Choice(repairs.STATUSES),
        "since": DateFilter(),
        "until": DateFilter(),
    }
    unit_filter = True
    export_filename = "维修台账.xlsx"
    export_columns = (
        Column(_("报修单位"), lambda r: formatting.unit_label(r.ticket.org_unit, r.unit_parent_name)),
        Column(_("报修人"), "ticket.requester.name"),
        Column(_("报修地点"), "location"),
        Column(_("类别"), "get_category_display"),
        Column(_("大中修"), lambda r: str(_("是") if r.is_major else _("否"))),
        Column(_("提交时间"), lambda r: _local(r.ticket.submitted_at)),
        Column(_("状态"), "ticket.get_status_display"),
        Column(_("完成时间"), lambda r: _local(r.completed_at)),
        Column(_("维修费用（元）"), "cost"),
    )

    def get_queryset(self):
        f = self.filter_values
        return repairs.repairs_for(
            self.request.user,
            unit=self.unit,
            status=f["status"],
            since=f["since"],
            until=f["until"],
            search=f["q"],
        )

    def get_context_data(self, **kwargs):
        return {"statuses": repairs.STATUSES}


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class OverStandard(ObjectListView):
    pages = PAGES
    template_name = "officespace/over_standard.html"
    # ``flag`` also takes "over" (any excess), so it is passed on as typed, like ``status``.
    filters = {"q": Search(), "status": Text(), "flag": Text(), "leaders": Choice(YES_NO), "all": Flag()}
    unit_filter = True
    export_filename = "超标准占用.xlsx"
    export_columns = (
        Column(_("姓名"), "person.name"),
        Column(_("单位"), "org_unit.name"),
        Column(_("标准层次"), "get_grade_display"),
        Column(_("认定依据"), "get_basis_display"),
        Column(_("类别"), lambda a: _("领导") if a.is_leader else _("工作人员")),
        Column(_("房间"), lambda a: str(a.room)),
        Column(_("同室人数"), "occupants"),
        Column(_("标准面积"), "standard"),
        Column(_("实际分摊面积"), "share"),
        Column(_("超标面积"), "excess"),
        Column(_("提示"), lambda a: a.get_flag_display() if a.flag else ""),
        Column(_("应腾退日期"), "return_due"),
        Column(_("整改状态"), "get_status_display"),
        Column(_("整改方式"), lambda a: a.get_remedy_display() if a.remedy else ""),
        Column(_("说明"), "reason"),
    )

    def get_queryset(self):
        f = self.filter_values
        rows = selectors.assessments_for(
            self.request.user,
            unit=self.unit,
            problems_only=not f["all"],
            status=f["status"],
            flag=f["flag"],
            leaders=YES_NO.get(f["leaders"]),
            search=f["q"],
        )
        # The unit column names a department with its agency (财政厅 › 办公室), read in the same query.
        return with_unit_parent_name(rows)

    def get_context_data(self, **kwargs):
        return {"statuses": Assessment.Status.choices, "flags": [("over", _("超标准")), *Assessment.Flag.choices[1:]]}


class UnitReport(ObjectListView):
    pages = PAGES
    template_name = "officespace/unit_report.html"
    unit_filter = True
    paginate = False
    export_filename = "超标准占用汇总.xlsx"
    export_columns = (
        Column(_("单位"), "org_unit__name"),
        Column(_("人数"), "people"),
        Column(_("核定面积"), "approved_area"),
        Column(_("实际面积"), "actual_area"),
        Column(_("超标面积"), "excess_area"),
        Column(_("超标比例%"), "excess_ratio"),
        Column(_("超标人数"), "over_people"),
        Column(_("领导超标人数"), "leader_over"),
        Column(_("领导超标面积"), "leader_excess"),
        Column(_("工作人员超标人数"), "staff_over"),
        Column(_("工作人员超标面积"), "staff_excess"),
    )

    def get_queryset(self):
        rows, self.total = selectors.unit_report(self.request.user, within=self.unit)
        return rows

    def get_context_data(self, **kwargs):
        return {"total": self.total}


class AssessmentHandle(ObjectFormView):
    form_class = HandleForm
    template_name = "officespace/assessment_handle.html"
    success_message = _("整改情况已保存。")

    def get_scoped_queryset(self):
        return selectors.assessments_for(self.request.user, problems_only=False)

    def get_initial(self):
        a = self.object
        return {"status": a.status, "remedy": a.remedy, "reason": a.reason}

    def perform(self, form, assessment):
        services.handle_assessment(actor=self.request.user, assessment=assessment, **form.cleaned_data)
        return assessment

    def get_success_url(self, assessment):
        return reverse("officespace:over-standard")

    def get_context_data(self, form):
        return {"a": self.object}


# --- Disclosure, filing, statistics, standards -----------------------------------------------------


class Disclosure(ObjectListView):
    """What a unit discloses: any civil servant reads their own unit's; the unit defaults to the reader's."""

    template_name = "officespace/disclosure.html"
    leaders_only = False
    heading = _("办公用房使用情况公示")
    export_filename = "办公用房使用情况公示.xlsx"
    export_columns = (
        Column(_("单位"), "org_unit.name"),
        Column(_("姓名"), "person.name"),
        Column(_("职务"), "person.job_title"),
        Column(_("标准层次"), "get_grade_display"),
        Column(_("房间"), lambda a: str(a.room)),
        Column(_("类别"), lambda a: _("主办公室") if a.is_main else _("第二办公室")),
        Column(_("同室人数"), "occupants"),
        Column(_("房间面积"), "room.use_area"),
        Column(_("分摊面积"), "share"),
        Column(_("标准面积"), "standard"),
        Column(_("超标面积"), "excess"),
    )

    def prepare(self):
        super().prepare()
        roles = selectors.DISCLOSURE_READERS
        unit = PAGES.within(self.request, roles=roles) or self.request.user.org_unit
        if unit is None or not scoping.covers(self.request.user, unit, roles=roles):
            raise PermissionDenied(_("请选择您有权查看的单位。"))
        self.unit = unit
        self.year = self.request.GET.get("year") or str(timezone.localdate().year)

    def get_queryset(self):
        read = selectors.leader_filing_list if self.leaders_only else selectors.disclosure_list
        return read(self.request.user, self.unit)

    def get_export_filename(self):
        return _("%(unit)s%(year)s年%(heading)s.xlsx") % {
            "unit": self.unit.name,
            "year": self.year,
            "heading": self.heading,
        }

    def get_context_data(self, **kwargs):
        return {
            "unit": self.unit,
            "units": PAGES.units(self.request, roles=selectors.DISCLOSURE_READERS),
            "title": self.heading,
            "year": self.year,
            "leaders_only": self.leaders_only,
        }


class LeaderFiling(Disclosure):
    leaders_only = True
    heading = _("领导干部办公用房备案表")
    export_filename = "领导干部办公用房备案表.xlsx"


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
            "rank_counts": selectors.rank_raises_standard(),
            "can_edit": scoping.holds_any(request.user, services.STANDARD_EDITORS),
        },
    )
