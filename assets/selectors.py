"""Read queries of the assets app, always scoped. Other apps (公物仓, 清查盘点) read cards through
``assets_for``; views, the API and exports read through these too.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Count, DateTimeField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from datahub import figures, scoping
from datahub.keyed import listed
from datahub.models import OrgUnit
from datahub.roles import Role
from datahub.selectors import attach_headcounts
from officespace.selectors import active_rooms, building_facts, buildings_scoped, rooms_for
from portal.selectors import visible_tickets

from . import rules
from .models import (
    Asset,
    CapitalisationThreshold,
    Category,
    ConfigStandard,
    ConfigStandardVersion,
    DepreciationEntry,
    DepreciationRun,
    Movement,
)
from .rules import AssetStatus

# Who reads asset cards: the unit's asset administrators, the bureau, leaders.
ASSET_READERS = (Role.ASSET_ADMIN, Role.BUREAU_ADMIN, Role.LEADER)
ASSET_EDITORS = (Role.ASSET_ADMIN, Role.BUREAU_ADMIN)


def assets_for(
    user,
    *,
    search: str = "",
    unit: OrgUnit | None = None,
    category: Category | None = None,
    status: str = "",
    custodian=None,
    location=None,
    acquired_from: date | None = None,
    acquired_to: date | None = None,
    roles=ASSET_READERS,
) -> QuerySet:
    """Cards the user may see (by the card's owning unit), with what list pages show joined in."""
    qs = scoping.scope(
        Asset.objects.select_related("category", "org_unit", "custodian", "location__building"),
        user,
        roles=roles,
    )
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    if category is not None:
        qs = qs.filter(category__code__startswith=category.code)
    if status:
        qs = qs.filter(status=status)
    if custodian is not None:
        qs = qs.filter(custodian=custodian)
    if location is not None:
        qs = qs.filter(location=location)
    if acquired_from:
        qs = qs.filter(acquired_on__gte=acquired_from)
    if acquired_to:
        qs = qs.filter(acquired_on__lte=acquired_to)
    if search:
        qs = qs.filter(Q(asset_number__icontains=search) | Q(name__icontains=search) | Q(spec__icontains=search))
    return qs.order_by("asset_number")


def editable_assets(user) -> QuerySet:
    return assets_for(user, roles=ASSET_EDITORS)


def movements_for(user, *, asset: Asset | None = None, kind: str = "", limit: int | None = None) -> QuerySet:
    """Movements of the cards the user may see now (a transferred card's past goes with it)."""
    qs = scoping.scope(
        Movement.objects.select_related(
            "asset", "actor", "from_unit", "to_unit", "from_person", "to_person", "from_room", "to_room"
        ),
        user,
        roles=ASSET_READERS,
        unit_field="asset__org_unit",
    )
    if asset is not None:
        qs = qs.filter(asset=asset)
    if kind:
        qs = qs.filter(kind=kind)
    qs = qs.order_by("-at", "-pk")
    return qs[:limit] if limit else qs


def categories(*, search: str = "") -> QuerySet:
    """The classification is public reference data (the same for every unit); ``search`` matches the
    start of a code or any part of a name."""
    qs = Category.objects.select_related("parent").order_by("code")
    if search:
        qs = qs.filter(Q(code__startswith=search) | Q(name__icontains=search))
    return qs


def category_choices() -> QuerySet:
    return Category.objects.order_by("code")


def category_by(value: str, *, by: str = "pk") -> Category | None:
    """The GB/T 14885 category a form's select sent: by its id (the purchase form) or its code (资产领用)."""
    value = (value or "").strip()
    if by == "code":
        return Category.objects.filter(code=value).first() if value else None
    return Category.objects.filter(pk=int(value)).first() if value.isdigit() else None


def room_choices(user, org_unit: OrgUnit | None = None) -> QuerySet:
    """Rooms a card may be placed in: the rooms officespace shows the user (space roles) and the
    rooms of the units the user administers assets for (an asset administrator rarely holds a
    space role, and officespace.selectors.rooms_for scopes by space roles only)."""
    paths = scoping.granted_paths(user, ASSET_EDITORS)
    q = Q(pk__in=rooms_for(user).values("pk"))
    if user.is_superuser:
        q = Q()
    elif paths:
        q |= scoping.subtree_q(paths, "org_unit")
    qs = active_rooms().filter(q)
    if org_unit is not None:
        qs = qs.filter(org_unit__path__startswith=institution_of(org_unit).path)
    return qs.order_by("building__code", "number")


def latest_depreciation(asset: Asset, *, months: int = 24) -> QuerySet:
    """The card's last ``months`` depreciation entries, newest first (the card page)."""
    return DepreciationEntry.objects.filter(asset=asset).order_by("-month")[:months]


def depreciation_summary(user, *, unit: OrgUnit | None = None) -> dict:
    """Original value, accumulated depreciation and net book value of the visible cards not disposed."""
    qs = assets_for(user, unit=unit).exclude(status="disposed").order_by()
    totals = qs.aggregate(
        original=Coalesce(Sum("original_value"), 0, output_field=Asset._meta.get_field("original_value")),
        accumulated=Coalesce(
            Sum("accumulated_depreciation"), 0, output_field=Asset._meta.get_field("accumulated_depreciation")
        ),
    )
    totals["net"] = totals["original"] - totals["accumulated"]
    return totals


def monthly_depreciation(user, *, unit: OrgUnit | None = None, limit: int = 24, since=None, until=None) -> list[dict]:
    """Depreciation per month over the visible cards (latest first), of the months ``since``–``until`` touch."""
    cards = assets_for(user, unit=unit).order_by().values("pk")
    entries = DepreciationEntry.objects.filter(asset__in=cards)
    if since:
        entries = entries.filter(month__gte=since.replace(day=1))
    if until:
        entries = entries.filter(month__lte=until)
    return list(entries.values("month").annotate(total=Sum("amount")).order_by("-month")[:limit])


def runs(limit: int = 24) -> QuerySet:
    return DepreciationRun.objects.order_by("-month")[:limit]


# --- The unit a card belongs to ------------------------------------------------------------------


def institution_of(unit: OrgUnit) -> OrgUnit:
    """The 机关/单位 a unit belongs to (itself, or the nearest ancestor of level institution)."""
    if unit.level == OrgUnit.Level.INSTITUTION:
        return unit
    prefixes = [unit.path[:end] for end in range(OrgUnit.steplen, len(unit.path), OrgUnit.steplen)]
    found = (
        OrgUnit.objects.filter(path__in=prefixes, level=OrgUnit.Level.INSTITUTION).order_by("-depth").first()
        if prefixes
        else None
    )
    return found or unit


def same_institution(a: OrgUnit, b: OrgUnit) -> bool:
    return b.path.startswith(institution_of(a).path)


def is_administrative(unit: OrgUnit) -> bool:
    """党政机关 (may not run businesses with state assets) rather than a 事业单位."""
    return institution_of(unit).kind == OrgUnit.Kind.PARTY_GOVERNMENT


def headcount(unit: OrgUnit) -> int:
    """编制内实有人数 of the unit's institution (active people in its subtree), from datahub."""
    home = institution_of(unit)
    attach_headcounts([home])
    return home.headcount


# --- Thresholds and standards in force -----------------------------------------------------------


def capitalisation_threshold(category: Category, on: date | None = None) -> Decimal:
    on = on or timezone.localdate()
    row = CapitalisationThreshold.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    return rules.capitalisation_threshold(
        special_equipment=category.special_equipment,
        general=row.general if row else None,
        special=row.special_equipment if row else None,
    )


def standard_for(category: Category, on: date | None = None) -> ConfigStandard | None:
    """The standard row in force for ``category`` or its nearest ancestor that has one."""
    on = on or timezone.localdate()
    version = ConfigStandardVersion.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    if version is None:
        return None
    codes = [category.code[:end] for end in range(3, len(category.code) + 1, 2)]
    rows = {
        r.category.code: r for r in version.rows.select_related("category", "version").filter(category__code__in=codes)
    }
    for code in reversed(codes):
        if code in rows:
            return rows[code]
    return None


def held_quantity(unit: OrgUnit, category_code: str) -> int:
    """Quantity of the cards not disposed of a category (and its subcategories) within a unit."""
    return (
        Asset.objects.filter(org_unit__path__startswith=unit.path, category__code__startswith=category_code)
        .exclude(status=AssetStatus.DISPOSED)
        .aggregate(n=Sum("quantity"))["n"]
        or 0
    )


def purchase_facts(detail) -> dict:
    """What rules.check_purchase needs to judge a 资产配置申请, looked up as plain values."""
    row = standard_for(detail.category)
    facts = {
        "standard": None,
        "category_code": detail.category.code,
        "unit_price": detail.unit_price,
        "quantity": detail.quantity,
        "classified": detail.classified,
        "early_renewal": detail.early_renewal,
        "people": 0,
        "held": 0,
        "today": timezone.localdate(),
    }
    if row is not None:
        facts["standard"] = rules.Standard(
            rule=f"《{row.version.title}》{row.label}",
            category_code=row.category.code,
            price_cap=row.price_cap,
            min_life_months=row.min_life_months,
            quantity_ratio=row.quantity_ratio,
        )
        if row.quantity_ratio is not None:
            home = institution_of(detail.ticket.org_unit)
            facts["people"] = headcount(home)
            facts["held"] = held_quantity(home, row.category.code)
    if detail.replaces_id:
        replaced = detail.replaces
        facts["replaced_quantity"] = replaced.quantity
        facts["replaced_acquired_on"] = replaced.acquired_on
        facts["replaced_min_life_months"] = replaced.category.min_life_months
        if detail.ticket_id:
            facts["replaced_in_unit"] = replaced.org_unit.path.startswith(institution_of(detail.ticket.org_unit).path)
    return facts


# --- Cards as other domains (公物仓, 清查盘点) read them --------------------------------------------


def category_by_pk(raw: str) -> Category | None:
    """The category a query string names by id, or None."""
    return Category.objects.filter(pk=raw).first() if str(raw).isdecimal() else None


def categories_among(pks) -> QuerySet:
    """The categories whose ids are in ``pks`` (a list or a values() subquery), by code."""
    return Category.objects.filter(pk__in=pks).order_by("code")


def category_subtree(category) -> QuerySet:
    """The ids of the category and the ones below it (GB/T 14885 codes nest by prefix)."""
    code = getattr(category, "code", "")
    if code:
        return Category.objects.filter(code__startswith=code).values("pk")
    return Category.objects.filter(pk=category.pk).values("pk")


def card_by_number(user, number: str, *, roles=ASSET_EDITORS) -> Asset | None:
    """The card numbered ``number`` (any case) among the units where ``user`` holds ``roles``."""
    return (
        scoping.scope(Asset.objects.select_related("org_unit"), user, roles=roles)
        .filter(asset_number__iexact=number)
        .first()
    )


def card_ids_by_number(numbers) -> dict[str, int]:
    """Asset number → card id for the numbers that exist on any book (plain values)."""
    return dict(Asset.objects.filter(asset_number__in=numbers).values_list("asset_number", "pk"))


def card_id_by_number(number: str) -> int | None:
    return Asset.objects.filter(asset_number=number).values_list("pk", flat=True).first()


def cards_exist(unit: OrgUnit) -> bool:
    return Asset.objects.filter(org_unit__path__startswith=unit.path).exists()


def idle_since(user, *, cutoff: date, roles) -> QuerySet:
    """Idle cards of the user's units (``roles``) idle since ``cutoff`` or earlier. "Idle since" is
    the time of the card's last movement into 闲置; a card booked idle and never moved counts from
    its booking date. Annotated ``idle_at``."""
    became_idle = (
        Movement.objects.filter(asset=OuterRef("pk"), to_status=AssetStatus.IDLE)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    qs = scoping.scope(
        Asset.objects.select_related("category", "org_unit", "location", "location__building"),
        user,
        roles=roles,
    ).filter(status=AssetStatus.IDLE)
    qs = qs.annotate(idle_at=Subquery(became_idle, output_field=DateTimeField()))
    return qs.filter(Q(idle_at__date__lte=cutoff) | Q(idle_at__isnull=True, booked_on__lte=cutoff)).order_by(
        "idle_at", "asset_number"
    )


def book_rows(unit: OrgUnit, *, exclude_statuses=(), building=None, room=None):
    """The cards on ``unit``'s books (and below), narrowed to a building or a room, as plain rows
    (pk, asset_number, name, org_unit_id, location_id, custodian_id), streamed in chunks."""
    qs = Asset.objects.filter(org_unit__path__startswith=unit.path).exclude(status__in=exclude_statuses)
    if building is not None:
        qs = qs.filter(location__building=building)
    if room is not None:
        qs = qs.filter(location=room)
    return qs.values_list("pk", "asset_number", "name", "org_unit_id", "location_id", "custodian_id").iterator(
        chunk_size=5000
    )


def cards_of(user, *, roles=ASSET_EDITORS) -> QuerySet:
    """Every card of the units where ``user`` holds ``roles`` (nothing joined: for lookups by id)."""
    return scoping.scope(Asset.objects.all(), user, roles=roles)


def cards_noted(note: str) -> QuerySet:
    """The cards whose note is exactly ``note`` (the demo data marks its cards so)."""
    return Asset.objects.filter(note=note)


# --- Monthly figures per unit (the command center's roll-up; unscoped: the reader scopes the roll-up) ----


def monthly_asset_figures(*, start: date, end: date, unit_ids=None) -> figures.MonthlyFigures:
    """``monthly_asset_figure_queries`` read as {(unit, month): {key: value}}."""
    return figures.collect(monthly_asset_figure_queries(start=start, end=end, unit_ids=unit_ids))


def monthly_asset_figure_queries(*, start: date, end: date, unit_ids=None) -> figures.FigureQueries:
    """Per owning unit and month in [start, end): the cards on the books at the month's end (acquired by then,
    not disposed of by then) and their original value (元), and the depreciation posted for the month.
    Grouped queries: the depreciation, and the books at each month's end."""
    books = Asset.objects.all()
    entries = DepreciationEntry.objects.filter(month__gte=start, month__lt=end)
    if unit_ids is not None:
        books = books.filter(org_unit_id__in=list(unit_ids))
        entries = entries.filter(asset__org_unit_id__in=list(unit_ids))
    queries = [
        figures.grouped(
            entries, unit="asset__org_unit_id", month=figures.month_of_day("month"), depreciation=Sum("amount")
        )
    ]
    for month in figures.months_between(start, end):
        # On the books at the month's end: acquired before it, not disposed of before it.
        month_end = figures.next_month(month)
        held = books.filter(Q(disposed_on__isnull=True) | Q(disposed_on__gte=month_end), acquired_on__lt=month_end)
        queries.append(
            figures.grouped(
                held, unit="org_unit_id", month=month, asset_cards=Count("pk"), asset_value=Sum("original_value")
            )
        )
    return queries


def holdings_of(*, person) -> list[str]:
    """The asset cards a person holds as custodian, for the portal's 离岗 bundle."""
    rows = Asset.objects.filter(custodian=person).exclude(status=AssetStatus.DISPOSED).order_by("asset_number")
    return [f"{a.asset_number} {a.name}" for a in rows]


def status_totals(user) -> list[dict]:
    """For each status, in the status list's order: its label, value, the number of visible cards and
    their original value."""
    by_status = {
        row["status"]: row
        for row in assets_for(user)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"), value=Sum("original_value"))
        .order_by("status")
    }
    return [
        {
            "label": s.label,
            "value": s.value,
            "n": by_status.get(s.value, {}).get("n", 0),
            "amount": by_status.get(s.value, {}).get("value") or 0,
        }
        for s in rules.AssetStatus
    ]


def visible_ticket(user, pk):
    """The request ``pk`` if the user may see it, else None (an unknown and an unseen one alike)."""
    return visible_tickets(user).filter(pk=pk).first() if pk else None


# --- Cards behind other ledgers (vehicles, buildings) --------------------------------------------


def category_by_code(code: str) -> Category | None:
    return Category.objects.filter(code=code).first()


def vehicle_card_to_link(number: str) -> Asset | None:
    """The card numbered ``number`` (any case), for linking a vehicle to it (the caller checks scope)."""
    return Asset.objects.select_related("category", "org_unit").filter(asset_number__iexact=number.strip()).first()


def card_facts(asset_id: int | None) -> dict | None:
    """What another ledger shows of its card: number, value, acquisition date, status (plain values)."""
    if asset_id is None:
        return None
    row = (
        Asset.objects.filter(pk=asset_id)
        .values("pk", "asset_number", "original_value", "acquired_on", "status", "accumulated_depreciation")
        .first()
    )
    if row is not None:
        row["status_label"] = AssetStatus(row["status"]).label
        row["net_book_value"] = row["original_value"] - row["accumulated_depreciation"]
    return row


def building_card(building) -> Asset | None:
    return Asset.objects.filter(building=building).first()


def building_card_ids(building_ids) -> dict[int, str]:
    """Building id → its card's number, for the buildings that have one."""
    return dict(Asset.objects.filter(building_id__in=list(building_ids)).values_list("building_id", "asset_number"))


def buildings_to_book(user) -> QuerySet:
    """Office space's buildings of the units ``user`` administers assets of that have no card yet."""
    return (
        buildings_scoped(user, ASSET_EDITORS)
        .exclude(pk__in=Asset.objects.filter(building__isnull=False).values("building_id"))
        .order_by("code")
    )


def card_building(asset: Asset) -> dict | None:
    """A building card's area, structure and rooms, as office space holds them now (never copied)."""
    return building_facts(asset.building_id)


# --- Picking a card in a form (资产处置, 资产领用 closing): one search, the same scope as the check --------

PICK_LIMIT = 20


def _own_institution_cards(user) -> QuerySet:
    """The cards on the books of the user's own institution (a requester holds no asset role)."""
    if not user or not user.is_authenticated or not user.is_active or not user.org_unit_id:
        return Asset.objects.none()
    return Asset.objects.filter(org_unit__path__startswith=institution_of(user.org_unit).path)


def pickable_cards(user, *, purpose: str, search: str = "", unit: OrgUnit | None = None) -> QuerySet:
    """The cards ``user`` may pick for ``purpose``, searched by number, name or category (code or name).

    - "disposal": a requester proposes one of their own institution's cards that can still be disposed of;
    - "transfer": a requester proposes one of their own institution's cards that can move (资产调拨申请);
    - "issue": the handler of a 资产领用 hands over a card in use or idle from the books they keep
      (narrowed to ``unit``'s institution when the ticket is known).
    - "pool": an asset administrator offers a card in use or idle, from the books they keep, to the 公物仓.
    The form's check and the search widget both read this, so what is offered is what is accepted.
    """
    if purpose == "pool":
        qs = scoping.scope(Asset.objects.all(), user, roles=ASSET_EDITORS).filter(
            status__in=(AssetStatus.IN_USE, AssetStatus.IDLE)
        )
    elif purpose == "disposal":
        qs = _own_institution_cards(user).filter(status__in=rules.DISPOSABLE)
    elif purpose == "transfer":
        qs = _own_institution_cards(user).filter(status__in=rules.MOVABLE, under_repair=False)
    elif purpose == "issue":
        qs = scoping.scope(Asset.objects.all(), user, roles=ASSET_EDITORS).filter(
            status__in=(AssetStatus.IN_USE, AssetStatus.IDLE), under_repair=False
        )
        if unit is not None:
            qs = qs.filter(org_unit__path__startswith=institution_of(unit).path)
    else:
        return Asset.objects.none()
    search = (search or "").strip()
    if search:
        qs = qs.filter(
            Q(asset_number__icontains=search)
            | Q(name__icontains=search)
            | Q(category__code__startswith=search)
            | Q(category__name__icontains=search)
        )
    return qs.select_related("category", "org_unit").order_by("asset_number")


def picked_card(user, number: str, *, purpose: str, unit: OrgUnit | None = None) -> Asset | None:
    """The card numbered exactly ``number`` (any case) among those ``user`` may pick, else None."""
    number = (number or "").strip()
    if not number:
        return None
    return pickable_cards(user, purpose=purpose, unit=unit).filter(asset_number__iexact=number).first()


def transfer_target_units(requester) -> QuerySet:
    """The institutions a card of the requester's institution may be transferred to (every other active one)."""
    if requester is None or not getattr(requester, "org_unit_id", None):
        return OrgUnit.objects.none()
    own = institution_of(requester.org_unit)
    return (
        OrgUnit.objects.filter(level=OrgUnit.Level.INSTITUTION, is_active=True)
        .exclude(path__startswith=own.path)
        .order_by("path")
    )


def replaceable_card(requester, number: str) -> Asset | None:
    """A card of the requester's institution named as the one a purchase replaces."""
    number = (number or "").strip()
    return _own_institution_cards(requester).filter(asset_number__iexact=number).first() if number else None


# --- 先仓后购: the pool's matching items, read through a hook (the pool app imports assets, not the reverse) ---

_alternatives_readers: list = []


def register_purchase_alternatives(reader) -> None:
    """Called by the pool app's AppConfig.ready(): ``reader(category, requester)`` → list of plain dicts."""
    if reader not in _alternatives_readers:
        _alternatives_readers.append(reader)


def purchase_alternatives(category, requester) -> list[dict]:
    """Pool items that could be taken instead of buying ``category`` (先仓后购), own institution's first."""
    return [row for reader in _alternatives_readers for row in reader(category, requester)]


def describe_alternatives(rows: list[dict]) -> str:
    """The items as one line for a form message or the ticket page."""
    own = [f"{r['number']} {r['name']}" for r in rows if r["own"]]
    other = [f"{r['number']} {r['name']}（{r['unit']}）" for r in rows if not r["own"]]
    parts = []
    if own:
        parts.append(_("本单位：") + listed(own))
    if other:
        parts.append(_("其他单位：") + listed(other))
    return str(_("；")).join(parts)


def purchase_alternatives_text(detail) -> str:
    """The line the approver's ticket shows for a 资产配置申请: what the pool holds now for its category."""
    rows = purchase_alternatives(detail.category, detail.ticket.requester)
    return describe_alternatives(rows) if rows else _("公物仓暂无同类资产")
