"""Database triggers for a rule that spans two tables: a charter school's NCES ID starts with its
district's LEAID when both are known.

CharterSchool.clean() gives the form-level message; these triggers make the database refuse the
same bad row when clean() is bypassed (QuerySet.update, bulk_create, raw SQL, an importer).
They are cheap: one primary-key lookup per written row, and the district trigger only runs when
a LEAID actually changes.

SQLite drops a table's triggers when Django rebuilds the table (an AlterField on SQLite); the test
tests/schools/test_models.py::test_the_cross_table_triggers_exist_after_all_migrations fails if a
later migration does that, and the fix is to re-run these statements in that migration.
"""

from django.db import migrations

MESSAGE = "A charter school's NCES ID must start with its district's LEAID."
QUOTED = MESSAGE.replace("'", "''")

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER schools_charterschool_leaid_prefix_insert
    BEFORE INSERT ON schools_charterschool
    FOR EACH ROW
    WHEN NEW.nces_school_id IS NOT NULL AND NEW.district_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM schools_district d
        WHERE d.organization_ptr_id = NEW.district_id
          AND d.nces_leaid IS NOT NULL
          AND substr(NEW.nces_school_id, 1, 7) <> d.nces_leaid
    )
    BEGIN SELECT RAISE(ABORT, '{QUOTED}'); END;
    """,
    f"""
    CREATE TRIGGER schools_charterschool_leaid_prefix_update
    BEFORE UPDATE OF nces_school_id, district_id ON schools_charterschool
    FOR EACH ROW
    WHEN NEW.nces_school_id IS NOT NULL AND NEW.district_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM schools_district d
        WHERE d.organization_ptr_id = NEW.district_id
          AND d.nces_leaid IS NOT NULL
          AND substr(NEW.nces_school_id, 1, 7) <> d.nces_leaid
    )
    BEGIN SELECT RAISE(ABORT, '{QUOTED}'); END;
    """,
    f"""
    CREATE TRIGGER schools_district_leaid_prefix_update
    BEFORE UPDATE OF nces_leaid ON schools_district
    FOR EACH ROW
    WHEN NEW.nces_leaid IS NOT NULL AND OLD.nces_leaid IS NOT NEW.nces_leaid AND EXISTS (
        SELECT 1 FROM schools_charterschool s
        WHERE s.district_id = NEW.organization_ptr_id
          AND s.nces_school_id IS NOT NULL
          AND substr(s.nces_school_id, 1, 7) <> NEW.nces_leaid
    )
    BEGIN SELECT RAISE(ABORT, '{QUOTED}'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS schools_charterschool_leaid_prefix_insert;",
    "DROP TRIGGER IF EXISTS schools_charterschool_leaid_prefix_update;",
    "DROP TRIGGER IF EXISTS schools_district_leaid_prefix_update;",
]

# check_violation (23514) reaches Django as IntegrityError, like a CHECK constraint would.
POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION schools_charterschool_leaid_prefix() RETURNS trigger AS $$
    BEGIN
        IF NEW.nces_school_id IS NOT NULL AND NEW.district_id IS NOT NULL AND EXISTS (
            SELECT 1 FROM schools_district d
            WHERE d.organization_ptr_id = NEW.district_id
              AND d.nces_leaid IS NOT NULL
              AND substr(NEW.nces_school_id, 1, 7) <> d.nces_leaid
        ) THEN
            RAISE EXCEPTION '{QUOTED}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER schools_charterschool_leaid_prefix
    BEFORE INSERT OR UPDATE OF nces_school_id, district_id ON schools_charterschool
    FOR EACH ROW EXECUTE FUNCTION schools_charterschool_leaid_prefix();
    """,
    f"""
    CREATE FUNCTION schools_district_leaid_prefix() RETURNS trigger AS $$
    BEGIN
        IF NEW.nces_leaid IS NOT NULL AND EXISTS (
            SELECT 1 FROM schools_charterschool s
            WHERE s.district_id = NEW.organization_ptr_id
              AND s.nces_school_id IS NOT NULL
              AND substr(s.nces_school_id, 1, 7) <> NEW.nces_leaid
        ) THEN
            RAISE EXCEPTION '{QUOTED}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER schools_district_leaid_prefix
    BEFORE UPDATE OF nces_leaid ON schools_district
    FOR EACH ROW WHEN (OLD.nces_leaid IS DISTINCT FROM NEW.nces_leaid)
    EXECUTE FUNCTION schools_district_leaid_prefix();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS schools_charterschool_leaid_prefix ON schools_charterschool;",
    "DROP TRIGGER IF EXISTS schools_district_leaid_prefix ON schools_district;",
    "DROP FUNCTION IF EXISTS schools_charterschool_leaid_prefix();",
    "DROP FUNCTION IF EXISTS schools_district_leaid_prefix();",
]

STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_REVERSE),
    "postgresql": (POSTGRES_FORWARD, POSTGRES_REVERSE),
}


def _run(schema_editor, index: int) -> None:
    # Other databases get no trigger; CharterSchool.clean() still guards every form and service.
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements:
        for sql in statements[index]:
            schema_editor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, 0)


def reverse(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [migrations.RunPython(forward, reverse, elidable=False)]
