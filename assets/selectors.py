"""Read queries of the assets app, always scoped. Other apps (公物仓, 清查盘点) read cards through
``assets_for``; views, the API and exports read through these too.
"""

from datetime import date

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from datahub import scoping
from datahub.models import OrgUnit
from datahub.roles import Role

from .models import Asset, Category, DepreciationEntry, DepreciationRun, Movement

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


def movements_for(user, *, asset: Asset | None = None, kind: str = "") -> QuerySet:
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
    return qs.order_by("-at", "-pk")


def categories() -> QuerySet:
    """The classification is public reference data (the same for every unit)."""
    return Category.objects.select_related("parent").order_by("code")


def category_choices() -> QuerySet:
    return Category.objects.order_by("code")


def room_choices(user, org_unit: OrgUnit | None = None) -> QuerySet:
    """Rooms a card may be placed in: the rooms officespace shows the user (space roles) and the
    rooms of the units the user administers assets for (an asset administrator rarely holds a
    space role, and officespace.selectors.rooms_for scopes by space roles only)."""
    from officespace.models import Room
    from officespace.selectors import rooms_for

    paths = scoping.granted_paths(user, ASSET_EDITORS)
    q = Q(pk__in=rooms_for(user).values("pk"))
    if user.is_superuser:
        q = Q()
    elif paths:
        q |= scoping.subtree_q(paths, "org_unit")
    qs = Room.objects.filter(q, is_active=True).select_related("building")
    if org_unit is not None:
        from .services import institution_of

        qs = qs.filter(org_unit__path__startswith=institution_of(org_unit).path)
    return qs.order_by("building__code", "number")


def depreciation_of(asset: Asset) -> QuerySet:
    return DepreciationEntry.objects.filter(asset=asset).order_by("month")


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


def monthly_depreciation(user, *, unit: OrgUnit | None = None, limit: int = 24) -> list[dict]:
    """Depreciation per month over the visible cards (latest first)."""
    cards = assets_for(user, unit=unit).order_by().values("pk")
    return list(
        DepreciationEntry.objects.filter(asset__in=cards)
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by("-month")[:limit]
    )


def runs(limit: int = 24) -> QuerySet:
    return DepreciationRun.objects.order_by("-month")[:limit]
