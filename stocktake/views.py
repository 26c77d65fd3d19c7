"""清查盘点 pages. Reads go through selectors (scoped), writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from datahub import scoping
from datahub import selectors as hub_selectors
from datahub.exports import export_response
from datahub.forms import add_service_errors
from datahub.generic_views import Choice, Column, ObjectActionView, ObjectFormView, ObjectListView, Search
from datahub.import_views import upload_page
from datahub.keyed import joined
from datahub.pages import PageScope
from datahub.paging import page_of, query_without_page

from . import exporters, imports, selectors, services
from .forms import OpenForm, ScanForm, SurplusForm
from .models import Outcome, Stocktake, StocktakeStatus

PAGES = PageScope(readers=selectors.STOCKTAKE_READERS, subject=_("资产清查盘点"))


def _error(request, exc) -> None:
    messages.error(request, joined(exc.messages if isinstance(exc, ValidationError) else [str(exc)]))


def _stocktake_or_404(request, pk) -> Stocktake:
    return get_object_or_404(selectors.stocktakes_for(request.user), pk=pk)


def _editable_or_403(request, pk) -> Stocktake:
    stocktake = _stocktake_or_404(request, pk)
    if not selectors.may_change(request.user, stocktake):
        raise PermissionDenied(_("只有盘点单位的资产管理员可以登记或结束该盘点。"))
    return stocktake


class StocktakeList(ObjectListView):
    pages = PAGES
    unit_filter = True  # ?unit=<id>: the stocktakes the unit's subtree runs (the command center links here)
    template_name = "stocktake/list.html"
    filters = {"q": Search(), "status": Choice(StocktakeStatus.choices)}
    export_filename = _("清查盘点.xlsx")
    export_columns = (
        Column(_("编号"), "pk"),
        Column(_("名称"), "title"),
        Column(_("盘点单位"), "org_unit.name"),
        Column(_("范围"), "scope_label"),
        Column(_("状态"), "get_status_display"),
        Column(_("账面数"), "book_total"),
        Column(_("已盘数"), "counted_total"),
        Column(_("发起人"), "opened_by.name"),
        Column(_("开始时间"), lambda s: s.opened_at.strftime("%Y-%m-%d %H:%M")),
        Column(_("结束时间"), lambda s: s.closed_at.strftime("%Y-%m-%d %H:%M") if s.closed_at else ""),
    )

    def get_queryset(self):
        f = self.filter_values
        return selectors.stocktakes_for(self.request.user, search=f["q"], status=f["status"], unit=self.unit)

    def get_context_data(self, **kwargs):
        return {
            "statuses": StocktakeStatus.choices,
            "can_open": scoping.holds_any(self.request.user, selectors.STOCKTAKE_EDITORS),
        }


class _StocktakeForm(ObjectFormView):
    def get_context_data(self, form):
        home = reverse("stocktake:home")
        return {"cancel_url": home, "breadcrumbs": [(_("清查盘点"), home)]}


class OpenStocktake(_StocktakeForm):
    form_class = OpenForm
    title = _("发起清查盘点")

    def check_permission(self, obj):
        if not scoping.holds_any(self.request.user, selectors.STOCKTAKE_EDITORS):
            raise PermissionDenied(_("只有资产管理员可以发起清查盘点。"))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form, obj):
        return services.open_stocktake(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, stocktake):
        return _("盘点已开始，账面资产 %(line_total)s 项。") % {"line_total": selectors.line_total(stocktake)}

    def get_success_url(self, stocktake):
        return reverse("stocktake:detail", args=[stocktake.pk])


@login_required
def detail(request, pk):
    stocktake = _stocktake_or_404(request, pk)
    if request.GET.get("export") == "xlsx":
        # The stocktake is in the URL; the exporter (and a background job) read it from the parameters.
        params = request.GET.copy()
        params["stocktake"] = str(stocktake.pk)
        return export_response(request, exporters.RESULT, params=params)
    result = selectors.reconcile(stocktake)
    outcome = request.GET.get("outcome", "")
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
            "history": hub_selectors.history_of(stocktake, limit=20),
        },
    )


@login_required
def scan(request, pk):
    """The counting page for a phone or a USB scanner: the scanner types the label's number and
    Enter, the page records it and comes back with the input focused for the next label."""
    stocktake = _editable_or_403(request, pk)
    if not stocktake.is_open:
        messages.error(request, _("该盘点已结束，不能再登记。"))
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
            what = count.line.name if count.line_id else (_("他处在册资产") if count.asset_id else _("盘盈实物"))
            messages.success(request, _("已盘点：%(code)s %(what)s") % {"code": count.code, "what": what})
            return redirect("stocktake:scan", pk=pk)
    recent = selectors.counts_for(request.user, stocktake, limit=10)
    return render(
        request,
        "stocktake/scan.html",
        {"stocktake": stocktake, "form": form, "recent": recent, "counted": selectors.count_total(stocktake)},
    )


class _OnCount:
    """One count row of a stocktake the user may change (404/403 otherwise)."""

    lookup = "count_id"

    def get_scoped_queryset(self):
        stocktake = _editable_or_403(self.request, self.kwargs["pk"])
        return selectors.counts_for(self.request.user, stocktake)


class CountRemove(_OnCount, ObjectActionView):
    def perform(self, count, data):
        services.remove_count(actor=self.request.user, count=count)

    def get_success_message(self, count):
        return _("已撤销盘点记录 %(code)s。") % {"code": count.code}

    def get_success_url(self, count):
        return reverse("stocktake:counts", args=[self.kwargs["pk"]])


class Surplus(_OnCount, _StocktakeForm):
    form_class = SurplusForm

    def get_initial(self):
        count = self.object
        return {"name": count.surplus_name, "category": count.surplus_category_id, "value": count.surplus_value}

    def perform(self, form, count):
        services.describe_surplus(actor=self.request.user, count=count, **form.cleaned_data)
        return count

    def get_success_message(self, count):
        return _("已登记盘盈资产信息：%(code)s") % {"code": count.code}

    def get_success_url(self, count):
        return reverse("stocktake:detail", args=[self.kwargs["pk"]])

    def get_context_data(self, form):
        return {
            **super().get_context_data(form),
            "title": _("盘盈资产信息：%(code)s") % {"code": self.object.code},
            "object": None,
        }


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


class Close(ObjectActionView):
    def get_object(self):
        return _editable_or_403(self.request, self.kwargs["pk"])

    def perform(self, stocktake, data):
        tally = services.close_stocktake(actor=self.request.user, stocktake=stocktake)
        self.done = "，".join(f"{Outcome(k).label} {v}" for k, v in tally.items() if v)

    def get_success_message(self, stocktake):
        return _("盘点已结束并调账：%(value)s。") % {"value": self.done or _("无")}

    def get_success_url(self, stocktake):
        return reverse("stocktake:detail", args=[stocktake.pk])


class Counts(ObjectListView):
    """Every count row of one stocktake (paginated), for checking and undoing wrong scans."""

    template_name = "stocktake/counts.html"

    def prepare(self):
        super().prepare()
        self.stocktake = _stocktake_or_404(self.request, self.kwargs["pk"])

    def get_queryset(self):
        return selectors.counts_for(self.request.user, self.stocktake)

    def get_context_data(self, **kwargs):
        return {
            "stocktake": self.stocktake,
            "can_change": self.stocktake.is_open and selectors.may_change(self.request.user, self.stocktake),
        }
