"""Celery tasks of the energy app: thin and idempotent, they call the services."""

from celery import shared_task
from django.utils import timezone

from datahub.models import OrgUnit

from . import services


@shared_task(name="energy.tasks.nightly")
def nightly() -> dict:
    """Nightly (Celery beat): bring the derived vehicle fuel up to date from the vehicles app for this
    year and last (January still receives December's fuel), then re-run the anomaly detection."""
    today = timezone.localdate()
    units = list(OrgUnit.objects.filter(level=OrgUnit.Level.INSTITUTION, is_active=True).values_list("pk", flat=True))
    out = {}
    # New hires and directory imports do not announce themselves: the open profiles follow here too.
    out["profiles"] = services.profile_refresh(unit_ids=units, years=(today.year - 1, today.year))
    for year in (today.year - 1, today.year):
        out[f"fuel_{year}"] = services.sync_vehicle_fuel(unit_ids=units, year=year)
        out[f"anomalies_{year}"] = services.detect_anomalies(year=year)
    return out
