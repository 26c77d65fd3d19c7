"""Snapshot figures of a unit's subtree for the command center (read through ``selectors``): how many
institutions lie red, amber or green against their 能耗定额, and the reports waiting. Unscoped: the command
center has checked that the reader may open the unit. Imports no other module of the app's readers (the
selectors import this one)."""

from datetime import date

from django.db.models import Q

from datahub.models import OrgUnit
from portal.workflow import Status

from . import rules
from .models import InstitutionProfile, Quota, ReportingPeriod, Submission
from .rules import Indicator

# A report whose ticket is in one of these states locks its period's months (and counts as sent).
LOCKING = (Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED, Status.IN_PROGRESS, Status.DONE)


def _subtree(unit: OrgUnit) -> Q:
    return Q(org_unit__path__startswith=unit.path)


# A quota band as a traffic light: over the 约束值 red, between 基准值 and 约束值 amber, at or under it green.
BAND_LIGHTS = {
    rules.Band.OVER_CAP: "red",
    rules.Band.ABOVE_BASE: "amber",
    rules.Band.ABOVE_GUIDE: "green",
    rules.Band.ADVANCED: "green",
}


def quota_lights(within: OrgUnit, year: int, figs: dict) -> dict[str, int]:
    """How many institutions of the subtree lie red, amber or green against their 能耗定额 (energy per m², the
    year's figures, each institution's own quota as ``quota_band`` finds it); those without a profile, data or
    an applicable quota are not counted. ``figs``: the institutions' ``Figures`` of the year (``selectors``
    passes ``figures_by_unit``'s). Two queries, whatever the subtree."""
    quotas: dict = {}
    for q in Quota.objects.filter(indicator=Indicator.ENERGY_PER_M2):
        quotas.setdefault((q.category, q.climate_zone), q)  # the first, as ``quota_band`` takes it
    out = {"red": 0, "amber": 0, "green": 0}
    profiles = InstitutionProfile.objects.filter(_subtree(within), year=year)
    for unit_id, category, zone in profiles.values_list("org_unit_id", "category", "climate_zone"):
        quota = quotas.get((category, zone))
        f = figs.get(unit_id)
        if quota is None or f is None:
            continue
        light = BAND_LIGHTS.get(rules.band_of(f.energy_per_m2, quota.cap, quota.base, quota.guide))
        if light:
            out[light] += 1
    return out


def report_figures(within: OrgUnit, year: int, today: date) -> dict[str, int]:
    """The subtree's energy reports of ``year``: ``overdue`` — institutions (with a profile that year) that have
    not submitted a reporting round whose 报送截止日 has passed, one per institution and round — and
    ``returned`` — reports sent back for changes (退回修改) and not yet resubmitted. Three queries."""
    rounds = list(ReportingPeriod.objects.filter(year=year, due_date__lt=today).values_list("pk", flat=True))
    institutions = set(
        InstitutionProfile.objects.filter(_subtree(within), year=year).values_list("org_unit_id", flat=True)
    )
    sent = set(
        Submission.objects.filter(_subtree(within), period__in=rounds, ticket__status__in=LOCKING)
        .values_list("org_unit_id", "period_id")
        .distinct()
    )
    overdue = sum(1 for unit_id in institutions for pk in rounds if (unit_id, pk) not in sent)
    returned = Submission.objects.filter(
        _subtree(within), period__year=year, superseded=False, ticket__status=Status.RETURNED
    ).count()
    return {"overdue": overdue, "returned": returned}
