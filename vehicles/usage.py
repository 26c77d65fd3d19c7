"""How much of the fleet's work runs through the dispatch board (read-only selectors for the maturity
assessment's 数字平台构建; split from ``selectors.py``, which is at the module size limit).

A trip *needing a car* is a 用车申请 of the year (by its start) whose ticket was approved (approved,
in progress or done; an emergency trip is approved at once); it went *through the board* when the
dispatcher booked a vehicle for it there (``TripRequest.dispatch``, not cancelled). An approved trip
without a dispatch was served outside the board (a phone call, a car taken without booking)."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from datahub.models import OrgUnit
from portal.workflow import Status

from . import selectors
from .models import Dispatch, Disposal

APPROVED = (Status.APPROVED, Status.IN_PROGRESS, Status.DONE)


@dataclass(frozen=True)
class TripServed:
    unit_path: str
    unit_name: str
    ticket_id: int
    starts_at: datetime
    summary: str
    on_board: bool


def trips_served(user, *, within: OrgUnit, year: int) -> list[TripServed]:
    """The approved trips of ``within`` (its subtree) starting in ``year``, read with ``user``'s fleet
    visibility (``selectors.trips_for``), each with whether the board dispatched a car. One query."""
    tz = timezone.get_current_timezone()
    first, last = datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
    qs = (
        selectors.trips_for(user)
        .filter(
            ticket__org_unit__path__startswith=within.path,
            ticket__status__in=APPROVED,
            starts_at__gte=first,
            starts_at__lt=last,
        )
        .order_by("starts_at", "pk")
    )
    return [
        TripServed(
            t.ticket.org_unit.path,
            t.ticket.org_unit.name,
            t.ticket_id,
            t.starts_at,
            str(t.summary()),
            t.dispatch_id is not None and t.dispatch.status != Dispatch.Status.CANCELLED,
        )
        for t in qs
    ]


# --- One source per fact (一数一源, docs/facts.md) -----------------------------------------------------
# Rows (unit path, unit name, item, derived, how), as energy.usage words them.


def card_sources(user, *, within: OrgUnit) -> list[tuple]:
    """资产原值与取得日期 of the vehicles of ``within`` (its subtree) in ``user``'s fleet ledger: derived when the
    vehicle is linked to its asset card (the price and date are the card's), not from the source otherwise
    (a vehicle without its card, ``selectors.vehicles_without_card``)."""
    qs = selectors.vehicles_for(user).filter(org_unit__path__startswith=within.path).order_by("org_unit__path", "plate")
    return [
        (
            v.org_unit.path,
            v.org_unit.name,
            _("%(plate)s 购置价格与日期") % {"plate": v.plate},
            v.asset_id is not None,
            _("取自资产卡片") if v.asset_id else _("未关联资产卡片"),
        )
        for v in qs
    ]


def disposal_sources(user, *, within: OrgUnit, year: int) -> list[tuple]:
    """车辆处置的批准 for the vehicles of ``within`` disposed of in ``year``: derived when the disposal points at
    the approved 资产处置 request, typed (a document number only) otherwise."""
    vehicles = selectors.vehicles_for(user).filter(org_unit__path__startswith=within.path)
    qs = Disposal.objects.filter(vehicle__in=vehicles, date__year=year).select_related("vehicle__org_unit")
    return [
        (
            d.vehicle.org_unit.path,
            d.vehicle.org_unit.name,
            _("%(plate)s 处置（%(date)s）") % {"plate": d.vehicle.plate, "date": f"{d.date:%Y-%m-%d}"},
            d.ticket_id is not None,
            _("关联申请#%(id)s") % {"id": d.ticket_id}
            if d.ticket_id
            else _("录入批准文号 %(document)s") % {"document": d.document},
        )
        for d in qs.order_by("date", "pk")
    ]
