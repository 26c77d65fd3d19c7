"""Read queries for the leaders' overview of office space (the command center): what ``unit``'s subtree
holds today — area by use, over-standard cases by handling status, offices not handed back in time, repair
requests still open. Scoped like the pages they link to; nothing here writes."""

from datetime import date, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from datahub import scoping
from datahub.models import OrgUnit
from portal import selectors as portal

from .. import rules
from ..models import Assessment, Room, RoomCategory

REPAIR_KIND = "repair"  # the portal request kind of 维修报修 (apps.py registers it)


def ended_before_overdue(today: date, *, is_main: bool) -> date:
    """The first 离岗/兼职结束 date whose office is not yet overdue today: an office whose post ended before
    it was due back (``rules.take_back_due``) before today."""
    day = today - timedelta(days=31 * 2 + 5)
    while rules.take_back_due(day, is_main=is_main) < today:
        day += timedelta(days=1)
    return day


def space_snapshot(user, unit: OrgUnit, today: date | None = None) -> dict:
    """Office space of ``unit``'s subtree as of ``today``, as far as ``user`` reads it: the use area of the
    rooms in use by category (办公室、服务用房、设备用房、附属用房); the current over-standard cases and return
    flags by handling status (the over-standard list's rows); offices whose user left the post and that are
    past their return deadline (第十九条: a leaver's office 1 month, a second office 2 months after the post
    ended) and not yet handed back; repair requests still open. Four queries."""
    today = today or timezone.localdate()
    # Imported here: the package's __init__ re-exports this module's functions.
    from . import assessments_for, offices_to_take_back

    rooms = scoping.scope(Room.objects.filter(is_active=True), user, roles=_readers()).filter(
        org_unit__path__startswith=unit.path
    )
    areas = {
        c: (n, a) for c, n, a in rooms.values_list("category").annotate(n=Count("pk"), a=Sum("use_area")).order_by()
    }
    cases = dict(assessments_for(user, unit=unit).order_by().values_list("status").annotate(n=Count("pk")))
    late = (
        offices_to_take_back(user, unit=unit)
        .order_by()
        .aggregate(
            leavers=Count("pk", filter=Q(is_main=True, post_ended_on__lt=ended_before_overdue(today, is_main=True))),
            second=Count("pk", filter=Q(is_main=False, post_ended_on__lt=ended_before_overdue(today, is_main=False))),
        )
    )
    return {
        "areas": [(code, label, *areas.get(code, (0, None))) for code, label in RoomCategory.choices],
        "cases": [(code, label, cases.get(code, 0)) for code, label in Assessment.Status.choices],
        "leavers_overdue": late["leavers"],
        "second_overdue": late["second"],
        "repairs_open": portal.open_requests(user, within=unit, kind=REPAIR_KIND).count(),
    }


def _readers():
    from . import SPACE_READERS

    return SPACE_READERS
