"""On PostgreSQL the database itself keeps the audit trail append-only: a trigger refuses any UPDATE and any
DELETE of a row younger than 183 days (the retention floor), whoever sends the SQL. SQLite relies on the
model and queryset guards (datahub.models.AuditQuerySet)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION datahub_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION '审计日志只能追加，不能修改。';
    END IF;
    IF OLD.at > now() - interval '183 days' THEN
        RAISE EXCEPTION '保留期（183天）内的审计日志不能删除。';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER datahub_auditentry_append_only
    BEFORE UPDATE OR DELETE ON datahub_auditentry
    FOR EACH ROW EXECUTE FUNCTION datahub_auditentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS datahub_auditentry_append_only ON datahub_auditentry;
DROP FUNCTION IF EXISTS datahub_auditentry_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("datahub", "0004_audit_trail_and_personal_data")]

    operations = [migrations.RunPython(create, drop)]
