"""Start the age of every existing password now: its real age is unknown, and expiring everybody's
password on the day the rule lands would lock a whole province out at once."""

from django.db import migrations
from django.utils import timezone

UNUSABLE_PREFIX = "!"  # django.contrib.auth.hashers.UNUSABLE_PASSWORD_PREFIX


def start_clocks(apps, schema_editor):
    User = apps.get_model("datahub", "User")
    PasswordRecord = apps.get_model("datahub", "PasswordRecord")
    now = timezone.now()
    users = User.objects.exclude(password="").exclude(password__startswith=UNUSABLE_PREFIX)
    PasswordRecord.objects.bulk_create(
        [PasswordRecord(user_id=pk, password=password, changed_at=now) for pk, password in users.values_list("pk", "password")],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("datahub", "0006_api_tokens_and_password_history")]

    # elidable: it only converts rows that existed before; a fresh database has none, so the squash leaves it out.
    operations = [migrations.RunPython(start_clocks, migrations.RunPython.noop, elidable=True)]
