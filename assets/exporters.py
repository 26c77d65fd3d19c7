"""The card list's reads: its filters (``cards_queryset``, shared by the page, the labels and the Excel export,
registered with datahub.exports; large exports run as a background job with progress), its rows and its
category filter."""

from datetime import date

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from datahub import scoping
from datahub.compiled import SCOPE_MARKERS, PagedStatement, PageStatement, ScopeReader, page_number, scope_values
from datahub.exports import Export, exporter
from datahub.selectors import with_unit_parent_name

from . import selectors
from .models import Asset, Category
from .rules import AssetStatus

HEADERS = [
    _("资产编号"),
    _("资产名称"),
    _("分类代码"),
    _("分类名称"),
    _("规格型号"),
    _("数量"),
    _("计量单位"),
    _("原值"),
    _("累计折旧"),
    _("净值"),
    _("取得日期"),
    _("取得方式"),
    _("经费来源"),
    _("所属单位"),
    _("使用人/保管人"),
    _("存放地点"),
    _("状态"),
    _("入账日期"),
]


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def cards_queryset(user, params: QueryDict):
    """The card list's filters: q, unit (id), category (code), status, from/to (acquisition dates)."""
    unit = None
    if params.get("unit", "").isdecimal():
        unit = scoping.visible_units(user, roles=selectors.ASSET_READERS).filter(pk=params["unit"]).first()
        if unit is None:
            return selectors.assets_for(user).none()
    category = None
    if params.get("category"):
        category = Category.objects.filter(code=params["category"].strip()).first()
        if category is None:
            return selectors.assets_for(user).none()
    status = params.get("status", "")
    return selectors.assets_for(
        user,
        search=params.get("q", "").strip(),
        unit=unit,
        category=category,
        status=status if status in AssetStatus.values else "",
        acquired_from=_date(params.get("from", "")),
        acquired_to=_date(params.get("to", "")),
    )


def label_cards(user, params: QueryDict, *, ids: list[int], limit: int) -> list:
    """The cards a label sheet prints: the ones ticked (``ids``) among the filtered list, or the filtered
    list; at most ``limit`` + 1, so the page can say it was cut."""
    qs = cards_queryset(user, params)
    if ids:
        qs = qs.filter(pk__in=ids)
    return list(qs[: limit + 1])


@exporter("assets")
def cards_export(user, params: QueryDict) -> Export:
    qs = cards_queryset(user, params)

    def rows():
        for a in qs.iterator(chunk_size=2000):
            yield (
                a.asset_number,
                a.name,
                a.category.code,
                a.category.name,
                a.spec,
                a.quantity,
                a.unit_of_measure,
                a.original_value,
                a.accumulated_depreciation,
                a.net_book_value,
                a.acquired_on,
                a.get_acquisition_way_display(),
                a.get_funding_source_display(),
                a.org_unit.name,
                a.custodian.name if a.custodian else "",
                str(a.location) if a.location else "",
                a.get_status_display(),
                a.booked_on,
            )

    return Export("资产卡片.xlsx", HEADERS, rows, qs.count())


# What a card list's row shows.
CARD_ROW = (
    "pk",
    "asset_number",
    "name",
    "under_repair",
    "category__code",
    "category__name",
    "original_value",
    "accumulated_depreciation",
    "org_unit__name",
    "org_unit__level",
    "unit_parent_name",
    "custodian__name",
    "location_id",
    "location__building__name",
    "location__number",
    "status",
)


def card_rows(page) -> list[dict]:
    """A card list page's rows (a slice of ``assets_for``) as the columns the page shows: no card, category,
    unit, custodian, room and building instances per row (#17). Rows a statement read come as they are."""
    return page if isinstance(page, list) else list(page.values(*CARD_ROW))


def _card_page(**paths):
    cards = selectors.assets_for(ScopeReader(selectors.ASSET_READERS, paths))
    return cards, with_unit_parent_name(cards).values(*CARD_ROW)


CARD_PAGE = PageStatement(Asset, _card_page, SCOPE_MARKERS)
# A query string with these and nothing else set lists every card of the reader: cards_queryset's default.
_FILTERS = frozenset({"q", "unit", "category", "status", "from", "to"})


def card_page(user, params: QueryDict, *, size: int) -> PagedStatement | None:
    """The card list's page without any filter as its paginator reads it, by one statement compiled once per
    scope shape (the rows of ``card_rows`` and their total in one round trip, #17); None when a filter is set
    or the reader's scope has no statement (the queryset reads then)."""
    if any(params.get(name) for name in _FILTERS):
        return None
    values = scope_values(user, selectors.ASSET_READERS)
    if values is None:
        return None
    return PagedStatement(CARD_PAGE, values, size=size, wanted=page_number(params.get("page")))


def category_names() -> list[tuple[str, str]]:
    """(code, name) of every category, in code order: the card list's category filter."""
    return list(Category.objects.order_by("code").values_list("code", "name"))
