"""数字平台构建 and 一数一源 computed from the platform's own data, for internal rounds.

The parts and how they combine are data in ``rules`` (``PLATFORM_PARTS``, ``ONE_SOURCE_PARTS``,
``pooled_share``); this module reads each part through its domain's selectors (``energy.usage``,
``vehicles.usage``, ``assets.usage``, ``portal.selectors``) with the actor's own visibility, so nobody
learns more than they may see. Each part is read once over the round's scope, then split per case by
the unit path (a case counts its own subtree). Every row read is kept for the drill-down page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assets import usage as asset_usage
from datahub.models import OrgUnit
from energy import usage as energy_usage
from portal.registry import all_kinds
from portal.selectors import visible_tickets
from portal.workflow import Status
from vehicles import usage as fleet_usage

from . import rules

PLATFORM_HEADERS = [
    gettext_lazy("部分"),
    gettext_lazy("单位"),
    gettext_lazy("事项"),
    gettext_lazy("时间"),
    gettext_lazy("在平台上办理"),
    gettext_lazy("说明"),
]
ONE_SOURCE_HEADERS = [
    gettext_lazy("事实"),
    gettext_lazy("单位"),
    gettext_lazy("记录"),
    gettext_lazy("取自来源"),
    gettext_lazy("说明"),
]
PART_NAMES = {p.code: p.name for p in (*rules.PLATFORM_PARTS, *rules.ONE_SOURCE_PARTS)}


@dataclass(frozen=True)
class Row:
    part: str
    unit_paths: tuple[str, ...]  #: the units it counts for (a card movement: the giving and the receiving one)
    cells: tuple  #: the drill-down row, in the order of the headers
    kept: bool  #: counted in the numerator
    domain: str = ""  #: the business domain of an item handled on the platform


def _year(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _yes(flag: bool) -> str:
    return _("是") if flag else _("否")


def _requests(actor, within: OrgUnit, year: int) -> list[Row]:
    first, last = _year(year)
    kinds = {k.code: k for k in all_kinds()}
    qs = (
        visible_tickets(actor)
        .filter(org_unit__path__startswith=within.path)
        .exclude(status=Status.DRAFT)
        .exclude(kind=energy_usage.REPORT_KIND)
        .annotate(filed=Coalesce("submitted_at", "created_at"))
        .filter(filed__gte=first, filed__lt=last)
        .order_by("filed", "pk")
    )
    rows = []
    for t in qs:
        kind = kinds.get(t.kind)
        label = kind.label if kind else t.kind
        cells = (
            _("服务门户申请"),
            t.org_unit.name,
            f"#{t.pk} {label}：{t.shown_title}",
            t.filed,
            _("是"),
            t.get_status_display(),
        )
        rows.append(Row("requests", (t.org_unit.path,), cells, True, kind.domain if kind else ""))
    return rows


def business_rows(actor, within: OrgUnit, year: int) -> list[Row]:
    """Every item of every part of 数字平台构建 (``rules.PLATFORM_PARTS``) of ``within``'s subtree in ``year``."""
    domain = {p.code: p.domain for p in rules.PLATFORM_PARTS}
    rows = _requests(actor, within, year)
    for r in energy_usage.reports_due(actor, within=within, year=year):
        note = _("报送申请#%(ticket_id)s") % {"ticket_id": r.ticket_id} if r.online else _("未在平台上报送")
        cells = (_("能耗数据报送"), r.unit_name, _("%(period)s报告") % {"period": r.period}, None, _yes(r.online), note)
        rows.append(Row("energy_reports", (r.unit_path,), cells, r.online, domain["energy_reports"]))
    for t in fleet_usage.trips_served(actor, within=within, year=year):
        note = _("调度台派车") if t.on_board else _("未经调度台派车")
        cells = (
            _("公务用车派车"),
            t.unit_name,
            _("用车申请#%(ticket_id)s %(summary)s") % {"ticket_id": t.ticket_id, "summary": t.summary},
            t.starts_at,
            _yes(t.on_board),
            note,
        )
        rows.append(Row("dispatches", (t.unit_path,), cells, t.on_board, domain["dispatches"]))
    for m in asset_usage.request_movements(actor, within=within, year=year):
        kept = m.ticket_id is not None
        note = _("关联申请#%(ticket_id)s") % {"ticket_id": m.ticket_id} if kept else _("无审批申请（直接登记）")
        cells = (_("资产变动"), m.units, f"{m.kind} {m.asset_number}", m.at, _yes(kept), note)
        rows.append(Row("asset_movements", m.unit_paths, cells, kept, domain["asset_movements"]))
    return rows


def one_source_rows(actor, within: OrgUnit, year: int) -> list[Row]:
    """Every record of every fact of 一数一源 (``rules.ONE_SOURCE_PARTS``) of ``within``'s subtree."""
    readers = {
        "energy_base": lambda: energy_usage.base_data_sources(actor, within=within, year=year),
        "fuel": lambda: energy_usage.fuel_sources(actor, within=within, year=year),
        "vehicle_card": lambda: fleet_usage.card_sources(actor, within=within),
        "vehicle_disposal": lambda: fleet_usage.disposal_sources(actor, within=within, year=year),
    }
    rows = []
    for part in rules.ONE_SOURCE_PARTS:
        for path, name, item, derived, how in readers[part.code]():
            rows.append(Row(part.code, (path,), (part.name, name, item, _yes(derived), how), derived))
    return rows


def _mine(rows: list[Row], unit) -> list[Row]:
    return [r for r in rows if any(p.startswith(unit.path) for p in r.unit_paths)]


def _share(rows: list[Row]) -> Decimal | None:
    parts: dict[str, tuple[int, int]] = {}
    for r in rows:
        kept, counted = parts.get(r.part, (0, 0))
        parts[r.part] = (kept + r.kept, counted + 1)
    value = rules.pooled_share(parts)
    return None if value is None else rules.decimal(value, 2)


def part_counts(rows: list[Row], parts) -> list[tuple[str, int, int]]:
    """(part name, kept, counted) per part, in the order of ``parts`` (the drill-down's summary)."""
    return [
        (p.name, sum(1 for r in rows if r.part == p.code and r.kept), sum(1 for r in rows if r.part == p.code))
        for p in parts
    ]


def values(actor, round_, source: str, cases: list) -> dict[int, Decimal | None]:
    """The values of a platform source for the round's cases (read once over the round's scope)."""
    Source = rules.Source
    if source == Source.ONE_SOURCE:
        rows = one_source_rows(actor, round_.org_unit, round_.year)
        return {u.pk: _share(_mine(rows, u)) for u in cases}
    rows = business_rows(actor, round_.org_unit, round_.year)
    if source == Source.PLATFORM_DOMAINS:
        return {u.pk: Decimal(len({r.domain for r in _mine(rows, u) if r.kept and r.domain})) for u in cases}
    return {u.pk: _share(_mine(rows, u)) for u in cases}


def drill(actor, round_, source: str, case) -> tuple[list[str], list[tuple], list[tuple[str, int, int]]]:
    """The drill-down of one case: headers, every row counted, and the per-part counts."""
    if source == rules.Source.ONE_SOURCE:
        rows = _mine(one_source_rows(actor, case, round_.year), case)
        return ONE_SOURCE_HEADERS, [r.cells for r in rows], part_counts(rows, rules.ONE_SOURCE_PARTS)
    rows = _mine(business_rows(actor, case, round_.year), case)
    if source == rules.Source.PLATFORM_DOMAINS:
        rows = [r for r in rows if r.kept and r.domain]
        headers = [*PLATFORM_HEADERS, _("业务领域")]
        return headers, [(*r.cells, r.domain) for r in rows], part_counts(rows, rules.PLATFORM_PARTS)
    return PLATFORM_HEADERS, [r.cells for r in rows], part_counts(rows, rules.PLATFORM_PARTS)
