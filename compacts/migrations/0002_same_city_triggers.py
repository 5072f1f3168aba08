"""Database triggers for a rule that spans tables: a participant's or signatory's organization,
when it has a city, is in the compact's city.

Participant.clean() and Signatory.clean() give the form-level message; these triggers make the
database refuse the same bad row when clean() is bypassed (QuerySet.update, bulk_create, raw SQL,
an importer). A row can break the rule from either side, so besides the participant and
signatory rows the triggers also guard a change of a compact's city, of an organization's city
and of a leadership term's organization. Each check is a couple of primary-key or indexed
foreign-key lookups, and the guards on the other tables only run when the column really changes.

SQLite drops a table's triggers when Django rebuilds the table (an AlterField on SQLite); the test
tests/compacts/test_models.py::test_the_cross_table_triggers_exist_after_all_migrations fails if
a later migration does that, and the fix is to re-run these statements in that migration.
"""

from django.db import migrations

PARTICIPANT_MESSAGE = "The participant's organization is not in the compact's city."
SIGNATORY_MESSAGE = "The signatory's organization is not in the compact's city."
COMPACT_MESSAGE = (
    "An organization taking part in or signing this compact is not in the compact's city."
)
ORGANIZATION_MESSAGE = (
    "The organization takes part in or signed a compact elsewhere: "
    "it is not in the compact's city."
)

PARTICIPANT_BAD = """EXISTS (
    SELECT 1 FROM schools_organization o, compacts_compact c
    WHERE o.id = NEW.organization_id AND c.id = NEW.compact_id
      AND o.city_id IS NOT NULL AND o.city_id <> c.city_id)"""

SIGNATORY_BAD = """EXISTS (
    SELECT 1 FROM schools_leadershipterm t
    JOIN schools_organization o ON o.id = t.organization_id, compacts_compact c
    WHERE t.id = NEW.leadership_term_id AND c.id = NEW.compact_id
      AND o.city_id IS NOT NULL AND o.city_id <> c.city_id)"""

COMPACT_BAD = """(EXISTS (
    SELECT 1 FROM compacts_participant p JOIN schools_organization o ON o.id = p.organization_id
    WHERE p.compact_id = NEW.id AND o.city_id IS NOT NULL AND o.city_id <> NEW.city_id)
  OR EXISTS (
    SELECT 1 FROM compacts_signatory s
    JOIN schools_leadershipterm t ON t.id = s.leadership_term_id
    JOIN schools_organization o ON o.id = t.organization_id
    WHERE s.compact_id = NEW.id AND o.city_id IS NOT NULL AND o.city_id <> NEW.city_id))"""

ORGANIZATION_BAD = """NEW.city_id IS NOT NULL AND (EXISTS (
    SELECT 1 FROM compacts_participant p JOIN compacts_compact c ON c.id = p.compact_id
    WHERE p.organization_id = NEW.id AND c.city_id <> NEW.city_id)
  OR EXISTS (
    SELECT 1 FROM schools_leadershipterm t
    JOIN compacts_signatory s ON s.leadership_term_id = t.id
    JOIN compacts_compact c ON c.id = s.compact_id
    WHERE t.organization_id = NEW.id AND c.city_id <> NEW.city_id))"""

TERM_BAD = """EXISTS (
    SELECT 1 FROM compacts_signatory s JOIN compacts_compact c ON c.id = s.compact_id,
    schools_organization o
    WHERE s.leadership_term_id = NEW.id AND o.id = NEW.organization_id
      AND o.city_id IS NOT NULL AND o.city_id <> c.city_id)"""

# (trigger name, table, columns whose update re-checks (None: insert and update of any
# column), column whose change alone triggers the guard (None: always), condition, message)
RULES = [
    (
        "compacts_participant_same_city",
        "compacts_participant",
        ["compact_id", "organization_id"],
        None,
        PARTICIPANT_BAD,
        PARTICIPANT_MESSAGE,
    ),
    (
        "compacts_signatory_same_city",
        "compacts_signatory",
        ["compact_id", "leadership_term_id"],
        None,
        SIGNATORY_BAD,
        SIGNATORY_MESSAGE,
    ),
    ("compacts_compact_same_city", "compacts_compact", None, "city_id", COMPACT_BAD, COMPACT_MESSAGE),
    (
        "compacts_organization_same_city",
        "schools_organization",
        None,
        "city_id",
        ORGANIZATION_BAD,
        ORGANIZATION_MESSAGE,
    ),
    (
        "compacts_leadershipterm_same_city",
        "schools_leadershipterm",
        None,
        "organization_id",
        TERM_BAD,
        SIGNATORY_MESSAGE,
    ),
]


def _quoted(message: str) -> str:
    return message.replace("'", "''")


def sqlite_forward() -> list[str]:
    statements = []
    for name, table, columns, changed, condition, message in RULES:
        raise_sql = f"BEGIN SELECT RAISE(ABORT, '{_quoted(message)}'); END;"
        if changed is None:
            statements.append(
                f"CREATE TRIGGER {name}_insert BEFORE INSERT ON {table} FOR EACH ROW "
                f"WHEN {condition} {raise_sql}"
            )
            statements.append(
                f"CREATE TRIGGER {name}_update BEFORE UPDATE OF {', '.join(columns)} ON {table} "
                f"FOR EACH ROW WHEN {condition} {raise_sql}"
            )
        else:
            statements.append(
                f"CREATE TRIGGER {name}_update BEFORE UPDATE OF {changed} ON {table} "
                f"FOR EACH ROW WHEN OLD.{changed} IS NOT NEW.{changed} AND {condition} "
                f"{raise_sql}"
            )
    return statements


def sqlite_reverse() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {name}_{event};"
        for name, *_ in RULES
        for event in ("insert", "update")
    ]


def postgres_forward() -> list[str]:
    # check_violation (23514) reaches Django as IntegrityError, like a CHECK constraint would.
    statements = []
    for name, table, columns, changed, condition, message in RULES:
        statements.append(
            f"""CREATE FUNCTION {name}() RETURNS trigger AS $$
            BEGIN
                IF {condition} THEN
                    RAISE EXCEPTION '{_quoted(message)}' USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql;"""
        )
        if changed is None:
            events = f"INSERT OR UPDATE OF {', '.join(columns)}"
            when = ""
        else:
            events = f"UPDATE OF {changed}"
            when = f"WHEN (OLD.{changed} IS DISTINCT FROM NEW.{changed})"
        statements.append(
            f"CREATE TRIGGER {name} BEFORE {events} ON {table} FOR EACH ROW {when} "
            f"EXECUTE FUNCTION {name}();"
        )
    return statements


def postgres_reverse() -> list[str]:
    return [
        sql
        for name, table, *_ in RULES
        for sql in (
            f"DROP TRIGGER IF EXISTS {name} ON {table};",
            f"DROP FUNCTION IF EXISTS {name}();",
        )
    ]


STATEMENTS = {
    "sqlite": (sqlite_forward, sqlite_reverse),
    "postgresql": (postgres_forward, postgres_reverse),
}


def _run(schema_editor, index: int) -> None:
    # Other databases get no trigger; the models' clean() still guards every form and service.
    builders = STATEMENTS.get(schema_editor.connection.vendor)
    if builders:
        for sql in builders[index]():
            schema_editor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, 0)


def reverse(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("compacts", "0001_initial"),
        ("schools", "0002_charter_school_leaid_trigger"),
    ]

    operations = [migrations.RunPython(forward, reverse, elidable=False)]
