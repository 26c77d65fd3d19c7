"""Trip passengers are links to the directory's people (#15), not names; only outside guests stay text.

The old ``passenger_names`` ("甲、乙；来宾：王某（某公司）") is read once: each name before the guests' mark that
is exactly one active person of the requester's 机关/单位 (by name or username) becomes a link; a name that
matches nobody or several people is kept, as text, with the guests (nothing is lost, nothing is guessed)."""

import re

from django.conf import settings
from django.db import migrations, models

GUESTS_MARK = "；来宾："


def _names(text):
    return [n for n in re.split(r"[,，、;；\s]+", text or "") if n]


def names_to_links(apps, schema_editor):
    TripRequest = apps.get_model("vehicles", "TripRequest")
    OrgUnit = apps.get_model("datahub", "OrgUnit")
    User = apps.get_model("datahub", "User")
    for trip in TripRequest.objects.exclude(passenger_names="").select_related("ticket__requester__org_unit"):
        people, _, guests = trip.passenger_names.partition(GUESTS_MARK)
        unit = trip.ticket.requester.org_unit
        prefixes = [unit.path[:end] for end in range(4, len(unit.path) + 1, 4)] if unit else []
        institution = (
            OrgUnit.objects.filter(path__in=prefixes, level="institution").order_by("-depth").first()
            if prefixes
            else None
        )
        pool = User.objects.filter(is_active=True, org_unit__path__startswith=institution.path) if institution else None
        riders, kept = [], []
        for name in _names(people):
            found = list(pool.filter(models.Q(username=name) | models.Q(name=name))[:2]) if pool is not None else []
            (riders if len(found) == 1 else kept).append(found[0] if len(found) == 1 else name)
        trip.riders.set(riders)
        trip.guest_names = "、".join(kept + _names(guests))[:200]
        trip.save(update_fields=["guest_names"])


def links_to_names(apps, schema_editor):
    TripRequest = apps.get_model("vehicles", "TripRequest")
    for trip in TripRequest.objects.all():
        people = "、".join(u.name for u in trip.riders.all())
        trip.passenger_names = (people + (GUESTS_MARK + trip.guest_names if trip.guest_names else ""))[:300]
        trip.save(update_fields=["passenger_names"])


class Migration(migrations.Migration):
    dependencies = [
        ("vehicles", "0006_vehicle_is_an_asset_card"),
        ("datahub", "0013_side_posts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="triprequest",
            name="guest_names",
            field=models.CharField(blank=True, max_length=200, verbose_name="外单位来宾"),
        ),
        migrations.AddField(
            model_name="triprequest",
            name="riders",
            field=models.ManyToManyField(
                blank=True, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="乘车人（人员名录）"
            ),
        ),
        # elidable: it only converts rows that existed before; a fresh database has none, so the squash leaves it out.
        migrations.RunPython(names_to_links, links_to_names, elidable=True),
        migrations.RemoveField(model_name="triprequest", name="passenger_names"),
    ]
