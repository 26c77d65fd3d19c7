"""The command center page as data: every figure of a unit's subtree for a period, with its comparisons
(same period last year, target, peers), the list behind it, the trends, the child-unit ranking and what needs
attention. Built from the roll-up through ``selectors`` (a fixed number of queries); the rest is arithmetic.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from datahub import formatting
from datahub.figures import month_of, months_between, next_month

from . import breakdowns, catalog, rules, selectors, snapshot
from .catalog import FIGURES, SECTIONS, SNAPSHOT_KEYS, STOCK_KEYS, Figure
from .rules import Period

# The office-space check keeps no history: its figures exist for the current month only.
CURRENT_ONLY = frozenset({"space_people", "space_over_people", "space_excess_m2", "space_cases_open"})
ALERT_KINDS = (
    ("no_dispatch", gettext_lazy("无单出车")),
    ("off_hours", gettext_lazy("非工作时间用车")),
    ("geofence_exit", gettext_lazy("驶出电子围栏")),
    ("overspeed", gettext_lazy("超速")),
    ("offline", gettext_lazy("终端离线")),
)


def _shift(month: date, years: int) -> date:
    return date(month.year + years, month.month, 1)


@dataclass
class Window:
    """The months a figure is summed over (flows) and the month a stock is read at."""

    months: list[date]
    stock_month: date
    current: bool  # does the window hold the current month (the office-space figures exist)

    @classmethod
    def of(cls, period: Period, today: date, years_back: int = 0) -> "Window":
        this_month = month_of(today)
        last = period.stock_month(today)
        months = [_shift(m, -years_back) for m in months_between(period.start, next_month(last))]
        return cls(months, _shift(last, -years_back), this_month == _shift(last, -years_back))

    @property
    def span(self) -> tuple[list[date], date]:
        return self.months, self.stock_month

    def only_current(self, sums: dict) -> dict:
        """Window sums made by the database: the office-space figures blanked outside the current month."""
        if not self.current:
            sums = {**sums, **dict.fromkeys(CURRENT_ONLY)}
        return sums


def totals(data: dict, window: Window) -> dict[str, Decimal | None]:
    """Fold monthly sums into the window's figures: flows summed, stocks read at the stock month."""
    out: dict[str, Decimal | None] = {}
    for month in window.months:
        for key, value in data.get(month, {}).items():
            if key not in STOCK_KEYS:
                out[key] = out.get(key, Decimal(0)) + value
    for key, value in data.get(window.stock_month, {}).items():
        if key in STOCK_KEYS:
            out[key] = value
    if not window.current:
        for key in CURRENT_ONLY:
            out[key] = None
    return out


def value_of(figure: Figure, sums: dict) -> Decimal | None:
    num = sums.get(figure.num, Decimal(0))
    if num is None:
        return None
    if figure.den:
        return rules.ratio(num, sums.get(figure.den) or 0, figure.scale, figure.places)
    divisor = catalog.DIVISORS.get(figure.key, Decimal(1))
    return (Decimal(num) / divisor).quantize(Decimal(1).scaleb(-figure.places), ROUND_HALF_UP)


def fmt(value: Decimal | None, places: int) -> str:
    """A number with thousands separators and ``places`` decimals (the shared ``amount`` filter's rule)."""
    return formatting.number(value, places)


def show(figure: Figure, value) -> tuple[str, str]:
    """A figure's value as the shared filters (``money``, ``area``, ``pct``, ``amount``) write it, and the unit
    the page sets small after it: money with 元, areas with m², percentages with one decimal carry their
    unit in the text; anything else is the number, its unit apart. Made here, not by an include per value: a
    page holds a hundred of them and the template language spends more on each than the rest of the page."""
    if figure.unit == gettext("元"):  # a unit is a translated label: compared in the reader's language
        return formatting.money(value), ""
    if figure.unit == "m²":
        return formatting.with_unit(value, "m²", 2), ""
    if figure.unit == "%":
        return formatting.percent(value), ""
    return formatting.number(value, figure.places), figure.unit


@dataclass
class Cell:
    figure: Figure
    value: Decimal | None
    last_year: Decimal | None
    change_pct: Decimal | None
    percentile: int | None
    url: str
    shown: str = ""
    unit_shown: str = ""
    last_year_shown: str = ""
    target_shown: str = ""
    change_shown: str = ""
    target_met: bool | None = None
    better: bool | None = None  # did it move the right way since last year
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        f = self.figure
        self.shown, self.unit_shown = show(f, self.value)
        self.last_year_shown, _ = show(f, self.last_year)
        self.target_shown = show(f, f.target)[0] if f.target is not None else ""
        self.change_shown = "" if self.change_pct is None else formatting.percent(self.change_pct)
        if f.target is not None and self.value is not None:
            self.target_met = self.value <= f.target if f.lower_is_better else self.value >= f.target
        if self.change_pct is not None and self.change_pct != 0:
            self.better = (self.change_pct < 0) == f.lower_is_better
        self.extra["snapshot"] = f.num in SNAPSHOT_KEYS  # a count as of today: nothing to compare

    def as_json(self) -> dict:
        return {
            "key": self.figure.key,
            "label": self.figure.label,
            "unit": self.figure.unit,
            "value": None if self.value is None else str(self.value),
            "last_year": None if self.last_year is None else str(self.last_year),
            "change_pct": None if self.change_pct is None else str(self.change_pct),
            "target": None if self.figure.target is None else str(self.figure.target),
            "target_met": self.target_met,
            "peer_percentile": self.percentile,
            "url": self.url,
        }


def link(figure: Figure, unit, period: Period, today: date) -> str:
    if figure.link is None:
        return ""
    # The whole period: a trip booked for later this month is counted, as the statistics page counts it.
    last_day = date.fromordinal(period.end.toordinal() - 1)
    query = figure.link.query.format(unit=unit.pk, start=period.start.isoformat(), last=last_day, year=period.year)
    return reverse(figure.link.url_name) + (f"?{query}" if query else "")


def percentile_of(figure: Figure, value, peers: list) -> int | None:
    if figure.lower_is_better:
        value = None if value is None else -value
        peers = [None if p is None else -p for p in peers]
    return rules.percentile(value, peers)


PLACEHOLDER = "2147483647"  # stands for a unit id in a reversed URL


def unit_url(unit, period: Period) -> str:
    return reverse("commandcenter:unit", args=[unit.pk]) + "?" + urlencode({"period": period.code})


def unit_url_template(period: Period) -> str:
    """One ``reverse`` for every child's link (``PLACEHOLDER`` replaced by the unit's id)."""
    return reverse("commandcenter:unit", args=[int(PLACEHOLDER)]) + "?" + urlencode({"period": period.code})


def build(user, unit, period: Period, today: date) -> dict:
    """Everything the page shows, for ``unit``'s subtree and ``period``."""
    now_w, ly_w = Window.of(period, today), Window.of(period, today, years_back=1)
    trend_months = months_between(_shift(month_of(now_w.stock_month), -2), next_month(now_w.stock_month))[-24:]
    plan = selectors.energy_plan()
    base_year = plan["baseline_year"]
    base_w = Window([date(base_year, m.month, 1) for m in now_w.months], date(base_year, 12, 1), False)
    # Every month from the baseline year on: comparisons, trends and the trajectory in one query.
    wanted = months_between(date(base_year, 1, 1), next_month(max(now_w.stock_month, month_of(today))))
    data = selectors.subtree_months(unit, wanted)
    kids, level = selectors.children_and_peers(unit)
    # The children (ranked, with their baseline) and the unit's level (the peers) in one query.
    sums = selectors.window_sums(kids + level, [now_w.span, base_w.span])

    now, ly, base = totals(data, now_w), totals(data, ly_w), totals(data, base_w)
    # The counts as of today (no history: no last year, no peers).
    snap = snapshot.counts(user, unit, today)
    now.update(snapshot.values(snap))
    ly.update(dict.fromkeys(SNAPSHOT_KEYS))
    # Utilisation's denominator: the vehicles held × the whole period's working hours (the statistics page's).
    for window_totals, p in ((now, period), (ly, period.last_year())):
        window_totals["vehicle_work_hours"] = selectors.available_hours(
            window_totals.get("vehicles_held"), p.start, date.fromordinal(p.end.toordinal() - 1)
        )
    peer_totals = [now_w.only_current(sums[p.path][0]) for p in level]
    kid_totals = {k.path: now_w.only_current(sums[k.path][0]) for k in kids}
    kid_base = {k.path: base_w.only_current(sums[k.path][1]) for k in kids}

    sections = []
    for section in SECTIONS:
        cells = []
        for f in section.figures:
            value, last = value_of(f, now), value_of(f, ly)
            peers = [value_of(f, t) for t in peer_totals]
            cells.append(
                Cell(
                    f,
                    value,
                    last,
                    rules.pct_change(value, last),
                    None if f.num in SNAPSHOT_KEYS else percentile_of(f, value, peers),
                    link(f, unit, period, today),
                )
            )
        sections.append({"key": section.key, "title": section.title, "cells": cells})
    by_key = {s["key"]: s for s in sections}
    by_key["service"]["kinds"] = breakdowns.handling_by_kind(now, ly, unit, period, selectors.kind_labels())
    by_key["fleet"]["quotas"] = breakdowns.quota_by_category(snap["fleet"], unit)
    by_key["space"]["areas"] = breakdowns.area_by_use(snap["space"], unit)
    by_key["space"]["cases"] = breakdowns.cases_by_status(snap["space"], unit)
    snapshot.cells(sections, unit, period, today, lambda f, v, url: Cell(f, v, None, None, None, url), link)

    energy = _energy(unit, now, base, period, plan, data, today)
    ranking = _ranking(kids, kid_totals, kid_base, period, plan)
    return {
        "sections": sections,
        "energy": energy,
        "ranking": ranking,
        "rank_figures": [f for s in SECTIONS for f in s.figures if f.rank],
        "attention": _attention(
            user, unit, kids, kid_totals, ranking, period, today, breakdowns.attention_lines(snap, unit, today)
        ),
        "charts": _charts(data, trend_months, energy, ranking, now),
    }


def _energy(unit, now, base, period, plan, data, today) -> dict:
    """The 十四五 trajectory of energy per m²: the baseline year, each later year on the roll-up, the target line."""
    per_m2 = FIGURES["energy_per_m2"]
    reduction = plan["reductions"].get("energy_per_m2", Decimal(0))
    value, base_value = value_of(per_m2, now), value_of(per_m2, base)
    change = rules.pct_change(value, base_value)
    light, light_label, due = selectors.energy_light(change, reduction, period.year, plan)
    years, actual, target = [], [], []
    for year in range(plan["baseline_year"], max(plan["target_year"], today.year) + 1):
        months = months_between(date(year, 1, 1), date(year + 1, 1, 1))
        complete = year < today.year and any(m in data for m in months)  # a year so far is not comparable
        years.append(str(year))
        actual.append(_num(value_of(per_m2, totals(data, Window(months, months[-1], False)))) if complete else None)
        span = plan["target_year"] - plan["baseline_year"]
        if base_value is not None and year <= plan["target_year"]:
            share = reduction * (year - plan["baseline_year"]) / span / 100
            target.append(_num((base_value * (1 - share)).quantize(Decimal("0.01"))))
        else:
            target.append(None)
    return {
        "value": fmt(value, 2),
        "baseline": fmt(base_value, 2),
        "baseline_year": plan["baseline_year"],
        "target_year": plan["target_year"],
        "reduction": reduction,
        "change_pct": change,
        "due": due,
        "light": light,
        "light_label": light_label,
        "years": years,
        "actual": actual,
        "target": target,
    }


def _num(value):
    return None if value is None else float(value)


def _ranking(kids, kid_totals, kid_base, period, plan) -> list[dict]:
    figures = [f for s in SECTIONS for f in s.figures if f.rank]
    per_m2 = FIGURES["energy_per_m2"]
    reduction = plan["reductions"].get("energy_per_m2", Decimal(0))
    rows = []
    url = unit_url_template(period)
    values = {f.key: [value_of(f, kid_totals[k.path]) for k in kids] for f in figures}
    for i, kid in enumerate(kids):
        cells = []
        for f in figures:
            v = values[f.key][i]
            cells.append(
                {"figure": f, "value": v, "shown": fmt(v, f.places), "pct": percentile_of(f, v, values[f.key])}
            )
        now_v, base_v = value_of(per_m2, kid_totals[kid.path]), value_of(per_m2, kid_base[kid.path])
        light, label, _ = selectors.energy_light(rules.pct_change(now_v, base_v), reduction, period.year, plan)
        rows.append(
            {
                "unit": kid,
                "url": url.replace(PLACEHOLDER, str(kid.pk)),
                "cells": cells,
                # The ranking's cells as HTML made here: a province has dozens of children × a dozen figures,
                # and the template language spends more on each cell than all the arithmetic above.
                "cells_html": mark_safe(  # numbers and digits only, formatted here
                    "".join(
                        f'<td class="num" data-value="{"" if c["value"] is None else c["value"]}">{c["shown"]}'
                        + ("" if c["pct"] is None else f' <small class="muted">P{c["pct"]}</small>')
                        + "</td>"
                        for c in cells
                    )
                ),
                "light": light,
                "light_label": label,
                "sums": kid_totals[kid.path],
            }
        )
    return rows


# What needs attention, in order of weight: (roll-up key, what it is, weight, link).
ATTENTION = (
    ("tickets_overdue", gettext_lazy("超期未办的申请"), 3, "portal:all", "unit={unit}&overdue=1"),
    ("alerts_open", gettext_lazy("未处理的车辆监控告警"), 2, "telematics:alert-list", "unit={unit}&status=open"),
    ("space_cases_open", gettext_lazy("未整改的办公用房超标问题"), 2, "officespace:over-standard", "unit={unit}"),
)


def _attention(user, unit, kids, kid_totals, ranking, period, today, snapshot_lines=()) -> dict:
    lines = list(snapshot_lines)
    subjects = [(k, kid_totals[k.path]) for k in kids]
    for key, what, weight, url_name, query in ATTENTION:
        for subject, sums in subjects:
            count = sums.get(key) or 0
            if count:
                url = reverse(url_name) + ("?" + query.format(unit=subject.pk) if query else "")
                lines.append({"unit": subject, "what": what, "count": int(count), "weight": weight * count, "url": url})
    for row in ranking:
        if row["light"] == "red":
            url = reverse("energy:home") + f"?unit={row['unit'].pk}&year={period.year}"
            lines.append(
                {
                    "unit": row["unit"],
                    "what": gettext("单位面积能耗未比基准年下降"),
                    "count": None,
                    "weight": 5,
                    "url": url,
                }
            )
    lines.sort(key=lambda line: (-line["weight"], line["unit"].path))
    return {"lines": lines[:20], "overdue": selectors.overdue_tickets(user, unit)}


def _charts(data, trend_months, energy, ranking, now) -> dict:
    trends = []
    for f in (f for s in SECTIONS for f in s.figures if f.trend):
        series, last_year = [], []
        for m in trend_months:
            series.append(_num(value_of(f, totals(data, Window([m], m, False)))))
            last_year.append(_num(value_of(f, totals(data, Window([_shift(m, -1)], _shift(m, -1), False)))))
        label = gettext("%(label)s（%(unit)s）") % {"label": f.label, "unit": f.unit}
        trends.append({"key": f.key, "label": label, "now": series, "last_year": last_year})
    return {
        "months": [f"{m.year}-{m.month:02d}" for m in trend_months],
        "trends": trends,
        "trajectory": {"years": energy["years"], "actual": energy["actual"], "target": energy["target"]},
        "alerts": [{"name": str(label), "value": int(now.get(f"alerts_{kind}") or 0)} for kind, label in ALERT_KINDS],
        # The charts' legends, in the reader's language (the script holds no text of its own).
        "labels": {
            "now": gettext("本期"),
            "last_year": gettext("上年同月"),
            "actual": gettext("实际"),
            "target": gettext("目标轨迹"),
        },
        "tiles": [{"name": r["unit"].name, "light": r["light"]} for r in ranking],
    }
