"""Energy's home-page count (open anomalies), read by a statement compiled once per scope shape from the
selector's own queryset (datahub.compiled, #17)."""

from datahub.compiled import CountStatement

from . import selectors
from .models import Anomaly

ANOMALIES = CountStatement(Anomaly, selectors.anomalies, roles=selectors.ENERGY_READERS)


def anomalies(user) -> int:
    return ANOMALIES.count(user)
