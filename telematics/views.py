"""Monitoring pages: alerts (list, export, acknowledge), terminals, the working calendar, geofences
and rules. Reads go through selectors (scoped to the vehicles' units), writes through services."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from datahub import scoping
from datahub import selectors as hub_selectors
from datahub.forms import add_service_errors
from datahub.generic_views import Column, ObjectFormView, ObjectListView, Search
from datahub.keyed import joined
from datahub.models import OrgUnit
from datahub.pages import PageScope
from datahub.paging import page_of, query_without_page
from datahub.params import as_date, as_id, as_int

from . import rules, selectors, services
from .drawing import drawing
from .exporters import alerts_queryset
from .forms import AcknowledgeForm, CalendarDayForm, GeofenceForm, RuleForm, TerminalCreateForm, TerminalEditForm
from .models import Alert
from .rules import AlertKind, DayKind

# Points drawn around an alert: its episode and a little before and after.
ALERT_TRACK_MARGIN = timedelta(minutes=15)
MAX_DRAWN_POINTS = 5000


PAGES = PageScope(
    readers=selectors.MONITOR_READERS,
    subject=_("车辆监控"),
    unit_levels=(OrgUnit.Level.REGION, OrgUnit.Level.INSTITUTION),
)


def _can_edit(request) -> bool:
    return scoping.holds_any(request.user, selectors.MONITOR_EDITORS)


@login_required
def home(request):
    return redirect("telematics:alert-list")


# --- Alerts --------------------------------------------------------------------------------------


class AlertList(ObjectListView):
    pages = PAGES
    template_name = "telematics/alert_list.html"
    tab = "alerts"
    unit_filter = True
    # The export is telematics/exporters.py's (registered there, with the same filters).
    export_kind = "telematics.alerts"

    def get_queryset(self):
        return alerts_queryset(self.request.user, self.request.GET)

    def get_context_data(self, **kwargs):
        return {
            "kinds": AlertKind.choices,
            "statuses": Alert.Status.choices,
            "status": self.request.GET.get("status", Alert.Status.OPEN),
        }


@login_required
def alert_detail(request, pk):
    PAGES.require_reader(request)
    alert = get_object_or_404(selectors.alerts_for(request.user), pk=pk)
    can_ack = alert.status == Alert.Status.OPEN and scoping.covers(
        request.user, alert.vehicle.org_unit, roles=selectors.MONITOR_EDITORS
    )
    form = AcknowledgeForm(request.POST or None) if can_ack else None
    if request.method == "POST":
        if not can_ack:
            raise PermissionDenied(_("您不能处理该告警。"))
        if form.is_valid():
            try:
                services.acknowledge(actor=request.user, alert=alert, comment=form.cleaned_data["comment"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已处理该告警。"))
                return redirect("telematics:alert-detail", pk=alert.pk)
    end = alert.ended_at or timezone.now()
    points = list(
        selectors.track(
            alert.vehicle_id, alert.started_at - ALERT_TRACK_MARGIN, end + ALERT_TRACK_MARGIN, limit=MAX_DRAWN_POINTS
        )
    )
    fences = selectors.fences_for_unit(alert.vehicle.org_unit) if alert.kind == AlertKind.GEOFENCE_EXIT else []
    return render(
        request,
        "telematics/alert_detail.html",
        {
            "alert": alert,
            "form": form,
            "points": points[:200],
            "point_total": len(points),
            "svg": drawing([f.polygon for f in fences], [[(p["lon"], p["lat"]) for p in points]]),
            "tab": "alerts",
        },
    )


# --- Terminals -----------------------------------------------------------------------------------


def _local_minute(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class TerminalList(ObjectListView):
    pages = PAGES
    template_name = "telematics/terminal_list.html"
    tab = "terminals"
    filters = {"q": Search()}
    export_filename = _("车载终端.xlsx")
    export_columns = (
        Column(_("终端编号"), "serial"),
        Column(_("型号"), "model_name"),
        Column(_("车牌号"), "vehicle.plate"),
        Column(_("所属单位"), "vehicle.org_unit.name"),
        Column(_("状态"), lambda t: _("启用") if t.is_active else _("停用")),
        Column(_("最近上报"), lambda t: _local_minute(t.last_seen_at)),
        Column(_("最近定位"), lambda t: _local_minute(t.last_position_at)),
    )

    def get_queryset(self):
        return selectors.terminals_for(self.request.user, search=self.filter_values["q"])

    def get_context_data(self, **kwargs):
        return {"can_add": _can_edit(self.request)}


class TerminalCreate(ObjectFormView):
    form_class = TerminalCreateForm
    title = _("登记车载终端")
    tab = "terminals"
    section = "telematics"

    def check_permission(self, obj):
        if not _can_edit(self.request):
            raise PermissionDenied(_("您没有登记车载终端的权限。"))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form, obj):
        data = form.cleaned_data
        return services.create_terminal(
            actor=self.request.user, vehicle=data["vehicle"], serial=data["serial"], model_name=data["model_name"]
        )

    def success_response(self, result):
        # The token is shown once, on this response, and never stored in clear.
        terminal, token = result
        return render(self.request, "telematics/token.html", {"terminal": terminal, "token": token, "tab": "terminals"})

    def get_context_data(self, form):
        return {"cancel_url": reverse("telematics:terminal-list")}


@login_required
def terminal_detail(request, pk):
    PAGES.require_reader(request)
    terminal = get_object_or_404(selectors.terminals_for(request.user), pk=pk)
    can_edit = scoping.covers(request.user, terminal.vehicle.org_unit, roles=selectors.MONITOR_EDITORS)
    initial = {"serial": terminal.serial, "model_name": terminal.model_name, "is_active": terminal.is_active}
    form = TerminalEditForm(request.POST or None, initial=initial) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("您没有管理该终端的权限。"))
        if form.is_valid():
            try:
                services.update_terminal(actor=request.user, terminal=terminal, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("telematics:terminal-detail", pk=terminal.pk)
    return render(
        request,
        "telematics/terminal_detail.html",
        {
            "terminal": terminal,
            "form": form,
            "can_edit": can_edit,
            "history": hub_selectors.history_of(terminal),
            "tab": "terminals",
        },
    )


@login_required
@require_POST
def terminal_rotate(request, pk):
    terminal = get_object_or_404(selectors.terminals_for(request.user), pk=pk)
    token = services.rotate_token(actor=request.user, terminal=terminal)
    return render(
        request, "telematics/token.html", {"terminal": terminal, "token": token, "rotated": True, "tab": "terminals"}
    )


# --- Calendar ------------------------------------------------------------------------------------


@login_required
def calendar(request):
    PAGES.require_reader(request)
    year = as_int(request.GET.get("year"), 1900, 2100) or timezone.localdate().year
    can_edit = scoping.holds_any(request.user, selectors.CALENDAR_EDITORS)
    form = CalendarDayForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("只有机关事务管理局管理员可以维护工作日历。"))
        if request.POST.get("action") == "load":
            try:
                count = services.load_holidays(actor=request.user, year=year)
            except ValidationError as exc:
                messages.error(request, joined(exc.messages))
            else:
                messages.success(
                    request, _("已载入%(year)s年节假日和调休安排，共%(count)s天。") % {"year": year, "count": count}
                )
            return redirect(f"{request.path}?year={year}")
        if request.POST.get("action") == "delete":
            day = selectors.calendar_day(as_id(request.POST.get("day")))
            if day is None:
                raise Http404(_("没有该日期。"))
            services.delete_day(actor=request.user, day=day)
            messages.success(request, _("已删除%(date)s，该日恢复默认（周一至周五工作）。") % {"date": day.date})
            return redirect(f"{request.path}?year={year}")
        if form.is_valid():
            try:
                day = services.set_day(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存%(date)s。") % {"date": day.date})
                return redirect(f"{request.path}?year={day.date.year}")
    return render(
        request,
        "telematics/calendar.html",
        {
            "year": year,
            "days": selectors.calendar_year(year),
            "form": form,
            "can_edit": can_edit,
            "has_data": bool(rules.holidays_of(year)),
            "default_hours": f"{rules.DEFAULT_WORK_START:%H:%M}–{rules.DEFAULT_WORK_END:%H:%M}",
            "kinds": DayKind.choices,
            "tab": "calendar",
        },
    )


# --- Geofences -----------------------------------------------------------------------------------


@login_required
def geofence_list(request):
    PAGES.require_reader(request)
    qs = selectors.geofences_for(request.user)
    return render(
        request,
        "telematics/geofence_list.html",
        {
            "page": page_of(request, qs),
            "query": query_without_page(request),
            "can_add": _can_edit(request),
            "tab": "geofences",
        },
    )


@login_required
def geofence_form(request, pk=None):
    fence = get_object_or_404(selectors.geofences_for(request.user), pk=pk) if pk else None
    if fence is not None and not scoping.covers(request.user, fence.org_unit, roles=selectors.MONITOR_EDITORS):
        if request.method == "POST":
            raise PermissionDenied(_("您没有管理该围栏的权限。"))
        return render(
            request,
            "telematics/geofence_detail.html",
            {
                "fence": fence,
                "svg": drawing([fence.polygon]),
                "text": rules.format_polygon(fence.polygon),
                "tab": "geofences",
            },
        )
    if fence is None and not _can_edit(request):
        raise PermissionDenied(_("您没有新增电子围栏的权限。"))
    initial = (
        {
            "org_unit": fence.org_unit,
            "name": fence.name,
            "polygon_text": rules.format_polygon(fence.polygon),
            "is_active": fence.is_active,
        }
        if fence
        else {"is_active": True}
    )
    form = GeofenceForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            fence = services.save_geofence(actor=request.user, geofence=fence, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存电子围栏。"))
            return redirect("telematics:geofence-edit", pk=fence.pk)
    return render(
        request,
        "telematics/geofence_form.html",
        {
            "form": form,
            "fence": fence,
            "svg": drawing([fence.polygon]) if fence else None,
            "history": hub_selectors.history_of(fence) if fence else [],
            "tab": "geofences",
        },
    )


# --- Rules ---------------------------------------------------------------------------------------


@login_required
def rule_list(request):
    PAGES.require_reader(request)
    can_edit = _can_edit(request)
    form = RuleForm(request.POST or None, user=request.user) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("您没有设置告警规则的权限。"))
        if form.is_valid():
            try:
                services.save_rule(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存告警规则。"))
                return redirect("telematics:rule-list")
    defaults = [(AlertKind(k).label, d) for k, d in rules.DEFAULT_RULES.items()]
    return render(
        request,
        "telematics/rule_list.html",
        {"rules": selectors.rules_for(request.user), "defaults": defaults, "form": form, "tab": "rules"},
    )


# --- Track page ----------------------------------------------------------------------------------


@login_required
def vehicle_track(request, pk):
    """One vehicle's track on one day (Beijing time), drawn over its unit's fences, with that day's alerts."""
    PAGES.require_reader(request)
    vehicle = get_object_or_404(selectors.vehicles_for(request.user), pk=pk)
    day = as_date(request.GET.get("date")) or timezone.localdate()
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = start + timedelta(days=1) - timedelta(microseconds=1)
    points = list(selectors.track(vehicle.pk, start, end, limit=MAX_DRAWN_POINTS))
    fences = selectors.fences_for_unit(vehicle.org_unit)
    alerts = selectors.vehicle_alerts(request.user, vehicle, start=start, end=end)
    return render(
        request,
        "telematics/vehicle_track.html",
        {
            "vehicle": vehicle,
            "day": day,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "point_total": len(points),
            "max_speed": max((p["speed"] for p in points), default=None),
            "first": points[0] if points else None,
            "last": points[-1] if points else None,
            "alerts": alerts,
            "mileage": selectors.mileage_checks(request.user, vehicle, start, end),
            "svg": drawing([f.polygon for f in fences], [[(p["lon"], p["lat"]) for p in points]]),
            "tab": "terminals",
        },
    )
