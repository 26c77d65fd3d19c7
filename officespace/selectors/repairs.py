"""维修台账 as a list: the repair requests of the units a reader oversees, open or finished, with what each
finished one cost. The command center's repair figures open it (未办结报修 → open; 完成维修 and 维修费用 →
finished in the period), so it counts exactly as they do:

- *open*: the request is submitted and not finished (the portal's open statuses), whenever it was filed;
- *finished*: the repair is in the ledger (``RepairRecord``), dated by its completion;
- the period (``since``/``until``, inclusive days) reads a finished repair's completion date and an open
  one's submission date (an open repair has no completion date yet).
"""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from datahub import figures, scoping
from datahub.models import OrgUnit
from datahub.roles import Role
from datahub.selectors import with_unit_parent_name
from portal.selectors import OPEN_STATUSES
from portal.workflow import Status

from ..models import RepairRecord, RepairRequest

# The office-space readers (SPACE_READERS): the leaders among them, whose command center links here.
REPAIR_READERS = (Role.SPACE_ADMIN, Role.BUREAU_ADMIN, Role.LEADER)
OPEN, CLOSED = "open", "closed"
STATUSES = ((OPEN, _("未办结")), (CLOSED, _("已完成")))


def repairs_for(
    user,
    *,
    unit: OrgUnit | None = None,
    status: str = "",
    since: date | None = None,
    until: date | None = None,
    search: str = "",
) -> QuerySet:
    """The submitted repair requests of the units ``user`` reads office space for (``unit``: its subtree
    only), each with ``cost`` and ``completed_at`` from the ledger when finished and ``unit_parent_name``
    (the requesting unit named with its agency); the newest first. ``status``: ``open`` or ``closed``
    (finished); anything else lists both, and the requests rejected or withdrawn as well."""
    record = RepairRecord.objects.filter(ticket=OuterRef("ticket_id"))
    qs = scoping.scope(
        RepairRequest.objects.exclude(ticket__status=Status.DRAFT),
        user,
        roles=REPAIR_READERS,
        unit_field="ticket__org_unit",
    )
    if unit is not None:
        qs = qs.filter(ticket__org_unit__path__startswith=unit.path)
    qs = qs.annotate(completed_at=Subquery(record.values("completed_at")[:1]), cost=Subquery(record.values("cost")[:1]))
    if status == OPEN:
        qs = qs.filter(ticket__status__in=OPEN_STATUSES)
    elif status == CLOSED:
        qs = qs.filter(Exists(record))
    if since or until:
        # Finished: by the day it was finished; open (or refused): by the day it was filed.
        done, filed = Q(completed_at__isnull=False), Q(completed_at__isnull=True)
        if since:
            lo = figures.local_midnight(since)
            done &= Q(completed_at__gte=lo)
            filed &= Q(ticket__submitted_at__gte=lo)
        if until:
            hi = figures.local_midnight(until + timedelta(days=1))
            done &= Q(completed_at__lt=hi)
            filed &= Q(ticket__submitted_at__lt=hi)
        qs = qs.filter(done | filed)
    if search:
        qs = qs.filter(Q(location__icontains=search) | Q(description__icontains=search))
    qs = qs.select_related("ticket", "ticket__org_unit", "ticket__requester", "room", "room__building")
    return with_unit_parent_name(qs, "ticket__org_unit").order_by("-ticket__submitted_at", "-pk")
