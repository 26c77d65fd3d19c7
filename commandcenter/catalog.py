"""What the command center shows: the domains' monthly figure selectors it rolls up, and each figure on the
page — the roll-up keys it is computed from, its unit, what it is compared with, and the list behind it.

A figure is a sum of roll-up keys, or a ratio of two sums (never an average of ratios). A *flow* key
(filed, spent) sums over the period's months; a *stock* key (held, open) is read at the period's last
month (the current month while the period runs).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from assetpool import selectors as pool
from assets import selectors as assets
from datahub.catalog import selectors as sharing
from energy import selectors as energy
from officespace import selectors as space
from portal import selectors as portal
from telematics import selectors as telematics
from vehicles import figures as fleet_figures
from vehicles import overview as fleet_overview

from . import rules

# Each returns {(unit id, month): {key: value}} for [start, end), optionally for some units only.
FAMILIES = {
    "service": portal.monthly_service_figures,
    "fleet": fleet_figures.monthly_fleet_figures,
    "alerts": telematics.monthly_alert_figures,
    "space": space.monthly_space_figures,
    "energy": energy.monthly_energy_figures,
    "assets": assets.monthly_asset_figures,
    "pool": pool.monthly_pool_figures,
    "sharing": sharing.monthly_sharing_figures,
    "service_kinds": portal.monthly_kind_figures,
    "purchases": fleet_overview.monthly_purchase_figures,
    "fleet_use": fleet_overview.monthly_use_figures,
}

# The same families as grouped queries (``datahub.figures``: one row per unit and month, a column per key): the
# roll-up inserts them with one INSERT … SELECT each, never reading a row into Python. The ``FAMILIES`` entry
# of a family must be ``figures.collect`` of its entry here (one rule, one place); a family missing here is
# still rolled up, through its ``FAMILIES`` selector (Python, slower).
QUERIES = {
    "service": portal.monthly_service_figure_queries,
    "fleet": fleet_figures.monthly_fleet_figure_queries,
    "alerts": telematics.monthly_alert_figure_queries,
    "space": space.monthly_space_figure_queries,
    "energy": energy.monthly_energy_figure_queries,
    "assets": assets.monthly_asset_figure_queries,
    "pool": pool.monthly_pool_figure_queries,
    "sharing": sharing.monthly_sharing_figure_queries,
    "service_kinds": portal.monthly_kind_figure_queries,
    "purchases": fleet_overview.monthly_purchase_figure_queries,
    "fleet_use": fleet_overview.monthly_use_figure_queries,
}

STOCK_KEYS = frozenset(
    {
        "tickets_overdue",
        "vehicles_held",
        "vehicles_nev",
        "alerts_open",
        "space_people",
        "space_over_people",
        "space_excess_m2",
        "space_cases_open",
        "energy_area_m2",
        "energy_users",
        "asset_cards",
        "asset_value",
    }
)


@dataclass(frozen=True)
class Link:
    url_name: str
    query: str = ""  # format string: {unit} (unit id), {start}, {end} (ISO dates), {year}


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    num: str
    den: str | None = None
    scale: int = 1
    places: int = 0
    target: Decimal | None = None
    lower_is_better: bool = False
    link: Link | None = None
    trend: bool = False  # drawn as a monthly trend chart
    rank: bool = False  # a column of the child-unit ranking

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.num, self.den) if self.den else (self.num,)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: tuple[Figure, ...] = field(default_factory=tuple)


_TICKETS = Link("portal:all", "unit={unit}&since={start}&until={last}")
_DONE = Link("portal:all", "status=done&unit={unit}&closed_since={start}&closed_until={last}")
_OVERDUE = Link("portal:all", "unit={unit}&overdue=1")
_FLEET = Link("vehicles:vehicle-list", "unit={unit}")
_FLEET_STATS = Link("vehicles:statistics", "unit={unit}&start={start}&end={last}")
_ALERTS = Link("telematics:alert-list", "unit={unit}&status=open")
_ALERTS_ALL = Link("telematics:alert-list", "unit={unit}&status=&since={start}&until={last}")
_SPACE = Link("officespace:over-standard", "unit={unit}")
# The repairs finished in the period (the ledger dates them by completion), and those open now.
_REPAIRS_DONE = Link("officespace:repairs", "unit={unit}&status=closed&since={start}&until={last}")
_ENERGY = Link("energy:home", "unit={unit}&year={year}")
_CARDS = Link("assets:card-list", "unit={unit}")
_DEPRECIATION = Link("assets:depreciation", "unit={unit}&since={start}&until={last}")
_REUSES = Link("assetpool:reuse-list", "unit={unit}&since={start}&until={last}")
_POOL = Link("assetpool:pool-list", "unit={unit}&status=&since={start}&until={last}")
# The exchange calls the unit's subtree made (as consumer) in the period, per entry; the rows its entries served.
_CALLS = Link("catalog-usage", "unit={unit}&since={start}&until={last}")
_SERVED = Link("catalog-usage", "provider={unit}&since={start}&until={last}")

SECTIONS = (
    Section(
        "service",
        _("政务服务"),
        (
            Figure("tickets_filed", _("受理申请"), _("件"), "tickets_filed", link=_TICKETS, trend=True, rank=True),
            Figure("tickets_done", _("办结"), _("件"), "tickets_done", link=_DONE, trend=True),
            Figure(
                "on_time_pct",
                _("按时办结率"),
                "%",
                "tickets_on_time",
                "tickets_done",
                scale=100,
                places=1,
                target=rules.ON_TIME_TARGET,
                link=_DONE,
                rank=True,
            ),
            Figure(
                "tickets_overdue",
                _("超期未办"),
                _("件"),
                "tickets_overdue",
                lower_is_better=True,
                link=_OVERDUE,
                rank=True,
            ),
            Figure(
                "handling_hours",
                _("平均办理时长"),
                _("小时"),
                "handling_hours",
                "tickets_done",
                places=1,
                lower_is_better=True,
                link=_DONE,
            ),
            Figure(
                "satisfaction",
                _("平均评分"),
                _("分"),
                "rating_sum",
                "rating_count",
                places=2,
                target=rules.SATISFACTION_TARGET,
                link=_DONE,
            ),
            Figure(
                "rated_pct",
                _("评价率"),
                "%",
                "rating_count",
                "tickets_done",
                scale=100,
                places=1,
                link=_DONE,
            ),
        ),
    ),
    Section(
        "fleet",
        _("公务用车"),
        (
            Figure("vehicles_held", _("在编车辆"), _("辆"), "vehicles_held", link=_FLEET, rank=True),
            Figure(
                "nev_pct",
                _("新能源车占比"),
                "%",
                "vehicles_nev",
                "vehicles_held",
                scale=100,
                places=1,
                target=rules.NEV_SHARE_TARGET,
                link=_FLEET,
                rank=True,
            ),
            Figure("trips", _("出车"), _("次"), "trips", link=_FLEET_STATS, trend=True),
            Figure("distance_km", _("行驶里程"), _("公里"), "distance_km", link=_FLEET_STATS),
            Figure(
                "vehicle_cost",
                _("运行费用"),
                _("元"),
                "vehicle_cost",
                places=2,
                lower_is_better=True,
                link=_FLEET_STATS,
            ),
            Figure(
                "cost_per_km",
                _("每公里费用"),
                _("元/公里"),
                "vehicle_cost_per_km_base",
                "distance_km",
                places=2,
                lower_is_better=True,
                link=_FLEET_STATS,
                rank=True,
            ),
            Figure(
                "alerts_raised",
                _("监控告警"),
                _("条"),
                "alerts_raised",
                lower_is_better=True,
                link=_ALERTS_ALL,
                trend=True,
            ),
            Figure(
                "alerts_open", _("未处理告警"), _("条"), "alerts_open", lower_is_better=True, link=_ALERTS, rank=True
            ),
        ),
    ),
    Section(
        "space",
        _("办公用房"),
        (
            Figure(
                "space_over_people", _("超标使用人数"), _("人"), "space_over_people", lower_is_better=True, link=_SPACE
            ),
            Figure(
                "space_excess_m2", _("超标面积"), "m²", "space_excess_m2", places=2, lower_is_better=True, link=_SPACE
            ),
            Figure(
                "space_cases_open",
                _("未整改问题"),
                _("件"),
                "space_cases_open",
                lower_is_better=True,
                link=_SPACE,
                rank=True,
            ),
            Figure("repairs_done", _("完成维修"), _("次"), "repairs_done", link=_REPAIRS_DONE),
            Figure(
                "repairs_cost",
                _("维修费用"),
                _("元"),
                "repairs_cost",
                places=2,
                lower_is_better=True,
                link=_REPAIRS_DONE,
            ),
        ),
    ),
    Section(
        "energy",
        _("公共机构节能"),
        (
            Figure(
                "energy_tce",
                _("综合能耗"),
                _("吨标准煤"),
                "energy_kgce",
                scale=1,
                places=2,
                lower_is_better=True,
                link=_ENERGY,
                trend=True,
            ),
            Figure(
                "energy_per_m2",
                _("单位建筑面积能耗"),
                "kgce/m²",
                "energy_kgce_building",
                "energy_area_m2",
                places=2,
                lower_is_better=True,
                link=_ENERGY,
                rank=True,
            ),
            Figure(
                "energy_per_person",
                _("人均综合能耗"),
                _("kgce/人"),
                "energy_kgce",
                "energy_users",
                places=2,
                lower_is_better=True,
                link=_ENERGY,
            ),
            Figure(
                "water_per_person",
                _("人均用水量"),
                _("m³/人"),
                "water_m3",
                "energy_users",
                places=2,
                lower_is_better=True,
                link=_ENERGY,
            ),
            Figure(
                "co2_per_m2",
                _("单位建筑面积碳排放"),
                "kgCO₂/m²",
                "energy_kgco2_building",
                "energy_area_m2",
                places=2,
                lower_is_better=True,
                link=_ENERGY,
            ),
        ),
    ),
    Section(
        "assets",
        _("资产与公物仓"),
        (
            Figure("asset_cards", _("资产卡片"), _("张"), "asset_cards", link=_CARDS),
            Figure("asset_value", _("资产原值"), _("元"), "asset_value", places=2, link=_CARDS, rank=True),
            Figure("depreciation", _("本期折旧"), _("元"), "depreciation", places=2, link=_DEPRECIATION, trend=True),
            Figure("pool_listed", _("入仓物品"), _("件"), "pool_listed", link=_POOL),
            Figure("pool_reused", _("调剂使用"), _("件"), "pool_reused", link=_REUSES),
            Figure(
                "pool_value_saved", _("先仓后购节约"), _("元"), "pool_value_saved", places=2, link=_REUSES, rank=True
            ),
        ),
    ),
)

SECTIONS = (
    *SECTIONS,
    Section(
        "sharing",
        _("数据共享"),
        (
            Figure("share_calls", _("调用共享数据"), _("次"), "share_calls", link=_CALLS, trend=True, rank=True),
            Figure("share_rows", _("获取数据"), _("行"), "share_rows", link=_CALLS),
            Figure(
                "share_refused_pct",
                _("调用被拒比例"),
                "%",
                "share_refused",
                "share_calls",
                scale=100,
                places=1,
                lower_is_better=True,
                link=_CALLS,
            ),
            Figure("share_served", _("提供数据"), _("行"), "share_served", link=_SERVED, rank=True),
        ),
    ),
)

# --- Figures added for the service, fleet and office-space questions of #14 -----------------------------
# A *snapshot* figure is a count as of today (not a monthly flow), read at page time from the domain's
# selectors scoped to the unit's subtree (``snapshot.counts``): it has no last year and no peers.
SNAPSHOT_KEYS = frozenset(
    {
        "renewal_due",
        "insurance_expiring",
        "inspection_expiring",
        "licences_expired",
        "leavers_overdue",
        "second_overdue",
        "repairs_open",
    }
)
_RENEWAL = Link("vehicles:renewal", "unit={unit}&year={year}")
_INSURANCE = Link("vehicles:vehicle-list", "unit={unit}&insurance_expiring=1")
_INSPECTION = Link("vehicles:vehicle-list", "unit={unit}&inspection_expiring=1")
_LICENCES = Link("vehicles:driver-list", "unit={unit}&expired=1")
_TAKE_BACK = Link("officespace:take-back", "unit={unit}")
_REPAIRS_OPEN = Link("officespace:repairs", "unit={unit}&status=open")
MORE = {
    "fleet": (
        Figure("vehicles_bought", _("本期购置车辆"), _("辆"), "vehicles_bought", link=_RENEWAL),
        Figure(
            "nev_purchase_pct",
            _("购置新能源车占比"),
            "%",
            "vehicles_bought_nev",
            "vehicles_bought",
            scale=100,
            places=1,
            target=rules.NEV_SHARE_TARGET,
            link=_RENEWAL,
            rank=True,
        ),
        # Booked hours over the fleet's working hours: the denominator is made at page time from the vehicles
        # held and the period's working days (``dashboard.build``), as the statistics page divides.
        Figure(
            "utilisation",
            _("车辆利用率"),
            "%",
            "booked_hours",
            "vehicle_work_hours",
            scale=100,
            places=1,
            link=_FLEET_STATS,
        ),
        Figure("renewal_due", _("达到更新年限（当前）"), _("辆"), "renewal_due", link=_RENEWAL),
        Figure(
            "insurance_expiring",
            _("保险30日内到期（当前）"),
            _("辆"),
            "insurance_expiring",
            lower_is_better=True,
            link=_INSURANCE,
        ),
        Figure(
            "inspection_expiring",
            _("年检30日内到期（当前）"),
            _("辆"),
            "inspection_expiring",
            lower_is_better=True,
            link=_INSPECTION,
        ),
        Figure(
            "licences_expired",
            _("驾驶证已过期（当前）"),
            _("人"),
            "licences_expired",
            lower_is_better=True,
            link=_LICENCES,
        ),
    ),
    "space": (
        Figure(
            "leavers_overdue",
            _("调离/退休逾期未腾退（当前）"),
            _("间"),
            "leavers_overdue",
            lower_is_better=True,
            link=_TAKE_BACK,
        ),
        Figure(
            "second_overdue",
            _("兼职结束逾期未腾退（当前）"),
            _("间"),
            "second_overdue",
            lower_is_better=True,
            link=_TAKE_BACK,
        ),
        Figure(
            "repairs_open", _("未办结报修（当前）"), _("件"), "repairs_open", lower_is_better=True, link=_REPAIRS_OPEN
        ),
    ),
}
SECTIONS = tuple(Section(s.key, s.title, s.figures + MORE.get(s.key, ())) for s in SECTIONS)

FIGURES = {f.key: f for s in SECTIONS for f in s.figures}
# 综合能耗 is shown in tonnes: the roll-up keeps kilograms.
DIVISORS = {"energy_tce": Decimal(1000)}
