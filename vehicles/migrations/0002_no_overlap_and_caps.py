"""PostgreSQL exclusion constraints (no overlapping live dispatch of one vehicle or one driver) and the
seed of the purchase-cap table from rules.PURCHASE_CAPS.

The constraints are raw SQL that runs on PostgreSQL only (SQLite has no GiST); they are not in the
models' Meta so that SQLite migrations and ``makemigrations --check`` stay clean. The service checks
the same rule first, so SQLite deployments still refuse overlaps (without the race protection).
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINTS = [
    (
        "dispatch_vehicle_no_overlap",
        "vehicle_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&",
        "status <> 'cancelled'",
    ),
    (
        "dispatch_driver_no_overlap",
        "driver_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&",
        "status <> 'cancelled' AND driver_id IS NOT NULL",
    ),
]


def add_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expr, where in CONSTRAINTS:
        schema_editor.execute(
            f"ALTER TABLE vehicles_dispatch ADD CONSTRAINT {name} EXCLUDE USING gist ({expr}) WHERE ({where})"
        )


def drop_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE vehicles_dispatch DROP CONSTRAINT IF EXISTS {name}")


def seed_caps(apps, schema_editor):
    from vehicles.rules import PURCHASE_CAPS

    Version = apps.get_model("vehicles", "PurchaseCapVersion")
    Cap = apps.get_model("vehicles", "PurchaseCap")
    version, created = Version.objects.get_or_create(
        code=PURCHASE_CAPS["code"],
        defaults={"title": PURCHASE_CAPS["title"], "effective_from": PURCHASE_CAPS["effective_from"]},
    )
    if created:
        Cap.objects.bulk_create(
            Cap(version=version, category=c, nev_only=nev, max_price=p, max_displacement=d, label=label)
            for c, nev, p, d, label in PURCHASE_CAPS["rows"]
        )


class Migration(migrations.Migration):
    dependencies = [("vehicles", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(add_constraints, drop_constraints),
        migrations.RunPython(seed_caps, migrations.RunPython.noop),
    ]
