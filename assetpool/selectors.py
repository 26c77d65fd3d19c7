"""Reads of the 公物仓.

Pool listings are deliberately visible to every signed-in user of every unit — sharing idle
assets across units is what the pool is for (R27, R27c: 调剂广场/共享广场). Everything else
(idle assets still on a unit's books, the reuse ledger, what a unit may change) is scoped
through ``datahub.scoping``.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from assets import selectors as asset_selectors
from datahub import figures, scoping
from datahub.models import OrgUnit
from datahub.params import as_id
from datahub.roles import Role
from datahub.selectors import with_parent_name, with_unit_parent_name
from portal.models import Ticket

from . import rules
from .models import ListingStatus, PoolListing, RequestWay, Reuse

POOL_EDITORS = (Role.ASSET_ADMIN, Role.BUREAU_ADMIN)
POOL_MANAGERS = (Role.ASSET_ADMIN, Role.BUREAU_ADMIN, Role.LEADER)


def may_change(user, listing: PoolListing) -> bool:
    """Whether ``user`` may change or withdraw ``listing`` (an asset administrator over the publisher)."""
    return scoping.covers(user, listing.org_unit, roles=POOL_EDITORS)


def _listing_qs() -> QuerySet:
    return PoolListing.objects.select_related(
        "asset", "asset__category", "org_unit", "store_room", "store_room__building", "published_by"
    )


def pool_listings(
    user,
    *,
    search: str = "",
    category=None,
    condition: str = "",
    unit=None,
    mode: str = "",
    status: str | None = ListingStatus.LISTED,
    since=None,
    until=None,
) -> QuerySet:
    """The pool as every unit browses it (not unit-scoped on purpose, see the module docstring)."""
    if not user or not user.is_authenticated or not user.is_active:
        return PoolListing.objects.none()
    qs = _listing_qs()
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(asset__name__icontains=search)
            | Q(asset__asset_number__icontains=search)
            | Q(description__icontains=search)
            | Q(store_text__icontains=search)
        )
    if category is not None:
        qs = qs.filter(asset__category__in=asset_selectors.category_subtree(category))
    if condition:
        qs = qs.filter(condition=condition)
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    if mode:
        qs = qs.filter(mode=mode)
    if since:
        qs = qs.filter(published_at__gte=figures.local_midnight(since))
    if until:
        qs = qs.filter(published_at__lt=figures.local_midnight(until + timedelta(days=1)))
    # The publishing unit named with its agency (财政厅 › 办公室), read in the same query.
    return with_unit_parent_name(qs).order_by("-published_at", "-pk")


def latest_listings(user, *, limit: int = 10) -> QuerySet:
    """The ``limit`` items most recently listed in the pool (the pool's home)."""
    return pool_listings(user)[:limit]


def pool_page(user, *, mine: bool, filters: dict) -> QuerySet:
    """The pool page's rows: the pool as browsed, or (``mine``) the user's own listings, narrowed by the
    same search, category, condition and mode."""
    if not mine:
        return pool_listings(user, **filters)
    qs = managed_listings(user, status=filters["status"])
    if any(filters.get(k) for k in ("search", "category", "condition", "mode", "since", "until")):
        qs = qs.filter(pk__in=pool_listings(user, **filters).values("pk"))
    return with_unit_parent_name(qs)


def publishing_units() -> QuerySet:
    """The units with something listed in the pool (the pool page's unit filter; the pool is shared)."""
    listed = PoolListing.objects.filter(status=ListingStatus.LISTED).values("org_unit")
    return with_parent_name(OrgUnit.objects.filter(pk__in=listed)).order_by("path")


def publishing_unit(raw) -> OrgUnit | None:
    """An active unit by the id typed in the pool page's filter (None if not an id)."""
    pk = as_id(raw)
    return OrgUnit.objects.filter(pk=pk, is_active=True).first() if pk else None


def listed_categories():
    """Only categories that something in the pool belongs to: the filter stays short."""
    used = PoolListing.objects.filter(status=ListingStatus.LISTED).values("asset__category")
    return asset_selectors.categories_among(used)


def listing_file(user, listing: PoolListing, *, can_change: bool) -> dict:
    """What a listing's page shows besides the listing: the requests for it (only the user's own unless
    they manage it), its changes and its reuses."""
    tickets = Ticket.objects.filter(pk__in=listing.requests.values("ticket")).select_related("requester", "org_unit")
    if not can_change:
        tickets = tickets.filter(requester=user)
    return {
        "tickets": with_unit_parent_name(tickets).order_by("-pk")[:50],
        "history": listing.history.select_related("history_user").order_by("-history_date")[:50],
        "reuses": with_unit_parent_name(listing.reuses.select_related("org_unit", "ticket")).order_by("-done_at"),
    }


def pickable_listings(user, *, search: str = "", limit: int | None = None) -> QuerySet:
    """Listings a requester may ask for (公物仓申领): the pool as everybody sees it, searched by the listing's
    number, the card's number or name, or its category (code or name); the form's check reads the same."""
    qs = pool_listings(user)
    search = (search or "").strip()
    if search:
        by = (
            Q(asset__asset_number__icontains=search)
            | Q(asset__name__icontains=search)
            | Q(asset__category__code__startswith=search)
            | Q(asset__category__name__icontains=search)
        )
        qs = qs.filter(by | Q(pk=int(search))) if search.isdigit() and len(search) < 10 else qs.filter(by)
    qs = qs.order_by("-published_at", "-pk")
    return qs[:limit] if limit else qs


def picked_listing(user, text: str) -> PoolListing | None:
    """The listing ``text`` names — its number on the pool page or its card's number — among the pickable."""
    text = (text or "").strip()
    if not text:
        return None
    qs = pickable_listings(user)
    if text.isdigit() and len(text) < 10:
        found = qs.filter(pk=int(text)).first()
        if found is not None:
            return found
    return qs.filter(asset__asset_number__iexact=text).first()


def managed_listings(user, *, status: str = "") -> QuerySet:
    """Listings the user may change: those of units where they are an asset or bureau administrator."""
    qs = scoping.scope(_listing_qs(), user, roles=POOL_EDITORS)
    if status:
        qs = qs.filter(status=status)
    return qs


def matching_pool_items(category, user, *, limit: int | None = None) -> QuerySet:
    """先仓后购: listed items of ``category`` (or a sub-category) that ``user``'s unit could ask for
    instead of buying — everything in the pool except what the user's own unit published."""
    qs = pool_listings(user, category=category)
    if user.is_authenticated and user.org_unit_id:
        # The user's own agency reallocates internally first (R27f order: own unit → pool → purchase).
        qs = qs.exclude(org_unit__path__startswith=own_institution(user).path)
    return qs[:limit] if limit else qs


def purchase_alternatives(category, requester, *, limit: int = 10) -> list[dict]:
    """先仓后购 for a 资产配置申请: the listed pool items of ``category`` (or a sub-category) — those the
    requester's own institution published first (reallocated internally), then other units' — as plain
    values, for the purchase form and the approver's ticket (assets reads them through the hook its
    selectors expose, since assets may not import the pool)."""
    if category is None or requester is None or not requester.org_unit_id:
        return []
    home = own_institution(requester).path
    rows = [
        {
            "listing": listing.pk,
            "number": listing.asset.asset_number,
            "name": listing.asset.name,
            "unit": listing.org_unit.name,
            "own": listing.org_unit.path.startswith(home),
        }
        for listing in pool_listings(requester, category=category).order_by("published_at", "pk")[: limit * 4]
    ]
    rows.sort(key=lambda r: not r["own"])
    return rows[:limit]


def own_institution(user):
    return asset_selectors.institution_of(user.org_unit)


def hand_in_cutoff(as_of: date | None = None, months: int | None = None) -> date:
    """The day an asset must have been idle since to be handed in on ``as_of`` (local today): ``months``
    before it (default the rule's six)."""
    as_of = as_of or timezone.localdate()
    return as_of - relativedelta(months=rules.IDLE_MONTHS_FOR_HAND_IN if months is None else months)


def idle_assets(
    user, *, as_of: date | None = None, months: int | None = None, search: str = "", cutoff: date | None = None
) -> QuerySet:
    """Idle assets on the user's books that have been idle for ``months`` (default the rule's six)
    or more on ``as_of`` (or since ``cutoff``, hand_in_cutoff()'s day): the hand-in list (应交公物仓). "Idle since"
    is the time of the card's last movement into 闲置 (its status history); a card booked idle and never moved
    counts from its booking date."""
    cutoff = cutoff or hand_in_cutoff(as_of, months)
    qs = asset_selectors.idle_since(user, cutoff=cutoff, roles=POOL_MANAGERS)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(asset_number__icontains=search))
    return with_unit_parent_name(qs)


def managed_unit(user, raw) -> OrgUnit | None:
    """The unit of the id typed, if the user manages the pool over it (None otherwise: unknown or foreign)."""
    return scoping.visible_units(user, roles=POOL_MANAGERS).filter(pk=as_id(raw), is_active=True).first()


def reuses_for(user, *, way: str = "", open_loans: bool = False, unit=None, since=None, until=None) -> QuerySet:
    """The reuse ledger rows either end of which lies in the user's scope; ``unit``: taken by its subtree;
    ``since``/``until``: handed over on those days (inclusive)."""
    qs = Reuse.objects.select_related("listing", "listing__asset", "org_unit", "from_unit", "ticket", "done_by")
    if not user or not user.is_authenticated or not user.is_active:
        return qs.none()
    if not user.is_superuser:
        paths = scoping.granted_paths(user, POOL_MANAGERS)
        if not paths:
            return qs.none()
        qs = qs.filter(scoping.subtree_q(paths, "org_unit") | scoping.subtree_q(paths, "from_unit"))
    if way:
        qs = qs.filter(way=way)
    if open_loans:
        qs = qs.filter(way=RequestWay.LOAN, returned_at__isnull=True)
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    if since:
        qs = qs.filter(done_at__gte=figures.local_midnight(since))
    if until:
        qs = qs.filter(done_at__lt=figures.local_midnight(until + timedelta(days=1)))
    # Both ends named with their agency (财政厅 › 办公室), read in the same query.
    qs = with_unit_parent_name(with_unit_parent_name(qs), "from_unit", "from_parent_name")
    return qs.order_by("-done_at", "-pk")


def statistics(user) -> dict:
    """Items reused, original value reused (= money not spent on new purchases), loans outstanding
    and overdue — in the user's scope."""
    today = timezone.localdate()
    rows = reuses_for(user)
    totals = rows.aggregate(
        items=Count("pk"),
        value=Sum("original_value"),
        transfers=Count("pk", filter=Q(way=RequestWay.TRANSFER)),
        loans=Count("pk", filter=Q(way=RequestWay.LOAN)),
        outstanding=Count("pk", filter=Q(way=RequestWay.LOAN, returned_at__isnull=True)),
        overdue=Count("pk", filter=Q(way=RequestWay.LOAN, returned_at__isnull=True, due_date__lt=today)),
    )
    totals["value"] = totals["value"] or 0
    totals["listed"] = pool_listings(user).count()
    return totals


# --- Monthly figures per unit (the command center's roll-up; unscoped: the reader scopes the roll-up) ----


def monthly_pool_figures(*, start: date, end: date, unit_ids=None) -> figures.MonthlyFigures:
    """``monthly_pool_figure_queries`` read as {(unit, month): {key: value}}."""
    return figures.collect(monthly_pool_figure_queries(start=start, end=end, unit_ids=unit_ids))


def monthly_pool_figure_queries(*, start: date, end: date, unit_ids=None) -> figures.FigureQueries:
    """Per unit and month in [start, end): items the unit published to the pool, and items the unit took
    from the pool (调拨 or 借用) with their original value — the purchase avoided (先仓后购). Two grouped queries."""
    lo, hi = figures.local_midnight(start), figures.local_midnight(end)
    listings = PoolListing.objects.filter(published_at__gte=lo, published_at__lt=hi)
    reuses = Reuse.objects.filter(done_at__gte=lo, done_at__lt=hi)
    if unit_ids is not None:
        listings = listings.filter(org_unit_id__in=list(unit_ids))
        reuses = reuses.filter(org_unit_id__in=list(unit_ids))
    return [
        figures.grouped(
            listings, unit="org_unit_id", month=figures.month_trunc("published_at"), pool_listed=Count("pk")
        ),
        figures.grouped(
            reuses,
            unit="org_unit_id",
            month=figures.month_trunc("done_at"),
            pool_reused=Count("pk"),
            pool_value_saved=Sum("original_value"),
        ),
    ]
