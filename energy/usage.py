"""How much of the energy reporting runs on the platform (read-only selectors for the maturity
assessment's 数字平台构建; split from ``selectors.py``, which is at the module size limit).

A report *due* is one institution × one reporting period of the year that has ended (quarters 1–4
and the annual report, ``rules.period_ended``); it was *submitted online* when a report of that
period (any version) went into the workflow — a ticket neither left as a draft nor withdrawn. A
report due but never submitted online was handled elsewhere (on paper, by mail): that is what the
share shows."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from datahub.models import OrgUnit
from portal.workflow import Status

from . import basedata, selectors
from .models import ConsumptionRecord, ReportingPeriod, Submission
from .rules import CORRECTABLE, EnergyType, period_ended
from .services.reporting import KIND as REPORT_KIND  # the portal kind of a report, for who counts requests

NOT_SUBMITTED = (Status.DRAFT, Status.WITHDRAWN)
__all__ = ["REPORT_KIND", "ReportDue", "base_data_sources", "fuel_sources", "reports_due"]


@dataclass(frozen=True)
class ReportDue:
    unit_path: str
    unit_name: str
    period: str
    online: bool
    ticket_id: int | None


def reports_due(user, *, within: OrgUnit, year: int, today=None) -> list[ReportDue]:
    """The reports due in ``year`` from the institutions of ``within`` (its subtree) that ``user`` reads
    (``selectors.institutions_for``), each with whether it was submitted online. Three queries."""
    today = today or timezone.localdate()
    periods = [p for p in ReportingPeriod.objects.filter(year=year) if period_ended(p.year, p.quarter, today)]
    units = list(selectors.institutions_for(user, within=within).only("pk", "path", "name"))
    if not periods or not units:
        return []
    filed: dict[tuple[int, int], int] = {}
    rows = (
        Submission.objects.filter(period__in=periods, org_unit__in=units)
        .exclude(ticket__status__in=NOT_SUBMITTED)
        .order_by("version")
        .values_list("org_unit_id", "period_id", "ticket_id")
    )
    for unit_id, period_id, ticket_id in rows:
        filed.setdefault((unit_id, period_id), ticket_id)
    return [
        ReportDue(u.path, u.name, str(p), (u.pk, p.pk) in filed, filed.get((u.pk, p.pk)))
        for u in units
        for p in sorted(periods, key=lambda p: (p.quarter == 0, p.quarter))
    ]


# --- One source per fact (一数一源, docs/facts.md) -----------------------------------------------------
#
# Rows of the form (unit path, unit name, item, derived, how): ``derived`` is True when the value is
# taken from the app that owns the fact, False when it was typed here instead.

FUEL_TYPES = (EnergyType.GASOLINE, EnergyType.DIESEL)


def base_data_sources(user, *, within: OrgUnit, year: int) -> list[tuple]:
    """公共机构基本信息 of ``year`` (the institutions of ``within`` with a profile that ``user`` reads): each
    correctable field (机构类型, 气候区, 电网区域 — from the directory and the 行政区划代码 —, 建筑面积 from
    office space, 用能人数 from the directory) is derived unless a correction is in force (a typed value)."""
    profiles = list(selectors.profiles_for(user, within=within, year=year).select_related("org_unit"))
    corrections = basedata.corrections_in_force([p.org_unit_id for p in profiles], year)
    return [
        (
            p.org_unit.path,
            p.org_unit.name,
            _("%(year)s年基本信息·%(label)s") % {"year": year, "label": label},
            name not in corrections.get(p.org_unit_id, {}),
            _("更正值（录入）") if name in corrections.get(p.org_unit_id, {}) else _("取自来源"),
        )
        for p in profiles
        for name, label in CORRECTABLE.items()
    ]


def fuel_sources(user, *, within: OrgUnit, year: int) -> list[tuple]:
    """车辆燃料消耗 in the monthly records of ``year`` (汽油, 柴油): derived when summed from the fleet's fuel
    records (source ``vehicles``), typed otherwise (form, import, another system's feed)."""
    qs = selectors.records_for(user, within=within, year=year).filter(energy_type__in=FUEL_TYPES)
    return [
        (
            r.org_unit.path,
            r.org_unit.name,
            f"{r.year}-{r.month:02d} {r.get_energy_type_display()}",
            r.source == ConsumptionRecord.Source.VEHICLES,
            r.get_source_display(),
        )
        for r in qs.select_related("org_unit")
    ]
