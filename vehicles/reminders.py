"""The daily expiry reminders (insurance, annual inspection): a scheduled notification job, not an
action of a user, so it lives beside the services rather than among them. Run by ``tasks.remind_expiring``."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from datahub import keyed
from datahub.keyed import Keyed, label
from datahub.roles import Role
from datahub.selectors import nearest_holders
from portal.models import Notification

from . import rules
from .models import CostRecord
from .rules import VehicleStatus


def insurance_horizon(today=None):
    """The last day of insurance that counts as expiring: rules.EXPIRY_REMINDER_DAYS after ``today`` (local)."""
    return (today or timezone.localdate()) + timedelta(days=rules.EXPIRY_REMINDER_DAYS)


def insurance_expiring(vehicles: QuerySet, *, horizon=None) -> QuerySet:
    """Those of ``vehicles`` in service whose latest insurance runs out by ``horizon`` (insurance_horizon(): within
    rules.EXPIRY_REMINDER_DAYS) or has run out (the home page's ledger-health line and the ledger's filter)."""
    horizon = horizon or insurance_horizon()
    return (
        vehicles.exclude(status=VehicleStatus.DISPOSED)
        .annotate(insured_until=Max("records__valid_until", filter=Q(records__kind=CostRecord.Kind.INSURANCE)))
        .filter(insured_until__lte=horizon)
    )


def send_expiry_reminders(today=None) -> int:
    """Tell the dispatchers over a vehicle's unit when its latest insurance or inspection expires within
    rules.EXPIRY_REMINDER_DAYS; once per record (reminded_at), so the task may rerun."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=rules.EXPIRY_REMINDER_DAYS)
    due = CostRecord.objects.filter(
        kind__in=[CostRecord.Kind.INSURANCE, CostRecord.Kind.INSPECTION],
        valid_until__lte=horizon,
        valid_until__gte=today,
        reminded_at__isnull=True,
    ).exclude(vehicle__status=VehicleStatus.DISPOSED)
    sent = 0
    for record in due.select_related("vehicle__org_unit"):
        # A newer record of the same kind with a later expiry means it was renewed: no reminder.
        if CostRecord.objects.filter(
            vehicle=record.vehicle_id, kind=record.kind, valid_until__gt=record.valid_until
        ).exists():
            CostRecord.objects.filter(pk=record.pk).update(reminded_at=timezone.now())
            continue
        holders, _ = nearest_holders(Role.VEHICLE_DISPATCHER, record.vehicle.org_unit)
        if not holders:
            holders, _ = nearest_holders(Role.BUREAU_ADMIN, record.vehicle.org_unit)
        text, key, values = keyed.split(
            Keyed(
                gettext_noop("%(plate)s的%(kind)s将于%(until)s到期，请及时办理。"),
                {
                    "plate": record.vehicle.plate,
                    "kind": label(CostRecord.Kind(record.kind).label),
                    "until": str(record.valid_until),
                },
            ),
            300,
        )
        with transaction.atomic():
            Notification.objects.bulk_create(
                [
                    Notification(
                        user=u, key=f"veh-expiry:{record.pk}", message=text, message_key=key, message_values=values
                    )
                    for u in holders
                ],
                ignore_conflicts=True,
            )
            CostRecord.objects.filter(pk=record.pk).update(reminded_at=timezone.now())
        sent += 1
    return sent
