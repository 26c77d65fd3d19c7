"""Energy pages. Reads go through selectors (scoped), writes through services."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from datahub import scoping
from datahub.exports import export_response, xlsx_response
from datahub.forms import add_service_errors
from datahub.import_views import upload_page
from datahub.models import OrgUnit
from datahub.pages import PageScope
from datahub.paging import page_of, query_without_page
from datahub.params import as_int

from . import charts, exporters, imports, rules, selectors, services
from .forms import CorrectionForm, ProfileForm, RecomputeForm, ReviewForm, SheetForm, SubmitForm
from .models import CoefficientVersion, ConsumptionRecord, InstitutionProfile, Quota, Submission, Target

READERS = selectors.ENERGY_READERS


PAGES = PageScope(
    readers=READERS, subject="公共机构节能数据", unit_levels=(OrgUnit.Level.REGION, OrgUnit.Level.INSTITUTION)
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
    messages.error(request, "；".join(exc.messages if isinstance(exc, ValidationError) else [str(exc)]))


def _trend(unit, year):
    series = selectors.monthly_series(unit, year - 1, year)
    return charts.trend_svg([(f"{y}-{m:02d}", v) for y, m, v in series])


@login_required
def home(request):
    PAGES.require_reader(request)
    year, quarter = _year(request), _quarter(request)
    unit = PAGES.within(request) or scoping.visible_units(request.user, roles=READERS).order_by("depth", "path").first()
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
            inbox=selectors.review_inbox(request.user)[:10],
            anomalies=selectors.anomalies(request.user, within=unit)[:10],
        )
    return render(request, "energy/home.html", context)


# --- Institutions and profiles -------------------------------------------------------------------------


@login_required
def institution_list(request):
    PAGES.require_reader(request)
    year = _year(request)
    qs = selectors.profiles_for(
        request.user,
        within=PAGES.within(request),
        year=year,
        category=request.GET.get("category", ""),
        search=request.GET.get("q", "").strip(),
    )
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                p.org_unit.code,
                p.org_unit.name,
                p.year,
                p.get_category_display(),
                p.get_climate_zone_display(),
                p.building_area,
                "办公用房" if p.area_from_officespace else "填报",
                p.heated_area,
                p.energy_users,
            )
            for p in qs.iterator(chunk_size=2000)
        )
        headers = [
            "机构编码",
            "机构名称",
            "年度",
            "机构类型",
            "气候区",
            "建筑面积（m²）",
            "面积来源",
            "采暖面积（m²）",
            "用能人数",
        ]
        return xlsx_response(f"公共机构基本信息{year}.xlsx", headers, rows)
    missing = selectors.institutions_for(request.user, within=PAGES.within(request)).exclude(
        pk__in=InstitutionProfile.objects.filter(year=year).values("org_unit")
    )
    return render(
        request,
        "energy/institution_list.html",
        {
            "page": page_of(request, qs),
            "year": year,
            "units": PAGES.units(request),
            "categories": rules.InstitutionCategory.choices,
            "missing": missing[:50],
            "query": query_without_page(request),
        },
    )


@login_required
def institution_detail(request, pk):
    unit = _institution_or_404(request, pk)
    year = _year(request)
    profile = InstitutionProfile.objects.filter(org_unit=unit, year=year).first()
    ind = selectors.indicators(unit, year)
    records = ConsumptionRecord.objects.filter(org_unit=unit, year=year)
    grid = {}
    for r in records:
        grid.setdefault(r.energy_type, {})[r.month] = r
    table = [(label, [grid.get(code, {}).get(m) for m in range(1, 13)]) for code, label in rules.EnergyType.choices]
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
            "table": table,
            "months": range(1, 13),
            "locked": selectors.locked_months(unit, year),
            "derived": selectors.derived_types(unit),
            "submissions": selectors.submissions_for(request.user, within=unit).filter(org_unit=unit)[:20],
            "history": InstitutionProfile.history.filter(org_unit_id=unit.pk).select_related("history_user")[:10],
            "can_edit": can_edit,
            "submit_form": SubmitForm(initial={"year": year, "quarter": 0}) if can_edit else None,
        },
    )


@login_required
def profile_form(request, pk, year):
    unit = _institution_or_404(request, pk)
    services.require_editor(actor=request.user, unit=unit)
    current = InstitutionProfile.objects.filter(org_unit=unit, year=year).first()
    defaults = selectors.profile_defaults(unit)
    initial = {}
    if current is not None:
        initial = {
            "category": current.category,
            "climate_zone": current.climate_zone,
            "grid_region": current.grid_region,
            "building_area": None if current.area_from_officespace else current.building_area,
            "heated_area": current.heated_area,
            "energy_users": None if current.users_from_directory else current.energy_users,
        }
    form = ProfileForm(request.POST or None, initial=initial)
    if defaults["building_area"] is not None:
        form.fields["building_area"].disabled = True
        form.fields["building_area"].help_text = f"取自办公用房台账：{defaults['building_area']} m²。"
    form.fields["energy_users"].help_text = f"留空则取组织机构在职人数（当前{defaults['headcount']}人）。"
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(actor=request.user, org_unit=unit, year=year, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存{year}年度基本信息。")
            return redirect(f"{unit_url(unit)}?year={year}")
    return render(
        request, "energy/form.html", {"form": form, "title": f"{unit.name} {year}年度基本信息", "back": unit_url(unit)}
    )


def unit_url(unit) -> str:
    return reverse("energy:institution-detail", args=[unit.pk])


@login_required
def sheet(request, pk, year, month):
    """A month's sheet: every energy type at once (vehicle fuel shown as derived where it is)."""
    unit = _institution_or_404(request, pk)
    services.require_editor(actor=request.user, unit=unit)
    if not 1 <= month <= 12:
        raise PermissionDenied("月份应为1–12。")
    if request.method == "GET":
        services.sync_vehicle_fuel(unit_ids=[unit.pk], year=year)
    existing = {
        r.energy_type: {"quantity": r.quantity, "unit": r.unit, "cost": r.cost, "collection": r.collection}
        for r in ConsumptionRecord.objects.filter(org_unit=unit, year=year, month=month)
    }
    derived = selectors.derived_types(unit)
    form = SheetForm(request.POST or None, derived=derived, initial_lines=existing)
    locked = month in selectors.locked_months(unit, year)
    if request.method == "POST" and not locked and form.is_valid():
        try:
            out = services.save_month_sheet(
                actor=request.user, org_unit=unit, year=year, month=month, lines=form.line_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存{year}年{month}月：{out['saved']}项，清除{out['removed']}项。")
            return redirect(f"{unit_url(unit)}?year={year}")
    return render(
        request,
        "energy/sheet.html",
        {"unit": unit, "year": year, "month": month, "form": form, "locked": locked, "derived": derived},
    )


# --- Records, import -------------------------------------------------------------------------------------


@login_required
def record_list(request):
    PAGES.require_reader(request)
    qs = selectors.records_for(
        request.user,
        within=PAGES.within(request),
        year=_year(request),
        month=_int_param(request, "month", 1, 12),
        energy_type=request.GET.get("type", ""),
        source=request.GET.get("source", ""),
    )
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                r.org_unit.code,
                r.org_unit.name,
                r.year,
                r.month,
                r.get_energy_type_display(),
                r.quantity,
                r.unit,
                r.cost,
                r.get_collection_display(),
                r.get_source_display(),
                r.kgce,
                r.kgco2,
                r.coefficient_version.name,
            )
            for r in qs.iterator(chunk_size=2000)
        )
        headers = [*imports.COLUMNS, "来源", "折标准煤（kgce）", "CO₂（kg）", "折算系数版本"]
        return xlsx_response("能源资源消费记录.xlsx", headers, rows)
    return render(
        request,
        "energy/record_list.html",
        {
            "page": page_of(request, qs),
            "units": PAGES.units(request),
            "types": rules.EnergyType.choices,
            "sources": ConsumptionRecord.Source.choices,
            "year": _year(request),
            "can_import": scoping.holds_any(request.user, services.ENERGY_EDITORS),
            "query": query_without_page(request),
        },
    )


@login_required
def record_import(request):
    return upload_page(request, imports.RecordImporter.kind, "energy/import.html")


# --- Submissions ---------------------------------------------------------------------------------------


@login_required
@require_POST
def submit(request, pk):
    unit = _institution_or_404(request, pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择年度和报送期。")
        return redirect(unit_url(unit))
    try:
        period = services.period_of(year=form.cleaned_data["year"], quarter=form.cleaned_data["quarter"])
        sub = services.submit(actor=request.user, org_unit=unit, period=period)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
        return redirect(f"{unit_url(unit)}?year={form.cleaned_data['year']}")
    messages.success(request, f"已报送{period}，审核提示{len(sub.warnings)}条。")
    return redirect("energy:submission-detail", pk=sub.pk)


@login_required
def submission_list(request):
    PAGES.require_reader(request)
    box = request.GET.get("box", "")
    if box == "inbox":
        qs = selectors.review_inbox(request.user)
    else:
        qs = selectors.submissions_for(request.user, within=PAGES.within(request), status=request.GET.get("status", ""))
    return render(
        request,
        "energy/submission_list.html",
        {
            "page": page_of(request, qs),
            "box": box,
            "statuses": Submission.Status.choices,
            "units": PAGES.units(request),
            "query": query_without_page(request),
        },
    )


@login_required
def submission_detail(request, pk):
    sub = get_object_or_404(selectors.submissions_for(request.user), pk=pk)
    can_review = sub.status == Submission.Status.SUBMITTED and selectors.can_review(request.user, sub)
    can_correct = sub.status == Submission.Status.APPROVED and scoping.covers(
        request.user, sub.org_unit, roles=services.ENERGY_EDITORS
    )
    review = ReviewForm(request.POST or None) if can_review else None
    correction = CorrectionForm(request.POST or None) if can_correct else None
    if request.method == "POST":
        try:
            if review is not None and review.is_valid():
                data = review.cleaned_data
                if data["decision"] == "approve":
                    services.approve(
                        actor=request.user, submission=sub, acknowledge=data["acknowledge"], comment=data["comment"]
                    )
                    messages.success(request, "已审核通过。")
                else:
                    services.return_submission(actor=request.user, submission=sub, comment=data["comment"])
                    messages.success(request, "已退回。")
                return redirect("energy:submission-detail", pk=sub.pk)
            if correction is not None and correction.is_valid():
                new = services.open_correction(
                    actor=request.user, submission=sub, reason=correction.cleaned_data["reason"]
                )
                messages.success(request, "已开启更正，修改数据后请重新报送。")
                return redirect("energy:submission-detail", pk=new.pk)
        except ValidationError as exc:
            add_service_errors(review or correction, exc)
        except PermissionDenied as exc:
            _errors(request, exc)
    figures = sub.figures or selectors.period_snapshot(sub.org_unit, sub.period)
    return render(
        request,
        "energy/submission_detail.html",
        {
            "sub": sub,
            "events": sub.events.select_related("actor"),
            "versions": Submission.objects.filter(org_unit=sub.org_unit, period=sub.period).order_by("version"),
            "figures": figures,
            "is_snapshot": bool(sub.figures),
            "indicator_labels": rules.Indicator.choices,
            "type_labels": dict(rules.EnergyType.choices),
            "review": review,
            "correction": correction,
        },
    )


# --- Summary, coefficients, anomalies ------------------------------------------------------------------


@login_required
def summary(request):
    PAGES.require_reader(request)
    year, quarter = _year(request), _quarter(request)
    by = request.GET.get("by", "department")
    by = by if by in selectors.SUMMARY_BY else "department"
    within = PAGES.within(request)
    if request.GET.get("export") == "xlsx":
        return export_response(request, exporters.SUMMARY)
    groups = selectors.summary(request.user, year=year, by=by, quarter=quarter, within=within)
    return render(
        request,
        "energy/summary.html",
        {
            "headers": exporters.SUMMARY_HEADERS,
            "rows": list(exporters.summary_rows(groups)),
            "by": by,
            "kinds": selectors.SUMMARY_BY.items(),
            "year": year,
            "quarter": quarter,
            "units": PAGES.units(request),
            "query": query_without_page(request),
        },
    )


@login_required
def coefficients(request):
    PAGES.require_reader(request)
    versions = CoefficientVersion.objects.prefetch_related("coefficients", "grid_factors")
    can_manage = scoping.holds_any(request.user, (services.Role.BUREAU_ADMIN,))
    form = RecomputeForm(request.POST or None) if can_manage else None
    if request.method == "POST" and form is not None and form.is_valid():
        unit = (
            PAGES.within(request)
            or scoping.visible_units(request.user, roles=(services.Role.BUREAU_ADMIN,)).order_by("depth").first()
        )
        try:
            result = services.recompute(actor=request.user, unit=unit, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                f"已按“{form.cleaned_data['version']}”重新折算{result.updated}条；已报送锁定的{result.skipped_locked}条未变。",
            )
            return redirect("energy:coefficients")
    return render(
        request,
        "energy/coefficients.html",
        {
            "versions": versions,
            "quotas": Quota.objects.all(),
            "targets": Target.objects.all(),
            "form": form,
        },
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
