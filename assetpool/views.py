"""公物仓 pages. Reads go through selectors, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from assets import selectors as asset_selectors
from datahub import scoping
from datahub.exports import xlsx_response
from datahub.forms import add_service_errors
from datahub.models import OrgUnit
from datahub.paging import page_of, query_without_page
from portal import registry
from portal.models import Ticket

from . import rules, selectors, services
from .forms import CategoryPickForm, ListingForm, PublishForm, RequestItemForm, WithdrawForm
from .models import Condition, ListingStatus, PoolListing, PoolMode, RequestWay


def _error(request, exc) -> None:
    messages.error(request, "；".join(exc.messages if isinstance(exc, ValidationError) else [str(exc)]))


def _is_manager(request) -> bool:
    return scoping.holds_any(request.user, selectors.POOL_MANAGERS)


def _require_manager(request) -> None:
    if not _is_manager(request):
        raise PermissionDenied("您没有管理公物仓的权限（须为资产管理员或机关事务管理局管理员）。")


def _category(request):
    return asset_selectors.category_by_pk(request.GET.get("category", ""))


def _unit(request) -> OrgUnit | None:
    raw = request.GET.get("unit", "")
    return OrgUnit.objects.filter(pk=raw, is_active=True).first() if raw.isdecimal() else None


def _categories():
    # Only categories that something in the pool belongs to: the filter stays short.
    used = PoolListing.objects.filter(status=ListingStatus.LISTED).values("asset__category")
    return asset_selectors.categories_among(used)


@login_required
def home(request):
    return render(
        request,
        "assetpool/home.html",
        {
            "stats": selectors.statistics(request.user),
            "is_manager": _is_manager(request),
            "idle_months": rules.IDLE_MONTHS_FOR_HAND_IN,
            "latest": selectors.pool_listings(request.user)[:10],
        },
    )


LISTING_HEADERS = [
    "编号",
    "资产编号",
    "资产名称",
    "分类",
    "原值（元）",
    "成色",
    "入仓方式",
    "存放地点",
    "发布单位",
    "状态",
    "发布时间",
]


def _listing_row(x):
    return (
        x.pk,
        x.asset.asset_number,
        x.asset.name,
        str(x.asset.category),
        x.asset.original_value,
        x.get_condition_display(),
        x.get_mode_display(),
        x.store_label,
        x.org_unit.name,
        x.get_status_display(),
        x.published_at.strftime("%Y-%m-%d %H:%M"),
    )


@login_required
def pool_list(request):
    """The pool as every unit browses it: search by category, condition, unit or location, text."""
    mine = request.GET.get("mine") == "1"
    status = request.GET.get("status", ListingStatus.LISTED if not mine else "")
    if status and status not in ListingStatus.values:
        status = ListingStatus.LISTED
    filters = {
        "search": request.GET.get("q", "").strip(),
        "category": _category(request),
        "condition": request.GET.get("condition", "") if request.GET.get("condition") in Condition.values else "",
        "unit": _unit(request),
        "mode": request.GET.get("mode", "") if request.GET.get("mode") in PoolMode.values else "",
        "status": status,
    }
    if mine:
        qs = selectors.managed_listings(request.user, status=status)
        if filters["search"] or filters["category"] or filters["condition"] or filters["mode"]:
            ids = selectors.pool_listings(request.user, **filters).values("pk")
            qs = qs.filter(pk__in=ids)
    else:
        qs = selectors.pool_listings(request.user, **filters)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "公物仓资产.xlsx", LISTING_HEADERS, (_listing_row(x) for x in qs.iterator(chunk_size=2000))
        )
    return render(
        request,
        "assetpool/pool_list.html",
        {
            "page": page_of(request, qs),
            "query": query_without_page(request),
            "categories": _categories(),
            "conditions": Condition.choices,
            "modes": PoolMode.choices,
            "statuses": ListingStatus.choices,
            "units": OrgUnit.objects.filter(
                pk__in=PoolListing.objects.filter(status=ListingStatus.LISTED).values("org_unit")
            ).order_by("path"),
            "mine": mine,
            "status": status,
            "is_manager": _is_manager(request),
        },
    )


def _listing_or_404(request, pk) -> PoolListing:
    # Any listing may be looked at (the pool is shared); only its unit may change it (services check).
    return get_object_or_404(selectors.pool_listings(request.user, status=None), pk=pk)


@login_required
def listing_detail(request, pk):
    listing = _listing_or_404(request, pk)
    can_change = selectors.may_change(request.user, listing)
    own_unit = request.user.org_unit_id == listing.org_unit_id
    tickets = Ticket.objects.filter(pk__in=listing.requests.values("ticket")).select_related("requester", "org_unit")
    if not can_change:
        tickets = tickets.filter(requester=request.user)
    return render(
        request,
        "assetpool/listing_detail.html",
        {
            "listing": listing,
            "can_change": can_change and listing.status == ListingStatus.LISTED,
            "request_form": RequestItemForm() if listing.status == ListingStatus.LISTED and not own_unit else None,
            "withdraw_form": WithdrawForm(),
            "tickets": tickets.order_by("-pk")[:50],
            "history": listing.history.select_related("history_user").order_by("-history_date")[:50],
            "reuses": listing.reuses.select_related("org_unit", "ticket").order_by("-done_at"),
        },
    )


@login_required
def publish(request):
    _require_manager(request)
    initial = {}
    if request.GET.get("asset"):
        initial["asset_number"] = request.GET["asset"]
    form = PublishForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("asset_number")
        try:
            listing = services.publish(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已交公物仓：{listing.asset}")
            return redirect("assetpool:listing-detail", pk=listing.pk)
    return render(request, "assetpool/form.html", {"form": form, "title": "资产交公物仓"})


@login_required
def listing_edit(request, pk):
    listing = _listing_or_404(request, pk)
    if not selectors.may_change(request.user, listing):
        raise PermissionDenied("只有发布单位的资产管理员可以修改该资产的入仓信息。")
    initial = {f: getattr(listing, f) for f in services.LISTING_FIELDS}
    form = ListingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_listing(actor=request.user, listing=listing, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "入仓信息已更新。")
            return redirect("assetpool:listing-detail", pk=listing.pk)
    return render(request, "assetpool/form.html", {"form": form, "title": f"修改入仓信息：{listing.asset}"})


@login_required
@require_POST
def listing_withdraw(request, pk):
    listing = _listing_or_404(request, pk)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        services.withdraw(actor=request.user, listing=listing, reason=form.cleaned_data.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    else:
        messages.success(request, "已撤出公物仓。")
    return redirect("assetpool:listing-detail", pk=listing.pk)


@login_required
@require_POST
def listing_request(request, pk):
    """File a 公物仓申领 for this listing on the workflow engine."""
    listing = _listing_or_404(request, pk)
    form = RequestItemForm(request.POST)
    if form.is_valid():
        try:
            ticket = services.file_pool_request(requester=request.user, listing=listing, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"申领已提交：#{ticket.pk} {ticket.title}")
            return redirect("portal:ticket", pk=ticket.pk)
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)
    return redirect("assetpool:listing-detail", pk=listing.pk)


IDLE_HEADERS = ["资产编号", "资产名称", "分类", "原值（元）", "所属单位", "存放地点", "闲置起始"]


@login_required
def idle_list(request):
    """应交公物仓: the user's units' assets idle for the rule's months or more."""
    _require_manager(request)
    # ?as_of=YYYY-MM-DD: what will be due by then (to plan the next hand-in batch).
    try:
        as_of = parse_date(request.GET.get("as_of", ""))
        qs = selectors.idle_assets(request.user, as_of=as_of)
    except (ValueError, OverflowError):  # not a date (2026-13-45) or none to count back from (0001-01-01)
        as_of = None
        qs = selectors.idle_assets(request.user)
    search = request.GET.get("q", "").strip()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(asset_number__icontains=search))
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                a.asset_number,
                a.name,
                str(a.category),
                a.original_value,
                a.org_unit.name,
                str(a.location) if a.location_id else "",
                a.idle_at.strftime("%Y-%m-%d") if a.idle_at else a.booked_on.isoformat(),
            )
            for a in qs.iterator(chunk_size=2000)
        )
        return xlsx_response("闲置资产（应交公物仓）.xlsx", IDLE_HEADERS, rows)
    return render(
        request,
        "assetpool/idle_list.html",
        {
            "page": page_of(request, qs),
            "query": query_without_page(request),
            "months": rules.IDLE_MONTHS_FOR_HAND_IN,
            "as_of": as_of,
        },
    )


REUSE_HEADERS = [
    "申领单号",
    "资产编号",
    "资产名称",
    "方式",
    "调出/出借单位",
    "调入/借用单位",
    "原值（元）",
    "办理时间",
    "应归还",
    "归还时间",
]


@login_required
def reuse_list(request):
    """调剂台账: transfers and loans out of the pool, with the loans to follow up."""
    _require_manager(request)
    way = request.GET.get("way", "") if request.GET.get("way") in RequestWay.values else ""
    qs = selectors.reuses_for(request.user, way=way, open_loans=request.GET.get("open") == "1")
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                r.ticket_id,
                r.listing.asset.asset_number,
                r.listing.asset.name,
                r.get_way_display(),
                r.from_unit.name,
                r.org_unit.name,
                r.original_value,
                r.done_at.strftime("%Y-%m-%d %H:%M"),
                r.due_date.isoformat() if r.due_date else "",
                r.returned_at.strftime("%Y-%m-%d %H:%M") if r.returned_at else "",
            )
            for r in qs.iterator(chunk_size=2000)
        )
        return xlsx_response("公物仓调剂台账.xlsx", REUSE_HEADERS, rows)
    page = page_of(request, qs)
    for r in page:
        r.can_return = (
            r.way == RequestWay.LOAN
            and r.returned_at is None
            and scoping.covers(request.user, r.from_unit, roles=selectors.POOL_EDITORS)
        )
    return render(
        request,
        "assetpool/reuse_list.html",
        {"page": page, "query": query_without_page(request), "ways": RequestWay.choices},
    )


@login_required
@require_POST
def reuse_return(request, pk):
    reuse = get_object_or_404(selectors.reuses_for(request.user), pk=pk)
    try:
        services.record_return(actor=request.user, reuse=reuse)
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    else:
        messages.success(request, f"已登记归还，{reuse.listing.asset.name}回到公物仓。")
    return redirect("assetpool:reuse-list")


def purchase_url() -> str | None:
    """The assets app's 资产配置申请 (purchase) page on the portal, once that kind is registered."""
    for code in ("asset_purchase", "purchase"):
        if code in {k.code for k in registry.all_kinds()}:
            try:
                return reverse("portal:new", args=[code])
            except NoReverseMatch:
                return None
    return None


@login_required
def prepurchase(request):
    """先仓后购: pick the category to buy, see what the pool already has, then go on to purchase."""
    form = CategoryPickForm(request.GET or None)
    items = None
    if request.GET and form.is_valid():
        items = selectors.matching_pool_items(form.cleaned_data["category"], request.user)[:50]
    return render(
        request,
        "assetpool/prepurchase.html",
        {"form": form, "items": items, "purchase_url": purchase_url()},
    )
