"""Official-vehicle pages. Reads go through selectors (scoped), writes through services; lists, forms and
buttons are datahub's generic views."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from datahub import formatting, scoping
from datahub.forms import add_service_errors
from datahub.generic_views import (
    Column,
    Flag,
    ObjectActionView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    Search,
    Text,
    as_validation,
    refusal_text,
)
from datahub.import_views import upload_page
from datahub.labels import shown
from datahub.pages import PageScope, options_html
from datahub.paging import RowMarkup, page_of, row_url
from datahub.params import as_date, as_id, as_int
from datahub.roles import Role

from . import imports, overview, rules, selectors, services
from .forms import (
    DepartForm,
    DriverForm,
    PurchaseCheckForm,
    RecordForm,
    ReviewForm,
    StatusForm,
    VehicleForm,
)
from .ledger_page import ledger_page
from .models import CostRecord, Driver, TripRequest

READERS = selectors.FLEET_READERS
EDITORS = selectors.FLEET_EDITORS


PAGES = PageScope(readers=READERS, subject=_("公务用车台账"))


def _shares(user, year: int) -> dict:
    """The year's new-energy share per unit and the minimum of the rules in force that year (percent)."""
    version = selectors.rules_in_force(date(year, 12, 31))
    minimum = int(version.new_energy_share_min * 100) if version else None
    return {"nev": selectors.new_energy_share(user, year, version), "year": year, "min_share": minimum}


def _service_error(request, exc) -> None:
    messages.error(request, refusal_text(exc))


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
            **selectors.board_counts(request.user),
            **_shares(request.user, year),
            "quotas": selectors.quota_usage(request.user),
        },
    )


# --- Ledger ------------------------------------------------------------------------------------

VEHICLE_COLUMNS = (
    Column(_("号牌号码"), "plate"),
    Column(_("车辆识别代号"), "vin"),
    Column(_("车辆类别"), "get_category_display"),
    Column(_("所属单位编码"), "org_unit.code"),
    Column(_("所属单位"), "org_unit.name"),
    Column(_("品牌"), "brand"),
    Column(_("型号"), "model_name"),
    Column(_("能源类型"), "get_energy_type_display"),
    Column(_("排量"), "displacement"),
    Column(_("座位数"), "seats"),
    Column(_("购置价格"), "purchase_price"),
    Column(_("购置日期"), "purchase_date"),
    Column(_("里程表读数"), "odometer_km"),
    Column(_("状态"), "get_status_display"),
    Column(_("备注"), "note"),
)


LEDGER_ROW_MARKUP = RowMarkup(
    '<tr><td><a href="{url}">{plate}</a></td><td>{category}</td><td>{unit}</td><td>{model}</td><td>{energy}</td>'
    "<td>{purchase_date}</td><td>{purchase_price}</td><td>{odometer_km}</td><td>{status}</td></tr>\n"
)


class VehicleList(ObjectListView):
    pages = PAGES
    template_name = "vehicles/vehicle_list.html"
    tab = "vehicles"
    unit_filter = True
    adders = EDITORS
    filters = {
        "q": Search(),
        "category": Text(),
        "status": Text(),
        "energy_type": Text(),
        "insurance_expiring": Flag(),
        "inspection_expiring": Flag(),  # the command center's 年检到期 figure opens the ledger with it
    }
    export_filename = "公务用车台账.xlsx"
    export_columns = VEHICLE_COLUMNS

    def get_queryset(self):
        f = self.filter_values
        qs = selectors.vehicle_ledger(
            self.request.user,
            unit=self.unit,
            search=f["q"],
            category=f["category"],
            status=f["status"],
            energy_type=f["energy_type"],
            insurance_expiring=f["insurance_expiring"],
        )
        return overview.papers_expiring(qs, CostRecord.Kind.INSPECTION) if f["inspection_expiring"] else qs

    def get_page_items(self):
        if any(self.filter_values.values()) or self.unit is not None or self.unit_unknown:
            return self.get_queryset()
        page = ledger_page(self.request.user, size=self.page_size, page=self.request.GET.get("page"))
        return self.get_queryset() if page is None else page

    def on_page(self, page) -> None:
        # Each cell of the fifty rows formatted once here, the template only places them: filters, methods
        # and a {% url %} per cell were most of the page's time (#17). The rows are read as values() with the
        # columns shown: no vehicle, unit and card instances per row.
        url = row_url("vehicles:vehicle-detail")
        # Each label translated once for the page, not once per row.
        categories, energies, statuses = (
            {value: shown(label) for value, label in choices}
            for choices in (rules.Category.choices, rules.EnergyType.choices, rules.VehicleStatus.choices)
        )
        page.object_list = [
            {
                "url": url(v["pk"]),
                "plate": v["plate"],
                "category": categories.get(v["category"], v["category"]),
                "unit": formatting.unit_name(v["org_unit__name"], v["org_unit__level"], v["unit_parent_name"]),
                "model": f"{v['brand']} {v['model_name']}",
                "energy": energies.get(v["energy_type"], v["energy_type"]),
                # No card yet: no purchase date (the page said "None" here before).
                "purchase_date": localize(v["asset__acquired_on"]) if v["asset__acquired_on"] else formatting.EMPTY,
                "purchase_price": formatting.number(v["asset__original_value"]),
                "odometer_km": localize(v["odometer_km"]),
                "status": statuses.get(v["status"], v["status"]),
            }
            for v in selectors.ledger_rows(page.object_list)
        ]
        page.rows_html = LEDGER_ROW_MARKUP.render(page.object_list)

    def get_context_data(self, **kwargs):
        get = self.request.GET.get
        return {
            "category_options": options_html(rules.Category.choices, get("category")),
            "status_options": options_html(rules.VehicleStatus.choices, get("status")),
            "energy_options": options_html(rules.EnergyType.choices, get("energy_type")),
        }


class _OnVehicle:
    """Pages of one vehicle the user may see (404 otherwise)."""

    def get_scoped_queryset(self):
        return selectors.vehicles_for(self.request.user)


class _VehicleForm(_OnVehicle, ObjectFormView):
    """The app's form pages: 编辑…：… in the heading, back to the vehicle (or the overview)."""

    def get_context_data(self, form):
        back = getattr(self, "back", None)
        context = {
            "cancel_url": reverse("vehicles:vehicle-detail", args=[back.pk]) if back else reverse("vehicles:home")
        }
        if self.object is not None:
            context["heading"] = _("编辑%(noun)s：%(name)s") % {"noun": self.title, "name": self.object}
        return context


class _ManagedVehicleForm(_VehicleForm):
    """A form about one vehicle (a cost record), for those who manage it."""

    def get_object(self):
        self.back = super().get_object()
        return None

    def check_permission(self, obj):
        if not scoping.covers(self.request.user, self.back.org_unit, roles=EDITORS):
            raise PermissionDenied(_("您没有管理该车辆的权限。"))

    def get_initial(self):
        return {"date": timezone.localdate()}

    def get_success_url(self, result):
        return reverse("vehicles:vehicle-detail", args=[self.back.pk])

    def get_context_data(self, form):
        return {**super().get_context_data(form), "title": f"{self.back.plate}{self.title}", "back": self.back}


class VehicleDetail(_OnVehicle, ObjectDetailView):
    template_name = "vehicles/vehicle_detail.html"
    tab = "vehicles"
    context_object_name = "vehicle"

    def get_context_data(self, **kwargs):
        vehicle = self.object
        can_edit = scoping.covers(self.request.user, vehicle.org_unit, roles=EDITORS)
        return {
            "can_edit": can_edit and vehicle.status != rules.VehicleStatus.DISPOSED,
            **selectors.vehicle_file(vehicle),
            "disposal": getattr(vehicle, "disposal", None),
            "card": selectors.card_of(vehicle),
            "status_form": StatusForm(initial={"status": vehicle.status}),
        }


class VehicleEdit(_VehicleForm):
    form_class = VehicleForm
    form_takes_actor = True
    title = _("车辆")
    success_message = _("车辆信息已保存。")

    def check_permission(self, vehicle):
        if vehicle is not None and not scoping.covers(self.request.user, vehicle.org_unit, roles=EDITORS):
            raise PermissionDenied(_("您没有管理该车辆的权限。"))
        if vehicle is None and not scoping.holds_any(self.request.user, EDITORS):
            raise PermissionDenied(_("您没有登记车辆的权限。"))

    def perform(self, form, vehicle):
        if vehicle is None:
            return services.register_vehicle(actor=self.request.user, fields=form.cleaned_data)
        services.update_vehicle(actor=self.request.user, vehicle=vehicle, fields=form.cleaned_data)
        return vehicle

    def get_success_url(self, vehicle):
        return reverse("vehicles:vehicle-detail", args=[vehicle.pk])


class _VehicleAction(_OnVehicle, ObjectActionView):
    def get_success_url(self, vehicle):
        return reverse("vehicles:vehicle-detail", args=[vehicle.pk])


class VehicleStatusChange(_VehicleAction):
    form_class = StatusForm
    invalid_message = _("状态：请选择可用、维修中或封存。")
    success_message = _("车辆状态已更新。")

    def perform(self, vehicle, data):
        services.set_status(actor=self.request.user, vehicle=vehicle, status=data["status"])


class VehiclePhotoUpload(_VehicleAction):
    success_message = _("照片已上传。")

    def perform(self, vehicle, data):
        services.add_photo(
            actor=self.request.user,
            vehicle=vehicle,
            file=self.request.FILES.get("file"),
            caption=self.request.POST.get("caption", ""),
        )


@login_required
def photo_file(request, pk):
    """Photos are served only to people who may see the vehicle (stored under random names)."""
    photo = get_object_or_404(selectors.photos_for(request.user), pk=pk)
    return FileResponse(photo.file.open("rb"))


class RecordCreate(_ManagedVehicleForm):
    form_class = RecordForm
    title = _("费用记录")
    success_message = _("费用记录已保存。")

    def perform(self, form, obj):
        services.add_record(actor=self.request.user, vehicle=self.back, fields=form.cleaned_data)


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
                body_type=data["body_type"] or rules.BodyType.SEDAN,
                use_scope=data["use_scope"] or rules.UseScope.GENERAL,
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, as_validation(exc))
        else:
            verdict = caps or [_("该类别无统一价格标准（由主管部门会同财政部门核定）")]
    return render(request, "vehicles/purchase_check.html", {"tab": "vehicles", "form": form, "verdict": verdict})


# --- Drivers -----------------------------------------------------------------------------------


class DriverList(ObjectListView):
    pages = PAGES
    template_name = "vehicles/driver_list.html"
    tab = "drivers"
    unit_filter = True
    adders = EDITORS
    filters = {"q": Search(), "status": Text(), "expired": Flag()}
    export_filename = "驾驶员.xlsx"
    export_columns = (
        Column(_("姓名"), "person.name"),
        Column(_("用户名"), "person.username"),
        Column(_("所属单位"), "org_unit.name"),
        Column(_("准驾车型"), "licence_class"),
        Column(_("驾驶证有效期至"), "licence_expires"),
        Column(_("状态"), "get_status_display"),
    )

    def get_queryset(self):
        f = self.filter_values
        return selectors.driver_roster(
            self.request.user, unit=self.unit, search=f["q"], status=f["status"], expired=f["expired"]
        )

    def get_context_data(self, **kwargs):
        return {"statuses": Driver.Status.choices, "today": timezone.localdate()}


class DriverEdit(_VehicleForm):
    form_class = DriverForm
    form_takes_actor = True
    title = _("驾驶员")
    success_message = _("驾驶员信息已保存。")

    def get_scoped_queryset(self):
        return selectors.drivers_for(self.request.user)

    def check_permission(self, driver):
        if not scoping.holds_any(self.request.user, EDITORS):
            raise PermissionDenied(_("您没有管理驾驶员的权限。"))

    def perform(self, form, driver):
        services.save_driver(actor=self.request.user, fields=form.cleaned_data, driver=driver)

    def get_success_url(self, result):
        return reverse("vehicles:driver-list")


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


def _assign(request, trip) -> str:
    """Dispatch ``trip`` as posted (a vehicle and a driver, or a compatible dispatch to join); the message."""
    if request.POST.get("pool"):
        dispatch = get_object_or_404(selectors.dispatches_for(request.user, EDITORS), pk=as_id(request.POST["pool"]))
        services.pool_trip(actor=request.user, ticket=trip.ticket, dispatch=dispatch)
        return _("已安排拼车。")
    vehicle = selectors.vehicle_of(request.user, as_id(request.POST.get("vehicle")), EDITORS)
    if vehicle is None:
        raise ValidationError({"vehicle": _("请选择车辆。")})
    driver = None
    if request.POST.get("driver"):
        driver = selectors.driver_of(request.user, as_id(request.POST["driver"]), EDITORS)
        if driver is None:
            raise ValidationError({"driver": _("驾驶员不存在或不在您的管理范围内。")})
    services.dispatch_trip(actor=request.user, ticket=trip.ticket, vehicle=vehicle, driver=driver)
    return _("已派车：%(plate)s。") % {"plate": vehicle.plate}


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
            messages.success(request, _assign(request, trip))
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
            "pools": selectors.poolable_dispatches(request.user, trip)[:20],
        },
    )


class _DispatchAction(ObjectActionView):
    def get_scoped_queryset(self):
        return selectors.dispatches_for(self.request.user, EDITORS)

    def get_success_url(self, dispatch):
        return reverse("vehicles:board")


class Depart(_DispatchAction):
    form_class = DepartForm
    invalid_message = _("出车里程表读数：请填写不小于0的整数。")

    def perform(self, dispatch, data):
        services.depart(actor=self.request.user, dispatch=dispatch, odometer_km=data["odometer_km"])

    def get_success_message(self, dispatch):
        return _("%(plate)s已出车。") % {"plate": dispatch.vehicle.plate}


class Cancel(_DispatchAction):
    success_message = _("派车单已取消，申请回到待派车。")

    def perform(self, dispatch, data):
        services.cancel_dispatch(actor=self.request.user, dispatch=dispatch, reason=self.request.POST.get("reason", ""))


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
                raise ValidationError({"comment": _("请填写审核意见。")})
            services.review_emergency(actor=request.user, ticket=trip.ticket, comment=form.cleaned_data["comment"])
        except (ValidationError, PermissionDenied) as exc:
            _service_error(request, exc)
        else:
            messages.success(request, gettext_lazy("已完成事后审核。"))
        return redirect("vehicles:reviews")
    return render(request, "vehicles/reviews.html", {"tab": "reviews", "page": page_of(request, pending)})


# --- Statistics and renewal --------------------------------------------------------------------


def _period(request) -> tuple[date, date]:
    today = timezone.localdate()
    start = as_date(request.GET.get("start")) or today.replace(day=1)
    end = as_date(request.GET.get("end")) or today
    if end < start:
        start, end = end, start
    return start, end


KINDS = CostRecord.Kind.choices


class Statistics(ObjectListView):
    """Per vehicle and per unit: trips, distance, utilisation, fuel and costs over a period."""

    pages = PAGES
    template_name = "vehicles/statistics.html"
    tab = "stats"
    unit_filter = True
    paginate = False
    export_kind = "vehicles.Statistics"
    export_columns = (
        Column(_("号牌号码"), "vehicle.plate"),
        Column(_("所属单位"), "vehicle.org_unit.name"),
        Column(_("出车次数"), "trips"),
        Column(_("行驶里程(km)"), "distance"),
        Column(_("预订时长(h)"), "booked_hours"),
        Column(_("利用率(%)"), "utilisation"),
        Column(_("百公里油耗(L)"), "fuel_per_100km"),
        Column(_("每公里费用(元)"), "cost_per_km"),
        *[Column(format_lazy(_("{label}(元)"), label=label), lambda r, k=k: r["costs"][k]) for k, label in KINDS],
        Column(_("费用合计(元)"), "cost_total"),
    )

    def prepare(self):
        super().prepare()
        self.start, self.end = _period(self.request)

    def get_export_filename(self):
        return _("公务用车统计%(start)s至%(end)s.xlsx") % {"start": self.start, "end": self.end}

    def get_queryset(self):
        return selectors.vehicle_stats(self.request.user, self.start, self.end, unit=self.unit)

    def get_context_data(self, items):
        units = selectors.unit_stats(self.request.user, self.start, self.end, rows=items)
        for row in (*units, *items):
            row["cost_list"] = [row["costs"][k] for k, _ in KINDS]
        return {
            "start": self.start,
            "end": self.end,
            "unit_rows": units,
            "vehicle_rows": items,
            "kinds": KINDS,
            "working_hours": selectors.working_hours(self.start, self.end),
        }


class Renewal(ObjectListView):
    pages = PAGES
    template_name = "vehicles/renewal.html"
    tab = "renewal"
    unit_filter = True  # the command center's 达到更新年限 figure opens the list of its unit
    export_filename = "可更新车辆.xlsx"
    export_columns = VEHICLE_COLUMNS

    def get_queryset(self):
        self.vehicle_rules = selectors.rules_in_force()  # the renewal age, read once for the list and its heading
        return overview.renewable_within(self.request.user, self.vehicle_rules, self.unit)

    def get_context_data(self, **kwargs):
        year = as_int(self.request.GET.get("year"), 1900, 2100) or timezone.localdate().year
        version = getattr(self, "vehicle_rules", None) or selectors.rules_in_force()
        return {
            "years": version.renewal_years if version else None,
            "mileage": version.renewal_mileage_km if version else None,
            **_shares(self.request.user, year),
        }
