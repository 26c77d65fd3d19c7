"""公物仓 pages. Reads go through selectors, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assets import selectors as asset_selectors
from datahub import scoping
from datahub.forms import add_service_errors, pick_query
from datahub.generic_views import (
    Choice,
    Column,
    Date,
    Filter,
    Flag,
    ObjectActionView,
    ObjectFormView,
    ObjectListView,
    Search,
)
from datahub.keyed import joined
from portal import registry

from . import rules, selectors, services
from .forms import CategoryPickForm, ListingForm, PublishForm, RequestItemForm, WithdrawForm
from .models import Condition, ListingStatus, PoolListing, PoolMode, RequestWay


def _error(request, exc) -> None:
    messages.error(request, joined(exc.messages if isinstance(exc, ValidationError) else [str(exc)]))


def _is_manager(request) -> bool:
    return scoping.holds_any(request.user, selectors.POOL_MANAGERS)


def _require_manager(request) -> None:
    if not _is_manager(request):
        raise PermissionDenied(_("您没有管理公物仓的权限（须为资产管理员或机关事务管理局管理员）。"))


@login_required
def home(request):
    return render(
        request,
        "assetpool/home.html",
        {
            "stats": selectors.statistics(request.user),
            "is_manager": _is_manager(request),
            "idle_months": rules.IDLE_MONTHS_FOR_HAND_IN,
            "latest": selectors.latest_listings(request.user),
        },
    )


LISTING_HEADERS = [
    gettext_lazy("编号"),
    gettext_lazy("资产编号"),
    gettext_lazy("资产名称"),
    gettext_lazy("分类"),
    gettext_lazy("原值（元）"),
    gettext_lazy("成色"),
    gettext_lazy("入仓方式"),
    gettext_lazy("存放地点"),
    gettext_lazy("发布单位"),
    gettext_lazy("状态"),
    gettext_lazy("发布时间"),
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


class _PoolStatus(Filter):
    """Listed by default (everything of one's own with ?mine=1); an unknown status reads as listed."""

    def clean(self, raw):
        if raw is None:
            return None
        return raw if not raw or raw in ListingStatus.values else ListingStatus.LISTED


class _Category(Filter):
    def clean(self, raw):
        return asset_selectors.category_by_pk(raw or "")


class _PublishingUnit(Filter):
    def clean(self, raw):
        return selectors.publishing_unit(raw)


class PoolList(ObjectListView):
    """The pool as every unit browses it: search by category, condition, unit or location, text."""

    template_name = "assetpool/pool_list.html"
    filters = {
        "search": Search("q"),
        "category": _Category(),
        "condition": Choice(Condition.choices),
        "unit": _PublishingUnit(),
        "mode": Choice(PoolMode.choices),
        "status": _PoolStatus(),
        "mine": Flag(),
        # Listed in a period (the command center's 入仓物品 opens here with the unit and its period).
        "since": Date(),
        "until": Date(),
    }
    export_filename = gettext_lazy("公物仓资产.xlsx")
    export_columns = (
        Column(gettext_lazy("编号"), "pk"),
        Column(gettext_lazy("资产编号"), "asset.asset_number"),
        Column(gettext_lazy("资产名称"), "asset.name"),
        Column(gettext_lazy("分类"), lambda x: str(x.asset.category)),
        Column(gettext_lazy("原值（元）"), "asset.original_value"),
        Column(gettext_lazy("成色"), "get_condition_display"),
        Column(gettext_lazy("入仓方式"), "get_mode_display"),
        Column(gettext_lazy("存放地点"), "store_label"),
        Column(gettext_lazy("发布单位"), "org_unit.name"),
        Column(gettext_lazy("状态"), "get_status_display"),
        Column(gettext_lazy("发布时间"), lambda x: x.published_at.strftime("%Y-%m-%d %H:%M")),
    )

    def prepare(self):
        # The pool is shared: every signed-in user may browse it (no reader role to check, no PageScope).
        super().prepare()
        f = self.filter_values
        # ?unit=<id> of no active unit: an empty list that says so (the pool is shared: any unit may be asked for).
        self.unit_unknown = bool(self.request.GET.get("unit")) and f["unit"] is None
        self.mine = f.pop("mine")
        if f["status"] is None:
            f["status"] = "" if self.mine else ListingStatus.LISTED

    def get_queryset(self):
        return selectors.pool_page(self.request.user, mine=self.mine, filters=self.filter_values)

    def get_context_data(self, **kwargs):
        return {
            "categories": selectors.listed_categories(),
            "conditions": Condition.choices,
            "modes": PoolMode.choices,
            "statuses": ListingStatus.choices,
            "units": selectors.publishing_units(),
            "mine": self.mine,
            "status": self.filter_values["status"],
            "is_manager": _is_manager(self.request),
        }


def _listing_or_404(request, pk) -> PoolListing:
    # Any listing may be looked at (the pool is shared); only its unit may change it (services check).
    return get_object_or_404(selectors.pool_listings(request.user, status=None), pk=pk)


@login_required
def listing_detail(request, pk):
    listing = _listing_or_404(request, pk)
    can_change = selectors.may_change(request.user, listing)
    # The rule refuses a request for an item of the requester's own 机关/单位 (not just the same department),
    # so the form is not offered there either.
    own_unit = request.user.org_unit is not None and asset_selectors.same_institution(
        request.user.org_unit, listing.org_unit
    )
    return render(
        request,
        "assetpool/listing_detail.html",
        {
            "listing": listing,
            "can_change": can_change and listing.status == ListingStatus.LISTED,
            "request_form": RequestItemForm() if listing.status == ListingStatus.LISTED and not own_unit else None,
            "withdraw_form": WithdrawForm(),
            "own_unit": own_unit,
            **selectors.listing_file(request.user, listing, can_change=can_change),
        },
    )


class _PoolForm(ObjectFormView):
    def get_context_data(self, form):
        return {"cancel_url": reverse("assetpool:home")}

    def get_success_url(self, listing):
        return reverse("assetpool:listing-detail", args=[listing.pk])


class Publish(_PoolForm):
    form_class = PublishForm
    title = gettext_lazy("资产交公物仓")

    def check_permission(self, obj):
        _require_manager(self.request)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"asset_number": self.request.GET["asset"]} if self.request.GET.get("asset") else {}

    def perform(self, form, obj):
        data = dict(form.cleaned_data)
        data.pop("asset_number")
        return services.publish(actor=self.request.user, **data)

    def get_success_message(self, listing):
        return _("已交公物仓：%(asset)s") % {"asset": listing.asset}


class _OnListing:
    def get_scoped_queryset(self):
        # Any listing may be looked at (the pool is shared); only its unit may change it (services check).
        return selectors.pool_listings(self.request.user, status=None)


class ListingEdit(_OnListing, _PoolForm):
    form_class = ListingForm
    success_message = gettext_lazy("入仓信息已更新。")

    def check_permission(self, listing):
        if not selectors.may_change(self.request.user, listing):
            raise PermissionDenied(_("只有发布单位的资产管理员可以修改该资产的入仓信息。"))

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        kwargs["initial"] = {f: getattr(self.object, f) for f in services.LISTING_FIELDS}
        return kwargs

    def perform(self, form, listing):
        services.update_listing(actor=self.request.user, listing=listing, **form.cleaned_data)
        return listing

    def get_context_data(self, form):
        return {
            **super().get_context_data(form),
            "title": _("修改入仓信息：%(asset)s") % {"asset": self.object.asset},
            "object": None,
        }


class ListingWithdraw(_OnListing, ObjectActionView):
    success_message = gettext_lazy("已撤出公物仓。")

    def perform(self, listing, data):
        form = WithdrawForm(self.request.POST)
        form.is_valid()
        services.withdraw(actor=self.request.user, listing=listing, reason=form.cleaned_data.get("reason", ""))

    def get_success_url(self, listing):
        return reverse("assetpool:listing-detail", args=[listing.pk])


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
            messages.success(
                request, _("申领已提交：#%(pk)s %(title)s") % {"pk": ticket.pk, "title": ticket.shown_title}
            )
            return redirect("portal:ticket", pk=ticket.pk)
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)
    return redirect("assetpool:listing-detail", pk=listing.pk)


class _AsOf(Filter):
    """?as_of=YYYY-MM-DD: what will be due by then (to plan the next hand-in batch)."""

    def clean(self, raw):
        try:
            return parse_date(raw or "")
        except ValueError:  # not a date (2026-13-45)
            return None


class IdleList(ObjectListView):
    """应交公物仓: the user's units' assets idle for the rule's months or more."""

    template_name = "assetpool/idle_list.html"
    filters = {"as_of": _AsOf(), "q": Search()}
    export_filename = gettext_lazy("闲置资产（应交公物仓）.xlsx")
    export_columns = (
        Column(gettext_lazy("资产编号"), "asset_number"),
        Column(gettext_lazy("资产名称"), "name"),
        Column(gettext_lazy("分类"), lambda a: str(a.category)),
        Column(gettext_lazy("原值（元）"), "original_value"),
        Column(gettext_lazy("所属单位"), "org_unit.name"),
        Column(gettext_lazy("存放地点"), lambda a: str(a.location) if a.location_id else ""),
        Column(
            gettext_lazy("闲置起始"), lambda a: a.idle_at.strftime("%Y-%m-%d") if a.idle_at else a.booked_on.isoformat()
        ),
    )

    def prepare(self):
        _require_manager(self.request)
        super().prepare()

    def get_queryset(self):
        search = self.filter_values["q"]
        try:
            return selectors.idle_assets(self.request.user, as_of=self.filter_values["as_of"], search=search)
        except (ValueError, OverflowError):  # no six months to count back from (0001-01-01)
            self.filter_values["as_of"] = None
            return selectors.idle_assets(self.request.user, search=search)

    def get_context_data(self, **kwargs):
        return {"months": rules.IDLE_MONTHS_FOR_HAND_IN, "as_of": self.filter_values["as_of"]}


class ReuseList(ObjectListView):
    """调剂台账: transfers and loans out of the pool, with the loans to follow up. ``?unit=<id>`` narrows to the
    items the unit's subtree took (a unit out of the user's scope lists nothing, and says so), ``since`` and
    ``until`` to the days they were handed over — the command center's 调剂使用 and 先仓后购节约 open here."""

    template_name = "assetpool/reuse_list.html"
    filters = {"way": Choice(RequestWay.choices), "open": Flag(), "since": Date(), "until": Date()}
    export_filename = gettext_lazy("公物仓调剂台账.xlsx")
    export_columns = (
        Column(gettext_lazy("申领单号"), "ticket_id"),
        Column(gettext_lazy("资产编号"), "listing.asset.asset_number"),
        Column(gettext_lazy("资产名称"), "listing.asset.name"),
        Column(gettext_lazy("方式"), "get_way_display"),
        Column(gettext_lazy("调出/出借单位"), "from_unit.name"),
        Column(gettext_lazy("调入/借用单位"), "org_unit.name"),
        Column(gettext_lazy("原值（元）"), "original_value"),
        Column(gettext_lazy("办理时间"), lambda r: r.done_at.strftime("%Y-%m-%d %H:%M")),
        Column(gettext_lazy("应归还"), lambda r: r.due_date.isoformat() if r.due_date else ""),
        Column(gettext_lazy("归还时间"), lambda r: r.returned_at.strftime("%Y-%m-%d %H:%M") if r.returned_at else ""),
    )

    def prepare(self):
        _require_manager(self.request)
        super().prepare()
        if self.request.GET.get("unit"):
            self.unit = selectors.managed_unit(self.request.user, self.request.GET["unit"])
            self.unit_unknown = self.unit is None

    def get_queryset(self):
        f = self.filter_values
        return selectors.reuses_for(
            self.request.user,
            way=f["way"],
            open_loans=f["open"],
            unit=self.unit,
            since=f["since"],
            until=f["until"],
        )

    def on_page(self, page):
        for r in page:
            r.can_return = (
                r.way == RequestWay.LOAN
                and r.returned_at is None
                and scoping.covers(self.request.user, r.from_unit, roles=selectors.POOL_EDITORS)
            )

    def get_context_data(self, **kwargs):
        return {"ways": RequestWay.choices, "unit": self.unit}


class ReuseReturn(ObjectActionView):
    def get_scoped_queryset(self):
        return selectors.reuses_for(self.request.user)

    def perform(self, reuse, data):
        services.record_return(actor=self.request.user, reuse=reuse)

    def get_success_message(self, reuse):
        return _("已登记归还，%(name)s回到公物仓。") % {"name": reuse.listing.asset.name}

    def get_success_url(self, reuse):
        return reverse("assetpool:reuse-list")


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
        items = selectors.matching_pool_items(form.cleaned_data["category"], request.user, limit=50)
    return render(
        request,
        "assetpool/prepurchase.html",
        {"form": form, "items": items, "purchase_url": purchase_url()},
    )


@login_required
def pick(request):
    """Suggestions for the 公物仓申领 picker: listed items by number, name or category (the form checks the same)."""
    listings = selectors.pickable_listings(request.user, search=pick_query(request), limit=asset_selectors.PICK_LIMIT)
    return render(request, "assetpool/pick_options.html", {"listings": listings})
