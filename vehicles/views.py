"""Official-vehicle pages. Reads go through selectors (scoped), writes through services."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from datahub import scoping
from datahub.exports import xlsx_response
from datahub.forms import add_service_errors
from datahub.import_views import upload_page
from datahub.pages import PageScope
from datahub.paging import page_of, query_without_page
from datahub.params import as_date, as_id, as_int
from datahub.roles import Role

from . import imports, rules, selectors, services
from .forms import (
    DepartForm,
    DisposalForm,
    DriverForm,
    PurchaseCheckForm,
    RecordForm,
    ReviewForm,
    StatusForm,
    VehicleForm,
)
from .models import CostRecord, Driver, TripRequest

READERS = selectors.FLEET_READERS
EDITORS = selectors.FLEET_EDITORS


PAGES = PageScope(readers=READERS, subject="公务用车台账")


def _service_error(request, exc) -> None:
    messages.error(request, "；".join(exc.messages if isinstance(exc, ValidationError) else [str(exc)]))


def _as_validation(exc):
    return exc if isinstance(exc, ValidationError) else ValidationError(str(exc))


@login_required
def home(request):
    PAGES.require_reader(request)
    vehicles = selectors.vehicles_for(request.user)
    by_status = selectors.count_by_status(vehicles)
    year = timezone.localdate().year
    return render(
        request,
        "vehicles/home.html",
        {
            "tab": "home",
            "statuses": [(label, by_status.get(code, 0)) for code, label in rules.VehicleStatus.choices],
            "total": sum(v for k, v in by_status.items() if k != rules.VehicleStatus.DISPOSED),
            "waiting": selectors.waiting_trips(request.user).count(),
            "renewable": selectors.renewable(request.user).count(),
            "nev": selectors.new_energy_share(request.user, year),
            "year": year,
            "min_share": int(rules.NEW_ENERGY_SHARE_MIN * 100),
            "quotas": selectors.quota_usage(request.user),
        },
    )


# --- Ledger ------------------------------------------------------------------------------------


def _vehicle_rows(qs):
    for v in qs.iterator(chunk_size=2000):
        yield (
            v.plate,
            v.vin,
            v.get_category_display(),
            v.org_unit.code,
            v.org_unit.name,
            v.brand,
            v.model_name,
            v.get_energy_type_display(),
            v.displacement,
            v.seats,
            v.purchase_price,
            v.purchase_date,
            v.odometer_km,
            v.get_status_display(),
            v.note,
        )


VEHICLE_HEADERS = [
    "号牌号码",
    "车辆识别代号",
    "车辆类别",
    "所属单位编码",
    "所属单位",
    "品牌",
    "型号",
    "能源类型",
    "排量",
    "座位数",
    "购置价格",
    "购置日期",
    "里程表读数",
    "状态",
    "备注",
]


@login_required
def vehicle_list(request):
    PAGES.require_reader(request)
    unit = PAGES.within(request)
    qs = selectors.vehicle_ledger(
        request.user,
        unit=unit,
        search=request.GET.get("q", "").strip(),
        category=request.GET.get("category", ""),
        status=request.GET.get("status", ""),
        energy_type=request.GET.get("energy_type", ""),
    )
    if request.GET.get("export") == "xlsx":
        return xlsx_response("公务用车台账.xlsx", VEHICLE_HEADERS, _vehicle_rows(qs))
    return render(
        request,
        "vehicles/vehicle_list.html",
        {
            "tab": "vehicles",
            "page": page_of(request, qs),
            "units": PAGES.units(request),
            "unit": unit,
            "categories": rules.Category.choices,
            "statuses": rules.VehicleStatus.choices,
            "energies": rules.EnergyType.choices,
            "query": query_without_page(request),
            "can_add": scoping.holds_any(request.user, EDITORS),
        },
    )


def _vehicle_or_404(request, pk):
    return get_object_or_404(selectors.vehicles_for(request.user), pk=pk)


@login_required
def vehicle_detail(request, pk):
    vehicle = _vehicle_or_404(request, pk)
    can_edit = scoping.covers(request.user, vehicle.org_unit, roles=EDITORS)
    return render(
        request,
        "vehicles/vehicle_detail.html",
        {
            "tab": "vehicles",
            "vehicle": vehicle,
            "can_edit": can_edit and vehicle.status != rules.VehicleStatus.DISPOSED,
            **selectors.vehicle_file(vehicle),
            "disposal": getattr(vehicle, "disposal", None),
            "status_form": StatusForm(initial={"status": vehicle.status}),
        },
    )


@login_required
def vehicle_form(request, pk=None):
    vehicle = _vehicle_or_404(request, pk) if pk else None
    if vehicle is not None and not scoping.covers(request.user, vehicle.org_unit, roles=EDITORS):
        raise PermissionDenied("您没有管理该车辆的权限。")
    if vehicle is None and not scoping.holds_any(request.user, EDITORS):
        raise PermissionDenied("您没有登记车辆的权限。")
    form = VehicleForm(request.POST or None, instance=vehicle, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if vehicle is None:
                vehicle = services.register_vehicle(actor=request.user, fields=form.cleaned_data)
            else:
                services.update_vehicle(actor=request.user, vehicle=vehicle, fields=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, _as_validation(exc))
        else:
            messages.success(request, "车辆信息已保存。")
            return redirect("vehicles:vehicle-detail", pk=vehicle.pk)
    return render(request, "vehicles/form.html", {"form": form, "title": "车辆", "object": vehicle})


@login_required
@require_POST
def vehicle_status(request, pk):
    vehicle = _vehicle_or_404(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_status(actor=request.user, vehicle=vehicle, status=form.cleaned_data["status"])
        except (ValidationError, PermissionDenied) as exc:
            _service_error(request, exc)
        else:
            messages.success(request, "车辆状态已更新。")
    else:
        messages.error(request, "状态：请选择可用、维修中或封存。")
    return redirect("vehicles:vehicle-detail", pk=vehicle.pk)


@login_required
@require_POST
def vehicle_photo(request, pk):
    vehicle = _vehicle_or_404(request, pk)
    try:
        services.add_photo(
            actor=request.user, vehicle=vehicle, file=request.FILES.get("file"), caption=request.POST.get("caption", "")
        )
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.success(request, "照片已上传。")
    return redirect("vehicles:vehicle-detail", pk=vehicle.pk)


@login_required
def photo_file(request, pk):
    """Photos are served only to people who may see the vehicle (stored under random names)."""
    photo = get_object_or_404(selectors.photos_for(request.user), pk=pk)
    return FileResponse(photo.file.open("rb"))


@login_required
def record_form(request, pk):
    vehicle = _vehicle_or_404(request, pk)
    if not scoping.covers(request.user, vehicle.org_unit, roles=EDITORS):
        raise PermissionDenied("您没有管理该车辆的权限。")
    form = RecordForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_record(actor=request.user, vehicle=vehicle, fields=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, _as_validation(exc))
        else:
            messages.success(request, "费用记录已保存。")
            return redirect("vehicles:vehicle-detail", pk=vehicle.pk)
    return render(request, "vehicles/form.html", {"form": form, "title": f"{vehicle.plate}费用记录", "back": vehicle})


@login_required
def dispose(request, pk):
    vehicle = _vehicle_or_404(request, pk)
    if not scoping.covers(request.user, vehicle.org_unit, roles=EDITORS):
        raise PermissionDenied("您没有管理该车辆的权限。")
    form = DisposalForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.dispose(actor=request.user, vehicle=vehicle, fields=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, _as_validation(exc))
        else:
            messages.success(request, "已登记处置，台账已关闭。")
            return redirect("vehicles:vehicle-detail", pk=vehicle.pk)
    return render(request, "vehicles/form.html", {"form": form, "title": f"{vehicle.plate}处置", "back": vehicle})


@login_required
def vehicle_import(request):
    return upload_page(request, imports.VehicleImporter.kind, "vehicles/import.html", context={"tab": "vehicles"})


@login_required
def purchase_check(request):
    """采购前核对: the caps and quota a purchase request would meet, before anything is bought."""
    PAGES.require_reader(request, EDITORS)
    form = PurchaseCheckForm(request.GET or None, actor=request.user)
    verdict = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        try:
            caps = services.check_purchase(
                actor=request.user,
                unit=data["org_unit"],
                category=data["category"],
                energy_type=data["energy_type"],
                price=data["price"],
                displacement=data["displacement"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, _as_validation(exc))
        else:
            verdict = caps or ["该类别无统一价格标准（由主管部门会同财政部门核定）"]
    return render(request, "vehicles/purchase_check.html", {"tab": "vehicles", "form": form, "verdict": verdict})


# --- Drivers -----------------------------------------------------------------------------------


@login_required
def driver_list(request):
    PAGES.require_reader(request)
    unit = PAGES.within(request)
    qs = selectors.driver_roster(
        request.user,
        unit=unit,
        search=request.GET.get("q", "").strip(),
        status=request.GET.get("status", ""),
        expired=request.GET.get("expired") == "1",
    )
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                d.person.name,
                d.person.username,
                d.org_unit.name,
                d.licence_class,
                d.licence_expires,
                d.get_status_display(),
            )
            for d in qs.iterator(chunk_size=2000)
        )
        return xlsx_response("驾驶员.xlsx", ["姓名", "用户名", "所属单位", "准驾车型", "驾驶证有效期至", "状态"], rows)
    return render(
        request,
        "vehicles/driver_list.html",
        {
            "tab": "drivers",
            "page": page_of(request, qs),
            "units": PAGES.units(request),
            "unit": unit,
            "statuses": Driver.Status.choices,
            "query": query_without_page(request),
            "today": timezone.localdate(),
            "can_add": scoping.holds_any(request.user, EDITORS),
        },
    )


@login_required
def driver_form(request, pk=None):
    driver = get_object_or_404(selectors.drivers_for(request.user), pk=pk) if pk else None
    if not scoping.holds_any(request.user, EDITORS):
        raise PermissionDenied("您没有管理驾驶员的权限。")
    form = DriverForm(request.POST or None, instance=driver, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_driver(actor=request.user, fields=form.cleaned_data, driver=driver)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, _as_validation(exc))
        else:
            messages.success(request, "驾驶员信息已保存。")
            return redirect("vehicles:driver-list")
    return render(request, "vehicles/form.html", {"form": form, "title": "驾驶员", "object": driver})


# --- Dispatch board ----------------------------------------------------------------------------


@login_required
def board(request):
    """The dispatcher's board: requests waiting for a vehicle, and the bookings of the coming days."""
    PAGES.require_reader(request, EDITORS)
    now = timezone.now()
    live = selectors.live_dispatches(request.user, EDITORS, since=now - timedelta(days=7))
    return render(
        request,
        "vehicles/board.html",
        {
            "tab": "board",
            "waiting": selectors.waiting_trips(request.user)[:100],
            "live": live[:200],
            "depart_form": DepartForm(),
        },
    )


def _trip_or_404(request, ticket_id) -> TripRequest:
    return get_object_or_404(selectors.trips_for(request.user), ticket_id=ticket_id)


@login_required
def assign(request, ticket_id):
    """Choose a vehicle and a driver for one request, or join it to a compatible dispatch (拼车)."""
    trip = _trip_or_404(request, ticket_id)
    vehicles = selectors.available_vehicles(
        request.user,
        trip.starts_at,
        trip.ends_at,
        category=trip.category,
        seats=trip.passengers + (1 if trip.needs_driver else 0),
    )
    drivers = selectors.available_drivers(request.user, trip.starts_at, trip.ends_at)
    if request.method == "POST":
        try:
            if request.POST.get("pool"):
                dispatch = get_object_or_404(
                    selectors.dispatches_for(request.user, EDITORS), pk=as_id(request.POST["pool"])
                )
                services.pool_trip(actor=request.user, ticket=trip.ticket, dispatch=dispatch)
                messages.success(request, "已安排拼车。")
            else:
                vehicle = (
                    selectors.vehicles_for(request.user, EDITORS).filter(pk=as_id(request.POST.get("vehicle"))).first()
                )
                if vehicle is None:
                    raise ValidationError({"vehicle": "请选择车辆。"})
                driver = None
                if request.POST.get("driver"):
                    driver = (
                        selectors.drivers_for(request.user, EDITORS).filter(pk=as_id(request.POST["driver"])).first()
                    )
                    if driver is None:
                        raise ValidationError({"driver": "驾驶员不存在或不在您的管理范围内。"})
                services.dispatch_trip(actor=request.user, ticket=trip.ticket, vehicle=vehicle, driver=driver)
                messages.success(request, f"已派车：{vehicle.plate}。")
        except (ValidationError, PermissionDenied) as exc:
            _service_error(request, exc)
        else:
            return redirect("vehicles:board")
    return render(
        request,
        "vehicles/assign.html",
        {
            "tab": "board",
            "trip": trip,
            "vehicles": vehicles[:100],
            "drivers": drivers[:100],
            "pools": selectors.poolable_dispatches(request.user, trip).select_related("vehicle")[:20],
        },
    )


@login_required
@require_POST
def depart(request, pk):
    dispatch = get_object_or_404(selectors.dispatches_for(request.user, EDITORS), pk=pk)
    form = DepartForm(request.POST)
    if form.is_valid():
        try:
            services.depart(actor=request.user, dispatch=dispatch, odometer_km=form.cleaned_data["odometer_km"])
        except (ValidationError, PermissionDenied) as exc:
            _service_error(request, exc)
        else:
            messages.success(request, f"{dispatch.vehicle.plate}已出车。")
    else:
        messages.error(request, "出车里程表读数：请填写不小于0的整数。")
    return redirect("vehicles:board")


@login_required
@require_POST
def cancel(request, pk):
    dispatch = get_object_or_404(selectors.dispatches_for(request.user, EDITORS), pk=pk)
    try:
        services.cancel_dispatch(actor=request.user, dispatch=dispatch, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        _service_error(request, exc)
    else:
        messages.success(request, "派车单已取消，申请回到待派车。")
    return redirect("vehicles:board")


@login_required
def reviews(request):
    """Emergency trips awaiting the department head's after-the-fact review."""
    PAGES.require_reader(request, (Role.APPROVER, Role.BUREAU_ADMIN))
    pending = selectors.pending_reviews(request.user)
    if request.method == "POST":
        trip = get_object_or_404(pending, pk=as_id(request.POST.get("trip")))
        form = ReviewForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError({"comment": "请填写审核意见。"})
            services.review_emergency(actor=request.user, ticket=trip.ticket, comment=form.cleaned_data["comment"])
        except (ValidationError, PermissionDenied) as exc:
            _service_error(request, exc)
        else:
            messages.success(request, "已完成事后审核。")
        return redirect("vehicles:reviews")
    return render(
        request, "vehicles/reviews.html", {"tab": "reviews", "page": page_of(request, pending.order_by("-starts_at"))}
    )


# --- Statistics and renewal --------------------------------------------------------------------


def _period(request) -> tuple[date, date]:
    today = timezone.localdate()
    start = as_date(request.GET.get("start")) or today.replace(day=1)
    end = as_date(request.GET.get("end")) or today
    if end < start:
        start, end = end, start
    return start, end


@login_required
def statistics(request):
    PAGES.require_reader(request)
    start, end = _period(request)
    unit = PAGES.within(request)
    vehicles = selectors.vehicle_stats(request.user, start, end, unit=unit)
    units = selectors.unit_stats(request.user, start, end, rows=vehicles)
    kinds = CostRecord.Kind.choices
    if request.GET.get("export") == "xlsx":
        headers = [
            "号牌号码",
            "所属单位",
            "出车次数",
            "行驶里程(km)",
            "预订时长(h)",
            "利用率(%)",
            "百公里油耗(L)",
            "每公里费用(元)",
        ]
        rows = (
            (
                r["vehicle"].plate,
                r["vehicle"].org_unit.name,
                r["trips"],
                r["distance"],
                r["booked_hours"],
                r["utilisation"],
                r["fuel_per_100km"],
                r["cost_per_km"],
                *[r["costs"][k] for k, _ in kinds],
                r["cost_total"],
            )
            for r in vehicles
        )
        return xlsx_response(
            f"公务用车统计{start}至{end}.xlsx",
            [*headers, *[f"{label}(元)" for _, label in kinds], "费用合计(元)"],
            rows,
        )
    for row in (*units, *vehicles):
        row["cost_list"] = [row["costs"][k] for k, _ in kinds]
    return render(
        request,
        "vehicles/statistics.html",
        {
            "tab": "stats",
            "start": start,
            "end": end,
            "unit": unit,
            "units": PAGES.units(request),
            "unit_rows": units,
            "vehicle_rows": vehicles,
            "kinds": kinds,
            "working_hours": selectors.working_hours(start, end),
            "query": query_without_page(request),
        },
    )


@login_required
def renewal(request):
    PAGES.require_reader(request)
    qs = selectors.renewable(request.user)
    year = as_int(request.GET.get("year"), 1900, 2100) or timezone.localdate().year
    if request.GET.get("export") == "xlsx":
        return xlsx_response("可更新车辆.xlsx", VEHICLE_HEADERS, _vehicle_rows(qs))
    return render(
        request,
        "vehicles/renewal.html",
        {
            "tab": "renewal",
            "page": page_of(request, qs),
            "query": query_without_page(request),
            "years": rules.RENEWAL_YEARS,
            "mileage": rules.RENEWAL_MILEAGE_KM,
            "nev": selectors.new_energy_share(request.user, year),
            "year": year,
            "min_share": int(rules.NEW_ENERGY_SHARE_MIN * 100),
        },
    )
