"""The fleet's home-page counts, each read by a statement compiled once per scope shape (datahub.compiled, #17):
trips waiting for a car (the dispatcher's queue) and vehicles whose insurance runs out (ledger health). The
statements are the selectors' own querysets, built for a stand-in reader, so the scope stays scoping.scope()'s."""

from datetime import date

from datahub.compiled import CountStatement

from . import reminders, selectors
from .models import TripRequest, Vehicle

WAITING_TRIPS = CountStatement(TripRequest, selectors.waiting_trips, roles=selectors.FLEET_EDITORS)
INSURANCE_EXPIRING = CountStatement(
    Vehicle,
    lambda reader, horizon: reminders.insurance_expiring(selectors.vehicles_for(reader), horizon=horizon),
    roles=selectors.FLEET_READERS,
    markers={"horizon": date(1, 2, 3)},
)


def waiting_trips(user) -> int:
    return WAITING_TRIPS.count(user)


def insurance_expiring(user) -> int:
    # The day is a value of the statement: the count moves at local midnight with the same statement.
    return INSURANCE_EXPIRING.count(user, horizon=reminders.insurance_horizon())
