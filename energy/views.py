"""Energy pages. Reads go through selectors (scoped), writes through services."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from datahub import formatting, scoping
from datahub.forms import add_service_errors
from datahub.generic_views import (
    Choice,
    Column,
    Int,
    ObjectActionView,
    ObjectFormView,
    ObjectListView,
    Search,
    Text,
)
from datahub.import_views import upload_page
from datahub.keyed import joined
from datahub.models import OrgUnit
from datahub.pages import PageScope
from datahub.paging import page_of, query_without_page
from datahub.params import as_int
from portal import selectors as portal_selectors
from portal.workflow import Status

from . import basedata, charts, exporters, imports, rules, selectors, services
from .forms import CorrectionForm, ProfileCorrectionForm, ProfileForm, RecomputeForm, SheetForm, SubmitForm
from .models import ConsumptionRecord
from .review import period_snapshot

READERS = selectors.ENERGY_READERS


PAGES = PageScope(
    readers=READERS, subject=_("公共机构节能数据"), unit_levels=(OrgUnit.Level.REGION, OrgUnit.Level.INSTITUTION)
)


def _int_param(request, name: str, low: int, high: int) -> int | None:
    """An integer query parameter within [low, high], else None (garbage never reaches int() or the ORM)."""
    return as_int(request.GET.get(name), low, high)


def _year(request, default=None) -> int:
    return _int_param(request, "year", 2000, 2100) or default or date.today().year - 1


def _quarter(request) -> int:
    raw = request.GET.get("quarter", "0")
    return int(raw) if raw in ("0", "1", "2", "3", "4") else 0


def _institution_or_404(request, pk) -> OrgUnit:
    return get_object_or_404(selectors.institutions_for(request.user), pk=pk)


def _errors(request, exc) -> None:
    messages.error(request, joined(exc.messages if isinstance(exc, ValidationError) else [str(exc)]))


def _trend(unit, year):
    series = selectors.monthly_series(unit, year - 1, year)
    return charts.trend_svg([(f"{y}-{m:02d}", v) for y, m, v in series])


@login_required
def home(request):
    PAGES.require_reader(request)
    year, quarter = _year(request), _quarter(request)
    unit = PAGES.within(request) or selectors.home_unit(request.user)
    context = {
        "year": year,
        "quarter": quarter,
        "unit": unit,
        "units": PAGES.units(request),
        "query": query_without_page(request),
    }
    if unit is not None:
        context.update(
            ind=selectors.indicators(unit, year, quarter),
            trend=_trend(unit, year),
            # The reports among this user's requests to approve in the portal's one inbox.
            inbox=portal_selectors.approval_inbox(request.user, kind=services.KIND)[:10],
            anomalies=selectors.anomalies(request.user, within=unit, limit=10),
        )
    return render(request, "energy/home.html", context)


# --- Institutions and profiles -------------------------------------------------------------------------


class _Year(Int):
    """The year a page shows: last year unless asked."""

    def __init__(self):
        super().__init__(2000, 2100)

    def clean(self, raw):
        return super().clean(raw) or date.today().year - 1


class InstitutionList(ObjectListView):
    pages = PAGES
    template_name = "energy/institution_list.html"
    unit_filter = True
    filters = {"year": _Year(), "category": Text(), "q": Search()}
    export_columns = (
        Column(_("机构编码"), "org_unit.code"),
        Column(_("机构名称"), "org_unit.name"),
        Column(_("年度"), "year"),
        Column(_("机构类型"), "get_category_display"),
        Column(_("气候区"), "get_climate_zone_display"),
        Column(_("建筑面积（m²）"), "building_area"),
        Column(_("面积来源"), lambda p: _("办公用房") if p.area_from_officespace else _("填报")),
        Column(_("采暖面积（m²）"), "heated_area"),
        Column(_("用能人数"), "energy_users"),
    )
    export_kind = "energy.InstitutionList"

    def get_export_filename(self):
        return _("公共机构基本信息%(year)s.xlsx") % {"year": self.filter_values["year"]}

    def get_queryset(self):
        f = self.filter_values
        return selectors.profiles_for(
            self.request.user, within=self.unit, year=f["year"], category=f["category"], search=f["q"]
        )

    def get_context_data(self, **kwargs):
        year = self.filter_values["year"]
        missing = selectors.institutions_without_profile(self.request.user, year=year, within=self.unit)
        return {"year": year, "categories": rules.InstitutionCategory.choices, "missing": missing[:50]}


@login_required
def institution_detail(request, pk):
    unit = _institution_or_404(request, pk)
    year = _year(request)
    profile = selectors.profile_of(unit, year)
    ind = selectors.indicators(unit, year)
    can_edit = scoping.covers(request.user, unit, roles=services.ENERGY_EDITORS)
    return render(
        request,
        "energy/institution_detail.html",
        {
            "unit": unit,
            "year": year,
            "profile": profile,
            "ind": ind,
            "band": selectors.quota_band(profile, ind["figures"]),
            "percentile": selectors.percentile(unit, year),
            "trend": _trend(unit, year),
            "table": selectors.month_grid(unit, year),
            "months": range(1, 13),
            "locked": selectors.locked_months(unit, year),
            "derived": selectors.derived_types(unit),
            "submissions": selectors.submissions_of_unit(request.user, unit),
            "history": selectors.profile_history(unit),
            "basedata": basedata.effective(unit, year),
            "corrections": basedata.correction_history(unit, year),
            "can_edit": can_edit,
            "submit_form": SubmitForm(initial={"year": year, "quarter": 0}) if can_edit else None,
        },
    )


class _InstitutionForm(ObjectFormView):
    """A form on one institution in the user's scope, for the year in the URL; editors only."""

    def get_scoped_queryset(self):
        return selectors.institutions_for(self.request.user)

    def check_permission(self, obj) -> None:
        services.require_editor(actor=self.request.user, unit=obj)

    def get_success_url(self, result) -> str:
        return f"{unit_url(self.object)}?year={self.kwargs['year']}"

    def get_context_data(self, form) -> dict:
        return {"cancel_url": self.get_success_url(None)}


class ProfileFormView(_InstitutionForm):
    """The year's basic information: derived from the directory and office space; only the heated area is entered."""

    form_class = ProfileForm

    @property
    def title(self):
        return _("%(name)s %(year)s年度基本信息") % {"name": self.object.name, "year": self.kwargs["year"]}

    def get_initial(self) -> dict:
        current = selectors.profile_of(self.object, self.kwargs["year"])
        return {"heated_area": current.heated_area} if current else {}

    def get_context_data(self, form) -> dict:
        eff = basedata.effective(self.object, self.kwargs["year"])
        note = str(_("；")).join(
            str(
                _("%(label)s：%(value)s")
                % {"label": f["label"], "value": f["value"] if f["value"] is not None else "—"}
            )
            for f in eff.values()
        )
        return {
            **super().get_context_data(form),
            "heading_note": _("取数（含已登记的更正）：%(note)s") % {"note": note},
        }

    def perform(self, form, obj):
        return services.save_profile(
            actor=self.request.user, org_unit=obj, year=self.kwargs["year"], **form.cleaned_data
        )

    def get_success_message(self, result) -> str:
        return _("已保存%(year)s年度基本信息（取自组织机构、办公用房）。") % {"year": result.year}


class ProfileCorrectionView(_InstitutionForm):
    """A value other than the derived one: recorded with its reason and document, kept in the history."""

    form_class = ProfileCorrectionForm

    def get_context_data(self, form) -> dict:
        return {**super().get_context_data(form), "submit_label": _("登记更正")}

    @property
    def title(self):
        return _("%(name)s %(year)s年度基本信息更正") % {"name": self.object.name, "year": self.kwargs["year"]}

    def perform(self, form, obj):
        return services.profile_correct(
            actor=self.request.user, org_unit=obj, year=self.kwargs["year"], **form.cleaned_data
        )

    def get_success_message(self, result) -> str:
        return _("已登记%(field)s的更正。") % {"field": result.get_field_display()}


def unit_url(unit) -> str:
    return reverse("energy:institution-detail", args=[unit.pk])


@login_required
def sheet(request, pk, year, month):
    """A month's sheet: every energy type at once (vehicle fuel shown as derived where it is)."""
    unit = _institution_or_404(request, pk)
    services.require_editor(actor=request.user, unit=unit)
    if not 1 <= month <= 12:
        raise PermissionDenied(_("月份应为1–12。"))
    existing = selectors.month_sheet_lines(unit, year, month)
    derived = selectors.derived_types(unit)
    form = SheetForm(request.POST or None, derived=derived, initial_lines=existing)
    locked = month in selectors.locked_months(unit, year)
    unusual = False
    if request.method == "POST" and not locked and form.is_valid():
        try:
            out = services.save_month_sheet(
                actor=request.user,
                org_unit=unit,
                year=year,
                month=month,
                lines=form.line_data(),
                confirm_unusual=request.POST.get("confirm_unusual") == "1",
            )
        except ValidationError as exc:
            # A figure far off the unit's history: warned at entry; the reporter confirms it or corrects it.
            unusual = any(e.code == "unusual" for errors in getattr(exc, "error_dict", {}).values() for e in errors)
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已保存%(year)s年%(month)s月：%(saved)s项，清除%(removed)s项。")
                % {"year": year, "month": month, "saved": out["saved"], "removed": out["removed"]},
            )
            return redirect(f"{unit_url(unit)}?year={year}")
    return render(
        request,
        "energy/sheet.html",
        {
            "unit": unit,
            "year": year,
            "month": month,
            "form": form,
            "locked": locked,
            "derived": derived,
            "unusual": unusual,
        },
    )


# --- Records, import -------------------------------------------------------------------------------------


class RecordList(ObjectListView):
    pages = PAGES
    template_name = "energy/record_list.html"
    unit_filter = True
    filters = {"year": _Year(), "month": Int(1, 12), "type": Text(), "source": Text()}
    export_filename = "能源资源消费记录.xlsx"
    # The import's columns (机构名称 beside its code, for reading), then what the platform computed.
    export_columns = (
        Column(_("机构编码"), "org_unit.code"),
        Column(_("机构名称"), "org_unit.name"),
        Column(_("年度"), "year"),
        Column(_("月份"), "month"),
        Column(_("能源品种"), "get_energy_type_display"),
        Column(_("实物量"), "quantity"),
        Column(_("计量单位"), "unit"),
        Column(_("金额（元）"), "cost"),
        Column(_("采集方式"), "get_collection_display"),
        Column(_("来源"), "get_source_display"),
        Column(_("折标准煤（kgce）"), "kgce"),
        Column("CO₂（kg）", "kgco2"),
        Column(_("折算系数版本"), "coefficient_version.name"),
    )

    def get_queryset(self):
        f = self.filter_values
        return selectors.records_for(
            self.request.user,
            within=self.unit,
            year=f["year"],
            month=f["month"],
            energy_type=f["type"],
            source=f["source"],
        )

    def get_context_data(self, **kwargs):
        return {
            "types": rules.EnergyType.choices,
            "sources": ConsumptionRecord.Source.choices,
            "year": self.filter_values["year"],
            "can_import": scoping.holds_any(self.request.user, services.ENERGY_EDITORS),
        }


@login_required
def record_import(request):
    return upload_page(request, imports.RecordImporter.kind, "energy/import.html")


# --- Submissions ---------------------------------------------------------------------------------------


class Submit(ObjectActionView):
    """报送: the institution's figures for a period go to review."""

    def get_scoped_queryset(self):
        return selectors.institutions_for(self.request.user)

    def post(self, request, *args, **kwargs):
        unit = self.get_object()
        form = SubmitForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择年度和报送期。"))
            return redirect(unit_url(unit))
        try:
            period = services.period_of(year=form.cleaned_data["year"], quarter=form.cleaned_data["quarter"])
            sub = services.submit(actor=request.user, org_unit=unit, period=period)
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
            return redirect(f"{unit_url(unit)}?year={form.cleaned_data['year']}")
        messages.success(
            request,
            _("已报送%(period)s，审核提示%(count)s条；已进入上一级的统一待办。")
            % {"period": period, "count": len(sub.warnings)},
        )
        return redirect("energy:submission-detail", pk=sub.pk)


class SubmissionList(ObjectListView):
    """Reports in scope; reviewing is in the portal's one inbox (each row links to its request)."""

    pages = PAGES
    template_name = "energy/submission_list.html"
    unit_filter = True
    filters = {"status": Text()}

    def get_queryset(self):
        return selectors.submissions_for(self.request.user, within=self.unit, status=self.filter_values["status"])

    def get_context_data(self, **kwargs):
        return {"statuses": Status.choices}


@login_required
def submission_detail(request, pk):
    sub = get_object_or_404(selectors.submissions_for(request.user), pk=pk)
    can_correct = sub.ticket.status == Status.DONE and scoping.covers(
        request.user, sub.org_unit, roles=services.ENERGY_EDITORS
    )
    correction = CorrectionForm(request.POST or None) if can_correct else None
    if request.method == "POST":
        if correction is None:
            raise PermissionDenied(_("只有本机构的能耗填报人员可以对审核通过的报送申请更正。"))
        if correction.is_valid():
            try:
                new = services.open_correction(
                    actor=request.user, submission=sub, reason=correction.cleaned_data["reason"]
                )
            except ValidationError as exc:
                add_service_errors(correction, exc)
            except PermissionDenied as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("已开启更正，修改数据后请重新报送。"))
                return redirect("energy:submission-detail", pk=new.pk)
    figures = sub.figures or period_snapshot(sub.org_unit, sub.period)
    return render(
        request,
        "energy/submission_detail.html",
        {
            "sub": sub,
            "versions": selectors.submission_versions(sub),
            "figures": figures,
            "is_snapshot": bool(sub.figures),
            "correction": correction,
        },
    )


class Summary(ObjectListView):
    """Figures summed by department, institution type or region (all rows on one page)."""

    pages = PAGES
    template_name = "energy/summary.html"
    unit_filter = True
    paginate = False
    filters = {"year": _Year(), "quarter": Choice(["0", "1", "2", "3", "4"]), "by": Choice(selectors.SUMMARY_BY)}
    export_kind = exporters.SUMMARY
    export_columns = tuple(
        Column(header, lambda row, i=i: row[i]) for i, header in enumerate(exporters.SUMMARY_HEADERS)
    )

    def prepare(self):
        super().prepare()
        f = self.filter_values
        self.year, self.quarter, self.by = f["year"], int(f["quarter"] or 0), f["by"] or "department"

    def get_export_filename(self):
        period = _("%(year)s年") % {"year": self.year} + (
            _("第%(quarter)s季度") % {"quarter": self.quarter} if self.quarter else ""
        )
        return f"{selectors.SUMMARY_BY[self.by]}{period}.xlsx"

    def get_queryset(self):
        groups = selectors.summary(
            self.request.user, year=self.year, by=self.by, quarter=self.quarter, within=self.unit
        )
        return list(exporters.summary_rows(groups))

    def get_context_data(self, items=(), **kwargs):
        # The page leaves out the energy types no row has (eleven types, most units use three or four) so the
        # table stays near the page's width; the export keeps every column, with the exact numbers as numbers.
        kept = exporters.summary_columns_with_data(items)
        places = [exporters.SUMMARY_PLACES[i] for i in kept]
        return {
            # Numbers as people read them (20,500.00; never 20500.0000).
            "rows": [
                [
                    c if p is None else formatting.number(c, p)
                    for c, p in zip([row[i] for i in kept], places, strict=True)
                ]
                for row in items
            ],
            "headers": [exporters.SUMMARY_HEADERS[i] for i in kept],
            "by": self.by,
            "kinds": selectors.SUMMARY_BY.items(),
            "year": self.year,
            "quarter": self.quarter,
        }


@login_required
def coefficients(request):
    PAGES.require_reader(request)
    can_manage = scoping.holds_any(request.user, (services.Role.BUREAU_ADMIN,))
    form = RecomputeForm(request.POST or None) if can_manage else None
    if request.method == "POST" and form is not None and form.is_valid():
        unit = PAGES.within(request) or selectors.home_unit(request.user, roles=(services.Role.BUREAU_ADMIN,))
        try:
            result = services.recompute(actor=request.user, unit=unit, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                _("已按“%(version)s”重新折算%(updated)s条；已报送锁定的%(skipped_locked)s条未变。")
                % {
                    "version": form.cleaned_data["version"],
                    "updated": result.updated,
                    "skipped_locked": result.skipped_locked,
                },
            )
            return redirect("energy:coefficients")
    return render(
        request,
        "energy/coefficients.html",
        {**selectors.reference_data(), "form": form},
    )


@login_required
def anomaly_list(request):
    PAGES.require_reader(request)
    qs = selectors.anomalies(request.user, within=PAGES.within(request), year=_int_param(request, "year", 2000, 2100))
    if request.method == "POST":
        pk = request.POST.get("pk", "")
        anomaly = get_object_or_404(qs, pk=int(pk) if pk.isdecimal() else 0)
        try:
            services.resolve_anomaly(actor=request.user, anomaly=anomaly)
        except PermissionDenied as exc:
            _errors(request, exc)
        return redirect("energy:anomalies")
    return render(
        request,
        "energy/anomalies.html",
        {"page": page_of(request, qs), "units": PAGES.units(request), "query": query_without_page(request)},
    )
