"""Vehicle monitoring's home-page count (alerts nobody has dealt with), read by a statement compiled once per
scope shape from the selector's own queryset (datahub.compiled, #17)."""

from datahub.compiled import CountStatement

from . import selectors
from .models import Alert

OPEN_ALERTS = CountStatement(Alert, selectors.open_alerts, roles=selectors.MONITOR_READERS)


def open_alerts(user) -> int:
    return OPEN_ALERTS.count(user)
