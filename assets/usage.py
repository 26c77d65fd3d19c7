"""How much of the asset movements run through the services with a request (read-only selectors for
the maturity assessment's 数字平台构建; split from ``selectors.py``, which is at the module size limit).

The movements counted are those the regulations tie to a request — 领用 (requisition), 调拨 (transfer,
the 公物仓's reuse included), 出租出借 (lending) and 处置 (disposal); one went *through the services*
when it carries its request (``Movement.ticket``: the requisition, transfer, pool or disposal
ticket that approved it). One recorded without a request was decided elsewhere and only typed in
afterwards. A movement counts for a unit when it gave or received the card (``from_unit`` /
``to_unit`` in its subtree)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from datahub.models import OrgUnit

from . import selectors
from .models import MovementKind

REQUEST_KINDS = (MovementKind.ISSUE, MovementKind.TRANSFER, MovementKind.LEND, MovementKind.DISPOSE)


@dataclass(frozen=True)
class MovementChannel:
    unit_paths: tuple[str, ...]  #: the giving and the receiving unit (one when they are the same)
    units: str  #: "甲厅 → 乙厅"
    asset_number: str
    kind: str
    at: datetime
    ticket_id: int | None


def request_movements(user, *, within: OrgUnit, year: int) -> list[MovementChannel]:
    """The movements of ``REQUEST_KINDS`` in ``year`` given or received by ``within`` (its subtree), read
    with ``user``'s asset visibility (``selectors.movements_for``), each with its request if any. One query."""
    tz = timezone.get_current_timezone()
    first, last = datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
    qs = (
        selectors.movements_for(user)
        .filter(kind__in=REQUEST_KINDS, at__gte=first, at__lt=last)
        .filter(Q(from_unit__path__startswith=within.path) | Q(to_unit__path__startswith=within.path))
        .order_by("at", "pk")
    )
    out = []
    for m in qs:
        sides = [u for u in (m.from_unit, m.to_unit) if u is not None]
        paths = tuple(dict.fromkeys(u.path for u in sides))
        names = " → ".join(dict.fromkeys(u.name for u in sides))
        out.append(MovementChannel(paths, names, m.asset.asset_number, m.get_kind_display(), m.at, m.ticket_id))
    return out
