"""Time limits of the data-sharing steps, in working days of the platform's working calendar.

《政务数据共享条例》 and the provinces' rules (山西 2024 细则, REFERENCE §5.2): the data authority's compliance
check within 2 working days; the provider's decision on a 有条件共享 entry within 5 working days. A 纠错 is
answered by the provider within 5 working days (the issue names no figure: the provider's decision's is used).
Pure functions: the calendar is passed in as a lookup ``day -> is a working day``."""

from collections.abc import Callable
from datetime import date, timedelta

from datahub.catalog import rules as catalog_rules

ACCESS_KIND = "data_access"
CORRECTION_KIND = "data_correction"
CORRECTION_WORKING_DAYS = 5
# After the provider's answer, the reporter's unit's data steward confirms the result (the issue names no figure).
CORRECTION_CONFIRM_WORKING_DAYS = 2

# Step name (as declared in kinds.py) → working days it may take.
STEP_WORKING_DAYS = {
    "数据主管部门合规审查": catalog_rules.CHECK_WORKING_DAYS,
    "提供方数据管理员审核": catalog_rules.PROVIDER_WORKING_DAYS,
    "提供方数据管理员核实": CORRECTION_WORKING_DAYS,
}


def last_working_day(start: date, days: int, is_working: Callable[[date], bool]) -> date:
    """The day a step that reached its handler on ``start`` must be decided by: the ``days``-th working day
    after ``start`` (the day of receipt does not count; 调休 Saturdays count, holidays do not)."""
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_working(day):
            counted += 1
    return day


def ticket_working_days(kind: str, share_type: str = "") -> int:
    """The whole request's limit in working days: the sum of the steps its chain takes. An access request: the
    compliance check, and the provider's decision on a 有条件共享 entry; a 纠错: the provider's answer and the
    reporter's steward's confirmation."""
    if kind == CORRECTION_KIND:
        return CORRECTION_WORKING_DAYS + CORRECTION_CONFIRM_WORKING_DAYS
    days = catalog_rules.CHECK_WORKING_DAYS
    if share_type == catalog_rules.ShareType.CONDITIONAL:
        days += catalog_rules.PROVIDER_WORKING_DAYS
    return days
