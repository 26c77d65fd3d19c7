"""清查盘点 pages. Reads go through selectors (scoped), writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from datahub import scoping
from datahub.exports import xlsx_response
from datahub.forms import add_service_errors
from datahub.import_views import upload_page
from datahub.pages import PageScope
from datahub.paging import page_of, query_without_page

from . import imports, selectors, services
from .forms import OpenForm, ScanForm, SurplusForm
from .models import Outcome, Stocktake, StocktakeStatus

PAGES = PageScope(readers=selectors.STOCKTAKE_READERS, subject="资产清查盘点")


def _error(request, exc) -> None:
    messages.error(request, "；".join(exc.messages if isinstance(exc, ValidationError) else [str(exc)]))


def _stocktake_or_404(request, pk) -> Stocktake:
    return get_object_or_404(selectors.stocktakes_for(request.user), pk=pk)


def _editable_or_403(request, pk) -> Stocktake:
    stocktake = _stocktake_or_404(request, pk)
    if not selectors.may_change(request.user, stocktake):
        raise PermissionDenied("只有盘点单位的资产管理员可以登记或结束该盘点。")
    return stocktake


LIST_HEADERS = ["编号", "名称", "盘点单位", "范围", "状态", "账面数", "已盘数", "发起人", "开始时间", "结束时间"]


@login_required
def home(request):
    PAGES.require_reader(request)
    status = request.GET.get("status", "") if request.GET.get("status") in StocktakeStatus.values else ""
    qs = selectors.stocktakes_for(request.user, search=request.GET.get("q", "").strip(), status=status)
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                s.pk,
                s.title,
                s.org_unit.name,
                s.scope_label,
                s.get_status_display(),
                s.book_total,
                s.counted_total,
                s.opened_by.name,
                s.opened_at.strftime("%Y-%m-%d %H:%M"),
                s.closed_at.strftime("%Y-%m-%d %H:%M") if s.closed_at else "",
            )
            for s in qs.iterator(chunk_size=2000)
        )
        return xlsx_response("清查盘点.xlsx", LIST_HEADERS, rows)
    return render(
        request,
        "stocktake/list.html",
        {
            "page": page_of(request, qs),
            "query": query_without_page(request),
            "statuses": StocktakeStatus.choices,
            "can_open": scoping.holds_any(request.user, selectors.STOCKTAKE_EDITORS),
        },
    )


@login_required
def open_view(request):
    if not scoping.holds_any(request.user, selectors.STOCKTAKE_EDITORS):
        raise PermissionDenied("只有资产管理员可以发起清查盘点。")
    form = OpenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            stocktake = services.open_stocktake(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"盘点已开始，账面资产 {stocktake.lines.count()} 项。")
            return redirect("stocktake:detail", pk=stocktake.pk)
    return render(request, "stocktake/form.html", {"form": form, "title": "发起清查盘点"})


@login_required
def detail(request, pk):
    stocktake = _stocktake_or_404(request, pk)
    result = selectors.reconcile(stocktake)
    outcome = request.GET.get("outcome", "")
    if request.GET.get("export") == "xlsx":
        headers = ["盘点结果", "资产编号", "名称", "账面地点", "账面使用人", "实际地点", "实际使用人", "调账/说明"]
        return xlsx_response(f"盘点结果-{stocktake.pk}.xlsx", headers, result.rows())
    rows = (
        [r for r in result.rows() if not outcome or r[0] == Outcome(outcome).label]
        if outcome in Outcome.values
        else list(result.rows())
    )
    page = page_of(request, rows)
    return render(
        request,
        "stocktake/detail.html",
        {
            "stocktake": stocktake,
            "tally": [(Outcome(k).label, k, v) for k, v in result.tally().items()],
            "page": page,
            "query": query_without_page(request),
            "surplus": result.surplus,
            "can_change": stocktake.is_open and selectors.may_change(request.user, stocktake),
            "history": stocktake.history.select_related("history_user").order_by("-history_date")[:20],
        },
    )


@login_required
def scan(request, pk):
    """The counting page for a phone or a USB scanner: the scanner types the label's number and
    Enter, the page records it and comes back with the input focused for the next label."""
    stocktake = _editable_or_403(request, pk)
    if not stocktake.is_open:
        messages.error(request, "该盘点已结束，不能再登记。")
        return redirect("stocktake:detail", pk=pk)
    last_room = request.session.get(f"stocktake-{pk}-room")
    form = ScanForm(request.POST or None, stocktake=stocktake, initial={"room": last_room})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = services.record_count(
                actor=request.user,
                stocktake=stocktake,
                code=data["code"],
                observed_room=data["room"],
                observed_custodian=data["custodian"],
                surplus=data["surplus"],
                surplus_name=data["surplus_name"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            request.session[f"stocktake-{pk}-room"] = data["room"].pk if data["room"] else None
            what = count.line.name if count.line_id else ("他处在册资产" if count.asset_id else "盘盈实物")
            messages.success(request, f"已盘点：{count.code} {what}")
            return redirect("stocktake:scan", pk=pk)
    recent = selectors.counts_for(request.user, stocktake)[:10]
    return render(
        request,
        "stocktake/scan.html",
        {"stocktake": stocktake, "form": form, "recent": recent, "counted": stocktake.counts.count()},
    )


@login_required
@require_POST
def count_remove(request, pk, count_id):
    stocktake = _editable_or_403(request, pk)
    count = get_object_or_404(selectors.counts_for(request.user, stocktake), pk=count_id)
    try:
        services.remove_count(actor=request.user, count=count)
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    else:
        messages.success(request, f"已撤销盘点记录 {count.code}。")
    return redirect("stocktake:counts", pk=pk)


@login_required
def surplus(request, pk, count_id):
    stocktake = _editable_or_403(request, pk)
    count = get_object_or_404(selectors.counts_for(request.user, stocktake), pk=count_id)
    initial = {"name": count.surplus_name, "category": count.surplus_category_id, "value": count.surplus_value}
    form = SurplusForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.describe_surplus(actor=request.user, count=count, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记盘盈资产信息：{count.code}")
            return redirect("stocktake:detail", pk=pk)
    return render(request, "stocktake/form.html", {"form": form, "title": f"盘盈资产信息：{count.code}"})


@login_required
def import_view(request, pk):
    stocktake = _editable_or_403(request, pk)
    return upload_page(
        request,
        imports.CountSheetImporter.kind,
        "stocktake/import.html",
        params={"stocktake": stocktake.pk},
        context={"stocktake": stocktake},
    )


@login_required
@require_POST
def close(request, pk):
    stocktake = _editable_or_403(request, pk)
    try:
        tally = services.close_stocktake(actor=request.user, stocktake=stocktake)
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    else:
        done = "，".join(f"{Outcome(k).label} {v}" for k, v in tally.items() if v)
        messages.success(request, f"盘点已结束并调账：{done or '无'}。")
    return redirect("stocktake:detail", pk=pk)


@login_required
def counts(request, pk):
    """Every count row of one stocktake (paginated), for checking and undoing wrong scans."""
    stocktake = _stocktake_or_404(request, pk)
    qs = selectors.counts_for(request.user, stocktake)
    return render(
        request,
        "stocktake/counts.html",
        {
            "stocktake": stocktake,
            "page": page_of(request, qs),
            "query": query_without_page(request),
            "can_change": stocktake.is_open and selectors.may_change(request.user, stocktake),
        },
    )
