"""On PostgreSQL the database itself keeps the audit trail append-only: a trigger refuses UPDATE and
DELETE of audit rows, whoever connects (a shell, a script, a bug). The one change it lets through is
the user foreign key turning NULL when a user account is deleted (the name stays in actor_name)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION claims_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
       AND (NEW.id, NEW.at, NEW.actor_name, NEW.business_entity_id, NEW.action, NEW.target, NEW.result,
            NEW.request_id, NEW.detail::text)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor_name, OLD.business_entity_id, OLD.action, OLD.target, OLD.result,
            OLD.request_id, OLD.detail::text) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS claims_auditevent_append_only ON claims_auditevent;
CREATE TRIGGER claims_auditevent_append_only BEFORE UPDATE OR DELETE ON claims_auditevent
    FOR EACH ROW EXECUTE FUNCTION claims_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS claims_auditevent_append_only ON claims_auditevent;
DROP FUNCTION IF EXISTS claims_auditevent_append_only();
"""


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_audit_actions")]

    operations = [migrations.RunPython(create, drop)]
