"""Every figure read at page time, not rolled up: what a subtree holds *now*, which has no month history
(no comparison with last year or the peers is shown: the page says “—”). One module for all of them:

- ``counts``: the fleet against its quota by category, papers running out, expired licences, vehicles due
  for renewal, office-space areas and cases by status, offices past their return deadline, repairs open —
  from the vehicle and office-space selectors scoped to what the reader sees; the breakdown tables and the
  attention lines are made from them (``breakdowns``), the catalog's ``SNAPSHOT_KEYS`` figures read ``values``.
- ``compute``/``cells``: energy quota lights and reports waiting, asset cards by status and their net value,
  stocktake discrepancies open, what the subtree shares through the data hub — declared here as data
  (``SNAPSHOTS``), each from one domain selector scoped to the unit's subtree (the view checked the reader may
  open the unit), appended to the sections of the same key.

Each reads a fixed number of queries whatever the subtree, so the page's count stays the same at every scope.
"""

import dataclasses
from datetime import date
from decimal import Decimal

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assets import overview as asset_overview
from assets import selectors as assets
from datahub.catalog import selectors as sharing
from energy import selectors as energy
from officespace import selectors as space
from stocktake import selectors as stocktake
from vehicles import overview as fleet

from .catalog import Figure, Link
from .rules import Period

AssetStatus = assets.AssetStatus

_QUOTA = Link("energy:institution-list", "unit={unit}&year={year}")
_REPORTS = Link("energy:submission-list", "unit={unit}")
_RETURNED = Link("energy:submission-list", "unit={unit}&status=returned")
_CARDS = Link("assets:card-list", "unit={unit}")
_STOCKTAKES = Link("stocktake:home", "unit={unit}&status=open")
_PENDING = Link("assets:card-list", "unit={unit}&status=pending_disposal")
_PROVIDED = Link("catalog-list", "provider={unit}&status=published")
_GIVEN = Link("catalog-grants", "unit={unit}&side=given")
_RECEIVED = Link("catalog-grants", "unit={unit}&side=received")

# (section key, figures): each figure's ``num`` is a key of ``compute``'s answer.
SNAPSHOTS: tuple[tuple[str, tuple[Figure, ...]], ...] = (
    (
        "energy",
        (
            Figure("quota_red", _("超约束值单位"), _("个"), "quota_red", lower_is_better=True, link=_QUOTA),
            Figure(
                "quota_amber", _("介于基准值与约束值单位"), _("个"), "quota_amber", lower_is_better=True, link=_QUOTA
            ),
            Figure("quota_green", _("优于基准值单位"), _("个"), "quota_green", link=_QUOTA),
            Figure("reports_overdue", _("逾期未报送"), _("份"), "reports_overdue", lower_is_better=True, link=_REPORTS),
            Figure(
                "reports_returned",
                _("退回修改的报送"),
                _("份"),
                "reports_returned",
                lower_is_better=True,
                link=_RETURNED,
            ),
        ),
    ),
    (
        "assets",
        (
            Figure("asset_net_value", _("资产净值"), _("元"), "net_value", places=2, link=_CARDS),
            *(
                Figure(
                    f"cards_{status.value}",
                    format_lazy(_("{status}卡片"), status=status.label),
                    _("张"),
                    f"cards_{status.value}",
                    link=Link("assets:card-list", f"unit={{unit}}&status={status.value}"),
                )
                for status in AssetStatus
                if status != AssetStatus.DISPOSED
            ),
            Figure("stocktakes_open", _("盘点中"), _("次"), "stocktakes_open", link=_STOCKTAKES),
            Figure(
                "stocktake_missing", _("盘亏待处置"), _("件"), "stocktake_missing", lower_is_better=True, link=_PENDING
            ),
        ),
    ),
    (
        "sharing",
        (
            Figure("datasets_shared", _("共享目录"), _("个"), "datasets_shared", link=_PROVIDED),
            Figure("grants_given", _("向其他单位授权"), _("项"), "grants_given", link=_GIVEN),
            Figure("grants_received", _("获得授权"), _("项"), "grants_received", link=_RECEIVED),
            Figure("zombie_entries", _("僵尸目录"), _("个"), "zombie_entries", lower_is_better=True, link=_PROVIDED),
        ),
    ),
)
FIGURES = {f.key: f for _, figures in SNAPSHOTS for f in figures}


def counts(user, unit, today: date) -> dict:
    """The counts as of today of ``unit``'s subtree, as far as ``user`` reads them: vehicles 4 queries and 1
    (papers running out), office space 4 and a grant lookup."""
    return {
        "fleet": fleet.fleet_snapshot(user, unit, today),
        "papers": fleet.papers_running_out(user, unit, today=today),
        "space": space.space_snapshot(user, unit, today),
    }


def values(snap: dict) -> dict:
    """The values of the catalog's figures counted as of today (``catalog.SNAPSHOT_KEYS``), from ``counts``."""
    fleet_now, space_now = snap["fleet"], snap["space"]
    return {
        "renewal_due": fleet_now["renewal_due"],
        "insurance_expiring": fleet_now["insurance_expiring"],
        "inspection_expiring": fleet_now["inspection_expiring"],
        "licences_expired": fleet_now["licences_expired"],
        "leavers_overdue": space_now["leavers_overdue"],
        "second_overdue": space_now["second_overdue"],
        "repairs_open": space_now["repairs_open"],
    }


def quota_year(period: Period, today: date) -> int:
    """The quotas are annual: the period's year once it is over, else the last complete year."""
    return period.year if period.year < today.year else today.year - 1


def compute(unit, period: Period, today: date) -> dict[str, Decimal | int]:
    """Every snapshot figure of ``unit``'s subtree: a fixed number of queries whatever the subtree."""
    lights = energy.quota_lights(unit, quota_year(period, today))
    reports = energy.report_figures(unit, period.year, today)
    cards = asset_overview.subtree_card_figures(unit)
    counted = stocktake.subtree_discrepancies(unit)
    shared = sharing.subtree_sharing(unit, today=today)
    return {
        **{f"quota_{light}": n for light, n in lights.items()},
        "reports_overdue": reports["overdue"],
        "reports_returned": reports["returned"],
        **cards,
        "stocktakes_open": counted["open"],
        "stocktake_missing": counted["missing"],
        "datasets_shared": shared["shared"],
        "grants_given": shared["grants_given"],
        "grants_received": shared["grants_received"],
        "zombie_entries": shared["zombies"],
    }


def cells(sections: list[dict], unit, period: Period, today: date, make_cell, link) -> None:
    """Append the snapshot figures' cells to the page's sections of the same key (``make_cell(figure, value,
    url)`` builds one; ``link`` is the page's link builder)."""
    values = compute(unit, period, today)
    year = quota_year(period, today)
    by_key = {s["key"]: s for s in sections}
    for key, figures in SNAPSHOTS:
        if key not in by_key:
            continue
        for f in figures:
            if f.link is _QUOTA:
                # The quota year, not the period's, in the label and the link.
                quota = Link(_QUOTA.url_name, f"unit={{unit}}&year={year}")
                f = dataclasses.replace(
                    f, label=_("%(label)s（%(year)s年定额）") % {"label": f.label, "year": year}, link=quota
                )
            value = Decimal(values.get(f.num, 0)).quantize(Decimal(1).scaleb(-f.places))  # as the page shows it
            by_key[key]["cells"].append(make_cell(f, value, link(f, unit, period, today)))
