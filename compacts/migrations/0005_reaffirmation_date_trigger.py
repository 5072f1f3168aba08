"""A database trigger for a rule that spans tables: a re-affirmation is dated within the
successor's term and on or after the compact's signing.

Signatory.clean() gives the form-level message (and also refuses a date in the future, which no
trigger can check against a moving "today"); this trigger makes the database refuse a bad row
when clean() is bypassed (QuerySet.update, bulk_create, raw SQL, an importer).

On SQLite, migration 0004 dropped the same-city triggers of 0002 to rebuild compacts_signatory:
they are re-created here.
"""

import importlib

from django.db import migrations

same_city = importlib.import_module("compacts.migrations.0002_same_city_triggers")

NAME = "compacts_signatory_reaffirmed_in_term"
MESSAGE = (
    "A re-affirmation is dated within the successor's term, on or after the compact's signing."
)
BAD = """NEW.reaffirmed_on IS NOT NULL AND EXISTS (
    SELECT 1 FROM schools_leadershipterm t, compacts_compact c
    WHERE t.id = NEW.leadership_term_id AND c.id = NEW.compact_id
      AND (NEW.reaffirmed_on < t.started_on
           OR (t.ended_on IS NOT NULL AND NEW.reaffirmed_on > t.ended_on)
           OR NEW.reaffirmed_on < c.signed_on))"""
COLUMNS = "compact_id, leadership_term_id, reaffirmed_on"
QUOTED = MESSAGE.replace("'", "''")


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [
            *same_city.sqlite_forward(),
            f"CREATE TRIGGER {NAME}_insert BEFORE INSERT ON compacts_signatory FOR EACH ROW "
            f"WHEN {BAD} BEGIN SELECT RAISE(ABORT, '{QUOTED}'); END;",
            f"CREATE TRIGGER {NAME}_update BEFORE UPDATE OF {COLUMNS} ON compacts_signatory "
            f"FOR EACH ROW WHEN {BAD} BEGIN SELECT RAISE(ABORT, '{QUOTED}'); END;",
        ]
    elif vendor == "postgresql":
        statements = [
            f"""CREATE FUNCTION {NAME}() RETURNS trigger AS $$
            BEGIN
                IF {BAD} THEN
                    RAISE EXCEPTION '{QUOTED}' USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql;""",
            f"CREATE TRIGGER {NAME} BEFORE INSERT OR UPDATE OF {COLUMNS} ON compacts_signatory "
            f"FOR EACH ROW EXECUTE FUNCTION {NAME}();",
        ]
    else:  # Other databases get no trigger; Signatory.clean() still guards forms and services.
        statements = []
    for sql in statements:
        schema_editor.execute(sql)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for event in ("insert", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {NAME}_{event};")
        for sql in same_city.sqlite_reverse():
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {NAME} ON compacts_signatory;")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {NAME}();")


class Migration(migrations.Migration):
    dependencies = [("compacts", "0004_signatory_reaffirmation")]

    operations = [migrations.RunPython(forward, reverse, elidable=False)]
