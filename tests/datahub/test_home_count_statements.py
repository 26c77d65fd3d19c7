"""The home page's counts read by statements compiled once per scope shape (datahub.compiled.CountStatement, #17)
give what their selectors' querysets count, for every kind of reader: the province, an agency, the other agency,
two subtrees at once, a superuser, a person with no grant, an inactive account; in the two-agency world of the leak
crawler, where every domain has rows on both sides."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from assetpool import home as pool_home
from assetpool import selectors as pool_selectors
from datahub import home as datahub_home
from datahub import selectors as datahub_selectors
from datahub.compiled import CountStatement
from datahub.models import OrgUnit
from datahub.roles import Role
from datahub.scoping import visible_units
from energy import home as energy_home
from energy import selectors as energy_selectors
from officespace import home as space_home
from officespace import selectors as space_selectors
from portal import home as portal_home
from portal import selectors as portal_selectors
from stocktake import home as stocktake_home
from stocktake import selectors as stocktake_selectors
from telematics import home as telematics_home
from telematics import selectors as telematics_selectors
from vehicles import home as vehicles_home
from vehicles import reminders
from vehicles import selectors as vehicles_selectors
from vehicles.models import CostRecord

from .. import leak_world
from ..factories import UserFactory, grant
from ..sharing import shared_fixture
from ..vehicles.factories import CostRecordFactory

pytestmark = pytest.mark.django_db


def build_world():
    world = leak_world.build()
    province = grant(UserFactory(username="province_admin", org_unit=world.r), Role.BUREAU_ADMIN, world.r)
    both = grant(UserFactory(username="both_admin", org_unit=world.a), Role.BUREAU_ADMIN, world.a)
    grant(both, Role.BUREAU_ADMIN, world.b)
    grant(both, Role.VEHICLE_DISPATCHER, world.b1)
    inactive = grant(UserFactory(username="gone_admin", org_unit=world.a, is_active=False), Role.BUREAU_ADMIN, world.a)
    other = grant(UserFactory(username="b_admin", org_unit=world.b), Role.BUREAU_ADMIN, world.b)
    readers = {**world.roles, "root": world.root, "province": province, "both": both, "inactive": inactive}
    readers["other_agency"] = other
    # Agency A's car insured until a year from now: the insurance line counts it when the day moves near.
    insured_until = timezone.localdate() + timedelta(days=365)
    CostRecordFactory(vehicle=world.sides["A"].vehicle, kind=CostRecord.Kind.INSURANCE, valid_until=insured_until)
    return SimpleNamespace(world=world, readers=readers)


shared_counted, counted = shared_fixture("counted", build_world)

# (the compiled count, what the selector's queryset counts)
COUNTS = {
    "waiting trips": (vehicles_home.waiting_trips, lambda u: vehicles_selectors.waiting_trips(u).count()),
    "insurance expiring": (
        vehicles_home.insurance_expiring,
        lambda u: reminders.insurance_expiring(vehicles_selectors.vehicles_for(u)).count(),
    ),
    "open alerts": (telematics_home.open_alerts, lambda u: telematics_selectors.open_alerts(u).count()),
    "anomalies": (energy_home.anomalies, lambda u: energy_selectors.anomalies(u).count()),
    "open space problems": (space_home.open_problems, lambda u: space_selectors.open_problems(u).count()),
    "open stocktakes": (stocktake_home.open_count, lambda u: stocktake_selectors.open_stocktakes(u).count()),
    "idle assets": (
        pool_home.idle_count,
        lambda u: (
            pool_selectors.idle_assets(u).count()
            if pool_selectors.scoping.holds_any(u, pool_selectors.POOL_EDITORS)
            else 0
        ),
    ),
    "approval inbox": (portal_home.inbox_count, lambda u: portal_selectors.approval_inbox(u).count()),
    "handling": (portal_home.handling_count, portal_selectors.handling_count),
    "directory totals": (datahub_home.directory_totals, datahub_selectors.directory_totals),
}


# Nothing of the world expires or has been idle long enough today: the day's test moves the day.
EMPTY_TODAY = {"insurance expiring", "idle assets"}


@pytest.mark.parametrize("name", COUNTS)
def test_each_reader_sees_the_count_the_selector_gives(counted, name):
    compiled, by_queryset = COUNTS[name]
    seen = {who: (compiled(user), by_queryset(user)) for who, user in counted.readers.items()}
    assert {who: c for who, (c, _q) in seen.items()} == {who: q for who, (_c, q) in seen.items()}
    # Not a world of zeros: somebody sees something, and not everybody sees the same (insurance: by the day, below).
    assert name in EMPTY_TODAY or len({str(q) for _c, q in seen.values()}) > 1


def test_the_day_of_a_count_is_a_value_of_its_statement(counted):
    seen = {"insurance": set(), "idle": set()}
    for days in (-400, 0, 30, 400, 800):
        day = timezone.localdate() + timedelta(days=days)
        horizon, cutoff = reminders.insurance_horizon(day), pool_selectors.hand_in_cutoff(day)
        for user in counted.readers.values():
            insured = vehicles_home.INSURANCE_EXPIRING.count(user, horizon=horizon)
            vehicles = vehicles_selectors.vehicles_for(user)
            assert insured == reminders.insurance_expiring(vehicles, horizon=horizon).count()
            idle = pool_home.IDLE.count(user, cutoff=cutoff)
            assert idle == pool_selectors.idle_assets(user, as_of=day).count()
            seen["insurance"].add(insured)
            seen["idle"].add(idle)
    assert all(len(counts) > 1 for counts in seen.values())


def test_a_count_scoped_by_other_roles_than_its_selector_is_refused(counted):
    wrong = CountStatement(
        OrgUnit, lambda reader: visible_units(reader, roles=(Role.LEADER,)), roles=(Role.BUREAU_ADMIN,)
    )
    with pytest.raises((RuntimeError, TypeError)):  # the stand-in reader has no id to read the grants by
        wrong.count(counted.readers["province"])
